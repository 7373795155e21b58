"""The exact int8 Winograd F(2x2, 3x3) of the CPU runtime
(lib/Runtime/Int8Winograd.cpp) through qopt_rt_conv2d_nchw_s8 and
qopt_rt_conv2d_nchw_s8_requant, bit for bit against numpy's int64
int_conv2d (+ bias, then rescale in Python integers): docs/Numerics.md.

Every case runs with QOPT_CONV_WINOGRAD_INT8=all (so that small shapes take
the path too) and asserts that the path was taken
(qopt_rt_conv2d_s8_uses_winograd); for each instruction set the CPU has
(QOPT_ISA, a new process each) and 1, 2 and 3 threads. Cases: 1 to 917
input channels (917 is the largest the bound 9·C·255·255 < 2^29 admits
with both zero points at the far end; every operand there at the extreme
that makes |y| largest, within 0.1 % of 2^29), 1 to 70 output channels,
planes 1x1 to 28x28, odd heights and widths, symmetric, asymmetric and no
padding (holding the input zero point), input zero points -128, 127 and
between, weight zero points 0 and others, overwrite and accumulate, the
packed-weight cache over repeated calls; requantized: per-channel and
per-tensor scales, bias or none, ReLU clamp, accumulator zero point,
shifts 0, 1, 20, 31, 32, 33 and 36 to 40, ties at .5, saturation at both
ends."""
import ctypes
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from runtime_ctypes import LIB, addr, run_kernel_checks
from test_runtime_int8_kernels import ISAS, check_conv_requant, conv_ref, int8, load, wrap32


def load_rt():
    rt = load()
    rt.qopt_rt_conv2d_s8_uses_winograd.argtypes = [ctypes.c_int64] * 12
    return rt


def uses_winograd(rt, c, f, oh, ow, xzp, wzp):
    return rt.qopt_rt_conv2d_s8_uses_winograd(c, f, 3, 3, oh, ow, 1, 1, 1, 1, xzp, wzp)


def conv_int32(rt, rng, n, c, f, h, wd, pads, xzp, wzp, extremes=None):
    """Overwrite, accumulate, cached and not: 4 calls; returns the count."""
    if extremes is None:
        x, w = int8(rng, (n, c, h, wd)), int8(rng, (f, c, 3, 3))
    else:
        x = np.full((n, c, h, wd), extremes[0], np.int8)
        w = np.full((f, c, 3, 3), extremes[1], np.int8)
    ref = conv_ref(x, xzp, w, wzp, 1, (1, 1), (1, 1), pads)
    oh, ow = ref.shape[2:]
    assert uses_winograd(rt, c, f, oh, ow, xzp, wzp), (c, f, oh, ow, xzp, wzp)
    slot = ctypes.c_void_p(0)
    for accumulate, cached in ((False, False), (True, False), (False, True), (True, True)):
        out0 = rng.integers(-2**31, 2**31, size=ref.shape, dtype=np.int64).astype(np.int32)
        out = out0.copy()
        rt.qopt_rt_conv2d_nchw_s8(addr(x), addr(w), addr(out), n, 1, c, h, wd, f, 3, 3,
                                  oh, ow, 1, 1, 1, 1, *pads, xzp, wzp,
                                  ctypes.addressof(slot) if cached else 0, int(accumulate))
        expect = wrap32(ref + (out0.astype(np.int64) if accumulate else 0))
        assert np.array_equal(out, expect), (n, c, f, h, wd, pads, xzp, wzp, accumulate, cached)
    return 4, ref


