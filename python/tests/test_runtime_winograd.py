"""Winograd F(2x2, 3x3) and F(4x4, 3x3) convolutions of the CPU runtime
(lib/Runtime/Winograd.cpp), called through qopt_rt_conv2d_nchw_f32 for every
instruction set this CPU has and for one and two threads, against a float64
direct convolution in numpy. The error must stay under the first-order bound
of docs/Numerics.md ("Winograd convolutions"), computed here in float64 from
the absolute values of the transform matrices, weights and inputs:

    |y - y_exact| <= gamma(C + k) * |A^T| [sum_c (|G| |g_c| |G^T|) * (|B^T| |d_c| |B|)] |A|

per mxm output tile, with gamma(n) = n u / (1 - n u), u = 2^-24, k = 10 for
F(2x2, 3x3) and 13 for F(4x4, 3x3). Also: the
result does not depend on the thread count (bit for bit), the cached
transformed weights give the same result as fresh ones, and the shapes that
should take the Winograd path do (qopt_rt_conv2d_f32_uses_winograd). The
cases run with QOPT_CONV_WINOGRAD=all: by default small convolutions keep the
implicit GEMM."""
import ctypes
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from runtime_ctypes import LIB, addr, cpu_has, run_kernel_checks
from test_runtime_kernels import conv_ref

U = 2.0 ** -24
# tile size m: (B^T, G, A^T, roundings besides the C of the channel sum)
TRANSFORMS = {
    2: (np.array([[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]], np.float64),
        np.array([[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]], np.float64),
        np.array([[1, 1, 1, 0], [0, 1, -1, -1]], np.float64), 10),
    4: (np.array([[4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0],
                  [0, -2, -1, 2, 1, 0], [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1]], np.float64),
        np.array([[1 / 4, 0, 0], [-1 / 6, -1 / 6, -1 / 6], [-1 / 6, 1 / 6, -1 / 6],
                  [1 / 24, 1 / 12, 1 / 6], [1 / 24, -1 / 12, 1 / 6], [0, 0, 1]], np.float64),
        np.array([[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0],
                  [0, 1, -1, 8, -8, 1]], np.float64), 13),
}
# QOPT_CONV_WINOGRAD value that forces each tile size
MODES = {2: "all", 4: "all4"}


def load():
    rt = ctypes.CDLL(LIB)
    i64 = ctypes.c_int64
    rt.qopt_rt_conv2d_nchw_f32.argtypes = [i64] * 23
    rt.qopt_rt_conv2d_f32_uses_winograd.argtypes = [i64] * 11
    rt.qopt_rt_isa.restype = ctypes.c_char_p
    rt.qopt_rt_set_num_threads.argtypes = [ctypes.c_int]
    return rt


