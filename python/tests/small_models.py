"""Small ONNX models that several Python tests build."""
import os
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import qopt


def compile_onnx_graph(nodes, inputs, outputs):
    """An opset-17 graph of `nodes` with float inputs and outputs `{name:
    shape}`, imported, cleaned up and compiled by the CPU JIT."""
    f32 = TensorProto.FLOAT
    graph = helper.make_graph(
        nodes, "t",
        [helper.make_tensor_value_info(n, f32, s) for n, s in inputs.items()],
        [helper.make_tensor_value_info(n, f32, s) for n, s in outputs.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "m.onnx")
        onnx.save(model, path)
        m = qopt.load_onnx(path)
    m.cleanup()
    return m.compile_cpu()


def conv_relu_gemm_model(directory, seed, samples):
    """conv(2x1x3x3, pads 1) -> relu -> flatten -> gemm(3x32) on 1x1x4x4,
    loaded and cleaned up; returns (module, `samples` inputs, w1, w2)."""
    rng = np.random.default_rng(seed)
    w1 = rng.standard_normal((2, 1, 3, 3)).astype(np.float32)
    w2 = rng.standard_normal((3, 32)).astype(np.float32)
    nodes = [
        helper.make_node("Conv", ["x", "w1"], ["c"], name="conv", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("Flatten", ["r"], ["f"], name="flatten"),
        helper.make_node("Gemm", ["f", "w2"], ["y"], name="fc", transB=1),
    ]
    graph = helper.make_graph(
        nodes, "m", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 4, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3])],
        [numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(w2, "w2")])
    path = directory / "m.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
              str(path))
    m = qopt.load_onnx(str(path))
    m.cleanup()
    x = rng.standard_normal((samples, 1, 4, 4)).astype(np.float32)
    return m, x, w1, w2
