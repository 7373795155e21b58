"""3x3 depthwise convolutions (lib/Runtime/Depthwise.cpp, the AVX2 kernel
behind qopt_rt_conv2d_nchw_f32{,_epilogue} for 3x3 stride 1 and 2).

The channel-blocked kernel (DepthwiseBlocked.inc: 8 or 16 channels in the
lanes, transposed in and out) runs every case with QOPT_DEPTHWISE_BLOCKED=1,
and BLOCKED_CASES add its edges: channel counts that leave a partial last
block of 8 or 16 lanes, widths 1 to 17, planes of fewer pixels than lanes
(masked loads, partial stores), 1-, 2- and 3-wide rows, stride 2, batches.

Each case runs in a fresh process per ISA (run_kernel_checks): with
QOPT_ISA=avx2 (avx512) the AVX2 (AVX-512) instantiation of the kernel
computes it (planes at most 8 wide: the AVX2 one on either ISA), with QOPT_ISA=generic the general depthwise loop of Conv2D.cpp
does. All are checked against float64 numpy within rounding, and each
kernel's outputs must equal the general loop's bit for bit (same taps, same
order, the same FMAs where the CPU has them). Shapes: widths 1 to 67
(partial 8-, 16- and 32-lane blocks, stores that run into the next rows,
the plane's last rows), heights that leave 1 to 5 rows after the 3- or
6-row blocks, MobileNetV2's planes, asymmetric and no
padding, batches, a NaN input; the epilogue with bias, residual (last-row
path), ReLU6 and bounds of +-0.
"""
import json
import os
import tempfile

import numpy as np
import pytest

from runtime_ctypes import addr, cpu_has, load_conv_runtime as load, maximumf, minimumf, run_kernel_checks

BIAS, MIN, MAX, RESIDUAL = 1, 4, 8, 16

CASES = [  # n, channels, h, w, stride, pads (top, left, bottom, right)
    (1, 4, 7, 7, 1, (1, 1, 1, 1)),
    (1, 4, 14, 14, 1, (1, 1, 1, 1)),
    (1, 3, 28, 28, 1, (1, 1, 1, 1)),
    (1, 2, 56, 56, 1, (1, 1, 1, 1)),
    (1, 2, 112, 112, 2, (0, 0, 1, 1)),   # torchvision's stride-2 padding
    (1, 3, 14, 14, 2, (1, 1, 1, 1)),
    (1, 3, 28, 28, 2, (1, 1, 1, 1)),
    (2, 3, 9, 1, 1, (1, 1, 1, 1)),
    (1, 5, 1, 9, 1, (1, 1, 1, 1)),
    (1, 3, 11, 8, 1, (1, 1, 1, 1)),
    (1, 3, 12, 9, 1, (1, 1, 1, 1)),
    (1, 3, 13, 17, 1, (1, 1, 1, 1)),
    (1, 3, 10, 24, 1, (0, 0, 0, 0)),
    (1, 3, 8, 25, 1, (2, 1, 0, 2)),
    (1, 3, 15, 37, 2, (1, 1, 1, 1)),
    (1, 3, 17, 16, 2, (1, 0, 2, 1)),
    (1, 2, 5, 3, 2, (1, 1, 1, 1)),
    # AVX-512: 16-lane blocks, 32-lane wide ones, 6-row wide blocks.
    (1, 2, 11, 40, 1, (1, 1, 1, 1)),     # 32 + a 8-lane tail, 5 rows left
    (1, 2, 16, 64, 1, (1, 1, 1, 1)),     # two whole 32-lane blocks
    (1, 2, 9, 33, 1, (1, 1, 1, 1)),      # 32 + 1, 3 rows left
    (1, 2, 7, 49, 1, (0, 0, 0, 0)),      # unpadded: 47 = 32 + 15
    (1, 2, 19, 50, 2, (1, 1, 1, 1)),     # stride 2: 25 = 16 + 9
    (1, 2, 23, 67, 2, (0, 0, 1, 1)),     # stride 2: 33 = 32 + 1, 5 rows left
    (1, 2, 14, 47, 2, (1, 2, 1, 2)),     # left padding 2 (split after padding)
]