def winograd_bound(x, w, pads, tile=2):
    """The error bound of every output of one group's 3x3 stride-1
    convolution computed as F(tile x tile, 3x3) (float64, shape of the
    output)."""
    bt, g, at, extra = TRANSFORMS[tile]
    n, c, h, wd = x.shape
    f = w.shape[0]
    oh, ow = h + pads[0] + pads[2] - 2, wd + pads[1] + pads[3] - 2
    th, tw = -(-oh // tile), -(-ow // tile)
    a = tile + 2
    # Zero-padded to whole tiles, as the kernel pads.
    d = np.zeros((n, c, tile * th + 2, tile * tw + 2))
    d[:, :, pads[0]:pads[0] + h, pads[1]:pads[1] + wd] = np.abs(x)
    # |B^T| d |B| for each tile: [n, c, th, tw, a, a].
    win = np.lib.stride_tricks.sliding_window_view(d, (a, a), axis=(2, 3))[:, :, ::tile, ::tile]
    v = np.einsum("ia,nctuab,jb->nctuij", np.abs(bt), win, np.abs(bt))
    u = np.einsum("ia,fcab,jb->fcij", np.abs(g), np.abs(w.astype(np.float64)), np.abs(g))
    m = np.einsum("fcij,nctuij->nftuij", u, v)
    y = np.einsum("pi,nftuij,qj->nftupq", np.abs(at), m, np.abs(at))
    out = y.transpose(0, 1, 2, 4, 3, 5).reshape(n, f, tile * th, tile * tw)[:, :, :oh, :ow]
    k = (c + extra) * U
    return k / (1 - k) * out


# n, groups, cg, fg, h, w, pads (top, left, bottom, right)
CASES = [
    (1, 1, 16, 16, 8, 8, (1, 1, 1, 1)),        # the smallest sizes it takes
    (1, 1, 64, 64, 56, 56, (1, 1, 1, 1)),      # ResNet-18's layer1
    (1, 1, 32, 40, 7, 7, (1, 1, 1, 1)),        # odd plane: half tiles
    (1, 1, 17, 19, 5, 6, (2, 1, 0, 1)),        # asymmetric padding, F % MR
    (1, 1, 300, 20, 9, 11, (0, 2, 1, 0)),      # two K slabs (256)
    (1, 1, 16, 24, 48, 46, (1, 1, 1, 1)),      # > 512 tiles: two NC slices
    (2, 1, 16, 16, 10, 9, (0, 0, 0, 0)),       # a batch, no padding
    (1, 2, 16, 17, 12, 13, (1, 1, 1, 1)),      # two groups
    (1, 1, 20, 150, 2, 2, (1, 1, 1, 1)),       # one tile, > MC (144) rows
    (1, 1, 16, 16, 90, 93, (1, 1, 1, 1)),      # > 512 tiles of 4x4 too
]


def check_all():
    """Runs every case in this process; prints a JSON summary."""
    rt = load()
    tile = {v: k for k, v in MODES.items()}[os.environ["QOPT_CONV_WINOGRAD"]]
    rng = np.random.default_rng(0)
    cases = 0
    worst = 0.0
    for n, groups, cg, fg, h, wd, pads in CASES:
        x = rng.standard_normal((n, groups * cg, h, wd), dtype=np.float32)
        w = rng.standard_normal((groups * fg, cg, 3, 3), dtype=np.float32)
        # Large and small magnitudes in one sum: the bound scales with them.
        x[:, ::3] *= 1000.0
        ref = conv_ref(x, w, groups, (1, 1), (1, 1), pads)
        oh, ow = ref.shape[2:]
        assert rt.qopt_rt_conv2d_f32_uses_winograd(groups, cg, fg, 3, 3, oh, ow,
                                                   1, 1, 1, 1) == tile
        bound = np.concatenate(
            [winograd_bound(x[:, g * cg:(g + 1) * cg], w[g * fg:(g + 1) * fg], pads, tile)
             for g in range(groups)], axis=1)
        slot = ctypes.c_void_p(0)
        results = []
        for accumulate, cached in ((False, False), (True, False), (False, True),
                                   (True, True), (False, True)):
            out0 = rng.standard_normal(ref.shape).astype(np.float32)
            out = out0.copy()
            rt.qopt_rt_conv2d_nchw_f32(addr(x), addr(w), addr(out), n, groups, cg, h, wd,
                                       fg, 3, 3, oh, ow, 1, 1, 1, 1, *pads,
                                       ctypes.addressof(slot) if cached else 0,
                                       int(accumulate))
            expect = ref + (out0 if accumulate else 0)
            # Accumulating adds one rounding of the sum.
            tol = bound + (U * np.abs(expect) if accumulate else 0)
            err = np.abs(out - expect)
            assert np.all(err <= tol), (n, groups, cg, fg, h, wd, pads, accumulate, cached,
                                        float((err / tol).max()))
            worst = max(worst, float((err / tol).max()))
            if not accumulate:
                results.append(out)
            cases += 1
        # The cached transformed weights (packed by the first cached call,
        # read by the later ones) give exactly what fresh ones give.
        for r in results[1:]:
            np.testing.assert_array_equal(r, results[0])
        assert bool(slot.value) == (groups == 1)
        # Bit for bit the same for every thread count (run in this process).
        for threads in (1, 3):
            rt.qopt_rt_set_num_threads(threads)
            out = np.empty(ref.shape, np.float32)
            rt.qopt_rt_conv2d_nchw_f32(addr(x), addr(w), addr(out), n, groups, cg, h, wd,
                                       fg, 3, 3, oh, ow, 1, 1, 1, 1, *pads, 0, 0)
            np.testing.assert_array_equal(out, results[0])
            cases += 1
        rt.qopt_rt_set_num_threads(int(os.environ.get("QOPT_NUM_THREADS", "1")))
    # Shapes outside Winograd's domain take the other paths.
    for args in [(1, 15, 64, 3, 3, 8, 8, 1, 1, 1, 1),   # few input channels
                 (1, 64, 15, 3, 3, 8, 8, 1, 1, 1, 1),   # few output channels
                 (1, 64, 64, 3, 3, 8, 8, 2, 2, 1, 1),   # stride 2
                 (1, 64, 64, 3, 3, 8, 8, 1, 1, 2, 2),   # dilation 2
                 (1, 64, 64, 1, 1, 8, 8, 1, 1, 1, 1),   # 1x1
                 (1, 64, 64, 5, 5, 8, 8, 1, 1, 1, 1),   # 5x5
                 (64, 1, 1, 3, 3, 8, 8, 1, 1, 1, 1)]:   # depthwise
        assert not rt.qopt_rt_conv2d_f32_uses_winograd(*args), args
        cases += 1
    print(json.dumps({"isa": rt.qopt_rt_isa().decode(), "cases": cases, "tile": tile,
                      "worst_error_over_bound": worst}))


@pytest.mark.parametrize("tile,limit", [(2, 1e-3), (4, 2e-2)])
def test_bound_is_not_vacuous(tile, limit):
    """On random data of a 64-channel layer the bound is below 1e-3 (F(2x2,
    3x3)) or 2e-2 (F(4x4, 3x3): its A^T has entries up to 8) of the outputs'
    typical size: the check above means something."""
    rng = np.random.default_rng(1)
    x = rng.standard_normal((1, 64, 12, 12), dtype=np.float32)
    w = rng.standard_normal((32, 64, 3, 3), dtype=np.float32)
    ref = conv_ref(x, w, 1, (1, 1), (1, 1), (1, 1, 1, 1))
    bound = winograd_bound(x, w, (1, 1, 1, 1), tile)
    assert np.median(bound) < limit * np.abs(ref).mean()


@pytest.mark.parametrize("mode,expect", [(None, "0 4 4 2"), ("0", "0 0 0 0"),
                                         ("all", "2 2 2 2"), ("all4", "4 4 4 4")])
def test_modes(mode, expect):
    """By default only convolutions of at least 2^24 multiply-adds take
    Winograd (fashion_cnn's 64-channel 7x7: 1.8M; ResNet-18's layers: 116M),
    F(4x4, 3x3) where that leaves at least 16 tiles (56x56, 14x14), else
    F(2x2, 3x3) (ResNet-18's 512-channel 7x7); QOPT_CONV_WINOGRAD=0 none,
    =all / =all4 every one it can compute with F(2x2, 3x3) / F(4x4, 3x3)."""
    code = ("import ctypes; rt = ctypes.CDLL(%r); "
            "f = rt.qopt_rt_conv2d_f32_uses_winograd; f.argtypes = [ctypes.c_int64] * 11; "
            "print(*(f(1, c, c, 3, 3, h, h, 1, 1, 1, 1) "
            "for c, h in ((64, 7), (64, 56), (256, 14), (512, 7))))" % LIB)
    env = dict(os.environ)
    env.pop("QOPT_CONV_WINOGRAD", None)
    if mode is not None:
        env["QOPT_CONV_WINOGRAD"] = mode
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True)
    assert out.stdout.split() == expect.split()


