"""1x1 stride-1 convolutions (lib/Runtime/Pointwise.cpp) and the fast clamps
of the convolution epilogue (fastClamps in lib/Runtime/Microkernels.h).

The pointwise kernel reads its columns of x itself and applies the epilogue
in registers, but must compute what qopt_rt_sgemm (which packs x) followed
by the epilogue's steps in float32 computes, bit for bit: the same K slabs
in the same order. So each case here compares, with ==, the convolution
against qopt_rt_sgemm on the same operands plus the epilogue in numpy, and
the sums against float64 numpy within rounding. Shapes: filters not a
multiple of the 6-row (AVX2) or 8-row (AVX-512) tile, 1 to 4 columns
past the last whole vector (matrix-vector products), columns 1 to 8
(8-wide tail tile), 9 to 15 (16-wide masked), 16 to 32 (AVX-512's one- and
two-vector tiles, masked and whole), more than one 512-column block, MobileNetV2's 49 and 196
columns, depths of one, two and three 256-deep slabs; accumulate, groups,
batches, the cached packed weights; clamp bounds of +0 and -0 (the bounds
the fast clamps must leave to maximumf/minimumf), 6, and NaN and signed
zero inputs. Run per ISA and thread count as a script (run_kernel_checks):
on ISAs without the kernel the convolution is sgemm itself.
"""
import ctypes
import json

import numpy as np
import pytest

from runtime_ctypes import addr, cpu_has, load_conv_runtime as load, maximumf, minimumf, run_kernel_checks

BIAS, BIAS_SCALAR, MIN, MAX, RESIDUAL = 1, 2, 4, 8, 16




def epilogue(v, flags, bias, scalar, residual, lo, hi):
    """The epilogue's steps in float32, as the separate loop computed them."""
    if flags & BIAS:
        v = (v + bias[None, :, None, None]).astype(np.float32)
    if flags & BIAS_SCALAR:
        v = (v + scalar).astype(np.float32)
    if flags & RESIDUAL:
        v = (residual + v).astype(np.float32)
    if flags & MIN:
        v = maximumf(v, lo)
    if flags & MAX:
        v = minimumf(v, hi)
    return v


def same_bits(a, b):
    return a.shape == b.shape and np.array_equal(a.view(np.uint32), b.view(np.uint32))


def sgemm_conv(rt, x, w, groups, start=None):
    """The 1x1 convolution as qopt_rt_sgemm products, image by image, group
    by group (added to `start` by sgemm's accumulate if given)."""
    n, c, h, wd = x.shape
    f = w.shape[0]
    cg, fg = c // groups, f // groups
    out = np.empty((n, f, h, wd), np.float32) if start is None else start.copy()
    for i in range(n):
        for g in range(groups):
            a = np.ascontiguousarray(w[g * fg:(g + 1) * fg, :, 0, 0])
            b = np.ascontiguousarray(x[i, g * cg:(g + 1) * cg].reshape(cg, h * wd))
            rt.qopt_rt_sgemm(fg, h * wd, cg, addr(a), cg, 1, addr(b), h * wd, 1,
                             addr(out[i, g * fg]), h * wd, 1, int(start is not None))
    return out


