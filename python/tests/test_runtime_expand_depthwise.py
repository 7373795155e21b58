"""A 1x1 expansion fused with the 3x3 depthwise convolution that reads it
(lib/Runtime/ExpandDepthwise.cpp, qopt_rt_conv2d_nchw_f32_expand_depthwise).

The fused call must compute what the two convolution calls it replaces
compute one after the other (qopt_rt_conv2d_nchw_f32_epilogue twice,
through a buffer), bit for bit, NaNs included, whether it takes the fused
path or not; the rule for taking it is restated here (expect_fuses) and
checked against qopt_rt_expand_depthwise_fuses, by default (only where the
intermediate is large for the threads' caches), forced
(QOPT_EXPAND_DEPTHWISE=1: every case the kernel can take) and off. Each case is also checked
against an independent float64 numpy computation of the two convolutions
and their epilogues (ReLU6 and other clamps, which the random inputs push
past both bounds; per-channel and scalar biases; NaN inputs, which must
come out exactly where the windows hold them). Shapes: MobileNetV2's
stride-2 112x112 block made smaller, channel counts not a multiple of the
4-channel groups, planes whose width is not a multiple of the vectors,
the narrowest fused width (29), 112-wide rows (whole row segments
and a tail), batches, asymmetric padding, an
intermediate large enough to fuse by default (half the L2 per thread);
and the unfused fallbacks: more than 256 input channels, planes 28 wide. Run per
ISA and thread count as a script (run_kernel_checks)."""
import ctypes
import json
import os
import subprocess

import numpy as np
import pytest

from runtime_ctypes import addr, cpu_has, load_conv_runtime, run_kernel_checks

BIAS, BIAS_SCALAR, MIN, MAX = 1, 2, 4, 8
RELU6 = (BIAS | MIN | MAX, 0.0, 6.0)
CLAMP = (BIAS | MIN | MAX, -0.5, 0.75)

# n, c, f, h, w, stride, pads (t, l, b, r), (flags, lo, hi) of the 1x1, of the 3x3
CASES = [
    (1, 16, 24, 40, 40, 2, (1, 1, 1, 1), RELU6, RELU6),
    (1, 24, 13, 33, 37, 1, (1, 1, 1, 1), RELU6, RELU6),
    (1, 3, 8, 29, 29, 2, (0, 0, 1, 1), CLAMP, (BIAS, 0.0, 0.0)),
    (2, 8, 16, 31, 45, 1, (1, 1, 1, 1), (BIAS_SCALAR | MAX, 0.0, 1.5), (0, 0.0, 0.0)),
    (1, 32, 6, 30, 64, 2, (1, 1, 1, 1), (0, 0.0, 0.0), RELU6),
    (1, 7, 5, 35, 33, 1, (1, 1, 1, 1), (BIAS, 0.0, 0.0), CLAMP),
    (1, 96, 9, 30, 30, 2, (1, 0, 1, 1), RELU6, (MIN, -0.0, 0.0)),
    # MobileNetV2's 112-wide rows: whole row segments and a tail, both strides
    (1, 16, 12, 9, 112, 2, (1, 1, 1, 1), RELU6, RELU6),
    (1, 16, 9, 7, 112, 1, (1, 1, 1, 1), CLAMP, RELU6),
    # an intermediate of 1.2 MB: fused by default at one thread where the L2
    # is at most 2.4 MB
    (1, 8, 48, 80, 80, 2, (0, 1, 1, 0), RELU6, RELU6),
    # unfused: over 256 input channels; 28 wide
    (1, 300, 8, 30, 30, 1, (1, 1, 1, 1), RELU6, RELU6),
    (1, 8, 8, 28, 28, 1, (1, 1, 1, 1), RELU6, RELU6),
]

U = 2.0 ** -24


def expect_fuses(case, isa, mode, threads):
    """ExpandDepthwise.cpp's rule, restated: an ISA with the pointwise and
    depthwise kernels, at most 256 input channels (one K slab), planes at
    least 29 wide, stride 1 or 2, no residual; and unless
    QOPT_EXPAND_DEPTHWISE=1 (mode "1"), AVX-512's lanes (avx512, avx512emu)
    and an intermediate per thread of at least half the L2 cache (1 MB
    where the system does not say). Mode "0" never fuses."""
    n, c, f, h, w, stride, pads, e1, e2 = case
    if mode == "0" or isa not in ("avx2", "avx512", "avx512emu") or c > 256 or w < 29:
        return False
    if mode == "1":
        return True
    return isa != "avx2" and n * f * h * w * 4 // threads >= l2_bytes() // 2