def check_all():
    rt = load_rt()
    rng = np.random.default_rng(0)
    cases = 0
    # int_conv2d: channels around the kernels' 2-channel pairs and MR rows
    # (4, 6, 8), tile counts around NR (8, 16, 32 columns), odd planes.
    shapes = [  # n, c, f, h, w, pads (top, left, bottom, right), xzp, wzp
        (1, 1, 1, 3, 3, (0, 0, 0, 0), 0, 0),
        (1, 1, 1, 1, 1, (1, 1, 1, 1), -128, 0),
        (1, 2, 3, 4, 5, (1, 1, 1, 1), 127, 0),
        (1, 3, 7, 5, 6, (1, 0, 2, 1), 5, -2),
        (2, 16, 16, 14, 14, (1, 1, 1, 1), -14, 0),
        (1, 17, 9, 9, 13, (0, 1, 2, 0), -128, 127),
        (1, 8, 33, 15, 17, (2, 2, 0, 1), 127, -128),
        (1, 64, 6, 28, 28, (1, 1, 1, 1), -1, 0),
        (1, 33, 70, 7, 7, (1, 1, 1, 1), 3, 1),
        (1, 512, 12, 7, 7, (1, 1, 1, 1), 127, -128),
        (1, 130, 5, 11, 10, (0, 0, 0, 0), -77, 0),
        # Input zero points outside int8 (the padding then is not a byte).
        (1, 16, 8, 9, 9, (1, 1, 1, 1), 128, 0),
        (1, 5, 4, 6, 7, (0, 1, 1, 0), -200, 3),
        # Enough column panels for several blocks per thread (the blocked
        # form over the pool; the ones above take the shared form or run
        # on one thread).
        (1, 64, 8, 56, 56, (1, 1, 1, 1), 9, 0),
    ]
    for n, c, f, h, wd, pads, xzp, wzp in shapes:
        count, _ = conv_int32(rt, rng, n, c, f, h, wd, pads, xzp, wzp)
        cases += count
    # The bound: with zero points 127 (input) and -128 (weights) every
    # difference can be 255 in magnitude; 9·917·255² < 2^29 <= 9·918·255².
    assert uses_winograd(rt, 917, 2, 2, 2, 127, -128)
    assert not uses_winograd(rt, 918, 2, 2, 2, 127, -128)
    assert not uses_winograd(rt, 64, 64, 8, 8, 32000, 0)  # int16 transforms
    # Every operand at the extreme: (-128 - 127)·(127 + 128) per term, all of
    # one sign; the interior outputs sum all 9·C terms.
    # The largest negative y, then the largest positive one (with padding).
    count, ref = conv_int32(rt, rng, 1, 917, 2, 4, 4, (0, 0, 0, 0), 127, -128,
                            extremes=(-128, 127))
    assert ref.min() == -9 * 917 * 255 * 255 and -ref.min() < 2**29
    cases += count
    count, ref = conv_int32(rt, rng, 1, 917, 3, 5, 3, (1, 1, 1, 1), -128, -128,
                            extremes=(127, 127))
    assert ref.max() == 9 * 917 * 255 * 255
    cases += count
    # Requantized, against int_conv2d + bias then rescale.
    for n, c, f, h, wd, pads, xzp, wzp, mode in [
            (1, 16, 32, 14, 14, (1, 1, 1, 1), -14, 0, "dyadic"),
            (1, 1, 16, 28, 28, (1, 1, 1, 1), -55, 0, "ties"),
            (2, 3, 8, 17, 15, (0, 1, 2, 0), 19, -2, "half"),
            (1, 16, 32, 14, 14, (1, 1, 1, 1), 5, 0, "saturate"),
            (1, 32, 64, 7, 7, (1, 1, 1, 1), 19, 0, "tensor"),
            (1, 8, 7, 5, 5, (1, 1, 1, 1), -128, 127, "shift0"),
            (1, 16, 24, 9, 9, (1, 1, 1, 1), 2, 0, "s32"),
            (1, 256, 13, 6, 6, (1, 1, 1, 1), -128, 0, "dyadic"),
            (1, 48, 8, 40, 40, (1, 1, 1, 1), -3, 0, "dyadic")]:
        x = int8(rng, (n, c, h, wd), extremes=mode == "saturate")
        w = int8(rng, (f, c, 3, 3), extremes=mode == "saturate")
        oh, ow = h + pads[0] + pads[2] - 2, wd + pads[1] + pads[3] - 2
        assert uses_winograd(rt, c, f, oh, ow, xzp, wzp)
        cases += check_conv_requant(rt, rng, x, xzp, w, wzp, 1, (1, 1), (1, 1), pads, mode)
    print(json.dumps({"isa": rt.qopt_rt_isa_int8().decode(), "cases": cases}))


