"""Small-plane convolutions with output channels in the vector lanes
(lib/Runtime/ChannelConv.cpp), called through qopt_rt_conv2d_nchw_f32 and
qopt_rt_conv2d_nchw_f32_epilogue, against a float64 numpy convolution
(test_runtime_direct_conv.run_case: each output within the FMA-chain bound
gamma(C·KH·KW) · sum |w| |x| plus one rounding per epilogue step, NaNs
exactly where the windows hold them).

Beyond numpy: the path must be taken exactly where its rule says (restated
here as expect_channels), its results must not depend on the thread count
(bit for bit, one against two threads, with cases large enough to be split
over the pool), and they must equal DirectConv.cpp's bit for bit wherever
that path takes the shape too (the same FMA chain over (c, ky, kx) per
output, QOPT_CONV_CHANNEL=0). Every compiled tile shape of AVX2 and of
AVX-512 (as avx512emu) runs every case (QOPT_CONV_CHANNEL_TILE), so each
tile meets rows and columns that are not multiples of its W and R, channel
counts that are not multiples of its vectors, strides 1 and 2 in either
direction (and 3 down the rows), padding, dilation, 1x3 and 5x5 kernels,
groups, batches, accumulation and every epilogue step."""
import ctypes
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import pytest

from runtime_ctypes import cpu_has, load_conv_runtime
from test_runtime_direct_conv import BIAS, MAX, MIN, RESIDUAL, out_size, run_case

# n, groups, cg, fg, h, w, kh, kw, (sh, sw), (dh, dw), pads t l b r, flags, accumulate
CASES = [
    # fashion_cnn's layers
    (1, 1, 16, 16, 14, 14, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | MIN, 0),
    (1, 1, 16, 32, 14, 14, 3, 3, (2, 2), (1, 1), (1, 1, 1, 1), BIAS | MIN, 0),
    (1, 1, 16, 32, 14, 14, 1, 1, (2, 2), (1, 1), (0, 0, 0, 0), BIAS, 0),
    (1, 1, 32, 32, 7, 7, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | RESIDUAL | MIN, 0),
    (1, 1, 32, 64, 7, 7, 3, 3, (2, 2), (1, 1), (1, 1, 1, 1), 0, 0),
    (1, 1, 32, 64, 7, 7, 1, 1, (2, 2), (1, 1), (0, 0, 0, 0), BIAS | MIN | MAX, 0),
    (1, 1, 64, 64, 4, 4, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | RESIDUAL | MIN, 0),
    # too few products per output (1 input channel): DirectConv's
    (1, 1, 1, 16, 28, 28, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | MIN, 0),
    # channels not a multiple of 8, 16 or 32 (the last block zero-padded)
    (1, 1, 8, 24, 14, 14, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | RESIDUAL, 0),
    (1, 1, 8, 12, 9, 9, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | MAX, 0),
    (1, 1, 6, 56, 8, 8, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), MIN, 0),
    (1, 1, 5, 28, 10, 10, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), 0, 1),  # accumulate
    (1, 1, 4, 8, 12, 12, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), 0, 0),
    # rows and columns not multiples of the tiles
    (1, 1, 4, 32, 13, 11, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS, 0),
    (2, 1, 3, 16, 15, 15, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | MIN | MAX, 0),
    (1, 1, 3, 32, 5, 3, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), RESIDUAL, 0),
    (1, 1, 4, 16, 30, 28, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), 0, 1),  # accumulate
    (1, 1, 2, 32, 24, 21, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), 0, 0),
    # strides: 2 down and across, across only, down only, 3 down
    (1, 1, 8, 32, 15, 15, 3, 3, (2, 2), (1, 1), (1, 1, 1, 1), BIAS | RESIDUAL, 0),
    (1, 1, 8, 16, 9, 17, 3, 3, (1, 2), (1, 1), (1, 1, 1, 1), 0, 1),
    (1, 1, 8, 16, 17, 9, 3, 3, (2, 1), (1, 1), (1, 1, 1, 1), BIAS, 0),
    (1, 1, 6, 32, 22, 14, 3, 3, (3, 1), (1, 1), (1, 1, 1, 1), MAX, 0),
    # asymmetric padding, none, dilation, other kernels
    (1, 1, 5, 16, 13, 11, 3, 3, (2, 2), (1, 1), (1, 0, 2, 1), BIAS | MAX, 0),
    (1, 1, 16, 32, 9, 9, 3, 3, (1, 1), (1, 1), (0, 0, 0, 0), RESIDUAL, 0),
    (1, 1, 6, 16, 15, 15, 3, 3, (1, 1), (2, 2), (2, 2, 2, 2), BIAS, 0),
    (1, 1, 3, 16, 20, 20, 5, 5, (2, 2), (1, 1), (2, 2, 2, 2), BIAS | MIN, 0),
    (1, 1, 8, 16, 9, 30, 1, 3, (1, 1), (1, 1), (0, 1, 0, 1), 0, 0),
    (1, 1, 40, 16, 10, 10, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | RESIDUAL, 0),  # K = 360
    (1, 2, 8, 16, 10, 10, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | MIN | MAX, 0),  # groups
    (2, 1, 300, 16, 5, 5, 3, 3, (1, 1), (1, 1), (0, 1, 0, 1), 0, 1),  # K = 2700
    # split over the pool at two threads (over 1M multiply-adds)
    (1, 1, 64, 64, 14, 14, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | MIN, 0),
    (1, 1, 64, 64, 16, 16, 3, 3, (2, 2), (1, 1), (1, 1, 1, 1), BIAS | RESIDUAL, 0),
    # the AVX-512 tiles' widths (14, 7, 4) and edges
    (1, 1, 8, 48, 14, 14, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | MIN, 0),
    (1, 1, 4, 16, 13, 28, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | RESIDUAL, 0),
    (1, 1, 4, 32, 9, 21, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), MAX, 0),
    (1, 1, 6, 16, 7, 7, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | RESIDUAL, 0),
    (1, 1, 6, 32, 11, 7, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), 0, 1),  # accumulate
    (1, 1, 12, 64, 4, 4, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS, 0),
    (1, 1, 8, 16, 6, 4, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), MIN | MAX, 0),
    (1, 1, 8, 28, 14, 14, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | RESIDUAL | MIN, 0),
    (1, 1, 8, 32, 13, 13, 3, 3, (2, 2), (1, 1), (1, 1, 1, 1), BIAS, 0),
    (2, 1, 8, 16, 27, 27, 3, 3, (2, 2), (1, 1), (1, 1, 1, 1), 0, 1),  # accumulate
    (1, 1, 8, 16, 14, 27, 3, 3, (1, 2), (1, 1), (1, 1, 1, 1), RESIDUAL, 0),
    (1, 1, 8, 32, 27, 14, 3, 3, (2, 1), (1, 1), (1, 1, 1, 1), BIAS | MAX, 0),
    (1, 1, 3, 16, 14, 14, 5, 5, (1, 1), (1, 1), (2, 2, 2, 2), BIAS | MIN, 0),
    (1, 1, 4, 32, 11, 11, 3, 3, (1, 1), (2, 2), (2, 2, 2, 2), BIAS, 0),
    (1, 2, 8, 16, 14, 14, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), BIAS | MIN | MAX, 0),
    (1, 1, 16, 32, 14, 14, 1, 1, (2, 2), (1, 1), (0, 0, 0, 0), 0, 1),  # accumulate
    # refused: stride 3 across, input above 16384 floats, 1x1 stride 1
    (1, 1, 4, 16, 17, 19, 3, 3, (3, 3), (1, 1), (1, 1, 1, 1), RESIDUAL, 0),
    (1, 1, 65, 16, 16, 16, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), 0, 0),
    (1, 1, 16, 16, 7, 7, 1, 1, (1, 1), (1, 1), (0, 0, 0, 0), 0, 0),
]

