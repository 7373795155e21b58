"""The CPU runtime's int8 GEMM and convolution kernels (lib/Runtime/Int8*.cpp),
called through their C ABI with ctypes and checked bit for bit against numpy
implementations of int_matmul and int_conv2d (docs/Numerics.md: exact sums
of (x - zp)·(w - zp), wrapped to int32) and of the convolution fused with
its rescale (qopt_rt_conv2d_nchw_s8_requant), for every instruction set this CPU
has (QOPT_ISA selects one per process) and for one and two threads."""
import ctypes
import json

import numpy as np
import pytest

from runtime_ctypes import LIB, addr, cpu_has, run_kernel_checks, strides


def load(lib=LIB):
    rt = ctypes.CDLL(lib)
    i64 = ctypes.c_int64
    rt.qopt_rt_igemm_s8.argtypes = [i64] * 15
    rt.qopt_rt_igemm_s8_batched.argtypes = [i64] * 19
    rt.qopt_rt_igemm_s8_cached.argtypes = [i64] * 17
    rt.qopt_rt_conv2d_nchw_s8.argtypes = [i64] * 25
    rt.qopt_rt_conv2d_nchw_s8_requant.argtypes = [i64] * 33
    rt.qopt_rt_igemm_s8_requant.argtypes = [i64] * 32
    rt.qopt_rt_igemm_s8_batched_requant.argtypes = [i64] * 27
    rt.qopt_rt_isa_int8.restype = ctypes.c_char_p
    return rt


def wrap32(v):
    """The int32 congruent to the exact integer array v modulo 2^32."""
    return ((np.asarray(v, dtype=np.int64) + 2**31) % 2**32 - 2**31).astype(np.int32)


def matmul_ref(a, azp, b, bzp):
    # Exact in int64: |terms| < 2^31 and K < 2^32 here.
    return (a.astype(np.int64) - azp) @ (b.astype(np.int64) - bzp)


def conv_ref(x, xzp, w, wzp, groups, stride, dilation, pads):
    """int_conv2d without bias: the input padded with its zero point."""
    x = np.pad(x.astype(np.int64), ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])),
               constant_values=xzp) - xzp
    w = w.astype(np.int64) - wzp
    n, cin, h, wd = x.shape
    f, cg, kh, kw = w.shape
    sh, sw = stride
    dh, dw = dilation
    oh = (h - dh * (kh - 1) - 1) // sh + 1
    ow = (wd - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, f, oh, ow), dtype=np.int64)
    fg = f // groups
    for g in range(groups):
        xs = x[:, g * cg:(g + 1) * cg]
        ws = w[g * fg:(g + 1) * fg]
        for ky in range(kh):
            for kx in range(kw):
                win = xs[:, :, ky * dh: ky * dh + sh * (oh - 1) + 1: sh,
                         kx * dw: kx * dw + sw * (ow - 1) + 1: sw]
                out[:, g * fg:(g + 1) * fg] += np.einsum("nchw,fc->nfhw", win, ws[:, :, ky, kx])
    return out


def rescale_ref(acc, m, s, acc_zp, out_zp, qmin, qmax):
    """docs/Numerics.md rescale (half_up) of int32 acc[n, f, ...] with the
    per-channel m[f], s[f] (int64 arrays) along axis 1, exact in Python
    integers (|v| < 2^63 fits int64, but the shifts are taken on objects to
    stay independent of numpy's int64 behaviour)."""
    out = np.empty(acc.shape, dtype=np.int8)
    it = np.nditer(acc, flags=["multi_index"])
    for x in it:
        f = it.multi_index[1]
        v = (int(x) - acc_zp) * int(m[f])
        sh = int(s[f])
        y = v if sh == 0 else (v >> sh) + ((v >> (sh - 1)) & 1)
        out[it.multi_index] = min(max(y + out_zp, qmin), qmax)
    return out


def round_half_up(v, s):
    """docs/Numerics.md's rounding shift on a Python integer."""
    return v if s == 0 else (v >> s) + ((v >> (s - 1)) & 1)