CASES = [  # n, groups, c (per group), f (per group), h, w
    (1, 1, 24, 144, 56, 56),   # MobileNetV2 expansion
    (1, 1, 160, 960, 7, 7),    # 49 columns: three 16-wide tiles and a 1-wide
    (1, 1, 576, 96, 14, 14),   # 196 columns, three K slabs
    (1, 1, 256, 7, 4, 4),      # one full slab, 7 rows
    (1, 1, 257, 13, 3, 5),     # a slab and one more k
    (1, 1, 1, 5, 1, 1),        # one element
    (1, 1, 3, 1, 3, 3),        # one filter, 9 columns (masked 16-wide)
    (1, 1, 16, 12, 1, 8),      # exactly one 8-wide tile
    (1, 1, 16, 6, 1, 16),      # exactly one tile
    (1, 1, 8, 17, 5, 3),       # 15 columns
    (1, 1, 40, 23, 30, 41),    # 1230 columns: several blocks, ragged end
    (1, 1, 700, 10, 9, 10),    # deep: blocks narrower than 512 columns
    (2, 1, 32, 16, 12, 12),    # a batch
    (1, 3, 8, 7, 6, 6),        # groups (no weight cache)
    # AVX-512's 8x32 tiles: 24 columns (second vector masked to 8), exactly
    # one 32-wide tile with 17 filters (8-row tail of 1), 16 columns (one
    # full 16-wide vector), 31 columns of a 33-deep product.
    (1, 1, 16, 9, 4, 6),
    (1, 1, 12, 17, 1, 32),
    (1, 1, 20, 8, 2, 8),
    (1, 1, 33, 11, 1, 31),
    # 1 to 4 columns past the last whole vector (8 lanes on AVX2, 16 on
    # AVX-512) are matrix-vector products of 8 row panels at a time: 35
    # columns (3 past 32), 20 (4 past 16), 18 (2), 17 (1); 61 filters
    # (11 or 8 row panels: a partial group, a ragged last panel), three K
    # slabs; 12 columns (4 past 8 on AVX2; one masked vector on AVX-512);
    # 14 rows of 8 panels and one more (AVX2 with 97 filters).
    (1, 1, 600, 61, 5, 7),
    (1, 1, 300, 61, 4, 5),
    (1, 1, 40, 97, 2, 9),
    (1, 1, 17, 50, 1, 17),
    (1, 1, 513, 23, 3, 4),
    (2, 1, 70, 130, 5, 7),
]


def check_all():
    rt = load()
    rng = np.random.default_rng(7)
    cases = 0
    for n, groups, cg, fg, h, wd in CASES:
        c, f = groups * cg, groups * fg
        x = rng.standard_normal((n, c, h, wd), dtype=np.float32)
        w = rng.standard_normal((f, cg, 1, 1), dtype=np.float32)
        # Zero inputs give exact ±0 sums, NaN inputs NaN sums.
        x[:, 0] = 0.0
        if c > 1 and h * wd > 2:
            x[0, 1, 0, 1] = np.nan
        plain = sgemm_conv(rt, x, w, groups)
        if groups == 1:  # the product itself, against float64
            ref = np.einsum("fc,ncp->nfp", w[:, :, 0, 0].astype(np.float64),
                            x.reshape(n, c, h * wd).astype(np.float64)).reshape(plain.shape)
            finite = np.isfinite(ref)
            tol = 1e-5 * np.sqrt(cg) * (1 + np.abs(ref[finite]).max())
            assert np.abs(plain[finite] - ref[finite]).max() <= tol
            assert np.array_equal(np.isnan(plain), ~finite)
        slot = ctypes.c_void_p(0)
        args = lambda out, cached: (addr(x), addr(w), addr(out), n, groups, cg, h, wd, fg,
                                    1, 1, h, wd, 1, 1, 1, 1, 0, 0, 0, 0,
                                    ctypes.addressof(slot) if cached else 0)
        # Overwrite and accumulate, with and without the slot (twice: packed
        # on the first call, read after).
        for cached in (False, True, True):
            out = np.full(plain.shape, 5.0, np.float32)
            rt.qopt_rt_conv2d_nchw_f32(*args(out, cached), 0)
            assert same_bits(out, plain), (n, groups, cg, fg, h, wd, cached)
            start = rng.standard_normal(plain.shape).astype(np.float32)
            out = start.copy()
            rt.qopt_rt_conv2d_nchw_f32(*args(out, cached), 1)
            assert same_bits(out, sgemm_conv(rt, x, w, groups, start)), (n, cg, fg, h, wd)
            cases += 2
        bias = rng.standard_normal(f).astype(np.float32)
        bias[0] = -0.0
        residual = rng.standard_normal(plain.shape).astype(np.float32)
        residual.flat[::11] = -0.0
        for flags, lo, hi in [(BIAS | MIN | MAX, 0.0, 6.0), (MIN | MAX, 0.0, 6.0),
                              (MIN | MAX, -0.0, 0.0), (MIN, -0.0, 0.0), (MAX, 0.0, 0.0),
                              (MAX, 0.0, -0.0), (BIAS | RESIDUAL | MIN | MAX, -0.5, 0.5),
                              (BIAS_SCALAR | MIN, 0.25, 0.0), (RESIDUAL, 0.0, 0.0),
                              (MIN | MAX, np.nan, 1.0), (MIN | MAX, -1.0, np.nan)]:
            scalar = np.float32(-0.0)
            expect = epilogue(plain, flags, bias, scalar, residual, np.float32(lo),
                              np.float32(hi))
            out = np.full(plain.shape, 123.0, np.float32)
            rt.qopt_rt_conv2d_nchw_f32_epilogue(*args(out, True), addr(bias), float(scalar),
                                                addr(residual), lo, hi, flags)
            # NaN payloads aside, every bit: NaN where numpy has NaN, signed
            # zeros where it has them.
            nan = np.isnan(expect)
            assert np.array_equal(np.isnan(out), nan), (n, cg, fg, h, wd, flags, lo, hi)
            assert same_bits(out[~nan], expect[~nan]), (n, cg, fg, h, wd, flags, lo, hi)
            cases += 1
    # The fast clamps of the other convolution paths (depthwise and implicit
    # GEMM go through applyEpilogue): bounds ±0 on sums with ±0 and NaN.
    for groups, cg, fg, k in [(8, 1, 1, 3), (1, 3, 10, 3)]:
        x = rng.standard_normal((1, groups * cg, 9, 20), dtype=np.float32)
        x[0, 0] = 0.0
        x[0, -1, 2, 3] = np.nan
        w = rng.standard_normal((groups * fg, cg, k, k), dtype=np.float32)
        args = lambda out: (addr(x), addr(w), addr(out), 1, groups, cg, 9, 20, fg, k, k,
                            9, 20, 1, 1, 1, 1, 1, 1, 1, 1, 0)
        plain = np.empty((1, groups * fg, 9, 20), np.float32)
        rt.qopt_rt_conv2d_nchw_f32(*args(plain), 0)
        for lo, hi in [(0.0, 6.0), (-0.0, 0.0), (0.0, -0.0), (-0.0, -0.0), (0.5, 0.0)]:
            expect = epilogue(plain, MIN | MAX, None, 0, None, np.float32(lo), np.float32(hi))
            out = np.empty_like(plain)
            rt.qopt_rt_conv2d_nchw_f32_epilogue(*args(out), 0, 0.0, 0, lo, hi, MIN | MAX)
            nan = np.isnan(expect)
            assert np.array_equal(np.isnan(out), nan), (groups, lo, hi)
            assert same_bits(out[~nan], expect[~nan]), (groups, lo, hi)
            cases += 1
    print(json.dumps({"isa": rt.qopt_rt_isa().decode(), "cases": cases}))


