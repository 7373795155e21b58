"""The runtime's f32 max pooling (qopt_rt_maxpool2d_nchw_f32) against numpy:
each output the chain maximumf(...maximumf(init, in[ky=0, kx=0])...) in
window order, init -inf (or the output's own value when accumulating),
padding positions skipped. Bit for bit (NaN positions equal), on inputs of
ties, signed zeros, infinities and NaNs; output widths around the 8-wide
vector steps, strides 1, 2 and 3, padding on every side, dilation, windows
wider than the plane, and ResNet-18's pool (split over the threads)."""
import ctypes

import numpy as np
import pytest

from runtime_ctypes import LIB, addr, maximumf


def load():
    rt = ctypes.CDLL(LIB)
    rt.qopt_rt_maxpool2d_nchw_f32.argtypes = [ctypes.c_int64] * 16
    rt.qopt_rt_set_num_threads.argtypes = [ctypes.c_int]
    return rt


def reference(x, out0, kernel, strides, pads, dilations, accumulate):
    planes, h, w = x.shape
    oh, ow = out0.shape[1:]
    y = out0.copy() if accumulate else np.full(out0.shape, -np.inf, np.float32)
    for i in range(oh):
        for j in range(ow):
            m = y[:, i, j]
            for ky in range(kernel[0]):
                r = i * strides[0] - pads[0] + ky * dilations[0]
                if not 0 <= r < h:
                    continue
                for kx in range(kernel[1]):
                    c = j * strides[1] - pads[1] + kx * dilations[1]
                    if 0 <= c < w:
                        m = maximumf(m, x[:, r, c])
            y[:, i, j] = m
    return y


def special_input(shape, rng):
    """Few distinct values (ties), signed zeros, infinities and NaNs."""
    choices = np.array([-2.0, -0.0, 0.0, 1.5, np.inf, -np.inf, np.nan], np.float32)
    x = choices[rng.integers(0, len(choices), size=shape)]
    finite = rng.random(shape) < 0.7
    x[finite] = rng.standard_normal(finite.sum()).astype(np.float32)
    return x


CASES = [  # planes, h, w, kernel, strides, pads (top, left), dilations, out (oh, ow)
    (16, 28, 28, (2, 2), (2, 2), (0, 0), (1, 1), (14, 14)),    # fashion_cnn
    (3, 9, 11, (3, 3), (2, 2), (1, 1), (1, 1), (5, 6)),
    (2, 4, 40, (2, 3), (1, 2), (1, 0), (2, 1), (4, 19)),      # dilated rows
    (2, 9, 9, (5, 4), (1, 1), (0, 0), (1, 1), (5, 6)),
    (2, 6, 17, (3, 3), (1, 1), (1, 1), (1, 1), (6, 17)),       # stride 1, 8-wide steps
    (2, 5, 33, (1, 2), (1, 2), (0, 0), (1, 1), (5, 16)),       # 16 outputs: two vectors
    (2, 5, 31, (2, 2), (2, 2), (0, 1), (1, 1), (3, 16)),       # last window half padding
    (1, 7, 29, (3, 3), (3, 3), (1, 1), (1, 1), (3, 10)),       # stride 3: no vector path
    (1, 3, 4, (3, 7), (1, 1), (1, 3), (1, 1), (3, 4)),         # window wider than the plane
    (2, 4, 8, (2, 2), (2, 2), (0, 0), (1, 1), (3, 5)),         # ceil mode: rows and columns
                                                              # past the input
    (1, 1, 1, (1, 1), (1, 1), (0, 0), (1, 1), (1, 1)),
    (64, 112, 112, (3, 3), (2, 2), (1, 1), (1, 1), (56, 56)),  # ResNet-18: parallel
]


def check_all(rt):
    """Every case, overwrite and accumulate; returns how many ran."""
    rng = np.random.default_rng(3)
    cases = 0
    for planes, h, w, kernel, strides, pads, dilations, out_hw in CASES:
        x = special_input((planes, h, w), rng)
        for accumulate in (0, 1):
            start = special_input((planes,) + out_hw, rng)
            out = start.copy()
            rt.qopt_rt_maxpool2d_nchw_f32(addr(x), addr(out), planes, h, w, *out_hw,
                                          *kernel, *strides, *dilations, *pads, accumulate)
            ref = reference(x, start, kernel, strides, pads, dilations, accumulate)
            assert np.array_equal(np.isnan(out), np.isnan(ref)), (h, w, kernel, accumulate)
            finite = ~np.isnan(ref)
            # Bits, so that -0 and +0 differ.
            assert np.array_equal(out[finite].view(np.int32), ref[finite].view(np.int32)), \
                (h, w, kernel, strides, pads, accumulate)
            cases += 1
    return cases


@pytest.mark.parametrize("threads", [1, 4])
def test_max_pool_matches_numpy(threads):
    rt = load()
    rt.qopt_rt_set_num_threads(threads)
    assert check_all(rt) == 2 * len(CASES)
    rt.qopt_rt_set_num_threads(0)


if __name__ == "__main__":
    # As a script (the AVX-512 machine's kernel tests): the thread count
    # from QOPT_NUM_THREADS; the kernel's code is the CPU's target clone.
    import json
    rt = load()
    rt.qopt_rt_isa.restype = ctypes.c_char_p
    print(json.dumps({"isa": rt.qopt_rt_isa().decode(), "cases": check_all(rt)}))