def int_add_ref(y, b, lm, ls, lzp, rm, rs, rzp, ozp):
    """docs/Numerics.md int_add of int8 y[..., n] and the int8 bias b[n]
    (broadcast), each term rounded half up, saturated to int8."""
    out = np.empty(y.shape, dtype=np.int8)
    for idx in np.ndindex(*y.shape):
        t = round_half_up((int(y[idx]) - lzp) * lm, ls) + \
            round_half_up((int(b[idx[-1]]) - rzp) * rm, rs) + ozp
        out[idx] = min(max(t, -128), 127)
    return out


def rescale_last_ref(acc, m, s, acc_zp, out_zp, qmin, qmax):
    """rescale_ref with the channel on the last axis."""
    moved = np.moveaxis(acc, -1, 1) if acc.ndim > 2 else acc
    out = rescale_ref(moved.reshape(moved.shape[0], moved.shape[1], -1), m, s,
                      acc_zp, out_zp, qmin, qmax).reshape(moved.shape)
    return np.moveaxis(out, 1, -1) if acc.ndim > 2 else out


def check_matmul_requant(rt, rng):
    """qopt_rt_igemm_s8_requant and _batched_requant against int_matmul, the
    optional int32 bias, rescale and int_add of an int8 bias (the lut
    stage: lut[y] = the int_add's first term, col_add[j] its second plus
    the output zero point), bit for bit; per-channel and per-tensor, ties,
    saturation, shifts on both sides of 32, cached operands, transposed
    operands and a strided output."""
    cases = 0
    for m, n, k, mode in [(16, 192, 64, "dyadic"), (1, 10, 64, "dyadic"), (7, 13, 5, "ties"),
                          (9, 33, 17, "half"), (16, 64, 128, "saturate"), (45, 70, 300, "tensor"),
                          (6, 40, 24, "s32"), (5, 19, 7, "shift0"), (3, 5, 1000, "dyadic"),
                          (13, 37, 9, "mixed"), (11, 48, 20, "lshift8"),
                          (10, 32, 20, "lshift9")]:
        a = int8(rng, (m, k), extremes=mode == "saturate")
        b = int8(rng, (k, n), extremes=mode == "saturate")
        azp, bzp = (-128, 0) if mode == "saturate" else (int(rng.integers(-20, 20)), 0)
        if mode == "tensor":
            bzp = 3
        ref = matmul_ref(a, azp, b, bzp)
        if mode == "ties":
            mul = np.ones(n, np.int64); sh = np.ones(n, np.int64)
        elif mode == "half":
            mul = np.full(n, 2**30, np.int64); sh = np.full(n, 31, np.int64)
        elif mode == "saturate":
            mul = rng.integers(2**30, 2**31, size=n).astype(np.int64); sh = np.full(n, 20, np.int64)
        elif mode == "s32":
            mul = rng.choice(np.array([2**30, 3 * 2**29, 2**31 - 1], np.int64), size=n)
            sh = rng.choice(np.array([32, 33], np.int64), size=n)
        elif mode == "shift0":
            mul = rng.integers(0, 3, size=n).astype(np.int64); sh = np.zeros(n, np.int64)
        elif mode == "mixed":  # one column below 32: the portable loop for the call
            mul = rng.integers(2**30, 2**31, size=n).astype(np.int64)
            sh = rng.integers(32, 41, size=n).astype(np.int64)
            sh[5] = 20
        else:
            mul = rng.integers(2**30, 2**31, size=n).astype(np.int64)
            sh = rng.integers(36, 41, size=n).astype(np.int64)
        per_tensor = mode == "tensor"
        if per_tensor:
            mul[:] = mul[0]; sh[:] = sh[0]
        mul32, sh32 = mul.astype(np.int32), sh.astype(np.int32)  # the ABI's int32[n]
        for with_bias, acc_zp, out_zp, qmin, tail in ((True, 0, -1, -128, False),
                                                      (False, 0, 17, 17, False),
                                                      (True, -3, 4, -128, True),
                                                      (False, 0, 2, -128, True)):
            if per_tensor and with_bias:
                continue
            bias = rng.integers(-2**31, 2**31, size=n, dtype=np.int64).astype(np.int32) \
                if mode == "saturate" else rng.integers(-5000, 5000, size=n).astype(np.int32)
            acc = wrap32(ref + (bias.astype(np.int64)[None, :] if with_bias else 0))
            y = rescale_last_ref(acc, mul, sh, acc_zp, out_zp, qmin, 127)
            lut = col_add = None
            expect = y
            if tail:
                # An int_add with ties (m = 2^30, s = 31 on the first term) and
                # a per-channel int8 bias; per-tensor: one bias for all.
                lm, ls, lzp = (2**30, 31, 1) if mode != "dyadic" else (2123046439, 31, 1)
                if mode == "s32":
                    lm, ls, lzp = 3 * 2**29, 32, -3
                # Small table shifts: (y - lzp)·2^(32 - ls) leaves int32 for
                # some y at 8 (the 64-bit products), not at 9 (pre-shifted).
                if mode == "lshift8":
                    lm, ls, lzp = 181, 8, 5
                if mode == "lshift9":
                    lm, ls, lzp = 347, 9, -5
                rm, rs, rzp, ozp = 1604164992, 35, 10, -2
                b8 = int8(rng, (n,), extremes=mode == "saturate")
                if per_tensor:
                    b8[:] = b8[0]
                expect = int_add_ref(y, b8, lm, ls, lzp, rm, rs, rzp, ozp)
                lut = np.array([round_half_up((v - lzp) * lm, ls) for v in range(-128, 128)],
                               np.int32)
                col_add = np.array([round_half_up((int(v) - rzp) * rm, rs) + ozp for v in b8],
                                   np.int32)
                if per_tensor:  # the constant second term folds into the table
                    lut = lut + col_add[0]
                    col_add = None
            # The lut stage read from the table, or (t_s > 0) computed as the
            # rescale it holds.
            dyadics = [(0, 0, 0)] + ([(lzp, lm, ls)] if tail and not per_tensor else [])
            for layout, (tzp, tm, ts) in [(l, d) for l in ("plain", "transposed", "strided_out")
                                          for d in dyadics]:
                aa = np.asfortranarray(a) if layout == "transposed" else a
                bb = np.asfortranarray(b) if layout == "transposed" else b
                out_full = np.zeros((m, 2 * n) if layout == "strided_out" else (m, n), np.int8)
                out = out_full[:, ::2] if layout == "strided_out" else out_full
                slot_a, slot_b = ctypes.c_void_p(0), ctypes.c_void_p(0)
                for cache in ("none", "b", "b", "a", "a"):
                    out[...] = 0
                    rt.qopt_rt_igemm_s8_requant(
                        m, n, k, addr(aa), *strides(aa), azp, addr(bb), *strides(bb), bzp,
                        addr(out), *strides(out),
                        ctypes.addressof(slot_a) if cache == "a" else 0,
                        ctypes.addressof(slot_b) if cache == "b" else 0,
                        addr(bias) if with_bias else 0, 0 if per_tensor else addr(mul32),
                        0 if per_tensor else addr(sh32), int(mul[0]), int(sh[0]), acc_zp, out_zp,
                        qmin, 127, addr(lut) if lut is not None else 0,
                        addr(col_add) if col_add is not None else 0, -128, 127, tzp, tm, ts)
                    assert np.array_equal(out, expect), (m, n, k, mode, with_bias, tail,
                                                         layout, cache, ts)
                    cases += 1
            if mode == "saturate" and qmin == -128:
                assert (y == 127).any() and (y == -128).any()
    # Batched, per tensor (the attention products), with and without a lut.
    for batch, m, n, k, ties in [(4, 16, 16, 16, False), (3, 7, 13, 5, True), (2, 1, 40, 33, False)]:
        a = int8(rng, (batch, m, k))
        b = int8(rng, (batch, k, n))
        azp, bzp = -128, 2
        ref = np.stack([matmul_ref(a[i], azp, b[i], bzp) for i in range(batch)])
        mul0, s0 = (1, 1) if ties else (1378884490, 38)
        y = rescale_ref(wrap32(ref).reshape(batch, 1, -1), np.array([mul0]), np.array([s0]),
                        0, 6, -128, 127).reshape(ref.shape)
        for with_lut in (False, True):
            lut = np.array([max(v, 0) * 2 - 3 for v in range(-128, 128)], np.int32)
            expect = np.clip(lut[y.astype(np.int64) + 128], -100, 90).astype(np.int8) \
                if with_lut else y
            bt = np.ascontiguousarray(np.swapaxes(b, 1, 2))  # B read transposed
            out = np.zeros((batch, m, n), np.int8)
            rt.qopt_rt_igemm_s8_batched_requant(
                batch, m, n, k, addr(a), *strides(a), azp, addr(bt), bt.strides[0],
                bt.strides[2], bt.strides[1], bzp, addr(out), *strides(out), mul0, s0, 0, 6,
                -128, 127, addr(lut) if with_lut else 0, -100 if with_lut else -128,
                90 if with_lut else 127)
            assert np.array_equal(out, expect), (batch, m, n, k, with_lut)
            cases += 1
        if ties:
            assert (wrap32(ref) % 2 != 0).any()
    return cases