# avx512emu: AVX-512's tiles and kernel instantiations in AVX2 code
# (Microkernels.cpp, SimdISA.h), so that an AVX2 machine tests their logic.
ISAS = [("generic", True), ("avx2", cpu_has("avx2") and cpu_has("fma")),
        ("avx512emu", cpu_has("avx2") and cpu_has("fma")),
        ("avx512", cpu_has("avx512f") and cpu_has("avx512vl"))]


@pytest.mark.parametrize("isa,available", ISAS, ids=[i for i, _ in ISAS])
@pytest.mark.parametrize("threads", [1, 2, 3, 7])
def test_pointwise_matches_sgemm_and_epilogue(isa, available, threads):
    if not available:
        pytest.skip(f"this CPU has no {isa}")
    summary = run_kernel_checks(__file__, isa, threads)
    assert summary["isa"] == isa
    assert summary["cases"] == len(CASES) * (6 + 11) + 2 * 5  # every case ran


@pytest.mark.parametrize("cols", ["32", "96"])
def test_pointwise_block_width_changes_no_bits(cols, monkeypatch):
    # The same comparisons with x packed in blocks of another width
    # (QOPT_POINTWISE_BLOCK_COLS): 7x7 planes in 32-column blocks as before
    # they became one block, and 112x112 ones in blocks not a power of two.
    monkeypatch.setenv("QOPT_POINTWISE_BLOCK_COLS", cols)
    ran = 0
    for isa, available in ISAS:
        if available and isa != "generic":
            summary = run_kernel_checks(__file__, isa, 3)
            assert summary["isa"] == isa
            assert summary["cases"] == len(CASES) * (6 + 11) + 2 * 5
            ran += 1
    if not ran:
        pytest.skip("this CPU has no AVX2")


if __name__ == "__main__":
    check_all()
