# qopt-compile --emit=llvm: the CPU lowering to LLVM IR, with the bare-pointer
# signature main(in*, out*); a QuantizeLinear/DequantizeLinear pair lowers
# (docs/Numerics.md), and so does DynamicQuantizeLinear (its run-time range
# is two reductions, then one elementwise quantize).
#
# RUN: qopt-compile %qopt_src/examples/models/fashion_cnn_opset13.onnx --emit=llvm 2>&1 | FileCheck %s --check-prefix=CNN --implicit-check-not=warning:
# RUN: %python %s %t
# RUN: qopt-compile %t/qdq.onnx --emit=llvm 2>&1 | FileCheck %s --check-prefix=QDQ --implicit-check-not=error:
# RUN: qopt-compile %t/dql.onnx --emit=llvm 2>&1 | FileCheck %s --check-prefix=DQL --implicit-check-not=error:

# CNN: define void @main(ptr %0, ptr %1)
# CNN: ret void

# QDQ: define void @main(ptr %0, ptr %1)
# QDQ: llvm.roundeven.f32
# QDQ: ret void

# DQL: define void @main(ptr %0, ptr %1, ptr %2, ptr %3)
# DQL: llvm.roundeven.f32
# DQL: fptoui float {{.*}} to i8
# DQL: ret void

import os
import sys

sys.dont_write_bytecode = True
import numpy as np  # noqa: E402
import onnx  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

os.makedirs(sys.argv[1], exist_ok=True)
nodes = [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"]),
         helper.make_node("DequantizeLinear", ["q", "s", "z"], ["y"])]
graph = helper.make_graph(
    nodes, "qdq", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4])],
    [numpy_helper.from_array(np.array(0.5, np.float32), "s"),
     numpy_helper.from_array(np.array(3, np.uint8), "z")])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
          os.path.join(sys.argv[1], "qdq.onnx"))

graph = helper.make_graph(
    [helper.make_node("DynamicQuantizeLinear", ["x"], ["y", "s", "z"])], "dql",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4])],
    [helper.make_tensor_value_info("y", TensorProto.UINT8, [4]),
     helper.make_tensor_value_info("s", TensorProto.FLOAT, []),
     helper.make_tensor_value_info("z", TensorProto.UINT8, [])])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
          os.path.join(sys.argv[1], "dql.onnx"))
