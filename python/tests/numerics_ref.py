"""numpy implementations of qopt's quantization and integer-only ops, written
from docs/Numerics.md alone (not from the C++ lowering).

Where the spec's values can exceed 64 bits in principle, the arithmetic runs
on Python integers (numpy object arrays), so these functions are exact by
construction and do not repeat the overflow-avoiding tricks of the lowering.
"""
import math
from fractions import Fraction

import numpy as np

INT31_MAX = 2**31 - 1


def exact(a):
    """An object array of Python ints (exact arithmetic)."""
    return np.asarray(a).astype(np.int64).astype(object)


def wrap32(v):
    """Two's-complement int32 of integer values."""
    v = np.asarray(v).astype(object)
    return np.array(((v + 2**31) % 2**32) - 2**31, dtype=np.int64).astype(np.int32)


def round_shift(v, s, mode):
    """v / 2^s rounded with `mode` ("Rounding a rational to an integer")."""
    v, s = int(v), int(s)
    if s == 0:
        return v
    if mode == "floor":
        return v >> s
    if mode == "half_up":
        return (v + 2**(s - 1)) >> s  # TOSA's definition
    assert mode == "half_even"
    r = Fraction(v, 2**s)
    return round(r)  # Python rounds a Fraction half to even, exactly


round_shift_v = np.vectorize(round_shift, otypes=[object])


def saturate(v, lo, hi):
    return np.minimum(np.maximum(v, lo), hi)


# --------------------------------------------------------------------------
# Dyadic numbers
# --------------------------------------------------------------------------

def dyadic(r):
    """(m, s) with r ≈ m / 2^s ("Dyadic numbers")."""
    assert r >= 0 and math.isfinite(r) and r < 2**31
    if r == 0:
        return 0, 0
    f, e = math.frexp(r)
    x = math.ldexp(f, 31)
    m = int(math.floor(x + 0.5))  # half away from zero; x > 0
    if m == 2**31:
        m, e = 2**30, e + 1
    s = 31 - e
    if s > 62:
        m, s = int(math.floor(math.ldexp(r, 62) + 0.5)), 62
    return m, s


# --------------------------------------------------------------------------
# Quantization ops
# --------------------------------------------------------------------------

def quantize(x, scale, zp, qmin, qmax, axis=None):
    """quantize in f32. `scale`/`zp` are scalars or per-`axis` lists."""
    x = np.asarray(x, dtype=np.float32)
    scale = np.asarray(scale, dtype=np.float64).astype(np.float32)
    zp = np.asarray(zp, dtype=np.float64).astype(np.float32)
    if axis is not None:
        shape = [1] * x.ndim
        shape[axis] = -1
        scale, zp = scale.reshape(shape), zp.reshape(shape)
    with np.errstate(all="ignore"):
        t = (x / scale).astype(np.float32)
        t = np.rint(t).astype(np.float32)  # ties to even
        t = (t + zp).astype(np.float32)
        t = np.where(np.isnan(t), np.float32(qmin),
                     np.clip(t, np.float32(qmin), np.float32(qmax)))
    return t.astype(np.int64)


def dequantize(q, scale, zp, axis=None):
    q = np.asarray(q).astype(np.int32)
    scale = np.asarray(scale, dtype=np.float64).astype(np.float32)
    zp = np.asarray(zp, dtype=np.int32)
    if axis is not None:
        shape = [1] * q.ndim
        shape[axis] = -1
        scale, zp = scale.reshape(shape), zp.reshape(shape)
    return (q - zp).astype(np.float32) * scale


def requantize(q, in_scales, in_zps, out_scales, out_zps, qmin, qmax,
               axis=None):
    """Per tensor: one-element lists; per axis: lists along `axis`."""
    q = exact(q)
    channels = max(len(in_scales), len(out_scales))
    out = np.empty(q.shape, dtype=object)
    for c in range(channels):
        si, zi = in_scales[c % len(in_scales)], in_zps[c % len(in_zps)]
        so, zo = out_scales[c % len(out_scales)], out_zps[c % len(out_zps)]
        m, s = dyadic(si / so)
        index = (slice(None),) * axis + (c,) if axis is not None else Ellipsis
        v = (q[index] - zi) * m
        out[index] = round_shift_v(v, s, "half_even") + zo
    return saturate(out, qmin, qmax).astype(np.int64)


