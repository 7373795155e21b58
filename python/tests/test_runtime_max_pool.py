"""The runtime's f32 max pooling (lib/Runtime/MaxPool.cpp,
qopt_rt_maxpool2d_nchw_f32), called directly, bit for bit against numpy's
evaluation of arith.maximumf over each window (test_cpu_max_pool.maximum:
NaN if any is NaN, +0 over -0). Inputs hold ties, signed zeros,
infinities and NaNs; shapes cover rows narrower than a vector, rows whose
last vector overlaps the one before, strides 1 and 2 (vector loads) and 3
(gathered lanes), dilation, windows from 1x1 to 3x3, and a last plane
whose final vectors would read past the buffer (scalar there)."""
import ctypes
import itertools

import numpy as np
import pytest

from runtime_ctypes import LIB, addr
from test_cpu_max_pool import maximum


def reference(x, kh, kw, sh, sw, dh, dw, oh, ow):
    planes = x.shape[0]
    y = np.empty((planes, oh, ow), np.float32)
    for p, i, j in itertools.product(range(planes), range(oh), range(ow)):
        window = x[p, i * sh: i * sh + (kh - 1) * dh + 1: dh,
                   j * sw: j * sw + (kw - 1) * dw + 1: dw]
        y[p, i, j] = maximum(window.ravel())
    return y


SHAPES = [  # planes, h, w, kh, kw, sh, sw, dh, dw
    (16, 28, 28, 2, 2, 2, 2, 1, 1),  # fashion_cnn's
    (3, 9, 9, 3, 3, 1, 1, 1, 1),
    (2, 7, 20, 2, 2, 2, 2, 1, 1),
    (2, 5, 5, 2, 2, 1, 1, 1, 1),     # rows of 4: scalar
    (3, 10, 31, 3, 3, 2, 2, 1, 1),
    (2, 11, 40, 3, 2, 3, 3, 1, 1),   # stride 3: gathered lanes
    (2, 12, 21, 2, 3, 1, 1, 2, 2),   # dilation 2
    (1, 8, 17, 1, 1, 1, 1, 1, 1),
    (4, 6, 34, 2, 2, 1, 2, 1, 1),
    (1, 2, 18, 2, 2, 2, 2, 1, 1),    # one output row, reads near the end
]


@pytest.mark.parametrize("shape", SHAPES, ids=[str(s) for s in SHAPES])
def test_max_pool_matches_numpy(shape):
    planes, h, w, kh, kw, sh, sw, dh, dw = shape
    oh = (h - (kh - 1) * dh - 1) // sh + 1
    ow = (w - (kw - 1) * dw - 1) // sw + 1
    rt = ctypes.CDLL(LIB)
    rt.qopt_rt_maxpool2d_nchw_f32.argtypes = [ctypes.c_int64] * 13
    rng = np.random.default_rng(sum(shape))
    # Few distinct values: ties everywhere, signed zeros, infinities, NaNs.
    choices = np.array([0.0, -0.0, 1.0, -1.0, 2.5, np.inf, -np.inf, np.nan], np.float32)
    x = rng.choice(choices, size=(planes, h, w), p=[.2, .2, .15, .15, .12, .06, .06, .06])
    x = x.astype(np.float32)
    out = np.full((planes, oh, ow), 7.0, np.float32)
    rt.qopt_rt_maxpool2d_nchw_f32(addr(x), addr(out), planes, h, w, oh, ow, kh, kw, sh, sw,
                                  dh, dw)
    ref = reference(x, kh, kw, sh, sw, dh, dw, oh, ow)
    nan = np.isnan(ref)
    assert np.array_equal(np.isnan(out), nan)
    assert out[~nan].tobytes() == ref[~nan].tobytes()  # signed zeros included
