"""A quantized rank-0 constant (the attention scale of a ViT under
integer_only) is dequantized into a float scalar for the report's fake-quant
run; that scalar must stay an inline dense constant (FakeQuant.cpp): as a
dense_resource it aborted the process in the CPU lowering. Checked from
Python, where quantize() always builds the report, on a small model against
numpy."""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import qopt


def test_integer_only_scalar_mul_runs_and_reports(tmp_path):
    rng = np.random.default_rng(7)
    w = rng.standard_normal((8, 8)).astype(np.float32)
    w2 = rng.standard_normal((8, 8)).astype(np.float32)
    nodes = [helper.make_node("MatMul", ["x", "w"], ["h"], name="mm"),
             helper.make_node("Mul", ["h", "s"], ["hs"], name="scale"),
             helper.make_node("MatMul", ["hs", "w2"], ["y"], name="mm2")]
    graph = helper.make_graph(
        nodes, "m", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 8])],
        [numpy_helper.from_array(w, "w"), numpy_helper.from_array(w2, "w2"),
         numpy_helper.from_array(np.array(0.25, np.float32), "s")])
    path = tmp_path / "m.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), str(path))
    m = qopt.load_onnx(str(path))
    m.cleanup()
    x = rng.standard_normal((16, 4, 8)).astype(np.float32)
    q = m.quantize(x, method="minmax", integer_only=True)
    assert "qopt.mul" not in q.op_counts()
    layers = q.report()["layers"]
    assert [l["name"] for l in layers][0] == "mm"
    got = q.compile_cpu().run({"x": x})["y"].astype(np.float64)
    want = ((x.astype(np.float64) @ w) * 0.25) @ w2
    # int8 activations and weights through two products: a few percent.
    assert np.linalg.norm(got - want) / np.linalg.norm(want) < 0.05