# --------------------------------------------------------------------------
# Integer-only ops
# --------------------------------------------------------------------------

def rescale(x, multipliers, shifts, axis, input_zp, output_zp, rounding,
            qmin, qmax):
    x = exact(x)
    out = np.empty(x.shape, dtype=object)
    if len(multipliers) == 1:
        out[...] = round_shift_v((x - input_zp) * multipliers[0], shifts[0],
                                 rounding)
    else:
        for c, (m, s) in enumerate(zip(multipliers, shifts)):
            index = (slice(None),) * axis + (c,)
            out[index] = round_shift_v((x[index] - input_zp) * m, s, rounding)
    return saturate(out + output_zp, qmin, qmax).astype(np.int64)


def float_rescale(x, multipliers, divisor, axis, input_zp, output_zp, qmin,
                  qmax):
    """ONNX Runtime's requantization in f32 (docs/Numerics.md,
    float_rescale): f32(x - input_zp)·m[c] (/ divisor), ties to even."""
    v = np.asarray(x).astype(np.int64) - np.int64(input_zp)
    t = v.astype(np.float32)  # int64 -> f32 rounds to nearest even
    m = np.asarray(multipliers, dtype=np.float32)
    if len(multipliers) > 1:
        shape = [1] * t.ndim
        shape[axis] = -1
        m = m.reshape(shape)
    t = (t * m).astype(np.float32)
    if divisor is not None:
        t = (t / np.float32(divisor)).astype(np.float32)
    t = np.rint(t).astype(np.float32)
    t = (t + np.float32(output_zp)).astype(np.float32)
    t = np.clip(t, np.float32(qmin), np.float32(qmax))
    return np.clip(t.astype(np.int64), qmin, qmax)


def int_add(lhs, rhs, lm, ls, rm, rs, lzp, rzp, ozp, rounding, qmin, qmax):
    lhs, rhs = np.broadcast_arrays(exact(lhs), exact(rhs))
    a = round_shift_v((lhs - lzp) * lm, ls, rounding)
    b = round_shift_v((rhs - rzp) * rm, rs, rounding)
    return saturate(a + b + ozp, qmin, qmax).astype(np.int64)


def int_matmul(lhs, rhs, lzp, rzp):
    a = np.asarray(lhs, dtype=np.int64) - lzp
    b = np.asarray(rhs, dtype=np.int64) - rzp
    return wrap32(np.matmul(a, b))


def int_conv2d(x, w, bias, strides, pads, dilations, group, xzp, wzp):
    x = np.asarray(x, dtype=np.int64)
    w = np.asarray(w, dtype=np.int64)
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    top, left, bottom, right = pads
    # Padded positions hold the input zero point (contribute zero).
    xp = np.full((n, c, h + top + bottom, wd + left + right), xzp, np.int64)
    xp[:, :, top:top + h, left:left + wd] = x
    sh, sw = strides
    dh, dw = dilations
    oh = (xp.shape[2] - dh * (kh - 1) - 1) // sh + 1
    ow = (xp.shape[3] - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, f, oh, ow), np.int64)
    fg = f // group
    for g in range(group):
        xs = xp[:, g * cg:(g + 1) * cg] - xzp
        ws = w[g * fg:(g + 1) * fg] - wzp
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, :, i * dh:i * dh + sh * (oh - 1) + 1:sh,
                           j * dw:j * dw + sw * (ow - 1) + 1:sw]
                out[:, g * fg:(g + 1) * fg] += np.einsum(
                    "nchw,fc->nfhw", patch, ws[:, :, i, j])
    if bias is not None:
        out += np.asarray(bias, np.int64).reshape(1, f, 1, 1)
    return wrap32(out)


