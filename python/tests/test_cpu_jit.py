"""The CPU JIT on the bundled models, checked against an independent numpy
implementation of the ONNX files (examples/models/onnx_numpy_ref.py)."""
import json
import os
import sys

import numpy as np
import pytest

import qopt

SRC = os.environ.get("QOPT_SRC_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
MODELS = os.path.join(SRC, "examples", "models")
sys.path.insert(0, MODELS)
import onnx_numpy_ref  # noqa: E402

X = np.load(os.path.join(MODELS, "data", "eval_2k_x.npy"))
Y = np.load(os.path.join(MODELS, "data", "eval_2k_y.npy"))


def compiled(name):
    m = qopt.load_onnx(os.path.join(MODELS, name + ".onnx"))
    m.cleanup()
    return m.compile_cpu()


@pytest.mark.parametrize("name", ["fashion_cnn_opset13", "fashion_cnn_opset17",
                                  "fashion_vit_opset13", "fashion_vit_opset17"])
def test_logits_match_numpy_reference(name):
    exe = compiled(name)
    x = X[:8]
    got = exe.run({"input": x})["logits"]
    ref = onnx_numpy_ref.Model(os.path.join(MODELS, name + ".onnx"))
    want = np.concatenate([ref.run({"input": x[i:i + 1]})[0] for i in range(len(x))])
    assert got.shape == want.shape == (8, 10)
    assert np.linalg.norm(got - want) / np.linalg.norm(want) < 1e-5


@pytest.mark.parametrize("name,limit", [("fashion_cnn", 2000), ("fashion_vit", 500)])
def test_accuracy_matches_float_training(name, limit):
    """Top-1 of the compiled model equals the exported model's, as measured
    by the training script in PyTorch (within one image in 500)."""
    exe = compiled(name + "_opset13")
    logits = exe.run({"input": X[:limit]})["logits"]
    acc = float((logits.argmax(axis=1) == Y[:limit]).mean())
    if limit == 2000:
        expected = json.load(open(os.path.join(MODELS, name + ".json")))["eval_2k_accuracy"]
        assert abs(acc - expected) <= 0.002, (acc, expected)
    else:
        assert acc > 0.8


def test_signature_and_batches():
    exe = compiled("fashion_cnn_opset13")
    assert exe.inputs == [{"name": "input", "dtype": "float32", "shape": [1, 1, 28, 28]}]
    assert exe.outputs == [{"name": "logits", "dtype": "float32", "shape": [1, 10]}]
    one = np.concatenate([exe.run({"input": X[i:i + 1]})["logits"] for i in range(3)])
    three = exe.run({"input": X[:3]})["logits"]
    np.testing.assert_array_equal(one, three)
    # Non-contiguous input: a copy is made, results are the same.
    strided = np.asfortranarray(X[:3])
    np.testing.assert_array_equal(exe.run({"input": strided})["logits"], three)


def test_bad_inputs_raise_error():
    exe = compiled("fashion_cnn_opset13")
    with pytest.raises(qopt.Error, match="missing input 'input'"):
        exe.run({"x": X[:1]})
    with pytest.raises(qopt.Error, match="dtype float64, expected float32"):
        exe.run({"input": X[:1].astype(np.float64)})
    with pytest.raises(qopt.Error, match="must have shape 1x1x28x28"):
        exe.run({"input": X[:1, :, :27]})
    with pytest.raises(qopt.Error, match="must have shape"):
        exe.run({"input": np.zeros((0, 1, 28, 28), np.float32)})


def test_unlowerable_module_raises_error():
    m = qopt.parse_mlir("""
      func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
        %q = qopt.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
        %r = qopt.relu %q : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
        %d = qopt.dequantize %r : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xf32>
        return %d : tensor<4xf32>
      }""")
    with pytest.raises(qopt.Error, match="quantized tensors are not lowered"):
        m.compile_cpu()
