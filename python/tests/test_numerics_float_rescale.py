"""qopt.float_rescale (ONNX Runtime's requantization of imported QDQ and
QOperator models, docs/Numerics.md) through the CPU backend, bit-identical
to numerics_ref.float_rescale: ties at .5 (to even), saturation, zero
points, per-channel multipliers, and accumulators beyond 2^24 whose
conversion to f32 rounds."""
import numpy as np
import pytest

import numerics_ref as ref
from numerics_jit import compile_main, run, tensor

RNG = np.random.default_rng(11)


def single_op(attrs, shape, elem_in, elem_out):
    in_t, out_t = tensor(shape, elem_in), tensor(shape, elem_out)
    return compile_main(
        [in_t], [out_t],
        f"  %r = qopt.float_rescale %a0 {{{attrs}}} : ({in_t}) -> {out_t}\n"
        f"  return %r : {out_t}")


CASES = [
    # multiplier, divisor, input_zp, output_zp, qmin, qmax, in, out, x range
    (0.5, None, 0, 0, None, None, "i32", "i8", 300),       # odd x: ties at .5
    (0.375, 0.75, 3, -5, None, None, "i32", "i8", 300),    # = x/2 after the division
    (0.25, None, -7, 10, None, None, "i32", "i8", 600),    # ties at x - zp = 4k + 2
    (0.0123, 0.0456, 0, 4, None, None, "i32", "i8", 2**14),  # saturates both ways
    (1.5e-3, 0.1, 0, 0, None, None, "i32", "i16", 2**31 - 1),  # |x| > 2^24 rounds to f32
    (0.1, None, 2, 1, 1, 7, "i8", "i8", 127),              # custom bounds (relu6-like)
    (3.0, 2.0, 0, 0, None, None, "i16", "i32", 2**15 - 1),  # widening result
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{c[1]}-{c[6]}-{c[7]}")
def test_float_rescale_per_tensor(case):
    m, d, izp, ozp, qmin, qmax, elem_in, elem_out, reach = case
    bits_in, bits_out = int(elem_in[1:]), int(elem_out[1:])
    lo_in, hi_in = -2**(bits_in - 1), 2**(bits_in - 1) - 1
    lo, hi = (-2**(bits_out - 1), 2**(bits_out - 1) - 1) if qmin is None else (qmin, qmax)
    shape = [32, 64]
    attrs = [f"multiplier = array<f32: {m!r}>", f"input_zp = {izp} : i64",
             f"output_zp = {ozp} : i64"]
    if d is not None:
        attrs.append(f"divisor = {d!r} : f32")
    if qmin is not None:
        attrs += [f"qmin = {qmin} : i64", f"qmax = {qmax} : i64"]
    exe = single_op(", ".join(attrs), shape, elem_in, elem_out)
    x = RNG.integers(max(lo_in, izp - reach), min(hi_in, izp + reach) + 1, size=shape,
                     dtype=np.int64)
    flat = x.reshape(-1)
    flat[:4] = [lo_in, hi_in, izp, izp + 1]  # extremes, zero, one step
    want = ref.float_rescale(x, [m], d, None, izp, ozp, lo, hi)
    (got,) = run(exe, x.astype({8: np.int8, 16: np.int16, 32: np.int32}[bits_in]))
    np.testing.assert_array_equal(got.astype(np.int64), want)
    # The cases are built to hit what they name.
    exact = (x - izp).astype(np.float32) * np.float32(m)
    if d is not None:
        exact = exact / np.float32(d)
    frac = np.abs(exact - np.floor(exact))
    if case in CASES[:3]:
        assert (frac == 0.5).sum() > 100, "no ties"
        # Ties go to the even neighbour, not up.
        inside = (frac == 0.5) & (want > lo) & (want < hi)
        assert np.all((want[inside] - ozp) % 2 == 0)
    if case is CASES[3]:
        assert (want == hi).any() and (want == lo).any()


def test_float_rescale_per_channel():
    shape = [8, 3, 40]
    ms = [0.5, 0.0078125, 0.3]
    exe = single_op("multiplier = array<f32: 0.5, 0.0078125, 0.3>, divisor = 0.25 : f32, "
                    "axis = 1 : i64, input_zp = 1 : i64, output_zp = -2 : i64",
                    shape, "i32", "i8")
    x = RNG.integers(-2000, 2000, size=shape, dtype=np.int64)
    want = ref.float_rescale(x, ms, 0.25, 1, 1, -2, -128, 127)
    (got,) = run(exe, x.astype(np.int32))
    np.testing.assert_array_equal(got.astype(np.int64), want)
