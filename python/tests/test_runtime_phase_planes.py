"""Small-plane convolutions through stride-phase planes (lib/Runtime/
PhasePlanes.cpp), called through qopt_rt_conv2d_nchw_f32(_epilogue).

The path computes the implicit GEMM's products on a wider output grid and
drops the extra columns, so it must be bit-identical to that path: each case
runs in two processes, one with QOPT_CONV_PHASE_PLANES=0 (the implicit GEMM
of Conv2D.cpp), and the outputs must be equal bit for bit, NaN and signed
zeros included; both must also match a float64 numpy convolution within
float32 rounding. Shapes: fashion_cnn's layers (3x3 stride 1 and 2, 1x1
stride 2), odd planes whose padded size is not a multiple of the stride,
asymmetric padding, stride 3, dilation 2, 5x5 and 1x3 kernels, more than one
256-deep K slab, groups, batches, every epilogue step; per ISA and for one
and two threads. The cases that should take the path do
(qopt_rt_conv2d_f32_uses_phase_planes), and a 4x4 plane, where the wide grid
would double the panels, does not."""
import ctypes
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import pytest

from runtime_ctypes import addr, cpu_has, load_conv_runtime
from test_runtime_kernels import conv_ref

BIAS, MIN, MAX, RESIDUAL = 1, 4, 8, 16

CASES = [  # n, groups, cg, fg, h, w, kh, kw, (sh, sw), (dh, dw), pads t l b r, flags
    (1, 1, 1, 16, 28, 28, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | MIN),
    (1, 1, 16, 16, 14, 14, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | MIN),
    (1, 1, 16, 32, 14, 14, 3, 3, (2, 2), (1, 1), (1, 1, 1, 1), BIAS | MIN),
    (1, 1, 32, 32, 7, 7, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | RESIDUAL | MIN),
    (1, 1, 16, 32, 14, 14, 1, 1, (2, 2), (1, 1), (0, 0, 0, 0), BIAS),
    (1, 1, 32, 64, 7, 7, 3, 3, (2, 2), (1, 1), (1, 1, 1, 1), 0),
    (1, 1, 32, 64, 7, 7, 1, 1, (2, 2), (1, 1), (0, 0, 0, 0), BIAS | MIN | MAX),
    (2, 1, 5, 7, 13, 11, 3, 3, (2, 2), (1, 1), (1, 0, 2, 1), BIAS | MAX),
    (1, 1, 4, 9, 17, 19, 3, 3, (3, 3), (1, 1), (1, 1, 1, 1), RESIDUAL),
    (1, 1, 6, 10, 15, 15, 3, 3, (1, 1), (2, 2), (2, 2, 2, 2), BIAS),
    (1, 1, 3, 8, 20, 20, 5, 5, (1, 2), (1, 1), (2, 2, 2, 2), BIAS | MIN),
    (1, 1, 8, 12, 9, 30, 1, 3, (1, 1), (1, 1), (0, 1, 0, 1), 0),
    (1, 1, 40, 24, 10, 10, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | RESIDUAL),  # K = 360
    (1, 2, 8, 12, 10, 10, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | MIN | MAX),
    (1, 1, 2, 3, 6, 6, 3, 3, (2, 2), (1, 1), (0, 0, 1, 1), 0),
]
# Not taken: a 4x4 plane of a 3x3 stride-1 convolution (6 wide columns per
# 4, 22 of them where 16 fit one panel).
REFUSED = [(1, 1, 64, 64, 4, 4, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), 0)]


def out_size(case):
    n, groups, cg, fg, h, wd, kh, kw, (sh, sw), (dh, dw), pads, flags = case
    oh = (h + pads[0] + pads[2] - dh * (kh - 1) - 1) // sh + 1
    ow = (wd + pads[1] + pads[3] - dw * (kw - 1) - 1) // sw + 1
    return oh, ow


def uses_phase_planes(rt, case):
    n, groups, cg, fg, h, wd, kh, kw, (sh, sw), (dh, dw), pads, flags = case
    rt.qopt_rt_conv2d_f32_uses_phase_planes.argtypes = [ctypes.c_int64] * 17
    oh, ow = out_size(case)
    return rt.qopt_rt_conv2d_f32_uses_phase_planes(groups, cg, h, wd, fg, kh, kw, oh, ow,
                                                   sh, sw, dh, dw, *pads)


NR = {"generic": 8, "avx2": 16, "avx512": 32}  # columns of each ISA's sgemm tile


