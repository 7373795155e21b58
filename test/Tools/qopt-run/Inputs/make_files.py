"""Writes the material of the qopt-run tests into argv[1]: a two-input model
add.onnx (z = x + y, f32 2x3), good and bad .npy files, and the expected
outputs of the good ones computed by numpy."""
import os
import sys

sys.dont_write_bytecode = True
import numpy as np  # noqa: E402
import onnx  # noqa: E402
from onnx import TensorProto, helper  # noqa: E402

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

graph = helper.make_graph(
    [helper.make_node("Add", ["x", "y"], ["z"]), helper.make_node("Relu", ["z"], ["r"])],
    "add",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3]),
     helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])],
    [helper.make_tensor_value_info("z", TensorProto.FLOAT, [2, 3]),
     helper.make_tensor_value_info("r", TensorProto.FLOAT, [2, 3])])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]),
          os.path.join(out, "add.onnx"))

rng = np.random.default_rng(0)
x = rng.standard_normal((6, 3)).astype(np.float32)  # 3 batches of 2
y = rng.standard_normal((6, 3)).astype(np.float32)
np.save(os.path.join(out, "x.npy"), x)
np.save(os.path.join(out, "y.npy"), y)
np.save(os.path.join(out, "x1.npy"), x[:2])
np.save(os.path.join(out, "y1.npy"), y[:2])
np.save(os.path.join(out, "expect_z.npy"), x + y)
np.save(os.path.join(out, "expect_r.npy"), np.maximum(x + y, 0))

# Wrong for the model, but well-formed .npy files of each dtype the reader
# knows: its messages name the dtype and shape it read.
for dtype in ["float16", "float64", "int8", "uint8", "int16", "int32", "int64", "bool"]:
    np.save(os.path.join(out, f"{dtype}.npy"), np.zeros((2, 3), dtype))
np.save(os.path.join(out, "scalar.npy"), np.float32(1.5))
np.save(os.path.join(out, "odd_batch.npy"), np.zeros((5, 3), np.float32))
np.save(os.path.join(out, "wrong_inner.npy"), np.zeros((2, 4), np.float32))
np.save(os.path.join(out, "rank1.npy"), np.zeros((6,), np.float32))
np.save(os.path.join(out, "y_two_batches.npy"), y[:4])
np.save(os.path.join(out, "fortran.npy"), np.asfortranarray(np.zeros((2, 3), np.float32)))
np.save(os.path.join(out, "big_endian.npy"), np.zeros((2, 3), ">f4"))
np.save(os.path.join(out, "complex.npy"), np.zeros((2, 3), np.complex64))
# Format version 2.0 (4-byte header length) is read like 1.0.
with open(os.path.join(out, "x1_v2.npy"), "wb") as f:
    np.lib.format.write_array(f, x[:2], version=(2, 0))
good = open(os.path.join(out, "x1.npy"), "rb").read()
open(os.path.join(out, "truncated.npy"), "wb").write(good[:-5])
open(os.path.join(out, "truncated_header.npy"), "wb").write(good[:40])
open(os.path.join(out, "trailing.npy"), "wb").write(good + b"\0\0\0\0")
open(os.path.join(out, "not_npy.npy"), "wb").write(b"hello, world\n")
open(os.path.join(out, "empty.npy"), "wb").write(b"")
open(os.path.join(out, "not_a_library.so"), "wb").write(b"\x7fELF but not really")