# The compiled tile shapes (W, R, NV) of ChannelConv.cpp, per ISA.
SHAPES = {
    "avx2": [(4, 1, 2), (4, 2, 1), (7, 1, 1), (6, 1, 2)],
    "avx512emu": [(14, 2, 1), (7, 4, 1), (4, 4, 1), (14, 1, 2), (7, 2, 2), (4, 2, 2),
                  (7, 1, 2), (4, 1, 2)],
}
LANES = {"avx2": 8, "avx512": 16, "avx512emu": 16}


def default_tile(isa, f, ow):
    """ChannelConv.cpp's defaultTile, restated."""
    if isa == "avx2":
        return (4, 1, 2) if f > 8 else (4, 2, 1)
    w = 14 if ow >= 14 else 7 if ow >= 7 else 4
    nv = 2 if f > 16 else 1
    r = (2 if w == 14 else 4) if nv == 1 else (1 if w == 14 else 2)
    return (w, r, nv)


def expect_channels(case, isa, tile=None):
    """qopt_rt::usesChannelConv, restated: AVX2 or AVX-512, outputs at most
    32 wide, column stride 1 or 2, inputs of at most 16384 floats, not 1x1
    stride 1, at least 16 products per output, and at least 3/4 of the
    outputs that whole tiles and channel blocks compute in use."""
    n, groups, cg, fg, h, wd, kh, kw, (sh, sw), (dh, dw), pads, flags, acc = case
    oh, ow = out_size(case)
    winograd = ((kh, kw, sh, sw, dh, dw) == (3, 3, 1, 1, 1, 1) and cg >= 16 and fg >= 16
                and 9 * cg * fg * oh * ow >= 1 << 24)  # Winograd.cpp's, first
    if (winograd or isa not in LANES or ow > 32 or sw not in (1, 2) or cg * h * wd > 16384
            or (kh, kw, sh, sw) == (1, 1, 1, 1) or cg * kh * kw < 16):
        return False
    w, r, nv = tile or default_tile(isa, fg, ow)
    nvl = LANES[isa] * nv
    computed = -(-ow // w) * w * (-(-oh // r) * r) * (-(-fg // nvl) * nvl)
    return 4 * ow * oh * fg >= 3 * computed


def check_all():
    """Runs every case in this process and checks it against numpy; saves
    the outputs to CHANNEL_CONV_OUT's .npz; prints a JSON summary with the
    cases each path took."""
    rt = load_conv_runtime()
    rt.qopt_rt_conv2d_f32_uses_channels.argtypes = [ctypes.c_int64] * 13
    rt.qopt_rt_conv2d_f32_uses_direct.argtypes = [ctypes.c_int64] * 13
    isa = rt.qopt_rt_isa().decode()
    tile = os.environ.get("QOPT_CONV_CHANNEL_TILE")
    tile = tuple(int(v) for v in tile.split(",")) if tile else None
    off = os.environ.get("QOPT_CONV_CHANNEL") == "0"
    outputs, channels, direct = {}, [], []
    for i, case in enumerate(CASES):
        n, groups, cg, fg, h, wd, kh, kw, (sh, sw), (dh, dw), pads, flags, acc = case
        oh, ow = out_size(case)
        uses = rt.qopt_rt_conv2d_f32_uses_channels(groups, cg, h, wd, fg, kh, kw, oh, ow,
                                                   sh, sw, dh, dw)
        assert uses == int(expect_channels(case, isa, tile) and not off), (case, uses)
        if uses:
            channels.append(i)
        elif rt.qopt_rt_conv2d_f32_uses_direct(groups, cg, h, wd, fg, kh, kw, oh, ow, sh, sw,
                                               dh, dw):
            direct.append(i)
        out, ref, bound = run_case(rt, case, i)
        nan = np.isnan(ref)
        assert np.array_equal(np.isnan(out), nan), case
        err = np.abs(out[~nan].astype(np.float64) - ref[~nan])
        assert np.all(err <= bound[~nan]), (case, float((err - bound[~nan]).max()))
        outputs[f"c{i}"] = out
    # Run as a script by itself (the AVX-512 machine's kernel tests), there
    # is nowhere to save the outputs to compare.
    if "CHANNEL_CONV_OUT" in os.environ:
        np.savez(os.environ["CHANNEL_CONV_OUT"], **outputs)
    print(json.dumps({"isa": isa, "channels": channels, "direct": direct,
                      "cases": len(CASES)}))


def run(tmp, isa, threads, tile=None, off=False):
    path = os.path.join(tmp, f"{isa}-{threads}-{tile}-{off}.npz")
    env = dict(os.environ, QOPT_ISA=isa, QOPT_NUM_THREADS=str(threads), CHANNEL_CONV_OUT=path)
    env.pop("QOPT_CONV_CHANNEL_TILE", None)
    if tile:
        env["QOPT_CONV_CHANNEL_TILE"] = ",".join(map(str, tile))
    if off:
        env["QOPT_CONV_CHANNEL"] = "0"
    p = subprocess.run([sys.executable, __file__], env=env, capture_output=True, text=True,
                       timeout=600)
    assert p.returncode == 0, p.stderr
    summary = json.loads(p.stdout.strip().splitlines()[-1])
    assert summary["isa"] == isa
    return summary, dict(np.load(path))


ISAS = [("avx2", cpu_has("avx2")), ("avx512emu", cpu_has("avx2")),
        ("avx512", cpu_has("avx512f")), ("generic", True)]


@pytest.mark.parametrize("isa,available", ISAS, ids=[i for i, _ in ISAS])
def test_channel_conv_matches_numpy_and_direct(isa, available):
    if not available:
        pytest.skip(f"this CPU has no {isa}")
    with tempfile.TemporaryDirectory() as tmp:
        one, out1 = run(tmp, isa, 1)
        if isa == "generic":
            assert one["channels"] == []  # no kernel: the path refuses
            return
        assert len(one["channels"]) >= 20  # most cases exercise the path
        two, out2 = run(tmp, isa, 2)
        assert two["channels"] == one["channels"]
        for name in out1:
            assert out1[name].tobytes() == out2[name].tobytes(), name
        # DirectConv.cpp's sums are the same FMA chains: the same bits.
        off, out0 = run(tmp, isa, 1, off=True)
        same = [i for i in one["channels"] if i in off["direct"]]
        assert len(same) >= 10
        for i in same:
            assert out1[f"c{i}"].tobytes() == out0[f"c{i}"].tobytes(), CASES[i]


@pytest.mark.parametrize("isa", ["avx2", "avx512emu"])
def test_every_tile_shape(isa):
    """Each compiled shape over every case (numpy bounds, checked in the
    subprocess), bit-identical to the default shape's results."""
    if not cpu_has("avx2"):
        pytest.skip("this CPU has no avx2")
    with tempfile.TemporaryDirectory() as tmp:
        base, ref = run(tmp, isa, 1)
        for tile in SHAPES[isa]:
            summary, out = run(tmp, isa, 1, tile=tile)
            assert len(summary["channels"]) >= 10, tile
            # Where both runs took this path or DirectConv.cpp (the
            # same FMA chains); the others took Winograd or the GEMM.
            chains = set(summary["channels"] + summary["direct"])
            for i in chains & set(base["channels"] + base["direct"]):
                assert out[f"c{i}"].tobytes() == ref[f"c{i}"].tobytes(), (tile, CASES[i])


if __name__ == "__main__":
    check_all()