def expect_phase_planes(case, isa):
    """The rule of qopt_rt::usesPhasePlanes, restated: planes at most 32
    wide, not 1x1 stride 1, and the wide grid ((OH-1)·PW + OW columns, PW
    the phase width) adding at most 1/8 more NR-column panels."""
    n, groups, cg, fg, h, wd, kh, kw, (sh, sw), (dh, dw), pads, flags = case
    oh, ow = out_size(case)
    pw = -(-(wd + pads[1] + pads[3]) // sw)
    panels = lambda cols: -(-cols // NR[isa])
    return (ow <= 32 and (kh, kw, sh, sw) != (1, 1, 1, 1)
            and panels((oh - 1) * pw + ow) * 8 <= panels(oh * ow) * 9)


def run_case(rt, case, index):
    """The convolution and its epilogue; returns (output, float64 reference)."""
    n, groups, cg, fg, h, wd, kh, kw, (sh, sw), (dh, dw), pads, flags = case
    rng = np.random.default_rng(index)
    x = rng.standard_normal((n, groups * cg, h, wd), dtype=np.float32)
    x[:, 0, 0, :3] = [np.nan, -0.0, 0.0]
    w = rng.standard_normal((groups * fg, cg, kh, kw), dtype=np.float32)
    oh, ow = out_size(case)
    f = groups * fg
    bias = rng.standard_normal(f).astype(np.float32)
    residual = rng.standard_normal((n, f, oh, ow)).astype(np.float32)
    out = np.full((n, f, oh, ow), 7.0, np.float32)
    args = (addr(x), addr(w), addr(out), n, groups, cg, h, wd, fg, kh, kw, oh, ow,
            sh, sw, dh, dw, *pads, 0)
    lo, hi = -0.5, 0.75
    if flags:
        rt.qopt_rt_conv2d_nchw_f32_epilogue(*args, addr(bias), 0.0, addr(residual),
                                            lo, hi, flags)
    else:
        rt.qopt_rt_conv2d_nchw_f32(*args, 0)
    ref = conv_ref(x, w, groups, (sh, sw), (dh, dw), pads)
    if flags & BIAS:
        ref = ref + bias[None, :, None, None]
    if flags & RESIDUAL:
        ref = ref + residual
    if flags & MIN:
        ref = np.maximum(ref, lo)
    if flags & MAX:
        ref = np.minimum(ref, hi)
    return out, ref


def check_all():
    """Runs every case in this process (the path that QOPT_CONV_PHASE_PLANES
    selects), checks it against numpy and saves the outputs to the .npz that
    PHASE_PLANES_OUT names; prints a JSON summary."""
    rt = load_conv_runtime()
    isa = rt.qopt_rt_isa().decode()
    enabled = os.environ.get("QOPT_CONV_PHASE_PLANES") != "0"
    outputs, taken = {}, 0
    for i, case in enumerate(CASES):
        expected = enabled and expect_phase_planes(case, isa)
        assert uses_phase_planes(rt, case) == int(expected), case
        taken += expected
        out, ref = run_case(rt, case, i)
        # float32 sums of C·KH·KW products: within a few ulps of the sum of
        # magnitudes; NaN where the input's NaN reaches.
        n, groups, cg, fg, h, wd, kh, kw, _, _, _, flags = case
        tol = 4 * cg * kh * kw * 2.0 ** -24 * (np.abs(ref[np.isfinite(ref)]).max() + 4)
        finite = np.isfinite(ref)
        assert np.array_equal(np.isnan(out), ~finite), case
        np.testing.assert_allclose(out[finite], ref[finite], rtol=0, atol=tol)
        outputs[f"c{i}"] = out
    for case in REFUSED:
        assert uses_phase_planes(rt, case) == 0, case
        assert not expect_phase_planes(case, isa)
    np.savez(os.environ["PHASE_PLANES_OUT"], **outputs)
    print(json.dumps({"isa": isa, "cases": len(CASES), "taken": int(taken)}))


ISAS = [("generic", True), ("avx2", cpu_has("avx2")), ("avx512", cpu_has("avx512f"))]


@pytest.mark.parametrize("isa,available", ISAS, ids=[i for i, _ in ISAS])
@pytest.mark.parametrize("threads", [1, 2])
def test_bit_identical_to_implicit_gemm(isa, available, threads):
    if not available:
        pytest.skip(f"this CPU has no {isa}")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ["1", "0"]:
            path = os.path.join(tmp, f"out{mode}.npz")
            env = dict(os.environ, QOPT_ISA=isa, QOPT_NUM_THREADS=str(threads),
                       QOPT_CONV_PHASE_PLANES=mode, PHASE_PLANES_OUT=path)
            p = subprocess.run([sys.executable, __file__], env=env, capture_output=True,
                               text=True, timeout=600)
            assert p.returncode == 0, p.stderr
            summary = json.loads(p.stdout.strip().splitlines()[-1])
            assert summary["isa"] == isa and summary["cases"] == len(CASES)
            if mode == "1":
                # The rule depends on the tile width: the generic 8-column
                # tile refuses more of the cases (8 of 15 take the path).
                assert summary["taken"] >= len(CASES) // 2, summary
            results.append(dict(np.load(path)))
    phase, gemm = results
    for name in phase:
        # Bit for bit: NaNs and the signs of zeros included.
        assert phase[name].tobytes() == gemm[name].tobytes(), name


if __name__ == "__main__":
    check_all()
