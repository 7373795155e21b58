"""Direct int8 convolutions of small planes over stride-phase planes
(lib/Runtime/Int8DirectConv.cpp) through qopt_rt_conv2d_nchw_s8 and
qopt_rt_conv2d_nchw_s8_requant, bit for bit against numpy's int64
int_conv2d (+ bias, then rescale in Python integers): docs/Numerics.md.

Which cases take the path is checked against its rule restated here
(qopt_rt_conv2d_s8_uses_direct; the generic ISA takes none), for each
instruction set the CPU has (QOPT_ISA, a new process each) and 1 and 2
threads. Cases: fashion_cnn's layers (3x3 stride 1 and 2 on 28, 14, 7 and
4 wide planes, 1x1 stride 2), every output width from 1 to 33 (the 8-,
16- and 32-lane tiles, two rows of up to 4 per vector, partial vectors, and
the widths the path refuses), odd channel counts (a half-empty channel
pair), output channels off the tiles' 6, 8 and 16 rows, odd planes whose
padded size is not a multiple of the stride, asymmetric padding, stride 3,
dilation 2, 5x5 and 1x3 kernels, 300 input channels, groups, batches, input
zero points -128, 127 and outside int8 (the padding is then not a byte),
weight zero points, every operand at the extreme, overwrite and accumulate
with and without the packed-weight cache, an input above the 16384 values
the path takes; requantized: per-channel and per-tensor scales, bias or
none, accumulator and output zero points, ties at .5 and saturation at
both ends."""
import ctypes
import json

import numpy as np
import pytest

from runtime_ctypes import addr, run_kernel_checks
from test_runtime_int8_kernels import ISAS, check_conv_requant, conv_ref, int8, load, wrap32

# n, groups, c, f, h, w, kh, kw, (sh, sw), (dh, dw), pads t l b r, xzp, wzp
SHAPES = [
    (1, 1, 1, 16, 28, 28, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), -14, 0),
    (1, 1, 16, 16, 14, 14, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), 3, 0),
    (1, 1, 16, 32, 14, 14, 3, 3, (2, 2), (1, 1), (1, 1, 1, 1), -128, 0),
    (1, 1, 32, 32, 7, 7, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), 127, 0),
    (1, 1, 16, 32, 14, 14, 1, 1, (2, 2), (1, 1), (0, 0, 0, 0), -5, 0),
    (1, 1, 32, 64, 7, 7, 3, 3, (2, 2), (1, 1), (1, 1, 1, 1), 9, 0),
    (1, 1, 64, 64, 4, 4, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), -1, 0),
    (1, 1, 32, 64, 7, 7, 1, 1, (2, 2), (1, 1), (0, 0, 0, 0), 0, 0),
    (2, 1, 5, 7, 13, 11, 3, 3, (2, 2), (1, 1), (1, 0, 2, 1), 127, -128),
    (1, 1, 4, 9, 17, 19, 3, 3, (3, 3), (1, 1), (1, 1, 1, 1), -128, 127),
    (1, 1, 6, 10, 15, 15, 3, 3, (1, 1), (2, 2), (2, 2, 2, 2), 5, -2),
    (1, 1, 3, 8, 20, 20, 5, 5, (1, 2), (1, 1), (2, 2, 2, 2), -7, 1),
    (1, 1, 7, 13, 9, 30, 1, 3, (1, 1), (1, 1), (0, 1, 0, 1), 200, 0),
    (1, 1, 300, 5, 5, 5, 3, 3, (1, 1), (1, 1), (0, 1, 0, 1), -300, 3),
    (1, 2, 8, 12, 10, 10, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), 11, 0),
    (1, 1, 2, 3, 6, 6, 3, 3, (2, 2), (1, 1), (0, 0, 1, 1), 0, -1),
    (1, 1, 65, 8, 16, 16, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), 2, 0),  # input too large
] + [  # every output width 1..33
    (1, 1, 3, 7, 2, ow, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), -3, 0) for ow in range(1, 34)
]


