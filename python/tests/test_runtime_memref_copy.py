"""The runtime's memrefCopy (memref.copy between strided buffers, MLIR's
ABI: unranked descriptors) against numpy's copies into views: contiguous
and strided sides, transposed sources, element sizes 1 to 8, ranks 1 to 5,
zero-size shapes, and copies big enough to be split over the thread pool
(ResNet-18's max-pool input into its padded buffer), at 1 and 4 threads."""
import ctypes

import numpy as np
import pytest

from runtime_ctypes import LIB


def descriptor(view, base):
    """An unranked memref descriptor of `view`, a view into the array `base`
    (offset and strides in elements)."""
    rank = view.ndim
    item = view.itemsize

    class Ranked(ctypes.Structure):
        _fields_ = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
                    ("offset", ctypes.c_int64),
                    ("sizes_strides", ctypes.c_int64 * (2 * max(rank, 1)))]

    class Unranked(ctypes.Structure):
        _fields_ = [("rank", ctypes.c_int64), ("descriptor", ctypes.POINTER(Ranked))]

    base_addr = base.__array_interface__["data"][0]
    offset = (view.__array_interface__["data"][0] - base_addr) // item
    r = Ranked(base_addr, base_addr, offset)
    for i in range(rank):
        r.sizes_strides[i] = view.shape[i]
        r.sizes_strides[rank + i] = view.strides[i] // item
    u = Unranked(rank, ctypes.pointer(r))
    u._keep = r  # the descriptor must outlive the call
    return u


CASES = [
    # (shape of the source, how to view source and destination)
    ((5, 7), "contiguous"),
    ((1, 64, 112, 112), "pad_interior"),    # 3.2 MB: split over the pool
    ((3, 40, 50), "pad_interior"),
    ((300000,), "contiguous"),              # rank 1, 1.2 MB
    ((8, 9), "transposed_source"),
    ((64, 70, 90), "transposed_source"),    # non-contiguous rows, big
    ((2, 3, 4, 5, 6), "strided_both"),
    ((0, 4), "contiguous"),
    ((), "contiguous"),
]


@pytest.mark.parametrize("threads", [1, 4])
@pytest.mark.parametrize("dtype", [np.int8, np.float16, np.float32, np.float64])
@pytest.mark.parametrize("shape,kind", CASES)
def test_memref_copy_matches_numpy(shape, kind, dtype, threads):
    rt = ctypes.CDLL(LIB)
    rt.qopt_rt_set_num_threads.argtypes = [ctypes.c_int]
    rt.qopt_rt_set_num_threads(threads)
    rng = np.random.default_rng(0)
    data = rng.integers(-100, 100, size=shape).astype(dtype)
    if kind == "contiguous":
        src_base, src = data, data
        dst_base = np.zeros(shape, dtype)
        dst = dst_base
    elif kind == "pad_interior":
        src_base, src = data, data
        padded = shape[:-2] + (shape[-2] + 2, shape[-1] + 2)
        dst_base = np.full(padded, 7, dtype)
        dst = dst_base[(Ellipsis, slice(1, -1), slice(1, -1))]
    elif kind == "transposed_source":
        src_base = np.ascontiguousarray(np.swapaxes(data, -1, -2))
        src = np.swapaxes(src_base, -1, -2)
        dst_base = np.zeros(shape, dtype)
        dst = dst_base
    else:  # strided_both
        src_base = np.zeros(tuple(2 * s for s in shape), dtype)
        src = src_base[tuple(slice(None, None, 2) for _ in shape)]
        src[...] = data
        dst_base = np.full(tuple(3 * s for s in shape), 5, dtype)
        dst = dst_base[tuple(slice(1, None, 3) for _ in shape)]
    # numpy's own copy into the same view of a twin of the destination
    want = dst_base.copy()
    if kind == "pad_interior":
        want[(Ellipsis, slice(1, -1), slice(1, -1))] = src
    elif kind == "strided_both":
        want[tuple(slice(1, None, 3) for _ in shape)] = src
    else:
        want[...] = src
    s, d = descriptor(src, src_base), descriptor(dst, dst_base)
    rt.memrefCopy(ctypes.c_int64(np.dtype(dtype).itemsize), ctypes.byref(s), ctypes.byref(d))
    np.testing.assert_array_equal(dst_base, want)