@pytest.mark.parametrize("isa,available", ISAS, ids=[i for i, _ in ISAS])
@pytest.mark.parametrize("threads", [1, 2, 3])
def test_int8_winograd_matches_numpy(isa, available, threads, monkeypatch):
    if not available:
        pytest.skip(f"this CPU has no {isa}")
    monkeypatch.setenv("QOPT_CONV_WINOGRAD_INT8", "all")
    summary = run_kernel_checks(__file__, isa, threads)
    assert summary["isa"] == isa
    assert summary["cases"] == 16 * 4 + 9 * 3 * 3  # every case ran


def test_int8_winograd_switch():
    """By default only convolutions of at least 2^20 multiply-adds take the
    path; QOPT_CONV_WINOGRAD_INT8=0 turns it off for every shape."""
    code = ("import ctypes, sys; rt = ctypes.CDLL(sys.argv[1]); "
            "f = rt.qopt_rt_conv2d_s8_uses_winograd; f.argtypes = [ctypes.c_int64] * 12; "
            "print(f(64, 64, 3, 3, 56, 56, 1, 1, 1, 1, -3, 0), "
            "f(16, 16, 3, 3, 8, 8, 1, 1, 1, 1, -3, 0), "
            "f(64, 64, 3, 3, 56, 56, 2, 2, 1, 1, -3, 0), "
            "f(64, 64, 1, 1, 56, 56, 1, 1, 1, 1, -3, 0))")
    env = dict(os.environ)
    results = {}
    for mode in (None, "0", "all"):
        env.pop("QOPT_CONV_WINOGRAD_INT8", None)
        if mode is not None:
            env["QOPT_CONV_WINOGRAD_INT8"] = mode
        out = subprocess.run([sys.executable, "-c", code, LIB], env=env, capture_output=True,
                             text=True, check=True)
        results[mode] = out.stdout.split()
    assert results[None] == ["1", "0", "0", "0"]
    assert results["0"] == ["0", "0", "0", "0"]
    assert results["all"] == ["1", "1", "0", "0"]


def timings():
    """CPU time per call of qopt_rt_conv2d_nchw_s8_requant on ResNet-18's
    3x3 stride-1 layer shapes, one thread (minimum of 3 x 150 calls after 3
    warm-up calls; QOPT_CONV_WINOGRAD_INT8 as set in the environment):
    the table of docs/Runtime.md."""
    import time
    rt = load_rt()
    rt.qopt_rt_set_num_threads.argtypes = [ctypes.c_int]
    rt.qopt_rt_set_num_threads(1)
    rng = np.random.default_rng(0)
    for c, hw in [(64, 56), (128, 28), (256, 14), (512, 7)]:
        x = int8(rng, (1, c, hw, hw))
        w = rng.integers(-127, 128, size=(c, c, 3, 3), dtype=np.int8)
        out = np.zeros((1, c, hw, hw), np.int8)
        bias = rng.integers(-5000, 5000, size=c).astype(np.int32)
        m = rng.integers(2**30, 2**31, size=c).astype(np.int64)
        s = np.full(c, 40, np.int64)
        slot = ctypes.c_void_p(0)
        args = (addr(x), addr(w), addr(out), 1, 1, c, hw, hw, c, 3, 3, hw, hw, 1, 1, 1, 1,
                1, 1, 1, 1, -3, 0, ctypes.addressof(slot), addr(bias), addr(m), addr(s), 0, 0,
                0, -5, -128, 127)
        for _ in range(3):
            rt.qopt_rt_conv2d_nchw_s8_requant(*args)
        best = float("inf")
        for _ in range(3):
            t0 = time.process_time()
            for _ in range(150):
                rt.qopt_rt_conv2d_nchw_s8_requant(*args)
            best = min(best, (time.process_time() - t0) / 150 * 1e3)
        path = "winograd" if uses_winograd(rt, c, c, hw, hw, -3, 0) else "im2col"
        print(f"{c} channels, {hw}x{hw}: {best:.2f} ms ({path})")


if __name__ == "__main__":
    if sys.argv[1:] == ["--timings"]:
        timings()
    else:
        check_all()
