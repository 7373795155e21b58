"""qopt.dynamic_quantize (ONNX DynamicQuantizeLinear) through the CPU backend
against numpy, written from the op's definition in docs/Numerics.md and the
ONNX operator spec: lo = min(0, min x), hi = max(0, max x),
scale = (hi - lo) / 255, zero_point = sat_u8(round_half_even(-lo / scale)),
y = sat_u8(round_half_even(x / scale) + zero_point), all in float32."""
import numpy as np
import pytest

from numerics_jit import compile_main, run, tensor


def reference(x):
    f = np.float32
    lo = np.minimum(f(0), x.min()).astype(f)
    hi = np.maximum(f(0), x.max()).astype(f)
    scale = f((hi - lo) / f(255))
    with np.errstate(divide="ignore", invalid="ignore"):
        zp = np.rint(f(0) - lo / scale)
        zp = np.clip(np.nan_to_num(zp, nan=0.0), 0, 255).astype(np.uint8)
        y = np.rint(x / scale) + f(zp)
        y = np.clip(np.nan_to_num(y, nan=0.0), 0, 255).astype(np.uint8)
    return y, scale, zp


def compiled(shape):
    t = tensor(shape, "f32")
    y = tensor(shape, "i8")
    return compile_main(
        [t], [y, "tensor<f32>", "tensor<i8>"],
        f"  %y, %s, %z = qopt.dynamic_quantize %a0 : ({t}) -> ({y}, tensor<f32>, tensor<i8>)\n"
        f"  return %y, %s, %z : {y}, tensor<f32>, tensor<i8>")


def check(exe, x):
    y, s, z = run(exe, x)
    # The Python API returns a rank-0 output with one leading (batch) axis.
    s, z = s.reshape(()), z.reshape(())
    ey, es, ez = reference(x)
    assert s.dtype == np.float32
    np.testing.assert_array_equal(s, es)
    np.testing.assert_array_equal(z.view(np.uint8), ez)
    np.testing.assert_array_equal(y.view(np.uint8), ey)


def test_onnx_examples():
    # The inputs of ONNX's own node tests (test_dynamicquantizelinear*).
    exe = compiled([6])
    for x in ([0, 2, -3, -2.5, 1.34, 0.5], [-1.0, -2.1, -1.3, -2.5, -3.34, -4.0],
              [1, 2.1, 1.3, 2.5, 3.34, 4.0]):
        check(exe, np.array(x, np.float32))


def test_random_ranges_and_ties():
    rng = np.random.default_rng(7)
    exe = compiled([3, 4, 5])
    for trial in range(300):
        kind = trial % 4
        if kind == 0:    # mixed signs
            x = rng.normal(0, rng.uniform(0.01, 100), (3, 4, 5))
        elif kind == 1:  # all positive: lo = 0, zero point 0
            x = rng.uniform(0.1, 50, (3, 4, 5))
        elif kind == 2:  # all negative: hi = 0, zero point 255
            x = -rng.uniform(0.1, 50, (3, 4, 5))
        else:            # exact ties: multiples of scale / 2 with scale = 1
            x = rng.integers(-255, 256, (3, 4, 5)) / 2.0
            x.flat[0], x.flat[1] = -127.5, 127.5  # range 255: scale exactly 1
        check(exe, x.astype(np.float32))


def test_zero_range():
    # All zeros: scale 0, and the quotients are NaN, which saturate to 0.
    exe = compiled([4])
    x = np.zeros(4, np.float32)
    y, s, z = run(exe, x)
    assert s == 0 and z.view(np.uint8) == 0 and not y.any()


@pytest.mark.parametrize("shape", [[1], [7], [2, 1, 3]])
def test_shapes(shape):
    rng = np.random.default_rng(len(shape))
    check(compiled(shape), rng.normal(0, 3, shape).astype(np.float32))
