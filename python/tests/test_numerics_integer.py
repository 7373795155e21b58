"""The integer-only ops through the CPU backend, bit-identical to
numerics_ref (written from docs/Numerics.md) on thousands of random inputs
plus ties, extremes and saturating cases."""
import math

import numpy as np
import pytest

import qopt

import numerics_ref as ref
from numerics_jit import NUMPY_DTYPES, compile_main, run, tensor

RNG = np.random.default_rng(6)


def type_range(elem):
    bits = int(elem[1:])
    return -2**(bits - 1), 2**(bits - 1) - 1


def random_ints(shape, elem, lo=None, hi=None):
    tlo, thi = type_range(elem)
    lo = tlo if lo is None else lo
    hi = thi if hi is None else hi
    x = RNG.integers(lo, hi + 1, size=shape, dtype=np.int64)
    flat = x.reshape(-1)
    flat[:4] = [tlo, thi, 0, -1]  # extremes
    return x.astype(NUMPY_DTYPES[elem])


def single_op(op_text, in_types, out_type):
    args = ", ".join(f"%a{i}" for i in range(len(in_types)))
    return compile_main(
        in_types, [out_type],
        f"  %r = {op_text.format(args=args)} : ({', '.join(in_types)}) -> {out_type}\n"
        f"  return %r : {out_type}")


# --------------------------------------------------------------------------
# rescale
# --------------------------------------------------------------------------