def l2_bytes():
    """The L2 cache size glibc reports (sysconf, through getconf), or 1 MB."""
    try:
        size = int(subprocess.run(["getconf", "LEVEL2_CACHE_SIZE"], capture_output=True,
                                  text=True, check=True).stdout.strip() or 0)
    except (OSError, ValueError, subprocess.CalledProcessError):
        size = 0
    return size if size > 0 else 1 << 20


def epilogue64(v, flags, lo, hi, bias, scalar):
    """The epilogue in float64 (the bound covers its float32 rounding)."""
    if flags & BIAS:
        v = v + bias[None, :, None, None]
    if flags & BIAS_SCALAR:
        v = v + scalar
    if flags & MIN:
        v = np.where(np.isnan(v), v, np.maximum(v, lo))
    if flags & MAX:
        v = np.where(np.isnan(v), v, np.minimum(v, hi))
    return v


def depthwise64(x, w, stride, pads, oh, ow):
    n, f, h, wd = x.shape
    pt, pl, pb, pr = pads
    xp = np.zeros((n, f, h + pt + pb, wd + pl + pr))
    xp[:, :, pt:pt + h, pl:pl + wd] = x
    out = np.zeros((n, f, oh, ow))
    for ky in range(3):
        for kx in range(3):
            window = xp[:, :, ky:ky + stride * (oh - 1) + 1:stride,
                        kx:kx + stride * (ow - 1) + 1:stride]
            out += w[None, :, ky, kx, None, None] * window
    return out


def run_case(rt, case, index):
    """(fused output, unfused output, float64 reference, error bound)."""
    n, c, f, h, wd, stride, pads, (fl1, lo1, hi1), (fl2, lo2, hi2) = case
    rng = np.random.default_rng(index)
    x = (3 * rng.standard_normal((n, c, h, wd))).astype(np.float32)
    x[0, 0, 2, 3] = np.nan
    w1 = rng.standard_normal((f, c)).astype(np.float32)
    w2 = rng.standard_normal((f, 3, 3)).astype(np.float32)
    b1 = rng.standard_normal(f).astype(np.float32)
    b2 = rng.standard_normal(f).astype(np.float32)
    s1, s2 = np.float32(0.25), np.float32(-0.125)
    oh = (h + pads[0] + pads[2] - 3) // stride + 1
    ow = (wd + pads[1] + pads[3] - 3) // stride + 1
    fused = np.full((n, f, oh, ow), 7.0, np.float32)
    rt.qopt_rt_conv2d_nchw_f32_expand_depthwise(
        addr(x), n, c, h, wd, addr(w1), f, 0, addr(b1), s1, lo1, hi1, fl1,
        addr(w2), oh, ow, stride, *pads, 0, addr(b2), s2, lo2, hi2, fl2, addr(fused))
    mid = np.full((n, f, h, wd), 7.0, np.float32)
    plain = np.full((n, f, oh, ow), 7.0, np.float32)
    rt.qopt_rt_conv2d_nchw_f32_epilogue(addr(x), addr(w1), addr(mid), n, 1, c, h, wd, f,
                                        1, 1, h, wd, 1, 1, 1, 1, 0, 0, 0, 0, 0, addr(b1),
                                        s1, 0, lo1, hi1, fl1)
    rt.qopt_rt_conv2d_nchw_f32_epilogue(addr(mid), addr(w2), addr(plain), n, f, 1, h, wd,
                                        1, 3, 3, oh, ow, stride, stride, 1, 1, *pads, 0,
                                        addr(b2), s2, 0, lo2, hi2, fl2)
    # float64: the expansion, its epilogue, the depthwise sums, theirs.
    x64, w164 = x.astype(np.float64), w1.astype(np.float64)
    e = np.einsum("fc,nchw->nfhw", w164, x64)
    e_mag = np.einsum("fc,nchw->nfhw", np.abs(w164), np.abs(np.nan_to_num(x64)))
    e = epilogue64(e, fl1, lo1, hi1, b1.astype(np.float64), float(s1))
    # Error of each expanded value: the sum's, then one rounding per
    # epilogue step (bias, clamps do not add error); carried through the
    # depthwise sums by the weights' magnitudes.
    e_err = c * U / (1 - c * U) * e_mag + 2 * U * (np.abs(np.nan_to_num(e)) + e_mag)
    w264 = w2.astype(np.float64)
    ref = depthwise64(e, w264, stride, pads, oh, ow)
    mag = depthwise64(np.abs(np.nan_to_num(e)), np.abs(w264), stride, pads, oh, ow)
    carried = depthwise64(e_err, np.abs(w264), stride, pads, oh, ow)
    ref = epilogue64(ref, fl2, lo2, hi2, b2.astype(np.float64), float(s2))
    bound = carried + 9 * U / (1 - 9 * U) * mag + 2 * U * (np.abs(np.nan_to_num(ref)) + mag)
    return fused, plain, ref, bound