# The channel-blocked kernel's edges (run with QOPT_DEPTHWISE_BLOCKED=1).
BLOCKED_CASES = [
    (1, 2, 7, 7, 1, (1, 1, 1, 1)),       # 2 channels: 6 (14) lanes unused
    (1, 7, 14, 14, 1, (1, 1, 1, 1)),
    (1, 8, 7, 7, 2, (1, 1, 1, 1)),       # one whole AVX2 block, stride 2
    (1, 9, 5, 6, 1, (1, 1, 1, 1)),       # 8 + 1
    (1, 15, 4, 4, 1, (1, 1, 1, 1)),      # 16 pixels: exactly one group
    (1, 16, 3, 5, 1, (1, 1, 1, 1)),      # 15 pixels < 16 lanes
    (2, 17, 6, 3, 2, (1, 1, 1, 1)),      # batches, 16 + 1
    (1, 33, 2, 2, 1, (1, 1, 1, 1)),      # 4 pixels: masked loads
    (1, 5, 1, 1, 1, (1, 1, 1, 1)),       # one pixel
    (1, 5, 3, 2, 2, (1, 1, 1, 1)),       # 2x1 output
    (1, 10, 9, 1, 1, (1, 1, 1, 1)),      # 1-wide rows
    (1, 12, 8, 3, 1, (0, 0, 0, 0)),      # unpadded: 6x1 output
    (1, 24, 11, 9, 1, (0, 1, 2, 1)),     # asymmetric padding
    (1, 19, 13, 11, 1, (1, 1, 1, 1)),    # rows of 11: 8 + 3 pixel groups
    (1, 20, 16, 16, 1, (1, 1, 1, 1)),
    (1, 21, 17, 17, 2, (1, 1, 1, 1)),
    (1, 23, 15, 13, 2, (0, 0, 1, 1)),
    (1, 18, 12, 12, 2, (2, 1, 0, 2)),
    (1, 40, 28, 28, 1, (1, 1, 1, 1)),
    (1, 40, 28, 28, 2, (1, 1, 1, 1)),
]

# (flags, lo, hi): ReLU6 and other bias + clamps (on the vectors), bounds
# of +-0 without a bias, a residual, a clamp alone, a bias alone (the
# scalar epilogue over each finished plane).
EPILOGUES = [(BIAS | MIN | MAX, 0.0, 6.0), (BIAS | MIN | MAX, -0.5, 0.25),
             (MIN | MAX, -0.0, 0.0), (BIAS | RESIDUAL | MAX, 0.0, 0.5),
             (MIN, 0.0, 0.0), (BIAS, 0.0, 0.0)]




def depthwise_ref(x, w, stride, pads):
    pt, pl, pb, pr = pads
    xp = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (pt, pb), (pl, pr)))
    oh = (xp.shape[2] - 3) // stride + 1
    ow = (xp.shape[3] - 3) // stride + 1
    out = np.zeros(x.shape[:2] + (oh, ow))
    for ky in range(3):
        for kx in range(3):
            out += w[None, :, 0, ky, kx, None, None] * xp[
                :, :, ky:ky + stride * (oh - 1) + 1:stride, kx:kx + stride * (ow - 1) + 1:stride]
    return out


def cases():
    """CASES, and BLOCKED_CASES where QOPT_DEPTHWISE_BLOCKED=1 forces the
    channel-blocked kernel (or QOPT_DEPTHWISE_CASES=all asks for them)."""
    blocked = os.environ.get("QOPT_DEPTHWISE_BLOCKED") == "1"
    return CASES + (BLOCKED_CASES if blocked or
                    os.environ.get("QOPT_DEPTHWISE_CASES") == "all" else [])