# avx512emu: AVX-512's tiles and kernel instantiations in AVX2 code
# (Microkernels.cpp, SimdISA.h), so that an AVX2 machine tests their logic.
ISAS = [("generic", True), ("avx2", cpu_has("avx2") and cpu_has("fma")),
        ("avx512emu", cpu_has("avx2") and cpu_has("fma")),
        ("avx512", cpu_has("avx512f") and cpu_has("avx512vl"))]


@pytest.mark.parametrize("isa,available", ISAS, ids=[i for i, _ in ISAS])
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("tile", [2, 4])
def test_winograd_within_bound(isa, available, threads, tile, monkeypatch):
    if not available:
        pytest.skip(f"this CPU has no {isa}")
    # Small shapes too (the default takes only those worth it).
    monkeypatch.setenv("QOPT_CONV_WINOGRAD", MODES[tile])
    summary = run_kernel_checks(__file__, isa, threads)
    assert summary["isa"] == isa
    assert summary["tile"] == tile
    assert summary["cases"] == len(CASES) * 7 + 7  # every case ran
    assert summary["worst_error_over_bound"] <= 1.0


def error_table():
    """Max and rms error against float64, relative to the largest |y|, on
    ResNet-18's four 3x3 layer shapes (random inputs, weights scaled by
    1/sqrt(9C)), for whichever path QOPT_CONV_WINOGRAD selects (the table
    in docs/Numerics.md)."""
    rt = load()
    rng = np.random.default_rng(0)
    for c, h in [(64, 56), (128, 28), (256, 14), (512, 7)]:
        x = rng.standard_normal((1, c, h, h), dtype=np.float32)
        w = (rng.standard_normal((c, c, 3, 3)) / np.sqrt(9 * c)).astype(np.float32)
        ref = conv_ref(x, w, 1, (1, 1), (1, 1), (1, 1, 1, 1))
        out = np.empty(ref.shape, np.float32)
        rt.qopt_rt_conv2d_nchw_f32(addr(x), addr(w), addr(out), 1, 1, c, h, h, c, 3, 3,
                                   h, h, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0)
        e, scale = out - ref, np.abs(ref).max()
        tile = rt.qopt_rt_conv2d_f32_uses_winograd(1, c, c, 3, 3, h, h, 1, 1, 1, 1)
        path = f"F({tile}x{tile}, 3x3)" if tile else "implicit GEMM"
        print(f"{path} C={c} {h}x{h}: max {np.abs(e).max() / scale:.1e} "
              f"rms {np.sqrt((e ** 2).mean()) / scale:.1e}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--errors"]:
        error_table()
    else:
        check_all()