def int_avg_pool2d(x, kernel, strides, pads, ceil_mode, include_pad, izp,
                   ozp, qmin, qmax):
    x = np.asarray(x, dtype=np.int64)
    n, c, h, w = x.shape
    out_dims = []
    for i, size in enumerate((h, w)):
        span = size + pads[i] + pads[2 + i] - kernel[i]
        q = -(-span // strides[i]) if ceil_mode else span // strides[i]
        # qopt.avg_pool2d's shape rule: no window starts in the end padding.
        if ceil_mode and q * strides[i] >= size + pads[i]:
            q -= 1
        out_dims.append(q + 1)
    out = np.zeros((n, c, *out_dims), dtype=np.int64)
    for oh in range(out_dims[0]):
        for ow in range(out_dims[1]):
            r0, c0 = oh * strides[0] - pads[0], ow * strides[1] - pads[1]
            rows = range(max(r0, 0), min(r0 + kernel[0], h))
            cols = range(max(c0, 0), min(c0 + kernel[1], w))
            s = np.zeros((n, c), dtype=np.int64)
            for r in rows:
                for cc in cols:
                    s += x[:, :, r, cc] - izp
            if include_pad:
                ch = min(r0 + kernel[0], h + pads[2]) - max(r0, -pads[0])
                cw = min(c0 + kernel[1], w + pads[3]) - max(c0, -pads[1])
            else:
                ch, cw = len(rows), len(cols)
            count = max(ch * cw, 1)
            # S/count rounded half up, exactly.
            out[:, :, oh, ow] = [[math.floor(Fraction(int(v), count) + Fraction(1, 2))
                                  for v in row] for row in s]
    return saturate(out + ozp, qmin, qmax)


# --------------------------------------------------------------------------
# I-ViT
# --------------------------------------------------------------------------

def shift_exp(x, x0, n):
    """ShiftExp of integers x <= 0 (exact int64: the spec bounds every value
    below 2^62)."""
    x = np.asarray(x, dtype=np.int64)
    t = x + x // 2 - x // 16
    t = np.maximum(t, n * x0)
    q = t // x0  # floor division
    r = t - x0 * q
    assert ((0 <= q) & (q <= n)).all() and ((x0 < r) & (r <= 0)).all()
    return ((r - 2 * x0) * (np.int64(1) << (n - q))) // 2


def _normalise(e, total, bits):
    f = INT31_MAX // total
    return np.minimum((e * f) >> (32 - bits), 2**(bits - 1) - 1)


def shiftmax(x, axis, x0, n, bits):
    x = np.asarray(x, dtype=np.int64)
    d = x - x.max(axis=axis, keepdims=True)
    e = exact(shift_exp(d, x0, n))
    total = np.minimum(e.sum(axis=axis, keepdims=True), INT31_MAX)
    return _normalise(e, total, bits).astype(np.int64)


def shift_gelu(x, x0, n, bits):
    x = np.asarray(x, dtype=np.int64)
    m = np.maximum(x.max(axis=-1, keepdims=True), 0)
    e = exact(shift_exp(x - m, x0, n))
    em = exact(shift_exp(-m, x0, n))
    total = np.minimum(e + em, INT31_MAX)
    sigma = _normalise(e, total, bits)
    return (exact(x) * sigma).astype(np.int64)


def int_layernorm(x, iterations):
    x = np.asarray(x, dtype=np.int64)
    d = x.shape[-1]
    sums = x.sum(axis=-1)
    mean = np.array([round(Fraction(int(s), d)) for s in sums.ravel()],
                    dtype=np.int64).reshape(sums.shape)[..., None]
    y = x - mean
    var = (y * y).sum(axis=-1, keepdims=True)
    k = np.full(var.shape, 2**16, dtype=np.int64)
    for _ in range(iterations):
        k = np.maximum((k + var // k) // 2, 1)
    f = INT31_MAX // k
    return saturate((y * f) // 2, -2**31, 2**31 - 1)