def int8(rng, shape, extremes=False):
    if extremes:
        return rng.choice(np.array([-128, 127], dtype=np.int8), size=shape)
    return rng.integers(-128, 128, size=shape, dtype=np.int8)


def rescale_params(rng, mode, f):
    """Per-channel multipliers and shifts (int64 arrays of f) for a
    requantization test mode: ties (m = s = 1 on odd sums), half (m = 2^30,
    s = 31), saturate (large m, s = 20), s32 (shifts 32 and 33: the vector
    epilogue's rounding bit from the low, then the high half of the product;
    small multipliers put many values on ties), shift0, tensor (one m and s
    for all channels), otherwise dyadic (s 36 to 40)."""
    if mode == "ties":
        m, s = np.ones(f, np.int64), np.ones(f, np.int64)
    elif mode == "half":
        m, s = np.full(f, 2**30, np.int64), np.full(f, 31, np.int64)
    elif mode == "saturate":
        m = rng.integers(2**30, 2**31, size=f).astype(np.int64)
        s = np.full(f, 20, np.int64)
    elif mode == "s32":
        m = rng.choice(np.array([2**30, 3 * 2**29, 2**31 - 1], np.int64), size=f)
        s = rng.choice(np.array([32, 33], np.int64), size=f)
    elif mode == "shift0":
        m = rng.integers(0, 3, size=f).astype(np.int64)
        s = np.zeros(f, np.int64)
    else:
        m = rng.integers(2**30, 2**31, size=f).astype(np.int64)
        s = rng.integers(36, 41, size=f).astype(np.int64)
    if mode == "tensor":
        m[:], s[:] = m[0], s[0]
    return m, s


