"""qopt_rt_conv2d_nchw_f32_epilogue (lib/Runtime/Conv2D.cpp): the
convolution followed by bias, residual add and clamps applied to each
finished output tile must equal, bit for bit, the plain convolution followed
by those steps in float32 as the separate loop computed them (arith.addf,
arith.maximumf/minimumf: NaN propagates, -0 < +0), reproduced here with
numpy. Every convolution path: depthwise (stride 1, 2, 3), 1x1 direct,
implicit GEMM, grouped, Winograd; one and two threads; ties with the clamp bounds,
NaN and signed zeros."""
import ctypes

import numpy as np
import pytest

from runtime_ctypes import addr, load_conv_runtime as load, maximumf, minimumf

BIAS, BIAS_SCALAR, MIN, MAX, RESIDUAL = 1, 2, 4, 8, 16




CASES = [  # n, groups, cg, fg, h, w, kh, kw, stride, pads
    (1, 24, 1, 1, 14, 14, 3, 3, 1, (1, 1, 1, 1)),     # depthwise, stride 1
    (1, 16, 1, 1, 29, 30, 3, 3, 2, (1, 1, 1, 1)),     # depthwise, stride 2
    (2, 5, 1, 1, 17, 9, 3, 3, 3, (1, 1, 1, 1)),       # depthwise, gather
    (1, 1, 32, 40, 28, 28, 1, 1, 1, (0, 0, 0, 0)),    # 1x1 direct GEMM
    (1, 1, 3, 20, 33, 33, 3, 3, 2, (1, 1, 1, 1)),     # implicit GEMM
    (1, 1, 300, 7, 6, 6, 1, 1, 1, (0, 0, 0, 0)),      # two K slabs
    (1, 2, 8, 12, 10, 10, 3, 3, 1, (1, 1, 1, 1)),     # grouped
    (1, 1, 512, 128, 7, 7, 3, 3, 1, (1, 1, 1, 1)),    # Winograd F(2x2, 3x3)
    (1, 1, 64, 64, 32, 32, 3, 3, 1, (1, 1, 1, 1)),    # Winograd F(4x4, 3x3)
    (1, 2, 64, 72, 23, 21, 3, 3, 1, (1, 0, 1, 2)),    # F(4x4, 3x3), grouped, odd
]


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("case", CASES, ids=[f"c{i}" for i in range(len(CASES))])
@pytest.mark.parametrize("flags", [BIAS | MIN | MAX, BIAS_SCALAR, BIAS | RESIDUAL,
                                   BIAS | RESIDUAL | MIN | MAX, MIN, MAX, RESIDUAL | MAX])
def test_epilogue_equals_conv_then_loop(threads, case, flags):
    rt = load()
    rt.qopt_rt_set_num_threads(threads)
    rng = np.random.default_rng(hash((case, flags)) % 2**32)
    n, groups, cg, fg, h, wd, kh, kw, s, pads = case
    x = rng.standard_normal((n, groups * cg, h, wd), dtype=np.float32)
    # Zero channels give exact +0 sums (signed-zero cases with the bias).
    x[:, 0] = 0.0
    w = rng.standard_normal((groups * fg, cg, kh, kw), dtype=np.float32)
    oh = (h + pads[0] + pads[2] - kh) // s + 1
    ow = (wd + pads[1] + pads[3] - kw) // s + 1
    args = lambda out: (addr(x), addr(w), addr(out), n, groups, cg, h, wd, fg, kh, kw,
                        oh, ow, s, s, 1, 1, *pads, 0)
    plain = np.empty((n, groups * fg, oh, ow), np.float32)
    rt.qopt_rt_conv2d_nchw_f32(*args(plain), 0)

    f = groups * fg
    bias = rng.standard_normal(f).astype(np.float32)
    bias[0] = -0.0
    scalar = np.float32(-0.0) if flags & BIAS_SCALAR else np.float32(0.0)
    residual = rng.standard_normal(plain.shape).astype(np.float32)
    residual.flat[::7] = np.nan if flags & RESIDUAL else 0.0
    # Expected, step by step in float32 as the generated loop computes it.
    v = plain.copy()
    if flags & BIAS:
        v = (v + bias[None, :, None, None]).astype(np.float32)
    if flags & BIAS_SCALAR:
        v = (v + scalar).astype(np.float32)
    if flags & RESIDUAL:
        v = (residual + v).astype(np.float32)
    # The bounds are values that occur, so there are exact ties.
    finite = np.sort(v[np.isfinite(v)].ravel())
    lo, hi = np.float32(finite[len(finite) // 4]), np.float32(finite[3 * len(finite) // 4])
    if flags & MIN:
        v = maximumf(v, lo)
    if flags & MAX:
        v = minimumf(v, hi)
    assert (flags & (MIN | MAX)) == 0 or np.any(v == lo) or np.any(v == hi)

    out = np.full(plain.shape, 123.0, np.float32)
    rt.qopt_rt_conv2d_nchw_f32_epilogue(*args(out), addr(bias), float(scalar),
                                        addr(residual), float(lo), float(hi), flags)
    np.testing.assert_array_equal(out, v)
    # NaN and the signs of zeros agree too.
    assert np.array_equal(np.isnan(out), np.isnan(v))
    assert np.array_equal(np.signbit(out[~np.isnan(out)]), np.signbit(v[~np.isnan(v)]))


def test_winograd_cases_take_winograd():
    """The three cases marked Winograd above take those paths by default."""
    rt = load()
    rt.qopt_rt_conv2d_f32_uses_winograd.argtypes = [ctypes.c_int64] * 11
    tiles = []
    for n, groups, cg, fg, h, wd, kh, kw, s, pads in CASES[-3:]:
        oh = h + pads[0] + pads[2] - 2
        ow = wd + pads[1] + pads[3] - 2
        tiles.append(rt.qopt_rt_conv2d_f32_uses_winograd(groups, cg, fg, kh, kw, oh, ow,
                                                         s, s, 1, 1))
    assert tiles == [2, 4, 4]
