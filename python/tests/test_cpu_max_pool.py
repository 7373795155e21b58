"""Max pooling on the CPU (convert-qopt-to-linalg's unrolled windows and
linalg.pooling_nchw_max for larger ones), through import, the JIT and a run,
against a numpy evaluation of the documented semantics (docs/Numerics.md,
"Max pooling"): a window holding a NaN gives NaN, -0 and +0 compare equal
but +0 wins, padding is -inf. Bit for bit, on windows of ties, signed zeros,
infinities and NaNs, for strides 1 and 2, padding, dilation and a 5x4
window (more than the 16 elements that are unrolled)."""
import numpy as np
import pytest
from onnx import helper

from small_models import compile_onnx_graph


def maximum(values):
    """IEEE 754-2019 maximum over a window: NaN if any is NaN, +0 over -0."""
    if np.isnan(values).any():
        return np.float32(np.nan)
    top = values.max()
    if top == 0:
        return np.float32(0.0) if (np.signbit(values[values == 0]) == 0).any() \
            else np.float32(-0.0)
    return top


def reference(x, kernel, strides, pads, dilations, out_hw):
    n, c, h, w = x.shape
    padded = np.full((n, c, h + pads[0] + pads[2], w + pads[1] + pads[3]), -np.inf,
                     np.float32)
    padded[:, :, pads[0]:pads[0] + h, pads[1]:pads[1] + w] = x
    y = np.empty((n, c) + out_hw, np.float32)
    for i in range(out_hw[0]):
        for j in range(out_hw[1]):
            rows = [i * strides[0] + a * dilations[0] for a in range(kernel[0])]
            cols = [j * strides[1] + b * dilations[1] for b in range(kernel[1])]
            window = padded[:, :, rows][:, :, :, cols].reshape(n, c, -1)
            for p in range(n):
                for q in range(c):
                    y[p, q, i, j] = maximum(window[p, q])
    return y


def special_input(shape, seed):
    """Few distinct values (ties), signed zeros, infinities and NaNs."""
    rng = np.random.default_rng(seed)
    choices = np.array([-2.0, -0.0, 0.0, 1.5, np.inf, -np.inf, np.nan, 1.5, -0.0, 0.0],
                       np.float32)
    x = choices[rng.integers(0, len(choices), size=shape)]
    # Mostly finite, so that many windows hold no NaN.
    finite = rng.random(shape) < 0.7
    x[finite] = rng.choice(np.array([-1.0, -0.0, 0.0, 0.5], np.float32), size=finite.sum())
    return x


CASES = [  # shape, kernel, strides, pads (t l b r), dilations
    ((1, 16, 28, 28), (2, 2), (2, 2), (0, 0, 0, 0), (1, 1)),  # fashion_cnn's pool
    ((2, 3, 9, 11), (3, 3), (2, 2), (1, 1, 1, 1), (1, 1)),
    ((1, 4, 7, 8), (2, 3), (1, 2), (1, 0, 0, 1), (2, 1)),
    ((1, 2, 9, 9), (5, 4), (1, 1), (0, 0, 0, 0), (1, 1)),  # not unrolled
]


@pytest.mark.parametrize("shape,kernel,strides,pads,dilations", CASES)
def test_max_pool_matches_ieee_maximum(shape, kernel, strides, pads, dilations):
    n, c, h, w = shape
    out_hw = tuple((size + pads[d] + pads[d + 2] - dilations[d] * (kernel[d] - 1) - 1)
                   // strides[d] + 1 for d, size in enumerate((h, w)))
    pool = helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=list(kernel),
                            strides=list(strides), pads=list(pads),
                            dilations=list(dilations))
    exe = compile_onnx_graph([pool], {"x": list(shape)}, {"y": [n, c, *out_hw]})
    for seed in range(3):
        x = special_input(shape, seed)
        y = exe.run({"x": x})["y"]
        ref = reference(x, kernel, strides, pads, dilations, out_hw)
        assert np.array_equal(np.isnan(y), np.isnan(ref))
        ok = ~np.isnan(ref)
        # Bit for bit: the same values and the same signs of zero.
        assert np.array_equal(y[ok].view(np.uint32), ref[ok].view(np.uint32))
