"""Direct convolutions of small planes over stride-phase planes
(lib/Runtime/DirectConv.cpp), called through qopt_rt_conv2d_nchw_f32 and
qopt_rt_conv2d_nchw_f32_epilogue, against a float64 numpy convolution.

Each output is one float32 FMA chain over the C·KH·KW taps, so its error is
within gamma(C·KH·KW) · sum |w| |x| (gamma(n) = n u / (1 - n u), u = 2^-24),
checked element by element; NaN inputs reach exactly the outputs whose
windows hold them. The result must not depend on the thread count (bit for
bit, one against two threads, with a case large enough to be split over the
pool). Shapes: fashion_cnn's layers (3x3 stride 1 and 2 on 28, 14, 7 and 4
wide planes, 1x1 stride 2), every output width from 1 to 33 (the 8-, 16- and
32-lane tiles, rows of up to 4 two to an 8-lane vector and four to a 16-lane one,
rows of up to 8 two to a 16-lane vector, the last group of rows partial, partial vectors, and the widths the path refuses),
channel counts that are not multiples of the tiles' 6, 8 and 16 rows, odd
planes whose padded size is not a multiple of the stride, asymmetric
padding, stride 3, dilation 2, 5x5 and 1x3 kernels, depths above 256,
groups, batches, accumulation into the output, every epilogue step, and an
input above the 16384 floats the path takes. Run per ISA as a script (the
path exists for AVX2 and AVX-512; the generic ISA must refuse it)."""
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
U = 2.0 ** -24

# n, groups, cg, fg, h, w, kh, kw, (sh, sw), (dh, dw), pads t l b r, flags, accumulate
CASES = [
    (1, 1, 1, 16, 28, 28, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | MIN, 0),
    (1, 1, 16, 16, 14, 14, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | MIN, 0),
    (1, 1, 16, 32, 14, 14, 3, 3, (2, 2), (1, 1), (1, 1, 1, 1), BIAS | MIN, 0),
    (1, 1, 32, 32, 7, 7, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | RESIDUAL | MIN, 0),
    (1, 1, 16, 32, 14, 14, 1, 1, (2, 2), (1, 1), (0, 0, 0, 0), BIAS, 0),
    (1, 1, 32, 64, 7, 7, 3, 3, (2, 2), (1, 1), (1, 1, 1, 1), 0, 0),
    (1, 1, 64, 64, 4, 4, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | RESIDUAL | MIN, 0),
    (1, 1, 32, 64, 7, 7, 1, 1, (2, 2), (1, 1), (0, 0, 0, 0), BIAS | MIN | MAX, 0),
    (2, 1, 5, 7, 13, 11, 3, 3, (2, 2), (1, 1), (1, 0, 2, 1), BIAS | MAX, 0),
    (1, 1, 4, 9, 17, 19, 3, 3, (3, 3), (1, 1), (1, 1, 1, 1), RESIDUAL, 0),
    (1, 1, 6, 10, 15, 15, 3, 3, (1, 1), (2, 2), (2, 2, 2, 2), BIAS, 0),
    (1, 1, 3, 8, 20, 20, 5, 5, (1, 2), (1, 1), (2, 2, 2, 2), BIAS | MIN, 0),
    (1, 1, 8, 13, 9, 30, 1, 3, (1, 1), (1, 1), (0, 1, 0, 1), 0, 0),
    (1, 1, 40, 17, 10, 10, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | RESIDUAL, 0),  # K = 360
    (1, 2, 8, 12, 10, 10, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | MIN | MAX, 0),
    (1, 1, 2, 3, 6, 6, 3, 3, (2, 2), (1, 1), (0, 0, 1, 1), 0, 0),
    (1, 1, 12, 20, 9, 9, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), 0, 1),          # accumulate
    (2, 1, 300, 5, 5, 5, 3, 3, (1, 1), (1, 1), (0, 1, 0, 1), 0, 1),          # K = 2700
    (1, 1, 64, 64, 16, 16, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | MIN, 0),  # pool-sized
    (1, 1, 65, 8, 16, 16, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), 0, 0),  # input too large
    # The last group of 4 (2) rows partial: 5 and 6 rows of 3 outputs, 9 of 6.
    (1, 1, 5, 17, 5, 3, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | RESIDUAL, 0),
    (2, 1, 3, 20, 11, 5, 3, 3, (2, 1), (1, 1), (1, 1, 1, 1), 0, 1),  # accumulate
    (1, 1, 7, 33, 9, 6, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), MIN | MAX, 0),
] + [  # every output width 1..33 (stride 1, 3x3, one row of padding each side)
    (1, 1, 3, 7, 2, ow, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS, 0) for ow in range(1, 34)
]


def out_size(case):
    n, groups, cg, fg, h, wd, kh, kw, (sh, sw), (dh, dw), pads, flags, acc = case
    oh = (h + pads[0] + pads[2] - dh * (kh - 1) - 1) // sh + 1
    ow = (wd + pads[1] + pads[3] - dw * (kw - 1) - 1) // sw + 1
    return oh, ow