def out_size(shape):
    n, groups, c, f, h, wd, kh, kw, (sh, sw), (dh, dw), pads, xzp, wzp = shape
    return ((h + pads[0] + pads[2] - dh * (kh - 1) - 1) // sh + 1,
            (wd + pads[1] + pads[3] - dw * (kw - 1) - 1) // sw + 1)


def winograd(shape):
    """qopt_rt::int8WinogradApplies's default rule for these shapes (3x3
    stride 1, at least 2^20 multiply-adds; the zero points here are within
    its bounds)."""
    n, groups, c, f, h, wd, kh, kw, (sh, sw), (dh, dw), pads, xzp, wzp = shape
    oh, ow = out_size(shape)
    return ((kh, kw, sh, sw, dh, dw) == (3, 3, 1, 1, 1, 1)
            and 9 * c * f * oh * ow >= 2**20)


def expect_direct(shape, isa):
    """The rule of qopt_rt::int8DirectConvApplies, restated: an AVX2 or
    AVX-512BW kernel, inputs of at most 16384 values, rows at most 32 wide,
    not 1x1 stride 1, zero points within [-32640, 32639], and at least half
    of each row's lanes holding outputs (rows of up to 4 two to an 8-lane
    vector, 8 lanes up to 8, then 16, and on AVX-512 32 for wider rows)."""
    n, groups, c, f, h, wd, kh, kw, (sh, sw), (dh, dw), pads, xzp, wzp = shape
    oh, ow = out_size(shape)
    wide512 = isa in ("avx512", "avx512vnni")
    if not (wide512 or isa in ("avx2", "avxvnni")) or winograd(shape):
        return False
    if ow > 32 or c * h * wd > 16384 or (kh, kw, sh, sw) == (1, 1, 1, 1):
        return False
    if not all(-32640 <= z <= 32639 for z in (xzp, wzp)):
        return False
    width = 4 if ow <= 4 else 8 if ow <= 8 else 16 if (not wide512 or ow <= 16) else 32
    return 2 * ow >= -(-ow // width) * width


def uses_direct(rt, shape):
    n, groups, c, f, h, wd, kh, kw, (sh, sw), (dh, dw), pads, xzp, wzp = shape
    oh, ow = out_size(shape)
    return rt.qopt_rt_conv2d_s8_uses_direct(groups, c, h, wd, f, kh, kw, oh, ow, sh, sw,
                                            dh, dw, xzp, wzp)


def conv_int32(rt, rng, shape, extremes=False):
    """Overwrite, accumulate, cached and not: 4 calls."""
    n, groups, c, f, h, wd, kh, kw, (sh, sw), (dh, dw), pads, xzp, wzp = shape
    x = int8(rng, (n, groups * c, h, wd), extremes)
    w = int8(rng, (groups * f, c, kh, kw), extremes)
    ref = conv_ref(x, xzp, w, wzp, groups, (sh, sw), (dh, dw), pads)
    oh, ow = ref.shape[2:]
    slot = ctypes.c_void_p(0)
    for accumulate, cached in ((False, False), (True, False), (False, True), (True, True)):
        out0 = rng.integers(-2**31, 2**31, size=ref.shape, dtype=np.int64).astype(np.int32)
        out = out0.copy()
        rt.qopt_rt_conv2d_nchw_s8(addr(x), addr(w), addr(out), n, groups, c, h, wd, f, kh, kw,
                                  oh, ow, sh, sw, dh, dw, *pads, xzp, wzp,
                                  ctypes.addressof(slot) if cached else 0, int(accumulate))
        expect = wrap32(ref + (out0.astype(np.int64) if accumulate else 0))
        assert np.array_equal(out, expect), (shape, accumulate, cached)
    return 4


def conv_requant(rt, rng, shape, mode):
    """The requantized form (check_conv_requant): 9 calls."""
    n, groups, c, f, h, wd, kh, kw, stride, dilation, pads, xzp, wzp = shape
    x = int8(rng, (n, groups * c, h, wd), mode == "saturate")
    w = int8(rng, (groups * f, c, kh, kw), mode == "saturate")
    return check_conv_requant(rt, rng, x, xzp, w, wzp, groups, stride, dilation, pads, mode)


def check_all():
    rt = load()
    rt.qopt_rt_conv2d_s8_uses_direct.argtypes = [ctypes.c_int64] * 15
    isa = rt.qopt_rt_isa_int8().decode()
    rng = np.random.default_rng(0)
    cases = taken = skipped = 0
    for shape in SHAPES:
        expected = expect_direct(shape, isa)
        assert uses_direct(rt, shape) == int(expected), (shape, isa)
        taken += expected
        xzp, pads = shape[-2], shape[-3]
        if not expected and not -128 <= xzp <= 127 and any(pads):
            # The im2col path copies the padding in as a byte: an input
            # zero point outside int8 cannot be one (a known limit of that
            # path, docs/Runtime.md). The direct path holds differences.
            skipped += 1
            continue
        cases += conv_int32(rt, rng, shape)
    # Every operand at the extreme: the largest sums of one sign.
    cases += conv_int32(rt, rng, (1, 1, 300, 6, 5, 5, 3, 3, (1, 1), (1, 1),
                                  (1, 1, 1, 1), 127, -128), extremes=True)
    for index, mode in [(0, "dyadic"), (1, "ties"), (2, "saturate"), (6, "tensor"),
                        (8, "dyadic"), (14, "dyadic"), (13, "ties")]:
        cases += conv_requant(rt, rng, SHAPES[index], mode)
    print(json.dumps({"isa": isa, "cases": cases, "taken": taken, "skipped": skipped}))


@pytest.mark.parametrize("isa,available", ISAS, ids=[i for i, _ in ISAS])
@pytest.mark.parametrize("threads", [1, 2])
def test_int8_direct_conv_matches_numpy(isa, available, threads):
    if not available:
        pytest.skip(f"this CPU has no {isa}")
    summary = run_kernel_checks(__file__, isa, threads)
    assert summary["isa"] == isa
    # Every case ran, but the im2col ones with an input zero point outside
    # int8 and padding (two shapes, where the path is not taken).
    assert summary["cases"] + 4 * summary["skipped"] == (len(SHAPES) + 1) * 4 + 7 * 9
    assert summary["skipped"] <= 2
    expected = sum(expect_direct(s, isa) for s in SHAPES)
    assert summary["taken"] == expected
    if isa != "generic":
        assert expected >= 40  # most cases exercise the path


if __name__ == "__main__":
    check_all()