def same_bits(a, b):
    return a.shape == b.shape and np.array_equal(a.view(np.uint32), b.view(np.uint32))


def check_all():
    rt = load_conv_runtime()
    i64, f32 = ctypes.c_int64, ctypes.c_float
    rt.qopt_rt_conv2d_nchw_f32_expand_depthwise.argtypes = (
        [i64] * 9 + [f32, f32, f32, i64] + [i64] * 10 + [f32, f32, f32, i64, i64])
    rt.qopt_rt_expand_depthwise_fuses.argtypes = [i64] * 8
    isa = rt.qopt_rt_isa().decode()
    mode = os.environ.get("QOPT_EXPAND_DEPTHWISE", "")
    threads = rt.qopt_rt_get_num_threads()
    fused_cases = []
    for i, case in enumerate(CASES):
        n, c, f, h, wd, stride, pads, e1, e2 = case
        fuses = rt.qopt_rt_expand_depthwise_fuses(n, c, f, h, wd, stride, e1[0], e2[0])
        assert fuses == int(expect_fuses(case, isa, mode, threads)), (case, fuses)
        # A residual in either epilogue is never fused.
        assert not rt.qopt_rt_expand_depthwise_fuses(n, c, f, h, wd, stride, 16, e2[0])
        assert not rt.qopt_rt_expand_depthwise_fuses(n, c, f, h, wd, stride, e1[0], 16 | 1)
        if fuses:
            fused_cases.append(i)
        fused, plain, ref, bound = run_case(rt, case, i)
        assert same_bits(fused, plain), case
        nan = np.isnan(ref)
        assert nan.any() and (~nan).any(), case  # the NaN reaches some outputs only
        assert np.array_equal(np.isnan(fused), nan), case
        err = np.abs(fused[~nan].astype(np.float64) - ref[~nan])
        assert np.all(err <= bound[~nan]), (case, float((err - bound[~nan]).max()))
        # The clamps bind somewhere (saturation is exercised).
        if e2[0] & MAX:
            assert (fused[~nan] == np.float32(e2[2])).any(), case
    print(json.dumps({"isa": isa, "mode": mode, "threads": threads, "fused": fused_cases,
                      "cases": len(CASES)}))


ISAS = [("generic", True), ("avx2", cpu_has("avx2") and cpu_has("fma")),
        ("avx512emu", cpu_has("avx2") and cpu_has("fma")),
        ("avx512", cpu_has("avx512f") and cpu_has("avx512vl"))]


@pytest.mark.parametrize("isa,available", ISAS, ids=[i for i, _ in ISAS])
@pytest.mark.parametrize("threads", [1, 3])
@pytest.mark.parametrize("mode", ["", "1", "0"], ids=["auto", "always", "never"])
def test_fused_matches_unfused_and_numpy(isa, available, threads, mode, monkeypatch):
    if not available:
        pytest.skip(f"this CPU has no {isa}")
    monkeypatch.setenv("QOPT_EXPAND_DEPTHWISE", mode)
    summary = run_kernel_checks(__file__, isa, threads)
    assert summary["isa"] == isa
    assert summary["cases"] == len(CASES)
    expected = [i for i, case in enumerate(CASES) if expect_fuses(case, isa, mode, threads)]
    assert summary["fused"] == expected
    if isa != "generic" and mode == "1":
        assert len(expected) == len(CASES) - 2  # all but the two it cannot take
    if isa in ("avx512", "avx512emu") and mode == "" and threads == 1 and l2_bytes() <= 2400000:
        # only the large one, by default
        assert [CASES[i][:5] for i in expected] == [(1, 8, 48, 80, 80)]


if __name__ == "__main__":
    check_all()