def expect_direct(case, isa):
    """The rule of qopt_rt::usesDirectConv, restated: AVX2 or AVX-512,
    inputs of at most 16384 floats, outputs at most 32 wide, not 1x1 stride 1, and at least half of the
    lanes of each row's tiles holding outputs (rows of up to 4 outputs two
    to an 8-lane vector, 8 lanes up to 8 outputs, then 16, and 32 for wider
    rows on AVX-512)."""
    n, groups, cg, fg, h, wd, kh, kw, (sh, sw), (dh, dw), pads, flags, acc = case
    oh, ow = out_size(case)
    if (isa not in ("avx2", "avx512", "avx512emu") or ow > 32 or (kh, kw, sh, sw) == (1, 1, 1, 1)
            or cg * h * wd > 16384):
        return False
    width = 4 if ow <= 4 else 8 if ow <= 8 else 16 if (isa == "avx2" or ow <= 16) else 32
    # (On AVX-512 the rows of up to 4 and 8 go four and two to a 16-lane
    # vector: the same width per row.)
    tiles = -(-ow // width)
    return 2 * ow >= tiles * width


def run_case(rt, case, index):
    """Returns (output, float64 reference, error bound)."""
    n, groups, cg, fg, h, wd, kh, kw, (sh, sw), (dh, dw), pads, flags, acc = case
    rng = np.random.default_rng(index)
    x = rng.standard_normal((n, groups * cg, h, wd), dtype=np.float32)
    x[:, 0, 0, : min(wd, 2)] = np.nan
    w = rng.standard_normal((groups * fg, cg, kh, kw), dtype=np.float32)
    oh, ow = out_size(case)
    f = groups * fg
    bias = rng.standard_normal(f).astype(np.float32)
    residual = rng.standard_normal((n, f, oh, ow)).astype(np.float32)
    init = rng.standard_normal((n, f, oh, ow)).astype(np.float32)
    out = init.copy()
    args = (addr(x), addr(w), addr(out), n, groups, cg, h, wd, fg, kh, kw, oh, ow,
            sh, sw, dh, dw, *pads, 0)
    lo, hi = np.float32(-0.5), np.float32(0.75)
    if flags:
        rt.qopt_rt_conv2d_nchw_f32_epilogue(*args, addr(bias), 0.0, addr(residual),
                                            float(lo), float(hi), flags)
    else:
        rt.qopt_rt_conv2d_nchw_f32(*args, acc)
    ref = conv_ref(x, w, groups, (sh, sw), (dh, dw), pads)
    magnitude = conv_ref(np.abs(np.nan_to_num(x)), np.abs(w), groups, (sh, sw), (dh, dw), pads)
    depth = cg * kh * kw
    bound = depth * U / (1 - depth * U) * magnitude
    if acc:
        ref = ref + init
        bound = bound + (np.abs(ref) + bound) * U  # the final add's rounding
    # The epilogue's steps round too (one ulp each of its results).
    if flags & BIAS:
        ref = ref + bias[None, :, None, None]
        bound = bound + np.abs(ref) * U
    if flags & RESIDUAL:
        ref = ref + residual
        bound = bound + np.abs(ref) * U
    if flags & MIN:
        ref = np.where(np.isnan(ref), ref, np.maximum(ref, lo))
    if flags & MAX:
        ref = np.where(np.isnan(ref), ref, np.minimum(ref, hi))
    return out, ref, bound


def check_all():
    """Runs every case in this process, checks each against numpy, saves
    the outputs to the .npz that DIRECT_CONV_OUT names (if set); prints a
    JSON summary."""
    rt = load_conv_runtime()
    rt.qopt_rt_conv2d_f32_uses_direct.argtypes = [ctypes.c_int64] * 13
    isa = rt.qopt_rt_isa().decode()
    outputs, taken = {}, 0
    for i, case in enumerate(CASES):
        n, groups, cg, fg, h, wd, kh, kw, (sh, sw), (dh, dw), pads, flags, acc = case
        oh, ow = out_size(case)
        uses = rt.qopt_rt_conv2d_f32_uses_direct(groups, cg, h, wd, fg, kh, kw, oh, ow, sh, sw,
                                                 dh, dw)
        assert uses == int(expect_direct(case, isa)), (case, uses)
        taken += uses
        out, ref, bound = run_case(rt, case, i)
        nan = np.isnan(ref)
        assert np.array_equal(np.isnan(out), nan), case
        err = np.abs(out[~nan].astype(np.float64) - ref[~nan])
        assert np.all(err <= bound[~nan]), (case, float((err - bound[~nan]).max()))
        outputs[f"c{i}"] = out
    if "DIRECT_CONV_OUT" in os.environ:
        np.savez(os.environ["DIRECT_CONV_OUT"], **outputs)
    print(json.dumps({"isa": isa, "cases": len(CASES), "taken": taken}))


# avx512emu: the AVX-512 tiles (rows of up to 4 four to a vector, of up to 8
# two to a vector) compiled for AVX2.
ISAS = [("generic", True), ("avx2", cpu_has("avx2")), ("avx512", cpu_has("avx512f")),
        ("avx512emu", cpu_has("avx2"))]


@pytest.mark.parametrize("isa,available", ISAS, ids=[i for i, _ in ISAS])
def test_direct_conv_matches_numpy(isa, available):
    if not available:
        pytest.skip(f"this CPU has no {isa}")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for threads in [1, 2]:
            path = os.path.join(tmp, f"out{threads}.npz")
            env = dict(os.environ, QOPT_ISA=isa, QOPT_NUM_THREADS=str(threads),
                       DIRECT_CONV_OUT=path)
            p = subprocess.run([sys.executable, __file__], env=env, capture_output=True,
                               text=True, timeout=600)
            assert p.returncode == 0, p.stderr
            summary = json.loads(p.stdout.strip().splitlines()[-1])
            assert summary["isa"] == isa and summary["cases"] == len(CASES)
            expected = sum(expect_direct(c, isa) for c in CASES)
            assert summary["taken"] == expected
            if isa != "generic":
                assert expected >= 40  # most cases exercise the path
            results.append(dict(np.load(path)))
    one, two = results
    for name in one:
        assert one[name].tobytes() == two[name].tobytes(), name


if __name__ == "__main__":
    check_all()
