"""The CPU runtime's GEMM and convolution kernels (lib/Runtime), called
through their C ABI with ctypes and checked against numpy in float64, for
every instruction set this CPU has (QOPT_ISA selects one per process) and
for one and two threads."""
import ctypes
import json

import numpy as np
import pytest

from runtime_ctypes import LIB, addr, cpu_has, run_kernel_checks, strides


def load(lib=LIB):
    rt = ctypes.CDLL(lib)
    i64 = ctypes.c_int64
    rt.qopt_rt_sgemm.argtypes = [i64] * 13
    rt.qopt_rt_sgemm_batched.argtypes = [i64] * 17
    rt.qopt_rt_set_num_threads.argtypes = [ctypes.c_int]
    rt.qopt_rt_sgemm_cached.argtypes = [i64] * 15
    rt.qopt_rt_conv2d_nchw_f32.argtypes = [i64] * 23
    rt.qopt_rt_isa.restype = ctypes.c_char_p
    rt.qopt_rt_set_num_threads.argtypes = [ctypes.c_int]
    rt.qopt_rt_get_num_threads.restype = ctypes.c_int
    return rt


def sgemm(rt, a, b, c, accumulate):
    m, k = a.shape
    n = b.shape[1]
    rt.qopt_rt_sgemm(m, n, k, addr(a), *strides(a), addr(b), *strides(b),
                     addr(c), *strides(c), int(accumulate))


def conv_ref(x, w, groups, stride, dilation, pads=(0, 0, 0, 0)):
    """Direct convolution in float64 on the zero-padded input, grouped;
    pads = (top, left, bottom, right)."""
    x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    n, cin, h, wd = x.shape
    f, cg, kh, kw = w.shape
    sh, sw = stride
    dh, dw = dilation
    oh = (h - dh * (kh - 1) - 1) // sh + 1
    ow = (wd - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, f, oh, ow))
    fg = f // groups
    for g in range(groups):
        xs = x[:, g * cg:(g + 1) * cg].astype(np.float64)
        ws = w[g * fg:(g + 1) * fg].astype(np.float64)
        for ky in range(kh):
            for kx in range(kw):
                win = xs[:, :, ky * dh: ky * dh + sh * (oh - 1) + 1: sh,
                         kx * dw: kx * dw + sw * (ow - 1) + 1: sw]
                out[:, g * fg:(g + 1) * fg] += np.einsum("nchw,fc->nfhw", win, ws[:, :, ky, kx])
    return out