def check_conv_requant(rt, rng, x, xzp, w, wzp, groups, stride, dilation, pads, mode):
    """qopt_rt_conv2d_nchw_s8_requant against int_conv2d + bias then rescale
    (in Python integers), bit for bit: the multipliers and shifts of `mode`
    (rescale_params; x and w at their extremes for saturate), with and
    without bias (a bias that wraps the sum for saturate), a ReLU-style qmin,
    an accumulator zero point; uncached, then twice through the weight
    slot. Returns the number of calls (9)."""
    n, cin, h, wd = x.shape
    f, cg, kh, kw = w.shape
    ref = conv_ref(x, xzp, w, wzp, groups, stride, dilation, pads)
    oh, ow = ref.shape[2:]
    m, s = rescale_params(rng, mode, f)
    per_tensor = mode == "tensor"
    cases = 0
    for with_bias, acc_zp, out_zp, qmin in ((True, 0, -1, -128), (False, 0, 17, 17),
                                             (True, -3, 4, -128)):
        bias = rng.integers(-2**31, 2**31, size=f, dtype=np.int64).astype(np.int32) \
            if mode == "saturate" else rng.integers(-5000, 5000, size=f).astype(np.int32)
        acc = wrap32(ref + (bias.astype(np.int64)[None, :, None, None] if with_bias else 0))
        expect = rescale_ref(acc, m, s, acc_zp, out_zp, qmin, 127)
        slot = ctypes.c_void_p(0)
        for cached in (False, True, True):
            out = np.zeros(ref.shape, dtype=np.int8)
            rt.qopt_rt_conv2d_nchw_s8_requant(
                addr(x), addr(w), addr(out), n, groups, cg, h, wd, f // groups, kh, kw, oh,
                ow, stride[0], stride[1], dilation[0], dilation[1], *pads, xzp, wzp,
                ctypes.addressof(slot) if cached else 0, addr(bias) if with_bias else 0,
                0 if per_tensor else addr(m), 0 if per_tensor else addr(s), int(m[0]),
                int(s[0]), acc_zp, out_zp, qmin, 127)
            assert np.array_equal(out, expect), (x.shape, w.shape, mode, with_bias, acc_zp,
                                                 cached)
            cases += 1
    if mode == "ties":
        assert (acc % 2 != 0).any()  # odd sums: halves to round
    if mode == "saturate":
        assert (expect == 127).any() and (expect == -128).any()
    return cases