def outputs():
    """Every case's outputs (plain, then each epilogue), in order."""
    rt = load()
    rng = np.random.default_rng(11)
    results = []
    for n, c, h, wd, s, pads in cases():
        x = rng.standard_normal((n, c, h, wd), dtype=np.float32)
        x[:, 0, ::2] = 0.0  # exact zero sums for the ±0 bounds
        x[-1, -1, h // 2, wd // 2] = np.nan  # NaN sums: the clamps keep them
        w = rng.standard_normal((c, 1, 3, 3), dtype=np.float32)
        ref = depthwise_ref(x, w, s, pads)
        oh, ow = ref.shape[2:]
        args = lambda out: (addr(x), addr(w), addr(out), n, c, 1, h, wd, 1, 3, 3, oh, ow,
                            s, s, 1, 1, *pads, 0)
        plain = np.full(ref.shape, np.nan, np.float32)
        rt.qopt_rt_conv2d_nchw_f32(*args(plain), 0)
        finite = np.isfinite(ref)
        tol = 1e-5 * 3 * (1 + np.abs(ref[finite]).max())
        assert np.abs(plain[finite] - ref[finite]).max() <= tol, (n, c, h, wd, s, pads)
        assert np.array_equal(np.isnan(plain), ~finite), (n, c, h, wd, s, pads)
        results.append(plain)
        bias = rng.standard_normal(c).astype(np.float32)
        residual = rng.standard_normal(ref.shape).astype(np.float32)
        for flags, lo, hi in EPILOGUES:
            out = np.full(ref.shape, np.nan, np.float32)
            rt.qopt_rt_conv2d_nchw_f32_epilogue(*args(out), addr(bias), 0.0, addr(residual),
                                                lo, hi, flags)
            v = plain.copy()
            if flags & BIAS:
                v = (v + bias[None, :, None, None]).astype(np.float32)
            if flags & RESIDUAL:
                v = (residual + v).astype(np.float32)
            if flags & MIN:
                v = maximumf(v, np.float32(lo))
            if flags & MAX:
                v = minimumf(v, np.float32(hi))
            assert np.array_equal(out.view(np.uint32), v.view(np.uint32)), (
                n, c, h, wd, s, pads, flags, lo, hi)
            results.append(out)
    return rt.qopt_rt_isa().decode(), results


def check_all():
    isa, results = outputs()
    # The pytest case compares two ISAs' outputs bit for bit through this
    # file; run alone (benchmarks/device_cpu.py), the checks above suffice.
    if "QOPT_DEPTHWISE_OUT" in os.environ:
        np.savez(os.environ["QOPT_DEPTHWISE_OUT"], *results)
    print(json.dumps({"isa": isa, "cases": len(results)}))


# avx512emu: AVX-512's instantiation of the kernel in AVX2 code (SimdISA.h),
# so that an AVX2 machine tests its logic.
ISAS = [("avx2", cpu_has("avx2") and cpu_has("fma")),
        ("avx512emu", cpu_has("avx2") and cpu_has("fma")),
        ("avx512", cpu_has("avx512f") and cpu_has("avx512vl"))]


@pytest.mark.parametrize("isa,available", ISAS, ids=[i for i, _ in ISAS])
@pytest.mark.parametrize("threads", [1, 2])
def test_depthwise_kernel_matches_general_loop(isa, available, threads):
    if not available:
        pytest.skip(f"this CPU has no {isa}")
    kernel = isa
    with tempfile.TemporaryDirectory() as tmp:
        got = {}
        for isa in ("generic", kernel):
            os.environ["QOPT_DEPTHWISE_OUT"] = os.path.join(tmp, isa + ".npz")
            summary = run_kernel_checks(__file__, isa, threads)
            assert summary["isa"] == isa
            assert summary["cases"] == len(CASES) * (1 + len(EPILOGUES))
            got[isa] = saved_outputs(os.environ["QOPT_DEPTHWISE_OUT"])
        for i, (a, b) in enumerate(zip(got["generic"], got[kernel])):
            assert np.array_equal(a.view(np.uint32), b.view(np.uint32)), (
                i, CASES[i // (1 + len(EPILOGUES))])


def saved_outputs(path):
    """The outputs a check_all run saved to `path`, in case order."""
    with np.load(path) as z:
        return [z[k] for k in sorted(z.files, key=lambda k: int(k.split("_")[1]))]


def outputs_of_splits(isa, monkeypatch):
    """Every case's outputs under several pool splits (QOPT_NUM_THREADS,
    QOPT_CHUNKS_PER_THREAD: several chunks per thread)."""
    with tempfile.TemporaryDirectory() as tmp:
        got = []
        for threads, chunks in [(1, 1), (2, 1), (2, 3), (3, 4)]:
            path = os.path.join(tmp, f"{threads}_{chunks}.npz")
            monkeypatch.setenv("QOPT_DEPTHWISE_OUT", path)
            monkeypatch.setenv("QOPT_CHUNKS_PER_THREAD", str(chunks))
            assert run_kernel_checks(__file__, isa, threads)["isa"] == isa
            got.append(saved_outputs(path))
        return got


@pytest.mark.parametrize("isa,available", ISAS, ids=[i for i, _ in ISAS])
def test_depthwise_same_bits_for_any_split(isa, available, monkeypatch):
    """The pool's split changes no bit of the outputs."""
    if not available:
        pytest.skip(f"this CPU has no {isa}")
    got = outputs_of_splits(isa, monkeypatch)
    for other in got[1:]:
        for i, (a, b) in enumerate(zip(got[0], other)):
            assert np.array_equal(a.view(np.uint32), b.view(np.uint32)), (
                i, CASES[i // (1 + len(EPILOGUES))])


@pytest.mark.parametrize("isa,available", ISAS, ids=[i for i, _ in ISAS])
@pytest.mark.parametrize("threads", [1, 2])
def test_blocked_kernel_matches_general_loop(isa, available, threads, monkeypatch):
    """The channel-blocked kernel, forced on every case (QOPT_DEPTHWISE_BLOCKED
    =1) and on its edges: within rounding of numpy (each run checks) and the
    general loop's outputs bit for bit."""
    if not available:
        pytest.skip(f"this CPU has no {isa}")
    monkeypatch.setenv("QOPT_DEPTHWISE_CASES", "all")
    all_cases = CASES + BLOCKED_CASES
    with tempfile.TemporaryDirectory() as tmp:
        got = {}
        for run_isa, blocked in (("generic", "0"), (isa, "1")):
            path = os.path.join(tmp, run_isa + ".npz")
            monkeypatch.setenv("QOPT_DEPTHWISE_OUT", path)
            monkeypatch.setenv("QOPT_DEPTHWISE_BLOCKED", blocked)
            summary = run_kernel_checks(__file__, run_isa, threads)
            assert summary["isa"] == run_isa
            assert summary["cases"] == len(all_cases) * (1 + len(EPILOGUES))
            got[run_isa] = saved_outputs(path)
        for i, (a, b) in enumerate(zip(got["generic"], got[isa])):
            assert np.array_equal(a.view(np.uint32), b.view(np.uint32)), (
                i, all_cases[i // (1 + len(EPILOGUES))])


@pytest.mark.parametrize("isa,available", ISAS, ids=[i for i, _ in ISAS])
def test_blocked_same_bits_for_any_split(isa, available, monkeypatch):
    """The channel blocks split over the pool any way give the same bits."""
    if not available:
        pytest.skip(f"this CPU has no {isa}")
    monkeypatch.setenv("QOPT_DEPTHWISE_BLOCKED", "1")
    got = outputs_of_splits(isa, monkeypatch)
    for other in got[1:]:
        for i, (a, b) in enumerate(zip(got[0], other)):
            assert np.array_equal(a.view(np.uint32), b.view(np.uint32)), i


def test_blocked_weights_packed_once_in_slot():
    """With a weight slot (what the compiler passes for constant depthwise
    weights), the channel-blocked kernel packs the weights there on the first
    call and reuses them: every call's outputs are those without a slot."""
    import ctypes
    if not (cpu_has("avx2") and cpu_has("fma")):
        pytest.skip("no AVX2: the blocked kernel does not run")
    rt = load()
    rng = np.random.default_rng(5)
    n, c, h, wd = 1, 37, 14, 14
    x = rng.standard_normal((n, c, h, wd), dtype=np.float32)
    w = rng.standard_normal((c, 1, 3, 3), dtype=np.float32)
    bias = rng.standard_normal(c).astype(np.float32)
    slot = ctypes.c_void_p(0)

    def run(slot_addr):
        out = np.full((n, c, h, wd), np.nan, np.float32)
        rt.qopt_rt_conv2d_nchw_f32_epilogue(
            addr(x), addr(w), addr(out), n, c, 1, h, wd, 1, 3, 3, h, wd, 1, 1, 1, 1,
            1, 1, 1, 1, slot_addr, addr(bias), 0.0, 0, 0.0, 6.0, BIAS | MIN | MAX)
        return out

    want = run(0)
    ref = np.clip(depthwise_ref(x, w, 1, (1, 1, 1, 1)) + bias[None, :, None, None], 0, 6)
    assert np.abs(want - ref).max() <= 1e-5 * 3 * (1 + np.abs(ref).max())
    first = run(ctypes.addressof(slot))
    assert slot.value  # the packed weights were published
    packed = slot.value
    second = run(ctypes.addressof(slot))
    assert slot.value == packed  # and reused, not packed again
    for got in (first, second):
        assert np.array_equal(got.view(np.uint32), want.view(np.uint32))


if __name__ == "__main__":
    check_all()