def check_all():
    """Runs every case in this process; prints a JSON summary."""
    rt = load()
    rng = np.random.default_rng(0)
    cases = 0
    # Sizes around the microkernel tiles (4..8 × 8..32) and the cache
    # blocks (KC = 256, MC = 144, NC = 3072).
    for m, n, k in [(1, 1, 1), (7, 13, 5), (6, 16, 3), (8, 32, 17), (1, 1000, 512),
                    (145, 33, 257), (300, 70, 600), (5, 3100, 9), (64, 3136, 576)]:
        for layout in ["plain", "transposed", "strided"]:
            a = rng.standard_normal((m, k), dtype=np.float32)
            b = rng.standard_normal((k, n), dtype=np.float32)
            if layout == "transposed":
                a = np.ascontiguousarray(a.T).T
                b = np.ascontiguousarray(b.T).T
            elif layout == "strided":
                a = rng.standard_normal((m, 2 * k), dtype=np.float32)[:, ::2]
                b = rng.standard_normal((k + 3, n), dtype=np.float32)[3:]
            for accumulate in (False, True):
                c0 = rng.standard_normal((m, n), dtype=np.float32)
                c = c0.copy()
                sgemm(rt, a, b, c, accumulate)
                ref = a.astype(np.float64) @ b.astype(np.float64)
                if accumulate:
                    ref += c0
                tol = 1e-5 * np.sqrt(k) * (1 + np.abs(ref).max())
                assert np.abs(c - ref).max() <= tol, (m, n, k, layout, accumulate)
                cases += 1
    # A strided output (a column-major C) takes the tile-merge path.
    a = rng.standard_normal((9, 7), dtype=np.float32)
    b = rng.standard_normal((7, 20), dtype=np.float32)
    c = np.zeros((20, 9), dtype=np.float32).T
    sgemm(rt, a, b, c, False)
    assert np.allclose(c, a.astype(np.float64) @ b, atol=1e-4)
    cases += 1
    # Constant A and/or B packed once into cache slots: the first call
    # packs, the later ones (accumulating) read the packed copies. Sizes
    # span several KC slabs and NC slices, with edge panels; a transposed B
    # as gemm's trans_b gives.
    for m, n, k in [(1, 1, 1), (7, 13, 5), (197, 768, 768), (20, 1100, 300), (145, 33, 257)]:
        for which in ("a", "b", "ab"):
            a = rng.standard_normal((m, k), dtype=np.float32)
            b = np.ascontiguousarray(rng.standard_normal((n, k), dtype=np.float32)).T
            slots = [ctypes.c_void_p(0), ctypes.c_void_p(0)]
            ref = a.astype(np.float64) @ b.astype(np.float64)
            c = np.empty((m, n), dtype=np.float32)
            for call in range(3):
                rt.qopt_rt_sgemm_cached(m, n, k, addr(a), *strides(a), addr(b), *strides(b),
                                        addr(c), *strides(c),
                                        ctypes.addressof(slots[0]) if "a" in which else 0,
                                        ctypes.addressof(slots[1]) if "b" in which else 0,
                                        int(call > 0))
                expect = ref * (call + 1)
                tol = 1e-5 * np.sqrt(k) * (call + 1) * (1 + np.abs(expect).max())
                assert np.abs(c - expect).max() <= tol, (m, n, k, which, call)
                cases += 1
            assert bool(slots[0].value) == ("a" in which)
            assert bool(slots[1].value) == ("b" in which)
    # One-row products against a packed constant B (fully connected layers
    # on one image) take the GEMV path: its sums are the microkernel's, so
    # they equal row 0 of the same product with a second row, bit for bit.
    # Sizes: partial panel groups, several KC slabs, a strided row of A.
    for n, k in [(1000, 512), (1280, 300), (37, 600), (5, 3), (70, 257)]:
        a2 = rng.standard_normal((2, 2 * k), dtype=np.float32)[:, ::2]
        b = np.ascontiguousarray(rng.standard_normal((n, k), dtype=np.float32)).T
        ref = a2.astype(np.float64) @ b.astype(np.float64)
        outs = []
        for m in (1, 2):
            slot = ctypes.c_void_p(0)
            c = np.full((m, n), 0.5, dtype=np.float32)
            for call in range(2):
                rt.qopt_rt_sgemm_cached(m, n, k, addr(a2), *strides(a2), addr(b), *strides(b),
                                        addr(c), *strides(c), 0, ctypes.addressof(slot),
                                        int(call > 0))
            outs.append(c[0].copy())
            expect = 2 * ref[0]
            tol = 2e-5 * np.sqrt(k) * (1 + np.abs(expect).max())
            assert np.abs(c[0] - expect).max() <= tol, (m, n, k)
            cases += 1
        assert np.array_equal(outs[0], outs[1]), (n, k)
        cases += 1
        # Split over 3 and 7 threads (by panels: the pool's chunks end
        # mid-group), the same bits.
        saved = rt.qopt_rt_get_num_threads()
        for threads in (3, 7):
            rt.qopt_rt_set_num_threads(threads)
            slot = ctypes.c_void_p(0)
            c = np.full((1, n), 0.5, dtype=np.float32)
            for call in range(2):
                rt.qopt_rt_sgemm_cached(1, n, k, addr(a2), *strides(a2), addr(b), *strides(b),
                                        addr(c), *strides(c), 0, ctypes.addressof(slot),
                                        int(call > 0))
            assert np.array_equal(c[0], outs[0]), (n, k, threads)
            cases += 1
        rt.qopt_rt_set_num_threads(saved)
    # Batched: small (run whole), attention-like products (split over the
    # threads by product and inside products), a strided batch (every other
    # head of a larger array), accumulating, and K = 0 (C zeroed).
    for batch, m, n, k in [(3, 17, 21, 9), (12, 197, 197, 64), (2, 300, 70, 600),
                           (5, 7, 13, 5), (4, 33, 40, 0)]:
        a = rng.standard_normal((2 * batch, m, k), dtype=np.float32)[::2]
        b = rng.standard_normal((batch, k, n), dtype=np.float32)
        for accumulate in (False, True):
            c0 = rng.standard_normal((batch, m, n), dtype=np.float32)
            c = c0.copy()
            rt.qopt_rt_sgemm_batched(batch, m, n, k, addr(a), *strides(a), addr(b),
                                     *strides(b), addr(c), *strides(c), int(accumulate))
            ref = a.astype(np.float64) @ b + (c0 if accumulate else 0)
            tol = 1e-5 * np.sqrt(max(k, 1)) * (1 + np.abs(ref).max())
            assert np.abs(c - ref).max() <= tol, (batch, m, n, k, accumulate)
            cases += 1
    # The threads' grid (row and column groups, and products) does not
    # change a single bit: the same products at 1, 3 and 8 threads.
    for batch, m, n, k in [(1, 197, 768, 300), (1, 96, 512, 128), (1, 1, 1000, 512),
                           (1, 600, 40, 200), (3, 100, 100, 100), (12, 197, 197, 64)]:
        a = rng.standard_normal((batch, m, k), dtype=np.float32)
        b = rng.standard_normal((batch, k, n), dtype=np.float32)
        results, before = [], rt.qopt_rt_get_num_threads()
        for threads in (1, 3, 8):
            rt.qopt_rt_set_num_threads(threads)
            c = np.zeros((batch, m, n), dtype=np.float32)
            rt.qopt_rt_sgemm_batched(batch, m, n, k, addr(a), *strides(a), addr(b),
                                     *strides(b), addr(c), *strides(c), 0)
            results.append(c)
        rt.qopt_rt_set_num_threads(before)
        for c in results[1:]:
            np.testing.assert_array_equal(c, results[0], err_msg=str((batch, m, n, k)))
        cases += 1
    # Convolutions: 1×1 (no im2col), strided and dilated 3×3, grouped,
    # depthwise with stride 2, a batch of 2; with and without (asymmetric)
    # zero padding; overwrite and accumulate.
    for n, groups, cg, fg, h, wd, kh, kw, stride, dil, pads in [
            (1, 1, 16, 32, 14, 14, 1, 1, (1, 1), (1, 1), (0, 0, 0, 0)),
            (1, 1, 16, 8, 6, 5, 1, 1, (1, 1), (1, 1), (1, 0, 2, 1)),
            (2, 1, 3, 8, 17, 15, 3, 3, (2, 2), (1, 1), (0, 0, 0, 0)),
            (2, 1, 3, 8, 17, 15, 3, 3, (2, 2), (1, 1), (1, 1, 1, 1)),
            (1, 1, 5, 7, 20, 20, 3, 2, (1, 2), (2, 1), (2, 0, 1, 3)),
            (1, 1, 3, 4, 9, 9, 7, 7, (2, 2), (1, 1), (3, 3, 3, 3)),
            (1, 2, 4, 6, 9, 9, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1)),
            (2, 12, 1, 1, 13, 13, 3, 3, (2, 2), (1, 1), (0, 0, 0, 0)),
            (2, 12, 1, 1, 13, 13, 3, 3, (2, 2), (1, 1), (1, 1, 1, 1)),
            (1, 8, 1, 1, 10, 10, 3, 3, (1, 1), (1, 1), (1, 2, 0, 1)),
            (1, 4, 1, 1, 30, 21, 5, 5, (1, 1), (2, 2), (4, 4, 4, 4)),
            # Depthwise planes as MobileNetV2 has them (7, 14, 28 wide:
            # partial vectors, odd row counts), stride 2 with asymmetric
            # padding, stride 3 (the gather path), a 1-wide plane.
            (1, 3, 1, 1, 7, 7, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1)),
            (1, 3, 1, 1, 14, 14, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1)),
            (1, 2, 1, 1, 28, 28, 3, 3, (2, 2), (1, 1), (0, 0, 1, 1)),
            (1, 2, 1, 1, 35, 37, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1)),
            (1, 2, 1, 1, 23, 19, 3, 3, (3, 3), (1, 1), (1, 1, 1, 1)),
            (1, 2, 1, 1, 9, 1, 3, 1, (1, 1), (1, 1), (1, 0, 1, 0)),
            (2, 3, 1, 1, 15, 15, 5, 5, (2, 2), (1, 1), (2, 2, 2, 2)),
            # Implicit GEMM: more columns than one packed chunk (512),
            # stride 2 with padding, dilation, more rows than one KC slab.
            (1, 1, 3, 16, 40, 40, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1)),
            (1, 1, 3, 8, 45, 45, 7, 7, (2, 2), (1, 1), (3, 3, 3, 3)),
            (1, 1, 32, 10, 12, 11, 3, 3, (1, 1), (2, 2), (2, 2, 2, 2))]:
        x = rng.standard_normal((n, groups * cg, h, wd), dtype=np.float32)
        w = rng.standard_normal((groups * fg, cg, kh, kw), dtype=np.float32)
        ref = conv_ref(x, w, groups, stride, dil, pads)
        oh, ow = ref.shape[2:]
        # The second and third calls reuse the weights packed by the first
        # through the cache slot.
        slot = ctypes.c_void_p(0)
        for accumulate, cached in ((False, False), (True, False), (False, True), (True, True)):
            out0 = rng.standard_normal(ref.shape).astype(np.float32)
            out = out0.copy()
            rt.qopt_rt_conv2d_nchw_f32(addr(x), addr(w), addr(out), n, groups, cg, h, wd,
                                       fg, kh, kw, oh, ow, stride[0], stride[1], dil[0],
                                       dil[1], *pads,
                                       ctypes.addressof(slot) if cached else 0,
                                       int(accumulate))
            expect = ref + (out0 if accumulate else 0)
            tol = 1e-5 * np.sqrt(cg * kh * kw) * (1 + np.abs(expect).max())
            assert np.abs(out - expect).max() <= tol, (n, groups, cg, fg, pads, accumulate)
            cases += 1
    # Implicit GEMMs whose threads split C's rows (many output channels, few
    # pixels: ResNet-18's stride-2 convolutions) pack B once, shared by the
    # threads, in 256-column chunks (the third shape has two at 16
    # threads): the results equal the 1-thread ones bit for bit.
    saved = rt.qopt_rt_get_num_threads()
    for cg, fg, h, kh, s, p in [(128, 256, 14, 3, 2, 1), (300, 256, 14, 1, 2, 0),
                                (16, 1024, 40, 3, 2, 1)]:
        x = rng.standard_normal((1, cg, h, h), dtype=np.float32)
        w = rng.standard_normal((fg, cg, kh, kh), dtype=np.float32)
        ref = conv_ref(x, w, 1, (s, s), (1, 1), (p, p, p, p))
        oh = ref.shape[2]
        results = []
        for t in (1, 3, 16):
            rt.qopt_rt_set_num_threads(t)
            slot = ctypes.c_void_p(0)
            out = np.empty(ref.shape, dtype=np.float32)
            for _ in range(2):  # packs the weights, then reads the slot
                rt.qopt_rt_conv2d_nchw_f32(addr(x), addr(w), addr(out), 1, 1, cg, h, h, fg,
                                           kh, kh, oh, oh, s, s, 1, 1, p, p, p, p,
                                           ctypes.addressof(slot), 0)
            tol = 1e-5 * np.sqrt(cg * kh * kh) * (1 + np.abs(ref).max())
            assert np.abs(out - ref).max() <= tol, (cg, fg, h, t)
            results.append(out)
            cases += 1
        assert all(np.array_equal(results[0], r) for r in results[1:]), (cg, fg, h)
    rt.qopt_rt_set_num_threads(saved)
    print(json.dumps({"isa": rt.qopt_rt_isa().decode(), "cases": cases}))


ISAS = [("generic", True), ("avx2", cpu_has("avx2") and cpu_has("fma")),
        ("avx512", cpu_has("avx512f") and cpu_has("avx512vl")),
        ("avx512emu", cpu_has("avx2") and cpu_has("fma"))]


@pytest.mark.parametrize("isa,available", ISAS, ids=[i for i, _ in ISAS])
@pytest.mark.parametrize("threads", [1, 2])
def test_kernels_match_numpy(isa, available, threads):
    if not available:
        pytest.skip(f"this CPU has no {isa}")
    summary = run_kernel_checks(__file__, isa, threads)
    assert summary["isa"] == isa
    assert summary["cases"] == 234  # every case ran


if __name__ == "__main__":
    check_all()