def check_all():
    """Runs every case in this process; prints a JSON summary."""
    rt = load()
    rng = np.random.default_rng(0)
    cases = 0
    # Sizes around the tiles (4×8, 6×16, 8×32), odd K (a half k-pair), one
    # row/column; zero points 0, the int8 extremes, the u8-style 128 and the
    # limits of the kernels' range; operands at the extremes -128/127.
    zps = [(0, 0), (-128, 127), (127, -128), (3, -1), (128, 0), (-32640, 32639)]
    shapes = [(1, 1, 1), (7, 13, 5), (6, 16, 3), (8, 32, 17), (9, 33, 2),
              (1, 200, 63), (45, 70, 300), (64, 196, 576), (3, 5, 1000)]
    for si, (m, n, k) in enumerate(shapes):
        for zi, (azp, bzp) in enumerate(zps):
            extremes = (si + zi) % 2 == 1
            for layout in ["plain", "transposed", "strided", "rowpadded"]:
                a = int8(rng, (m, k), extremes)
                b = int8(rng, (k, n), extremes)
                if layout == "rowpadded":
                    # Unit column stride, row stride k + 5 (a slice of a
                    # wider matrix): the vector packing of contiguous rows.
                    a = int8(rng, (m, k + 5), extremes)[:, 2:k + 2]
                elif layout == "transposed":
                    a = np.ascontiguousarray(a.T).T
                    b = np.ascontiguousarray(b.T).T
                elif layout == "strided":
                    a = int8(rng, (m, 2 * k), extremes)[:, ::2]
                    b = int8(rng, (k + 3, n), extremes)[3:]
                for accumulate in (False, True):
                    c0 = rng.integers(-2**31, 2**31, size=(m, n), dtype=np.int64).astype(np.int32)
                    c = c0.copy()
                    rt.qopt_rt_igemm_s8(m, n, k, addr(a), *strides(a), azp, addr(b),
                                        *strides(b), bzp, addr(c), *strides(c),
                                        int(accumulate))
                    ref = matmul_ref(a, azp, b, bzp)
                    if accumulate:
                        ref = ref + c0
                    assert np.array_equal(c, wrap32(ref)), (m, n, k, azp, bzp, layout, accumulate)
                    cases += 1
    # Wrap-around: (-128 - 32639)·(127 + 32640) ≈ -2^30 per term, summed over
    # K = 64 terms, leaves int32 many times.
    a = np.full((5, 64), -128, dtype=np.int8)
    b = np.full((64, 7), 127, dtype=np.int8)
    c = np.zeros((5, 7), dtype=np.int32)
    rt.qopt_rt_igemm_s8(5, 7, 64, addr(a), *strides(a), 32639, addr(b), *strides(b),
                        -32640, addr(c), *strides(c), 0)
    ref = matmul_ref(a, 32639, b, -32640)
    assert np.abs(ref).max() > 2**31
    assert np.array_equal(c, wrap32(ref))
    cases += 1
    # A strided (column-major) output.
    a = int8(rng, (9, 7))
    b = int8(rng, (7, 20))
    c = np.zeros((20, 9), dtype=np.int32).T
    rt.qopt_rt_igemm_s8(9, 20, 7, addr(a), *strides(a), 5, addr(b), *strides(b), -3,
                        addr(c), *strides(c), 0)
    assert np.array_equal(c, wrap32(matmul_ref(a, 5, b, -3)))
    cases += 1
    # Batched.
    a = int8(rng, (3, 17, 9))
    b = int8(rng, (3, 9, 21))
    c = np.zeros((3, 17, 21), dtype=np.int32)
    rt.qopt_rt_igemm_s8_batched(3, 17, 21, 9, addr(a), *strides(a), -7, addr(b),
                                *strides(b), 2, addr(c), *strides(c), 0)
    assert np.array_equal(c, wrap32(matmul_ref(a, -7, b, 2)))
    cases += 1
    # Constant operands packed once (qopt_rt_igemm_s8_cached): A cached, or
    # B cached (multiplied as C^T = B^T·A^T); three calls per slot with a new
    # other operand each time, overwrite and accumulate, transposed views.
    for m, n, k, which, layout in [(16, 192, 64, "b", "plain"), (7, 13, 5, "b", "plain"),
                                   (9, 33, 17, "a", "plain"), (16, 64, 128, "b", "transposed"),
                                   (1, 10, 64, "b", "plain"), (45, 70, 300, "a", "transposed")]:
        azp, bzp = (-2, 0) if which == "b" else (0, 5)
        const = int8(rng, (m, k) if which == "a" else (k, n))
        if layout == "transposed":
            const = np.ascontiguousarray(const.T).T
        slot = ctypes.c_void_p(0)
        for call in range(3):
            other = int8(rng, (k, n) if which == "a" else (m, k))
            a, b = (const, other) if which == "a" else (other, const)
            accumulate = call == 1
            c0 = rng.integers(-2**31, 2**31, size=(m, n), dtype=np.int64).astype(np.int32)
            c = c0.copy()
            rt.qopt_rt_igemm_s8_cached(m, n, k, addr(a), *strides(a), azp, addr(b),
                                       *strides(b), bzp, addr(c), *strides(c),
                                       ctypes.addressof(slot) if which == "a" else 0,
                                       ctypes.addressof(slot) if which == "b" else 0,
                                       int(accumulate))
            ref = matmul_ref(a, azp, b, bzp) + (c0 if accumulate else 0)
            assert np.array_equal(c, wrap32(ref)), (m, n, k, which, layout, call)
            assert slot.value  # the packed operand stays in the slot
            cases += 1
    # Convolutions: 1×1 (no im2col), strided, dilated, padded (padding holds
    # the input zero point), grouped, depthwise, batches; overwrite and
    # accumulate (a bias stored in the output first), with and without the
    # packed-weight cache.
    for n, groups, cg, fg, h, wd, kh, kw, stride, dil, pads, xzp, wzp in [
            (1, 1, 16, 32, 14, 14, 1, 1, (1, 1), (1, 1), (0, 0, 0, 0), -14, 0),
            (1, 1, 16, 8, 6, 5, 1, 1, (1, 1), (1, 1), (1, 0, 2, 1), 127, 0),
            (2, 1, 3, 8, 17, 15, 3, 3, (2, 2), (1, 1), (0, 0, 0, 0), -128, 3),
            (2, 1, 3, 8, 17, 15, 3, 3, (2, 2), (1, 1), (1, 1, 1, 1), -55, 0),
            (1, 1, 5, 7, 20, 20, 3, 2, (1, 2), (2, 1), (2, 0, 1, 3), 19, -2),
            (1, 1, 3, 4, 9, 9, 7, 7, (2, 2), (1, 1), (3, 3, 3, 3), 0, 0),
            (1, 1, 16, 32, 28, 28, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), -1, 0),
            (1, 2, 4, 6, 9, 9, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), 8, 1),
            (2, 12, 1, 1, 13, 13, 3, 3, (2, 2), (1, 1), (1, 1, 1, 1), -3, 0),
            # Stride 2 over rows of more than 16 outputs (several 32-byte
            # reads per row in the im2col), ResNet's first convolution's form.
            (1, 1, 3, 8, 40, 70, 7, 7, (2, 2), (1, 1), (3, 3, 3, 3), 7, 0)]:
        x = int8(rng, (n, groups * cg, h, wd), extremes=cg == 3)
        w = int8(rng, (groups * fg, cg, kh, kw))
        ref = conv_ref(x, xzp, w, wzp, groups, stride, dil, pads)
        oh, ow = ref.shape[2:]
        slot = ctypes.c_void_p(0)
        for accumulate, cached in ((False, False), (True, False), (False, True), (True, True)):
            out0 = rng.integers(-2**20, 2**20, size=ref.shape, dtype=np.int32)
            out = out0.copy()
            rt.qopt_rt_conv2d_nchw_s8(addr(x), addr(w), addr(out), n, groups, cg, h, wd,
                                      fg, kh, kw, oh, ow, stride[0], stride[1], dil[0],
                                      dil[1], *pads, xzp, wzp,
                                      ctypes.addressof(slot) if cached else 0,
                                      int(accumulate))
            expect = wrap32(ref + (out0 if accumulate else 0))
            assert np.array_equal(out, expect), (n, groups, cg, fg, pads, accumulate, cached)
            cases += 1
    # The fused requantizing convolution against int_conv2d + bias then
    # rescale: per-channel and per-tensor scales, with and without bias,
    # ReLU-style qmin, a nonzero accumulator zero point, groups; shift 0,
    # ties at .5 (m = 1, s = 1 on odd sums; m = 2^30, s = 31 or 32), shifts of
    # 32 and more (the vector epilogue) and below (the portable one), saturation at
    # both ends (large multipliers), and sums that wrap with the bias.
    for n, groups, cg, fg, h, wd, kh, kw, stride, pads, xzp, wzp, mode in [
            (1, 1, 16, 32, 14, 14, 3, 3, (1, 1), (1, 1, 1, 1), -14, 0, "dyadic"),
            (1, 1, 1, 16, 28, 28, 3, 3, (1, 1), (1, 1, 1, 1), -55, 0, "ties"),
            (2, 1, 3, 8, 17, 15, 3, 3, (2, 2), (0, 1, 2, 0), 19, -2, "half"),
            (1, 1, 16, 32, 14, 14, 1, 1, (1, 1), (0, 0, 0, 0), 5, 0, "saturate"),
            (1, 1, 32, 64, 7, 7, 1, 1, (2, 2), (0, 0, 0, 0), 19, 0, "tensor"),
            (1, 2, 4, 6, 9, 9, 3, 3, (1, 1), (1, 1, 1, 1), 8, 1, "dyadic"),
            (1, 1, 8, 7, 5, 5, 3, 3, (1, 1), (1, 1, 1, 1), -128, 127, "shift0"),
            (1, 1, 16, 24, 9, 9, 3, 3, (1, 1), (1, 1, 1, 1), 2, 0, "s32")]:
        x = int8(rng, (n, groups * cg, h, wd), extremes=mode == "saturate")
        w = int8(rng, (groups * fg, cg, kh, kw), extremes=mode == "saturate")
        cases += check_conv_requant(rt, rng, x, xzp, w, wzp, groups, stride, (1, 1), pads,
                                    mode)
    cases += check_matmul_requant(rt, rng)
    print(json.dumps({"isa": rt.qopt_rt_isa_int8().decode(), "cases": cases}))


ISAS = [("generic", True), ("avx2", cpu_has("avx2")),
        ("avxvnni", cpu_has("avx2") and cpu_has("avx_vnni")),
        ("avx512", cpu_has("avx512f") and cpu_has("avx512bw")),
        ("avx512vnni", cpu_has("avx512f") and cpu_has("avx512bw") and cpu_has("avx512_vnni"))]


@pytest.mark.parametrize("isa,available", ISAS, ids=[i for i, _ in ISAS])
@pytest.mark.parametrize("threads", [1, 2])
def test_int8_kernels_match_numpy(isa, available, threads):
    if not available:
        pytest.skip(f"this CPU has no {isa}")
    summary = run_kernel_checks(__file__, isa, threads)
    assert summary["isa"] == isa
    assert summary["cases"] == (9 * 6 * 4 * 2 + 3 + 6 * 3 + 10 * 4 + 8 * 3 * 3
                                + (11 * 6 + 2) * 3 * 5 + 3 * 2)  # every case ran


if __name__ == "__main__":
    check_all()
