"""Executable.run's buffers: C-contiguous inputs of the model's dtype reach
the kernels without a copy (checked through the _last_input_addresses test
hook), other layouts are copied and give the same result, outputs are numpy
arrays that own the buffer the model wrote, and out= arrays are written in
place."""
import os

import numpy as np
import pytest

import qopt

SRC = os.environ.get("QOPT_SRC_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
MODELS = os.path.join(SRC, "examples", "models")
X = np.load(os.path.join(MODELS, "data", "eval_2k_x.npy"))[:6]


@pytest.fixture(scope="module")
def exe():
    m = qopt.load_onnx(os.path.join(MODELS, "fashion_cnn_opset17.onnx"))
    m.cleanup()
    return m.compile_cpu()


def test_contiguous_input_is_not_copied(exe):
    x = np.ascontiguousarray(X)
    exe.run({"input": x})
    assert exe._last_input_addresses == [x.ctypes.data]
    # A C-contiguous view into a larger array is passed as is too.
    view = X[2:4]
    assert view.flags.c_contiguous
    exe.run({"input": view})
    assert exe._last_input_addresses == [view.ctypes.data]


@pytest.mark.parametrize("layout", ["fortran", "strided", "transposed"])
def test_non_contiguous_input_is_copied_with_the_same_result(exe, layout):
    if layout == "fortran":
        x = np.asfortranarray(X)
    elif layout == "strided":
        x = np.repeat(X, 2, axis=0)[::2]
    else:  # the same values, stored with H and W swapped
        x = np.ascontiguousarray(X.transpose(0, 1, 3, 2)).transpose(0, 1, 3, 2)
    assert not x.flags.c_contiguous
    np.testing.assert_array_equal(x, X)
    got = exe.run({"input": x})["logits"]
    assert exe._last_input_addresses != [x.ctypes.data]
    np.testing.assert_array_equal(got, exe.run({"input": np.ascontiguousarray(x)})["logits"])


def test_wrong_dtype_is_rejected_not_cast(exe):
    for dtype in [np.float64, np.float16, np.int8]:
        with pytest.raises(qopt.Error, match="input 'input' has dtype .*, expected float32"):
            exe.run({"input": X.astype(dtype)})


def test_outputs_own_their_buffer(exe):
    out = exe.run({"input": X})["logits"]
    assert out.flags.owndata and out.base is None and out.flags.c_contiguous
    assert out.shape == (6, 10) and out.dtype == np.float32


def test_out_array_is_written_in_place(exe):
    want = exe.run({"input": X})["logits"]
    buf = np.full((6, 10), np.nan, np.float32)
    got = exe.run({"input": X}, out={"logits": buf})
    assert got["logits"] is buf
    np.testing.assert_array_equal(buf, want)
    # A C-contiguous view of a larger buffer is written where it lies.
    big = np.zeros((8, 10), np.float32)
    r = exe.run({"input": X}, out={"logits": big[1:7]})
    assert np.shares_memory(r["logits"], big) and r["logits"].ctypes.data == big[1].ctypes.data
    np.testing.assert_array_equal(big[1:7], want)
    assert not big[0].any() and not big[7].any()


def test_bad_out_arrays_raise_error(exe):
    x = {"input": X}
    with pytest.raises(qopt.Error, match=r"out\['logits'\] has dtype float64, expected float32"):
        exe.run(x, out={"logits": np.zeros((6, 10))})
    with pytest.raises(qopt.Error, match=r"out\['logits'\] must have shape 6x10, not 1x10"):
        exe.run(x, out={"logits": np.zeros((1, 10), np.float32)})
    with pytest.raises(qopt.Error, match="writeable C-contiguous"):
        exe.run(x, out={"logits": np.zeros((10, 6), np.float32).T})
    ro = np.zeros((6, 10), np.float32)
    ro.flags.writeable = False
    with pytest.raises(qopt.Error, match="writeable C-contiguous"):
        exe.run(x, out={"logits": ro})
    with pytest.raises(qopt.Error, match="'probs', which is not an output"):
        exe.run(x, out={"probs": np.zeros((6, 10), np.float32)})
    with pytest.raises(qopt.Error, match="out must be a dict"):
        exe.run(x, out=np.zeros((6, 10), np.float32))
    with pytest.raises(qopt.Error, match="not a numpy array"):
        exe.run(x, out={"logits": [0.0] * 60})
