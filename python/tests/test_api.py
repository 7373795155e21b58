"""Tests of the qopt Python module: import, printing, pipelines, errors."""
import os
import subprocess

import pytest

import qopt

SRC = os.environ.get("QOPT_SRC_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("QOPT_BIN_DIR", os.path.join(SRC, "build", "bin"))
MODELS = os.path.join(SRC, "examples", "models")
CNN = os.path.join(MODELS, "fashion_cnn_opset13.onnx")
VIT = os.path.join(MODELS, "fashion_vit_opset13.onnx")


def test_load_onnx_cnn_has_the_network():
    m = qopt.load_onnx(CNN)
    counts = m.op_counts()
    assert counts["qopt.conv2d"] == 9
    assert counts["qopt.relu"] == 7
    assert counts["qopt.gemm"] == 1
    assert "func.func @main" in m.mlir()


def test_cleanup_raises_vit_composites():
    m = qopt.load_onnx(VIT)
    before = m.op_counts()
    assert "qopt.layer_norm" not in before and before["qopt.erf"] == 4
    m.cleanup()
    after = m.op_counts()
    assert after["qopt.layer_norm"] == 9
    assert after["qopt.gelu"] == 4
    assert "qopt.erf" not in after


def test_same_ir_as_the_cli():
    """The module and qopt-compile run the same import and cleanup."""
    m = qopt.load_onnx(VIT)
    m.cleanup()
    cli = subprocess.run([os.path.join(BIN, "qopt-compile"), VIT, "--emit=mlir",
                          "--elide-weights"], check=True, capture_output=True,
                         text=True).stdout
    assert m.mlir(elide_weights=True) == cli


def test_run_pipeline_by_its_text():
    m = qopt.parse_mlir(open(os.path.join(SRC, "examples", "mlir",
                                          "conv_bn_relu.mlir")).read())
    assert m.op_counts()["qopt.batch_norm"] == 1
    m.run_pipeline("builtin.module(func.func(qopt-fold-batch-norm))")
    assert "qopt.batch_norm" not in m.op_counts()


def test_run_named_pipeline_without_anchor():
    m = qopt.load_onnx(VIT)
    m.run_pipeline("qopt-cleanup")
    assert m.op_counts()["qopt.layer_norm"] == 9


def test_input_shapes_for_symbolic_dims(tmp_path):
    import onnx
    from onnx import TensorProto, helper
    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"])], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 4])])
    path = str(tmp_path / "relu.onnx")
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), path)
    with pytest.raises(qopt.Error, match="symbolic dimension 'N'"):
        qopt.load_onnx(path)
    m = qopt.load_onnx(path, input_shapes={"x": [3, 4]})
    assert "tensor<3x4xf32>" in m.mlir()


def test_missing_file_raises_error():
    with pytest.raises(qopt.Error, match="cannot read the file"):
        qopt.load_onnx("/nonexistent/model.onnx")


def test_malformed_model_raises_error(tmp_path):
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(open(CNN, "rb").read()[:1000])
    with pytest.raises(qopt.Error, match="malformed or truncated"):
        qopt.load_onnx(str(bad))


def test_bad_pipeline_raises_error():
    m = qopt.load_onnx(CNN)
    with pytest.raises(qopt.Error, match="invalid pass pipeline"):
        m.run_pipeline("builtin.module(no-such-pass)")


def test_failing_pass_raises_its_diagnostic():
    m = qopt.parse_mlir("""
      func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
        %q = qopt.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
        %r = qopt.relu %q : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
        %d = qopt.dequantize %r : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xf32>
        return %d : tensor<4xf32>
      }""")
    with pytest.raises(qopt.Error, match="in an integer-only function"):
        m.run_pipeline("builtin.module(func.func(qopt-verify-integer-only))")


def test_invalid_mlir_raises_error():
    with pytest.raises(qopt.Error, match="expected"):
        qopt.parse_mlir("func.func @f( {")


def test_supported_ops():
    ops = qopt.supported_onnx_ops()
    assert ops["Conv"] == "converted"
    assert ops["Shape"] == "folded"