def with_ties(x, elem, zp, m, s):
    """Puts values whose (x - zp)·m lies exactly half-way between two
    multiples of 2^s into the first third of `x` (when m's powers of two
    allow it)."""
    twos = (m & -m).bit_length() - 1 if m else 0
    if m == 0 or s == 0 or twos >= s:
        return x
    step = 2**(s - twos)  # (x - zp) = (2k + 1)·step/2 gives a tie
    lo, hi = type_range(elem)
    flat = x.reshape(-1)
    count = len(flat) // 3
    k = RNG.integers(-50, 50, count)
    ties = zp + (2 * k + 1) * (step // 2)
    ok = (ties >= lo) & (ties <= hi)
    flat[:count][ok] = ties[ok]
    return x


RESCALE = [
    # in, out, multiplier, shift, input_zp, output_zp, qmin, qmax
    ("i32", "i8", 2**30, 31, 0, 0, None, None),            # ×0.5: odd x ties
    ("i32", "i8", 1518500250, 40, 3, -5, None, None),     # ×2^-9.5
    ("i32", "i8", 3 << 29, 35, -9, 4, None, None),        # ties at 32·odd
    ("i32", "i8", 2**30 + 12345, 36, 0, 0, None, None),   # saturates
    ("i32", "i16", 2147483647, 62, -7, 100, None, None),  # tiny ratio
    ("i32", "i32", 2147483647, 0, 0, 0, None, None),      # 64-bit product
    ("i32", "i32", 2147483647, 1, -2147483648, 0, None, None),  # |x-zp| ~ 2^32
    ("i16", "i8", 3 << 28, 33, 10, 0, -100, 90),          # custom bounds
    ("i8", "i8", 1 << 30, 29, 10, -20, None, None),       # ×2, zero points
    ("i32", "i8", 0, 5, 0, 3, None, None),                # multiplier 0
    ("i32", "i8", 1431655765, 7, 0, 0, 0, 127),           # relu-like qmin 0
]


@pytest.mark.parametrize("rounding", ["half_up", "half_even", "floor"])
@pytest.mark.parametrize("case", RESCALE, ids=lambda c: f"{c[0]}-{c[1]}-{c[2]}-{c[3]}")
def test_rescale_per_tensor(rounding, case):
    elem_in, elem_out, m, s, izp, ozp, qmin, qmax = case
    shape = [64, 64]
    attrs = [f"multiplier = array<i32: {m}>", f"shift = array<i32: {s}>",
             f"input_zp = {izp} : i64", f"output_zp = {ozp} : i64",
             f"rounding = #qopt<rounding {rounding}>"]
    if qmin is not None:
        attrs += [f"qmin = {qmin} : i64", f"qmax = {qmax} : i64"]
    exe = single_op("qopt.rescale {args} {{" + ", ".join(attrs) + "}}",
                    [tensor(shape, elem_in)], tensor(shape, elem_out))
    x = random_ints(shape, elem_in)
    # The middle third where the result does not saturate: (x - zp)·ratio within
    # 100 output units.
    lo_in, hi_in = type_range(elem_in)
    reach = min(100 * 2**s // max(m, 1), 2**40)
    middle = x.reshape(-1)[len(x.reshape(-1)) // 3: 2 * len(x.reshape(-1)) // 3]
    middle[:] = RNG.integers(max(lo_in, izp - reach), min(hi_in, izp + reach) + 1,
                             len(middle))
    x = with_ties(x, elem_in, izp, m, s)
    (got,) = run(exe, x)
    lo, hi = type_range(elem_out)
    want = ref.rescale(x, [m], [s], None, izp, ozp, rounding,
                       lo if qmin is None else qmin,
                       hi if qmax is None else qmax)
    np.testing.assert_array_equal(got.astype(np.int64), want)


@pytest.mark.parametrize("rounding", ["half_up", "half_even", "floor"])
def test_rescale_per_channel(rounding):
    shape = [16, 4, 64]
    ms = [2**30, 1518500250, 2147483647, 3 << 28]
    ss = [31, 38, 45, 0]
    exe = single_op(
        "qopt.rescale {args} {{multiplier = array<i32: " + ", ".join(map(str, ms))
        + ">, shift = array<i32: " + ", ".join(map(str, ss)) + ">, axis = 1 : i64, "
        f"input_zp = 5 : i64, output_zp = -3 : i64, rounding = #qopt<rounding {rounding}>}}}}",
        [tensor(shape, "i32")], tensor(shape, "i8"))
    x = random_ints(shape, "i32", -2**20, 2**20)
    x[:, 0, :32] = 5 + (2 * RNG.integers(-100, 100, (16, 32)) + 1)  # ties of ×0.5
    (got,) = run(exe, x)
    want = ref.rescale(x, ms, ss, 1, 5, -3, rounding, -128, 127)
    np.testing.assert_array_equal(got.astype(np.int64), want)


# --------------------------------------------------------------------------
# int_add
# --------------------------------------------------------------------------

@pytest.mark.parametrize("rounding", ["half_up", "half_even", "floor"])
@pytest.mark.parametrize("elem", ["i8", "i32"])
def test_int_add(rounding, elem):
    lhs_shape, rhs_shape, out_shape = [16, 4, 64], [4, 1], [16, 4, 64]
    lm, ls, rm, rs = 2**30, 31, 1518500250, 30
    lzp, rzp, ozp = (3, -2, 7) if elem == "i8" else (1000, 0, -5)
    exe = single_op(
        "qopt.int_add {args} {{" f"lhs_multiplier = {lm} : i32, lhs_shift = {ls} : i32, "
        f"rhs_multiplier = {rm} : i32, rhs_shift = {rs} : i32, lhs_zp = {lzp} : i64, "
        f"rhs_zp = {rzp} : i64, output_zp = {ozp} : i64, "
        f"rounding = #qopt<rounding {rounding}>" "}}",
        [tensor(lhs_shape, elem), tensor(rhs_shape, elem)], tensor(out_shape, "i8"))
    lhs = random_ints(lhs_shape, elem)
    lhs.reshape(-1)[4:2000] = lzp + 2 * RNG.integers(-60, 60, 1996) + 1  # ties
    rhs = random_ints(rhs_shape, elem)
    (got,) = run(exe, lhs, rhs)
    want = ref.int_add(lhs, rhs, lm, ls, rm, rs, lzp, rzp, ozp, rounding, -128, 127)
    np.testing.assert_array_equal(got.astype(np.int64), want)


# --------------------------------------------------------------------------
# int_matmul, int_conv2d
# --------------------------------------------------------------------------

MATMUL = [([32, 64], [64, 48], "i8", 0, 0),
          ([4, 16, 32], [4, 32, 16], "i8", -128, 127),
          ([3, 16, 32], [32, 8], "i8", 5, -3),            # rhs broadcast
          ([2, 1, 8, 16], [1, 3, 16, 8], "i8", 0, 0),      # both broadcast
          ([16, 256], [256, 16], "i16", -32768, 32767)]    # wraps modulo 2^32


@pytest.mark.parametrize("lhs_shape,rhs_shape,elem,lzp,rzp", MATMUL)
def test_int_matmul(lhs_shape, rhs_shape, elem, lzp, rzp):
    batch = np.broadcast_shapes(tuple(lhs_shape[:-2]), tuple(rhs_shape[:-2]))
    out_shape = list(batch) + [lhs_shape[-2], rhs_shape[-1]]
    exe = single_op(
        f"qopt.int_matmul {{args}} {{{{lhs_zp = {lzp} : i64, rhs_zp = {rzp} : i64}}}}",
        [tensor(lhs_shape, elem), tensor(rhs_shape, elem)], tensor(out_shape, "i32"))
    lhs, rhs = random_ints(lhs_shape, elem), random_ints(rhs_shape, elem)
    if elem == "i16":  # the largest products, so that the sum wraps
        lhs.reshape(-1)[:64] = 32767
        rhs.reshape(-1)[::16] = -32768
    (got,) = run(exe, lhs, rhs)
    np.testing.assert_array_equal(got, ref.int_matmul(lhs, rhs, lzp, rzp))


CONV = [
    # input shape, weight shape, strides, pads, dilations, group, bias, zps
    ([2, 3, 9, 9], [8, 3, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1], 1, True, (0, 0)),
    ([1, 4, 10, 7], [6, 2, 3, 2], [2, 1], [0, 2, 1, 0], [1, 2], 2, False, (-5, 3)),
    ([1, 6, 8, 8], [6, 1, 3, 3], [1, 2], [2, 2, 2, 2], [2, 1], 6, True, (127, -128)),
]


@pytest.mark.parametrize("case", CONV, ids=range(len(CONV)))
def test_int_conv2d(case):
    in_shape, w_shape, strides, pads, dil, group, has_bias, (xzp, wzp) = case
    x = random_ints(in_shape, "i8")
    w = random_ints(w_shape, "i8")
    bias = RNG.integers(-2**31, 2**31, w_shape[0]).astype(np.int32) if has_bias else None
    want = ref.int_conv2d(x, w, bias, strides, pads, dil, group, xzp, wzp)
    attrs = (f"strides = array<i64: {strides[0]}, {strides[1]}>, "
             f"pads = array<i64: {', '.join(map(str, pads))}>, "
             f"dilations = array<i64: {dil[0]}, {dil[1]}>, group = {group} : i64, "
             f"input_zp = {xzp} : i64, weight_zp = {wzp} : i64")
    types = [tensor(in_shape, "i8"), tensor(w_shape, "i8")]
    if has_bias:
        types.append(tensor([w_shape[0]], "i32"))
    exe = single_op("qopt.int_conv2d {args} {{" + attrs + "}}", types,
                    tensor(list(want.shape), "i32"))
    (got,) = run(exe, x, w, *([bias] if has_bias else []))
    np.testing.assert_array_equal(got, want)


POOL = [
    # input shape, kernel, strides, pads, ceil_mode, count_include_pad, zps
    ([2, 3, 9, 9], [3, 3], [2, 2], [1, 1, 1, 1], False, False, (0, 0)),
    ([2, 3, 9, 9], [3, 3], [2, 2], [1, 1, 1, 1], False, True, (-3, 5)),
    ([1, 4, 10, 7], [2, 3], [3, 2], [0, 1, 1, 0], True, False, (127, -128)),
    ([1, 4, 10, 7], [2, 3], [3, 2], [1, 1, 0, 2], True, True, (-128, 0)),
    ([4, 8, 6, 6], [2, 2], [2, 2], [0, 0, 0, 0], False, False, (0, 0)),  # ties
]


@pytest.mark.parametrize("case", POOL, ids=range(len(POOL)))
def test_int_avg_pool2d(case):
    shape, kernel, strides, pads, ceil, include, (izp, ozp) = case
    x = random_ints(shape, "i8")
    if kernel == [2, 2]:  # sums ≡ 2 (mod 4): exact halves, both signs
        x[:] = RNG.integers(-30, 30, shape) * 4
        x[:, :, ::2, ::2] += 2
    want = ref.int_avg_pool2d(x, kernel, strides, pads, ceil, include, izp, ozp,
                              -128, 127)
    attrs = (f"kernel = array<i64: {kernel[0]}, {kernel[1]}>, "
             f"strides = array<i64: {strides[0]}, {strides[1]}>, "
             f"pads = array<i64: {', '.join(map(str, pads))}>, "
             f"ceil_mode = {str(ceil).lower()}, count_include_pad = {str(include).lower()}, "
             f"input_zp = {izp} : i64, output_zp = {ozp} : i64")
    exe = single_op("qopt.int_avg_pool2d {args} {{" + attrs + "}}",
                    [tensor(shape, "i8")], tensor(list(want.shape), "i8"))
    (got,) = run(exe, x)
    np.testing.assert_array_equal(got.astype(np.int64), want)


# --------------------------------------------------------------------------
# I-ViT
# --------------------------------------------------------------------------

SHIFTMAX = [
    # shape, axis, input elem, value range, scale, n, output bits, result elem
    ([64, 64], 1, "i8", None, 0.08, 15, 8, "i8"),
    ([16, 8, 32], 1, "i32", (-3000, 3000), 0.004, 15, 8, "i16"),
    ([32, 128], 1, "i16", None, 1e-3, 15, 8, "i8"),
    ([8, 4, 64], 2, "i8", (-3, 3), 0.5, 20, 16, "i16"),       # many equal maxima
    ([64, 64], 0, "i32", (-2**31, 2**31 - 1), 2**-20, 30, 8, "i32"),  # Σ clamps
    ([64, 16], 1, "i8", None, 1.7, 1, 2, "i8"),                # x0 = -1
]


@pytest.mark.parametrize("case", SHIFTMAX, ids=range(len(SHIFTMAX)))
def test_shiftmax(case):
    shape, axis, elem, rng_, scale, n, bits, out_elem = case
    x0 = math.floor(-1 / scale)
    exe = single_op(
        f"qopt.shiftmax {{args}} {{{{axis = {axis} : i64, x0 = {x0} : i64, n = {n} : i64, "
        f"output_bits = {bits} : i64}}}}",
        [tensor(shape, elem)], tensor(shape, out_elem))
    x = random_ints(shape, elem, *(rng_ or (None, None)))
    x[1] = x[1].flat[0]  # a slice of identical values
    (got,) = run(exe, x)
    want = ref.shiftmax(x, axis, x0, n, bits)
    np.testing.assert_array_equal(got.astype(np.int64), want)


SHIFT_GELU = [
    ([64, 64], "i8", None, 0.05, 23, 8),
    ([32, 128], "i16", (-3000, 3000), 2e-3, 23, 8),
    ([64, 32], "i8", (-128, -1), 0.1, 23, 8),      # rows without positives
    ([16, 64], "i16", None, 1e-3, 23, 16),          # wide σ, Σ clamps
    ([64, 16], "i8", None, 1.0, 10, 8),
]


@pytest.mark.parametrize("case", SHIFT_GELU, ids=range(len(SHIFT_GELU)))
def test_shift_gelu(case):
    shape, elem, rng_, scale, n, bits = case
    x0 = math.floor(-1 / (1.702 * scale))
    exe = single_op(
        f"qopt.shift_gelu {{args}} {{{{x0 = {x0} : i64, n = {n} : i64, "
        f"output_bits = {bits} : i64}}}}",
        [tensor(shape, elem)], tensor(shape, "i32"))
    x = random_ints(shape, elem, *(rng_ or (None, None)))
    (got,) = run(exe, x)
    np.testing.assert_array_equal(got.astype(np.int64),
                                  ref.shift_gelu(x, x0, n, bits))


LAYERNORM = [([64, 64], "i8", None, 10), ([16, 8, 96], "i16", None, 10),
             ([128, 7], "i8", (-3, 3), 10), ([32, 64], "i16", None, 64),
             ([32, 384], "i8", None, 1), ([64, 2], "i8", None, 10)]


@pytest.mark.parametrize("case", LAYERNORM, ids=range(len(LAYERNORM)))
def test_int_layernorm(case):
    shape, elem, rng_, iterations = case
    exe = single_op(
        f"qopt.int_layernorm {{args}} {{{{sqrt_iterations = {iterations} : i64}}}}",
        [tensor(shape, elem)], tensor(shape, "i32"))
    x = random_ints(shape, elem, *(rng_ or (None, None)))
    d = shape[-1]
    x[1] = 5  # variance 0
    # Rows whose sum is ≡ d/2 (mod d): the mean is a tie (even d), resolved
    # to even.
    if d % 2 == 0:
        rows = x.reshape(-1, d)[2:10]
        rows[:, :] = RNG.integers(-50, 50, rows.shape)
        for row in rows:
            row[:(d // 2 - int(row.astype(np.int64).sum())) % d] += 1
    (got,) = run(exe, x)
    np.testing.assert_array_equal(got.astype(np.int64), ref.int_layernorm(x, iterations))


# --------------------------------------------------------------------------
# qopt-integer-only, end to end
# --------------------------------------------------------------------------

def compile_integer_only(op_text, shape, in_q, out_q):
    """A quantized softmax/gelu on i8 storage, rewritten by qopt-integer-only
    and compiled for the CPU."""
    tin, tout = tensor(shape, in_q), tensor(shape, out_q)
    text = (f"func.func @main(%a0: {tensor(shape, 'i8')}) -> {tensor(shape, 'i8')} {{\n"
            f"  %q = quant.scast %a0 : {tensor(shape, 'i8')} to {tin}\n"
            f"  %r = {op_text.format(x='%q')} : ({tin}) -> {tout}\n"
            f"  %s = quant.scast %r : {tout} to {tensor(shape, 'i8')}\n"
            f"  return %s : {tensor(shape, 'i8')}\n}}\n")
    m = qopt.parse_mlir(text)
    m.run_pipeline("builtin.module(func.func(qopt-integer-only))")
    counts = m.op_counts()
    assert "qopt.softmax" not in counts and "qopt.gelu" not in counts, counts
    return m.compile_cpu()


def test_integer_only_softmax():
    shape, s_in, zp_in, s_out, zp_out = [64, 32], 0.06, 5, 1 / 256, -128
    exe = compile_integer_only(
        "qopt.softmax {x} {{axis = 1 : i64}}", shape,
        f"!quant.uniform<i8:f32, {s_in}:{zp_in}>",
        f"!quant.uniform<i8:f32, {s_out!r}:{zp_out}>")
    q = random_ints(shape, "i8")
    (got,) = run(exe, q)
    x0 = math.floor(-1 / s_in)
    m, s = ref.dyadic(2.0**-7 / s_out)
    want = ref.rescale(ref.shiftmax(q, 1, x0, 15, 8), [m], [s], None, 0, zp_out,
                       "half_up", -128, 127)
    np.testing.assert_array_equal(got.astype(np.int64), want)
    # And it is a softmax: within I-ViT's approximation of the float one.
    x = (q.astype(np.float64) - zp_in) * s_in
    p = np.exp(x - x.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    approx = (got.astype(np.float64) - zp_out) * s_out
    assert np.abs(approx - p).max() < 0.05


def test_integer_only_gelu():
    shape, s_in, zp_in, s_out, zp_out = [64, 32], 0.05, -7, 0.03, -60
    exe = compile_integer_only(
        "qopt.gelu {x}", shape, f"!quant.uniform<i8:f32, {s_in}:{zp_in}>",
        f"!quant.uniform<i8:f32, {s_out}:{zp_out}>")
    q = random_ints(shape, "i8")
    (got,) = run(exe, q)
    x0 = math.floor(-1 / (1.702 * s_in))
    m, s = ref.dyadic(s_in * 2.0**-7 / s_out)
    centred = q.astype(np.int64) - zp_in
    want = ref.rescale(ref.shift_gelu(centred, x0, 23, 8), [m], [s], None, 0,
                       zp_out, "half_up", -128, 127)
    np.testing.assert_array_equal(got.astype(np.int64), want)
    x = centred * s_in
    gelu = x / (1 + np.exp(-1.702 * x))
    approx = (got.astype(np.float64) - zp_out) * s_out
    assert np.abs(approx - np.clip(gelu, (-128 - zp_out) * s_out,
                                   (127 - zp_out) * s_out)).max() < 0.25


def test_integer_only_layer_norm():
    shape, s_in, zp_in, s_out, zp_out = [32, 64], 0.05, 4, 0.04, 2
    d = shape[-1]
    w = RNG.uniform(0.5, 1.5, d).astype(np.float32)
    b = RNG.uniform(-1, 1, d).astype(np.float32)
    fmt = lambda v: "[" + ", ".join(repr(float(t)) for t in v) + "]"  # noqa: E731
    tin = tensor(shape, f"!quant.uniform<i8:f32, {s_in}:{zp_in}>")
    tout = tensor(shape, f"!quant.uniform<i8:f32, {s_out}:{zp_out}>")
    text = (f"func.func @main(%a0: {tensor(shape, 'i8')}) -> {tensor(shape, 'i8')} {{\n"
            f"  %w = qopt.constant dense<{fmt(w)}> : tensor<{d}xf32>\n"
            f"  %b = qopt.constant dense<{fmt(b)}> : tensor<{d}xf32>\n"
            f"  %q = quant.scast %a0 : {tensor(shape, 'i8')} to {tin}\n"
            f"  %r = qopt.layer_norm %q, %w, %b {{axis = 1 : i64}} : ({tin}, tensor<{d}xf32>, "
            f"tensor<{d}xf32>) -> {tout}\n"
            f"  %s = quant.scast %r : {tout} to {tensor(shape, 'i8')}\n"
            f"  return %s : {tensor(shape, 'i8')}\n}}\n")
    m = qopt.parse_mlir(text)
    m.run_pipeline("builtin.module(func.func(qopt-integer-only))")
    assert "qopt.int_layernorm" in m.op_counts()
    exe = m.compile_cpu()
    q = random_ints(shape, "i8")
    (got,) = run(exe, q)
    # The composition the spec gives for the rewrite, in numpy.
    norm = math.sqrt(d) / 2**30
    wd, bd = w.astype(np.float64), b.astype(np.float64)
    bias_int = np.floor(bd / wd / norm).astype(np.int64)
    dyadic = [ref.dyadic(float(wc) * norm / s_out) for wc in wd]
    y = ref.saturate(ref.int_layernorm(q, 10) + bias_int, -2**31, 2**31 - 1)
    want = ref.rescale(y, [m_ for m_, _ in dyadic], [s_ for _, s_ in dyadic], 1,
                       0, zp_out, "half_up", -128, 127)
    np.testing.assert_array_equal(got.astype(np.int64), want)
    # Close to the float layer norm (I-ViT ignores epsilon).
    x = (q.astype(np.float64) - zp_in) * s_in
    mean = x.mean(axis=1, keepdims=True)
    ln = (x - mean) / np.sqrt(((x - mean) ** 2).mean(axis=1, keepdims=True)) * wd + bd
    approx = (got.astype(np.float64) - zp_out) * s_out
    clipped = np.clip(ln, (-128 - zp_out) * s_out, (127 - zp_out) * s_out)
    assert np.abs(approx - clipped).max() < 0.1
