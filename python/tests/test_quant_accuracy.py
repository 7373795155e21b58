"""End to end: the bundled Fashion-MNIST CNN and ViT quantized to int8 and
integer-only, compiled for this CPU (integer arithmetic, not simulation),
with top-1 on a fixed subset of the evaluation set checked against the float
model's top-1 on the same subset, computed here."""

import os

import numpy as np
import pytest

import qopt

MODELS = os.path.join(os.environ.get("QOPT_SRC_DIR",
                                     os.path.join(os.path.dirname(__file__), "..", "..")),
                      "examples", "models")
# The first 300 evaluation images; calibration on the first 64 calibration
# images (the benchmark uses all 256).
N_EVAL, N_CALIB = 300, 64
# Allowed top-1 loss in percentage points on these 300 images (one image is
# 0.33 points): 1.0 against float for int8 and integer-only, and 1.0 between
# integer-only and int8. docs/Benchmarks-Accuracy.md holds the full-set
# figures the bars (0.5 / 0.3) apply to.
MAX_LOSS_VS_FLOAT = 1.0
MAX_LOSS_VS_INT8 = 1.0
FLOAT_OPS = ("qopt.softmax", "qopt.gelu", "qopt.layer_norm", "qopt.mul",
             "qopt.reduce", "qopt.conv2d", "qopt.matmul", "qopt.gemm", "qopt.add")


@pytest.fixture(scope="module")
def data():
    x = np.load(os.path.join(MODELS, "data", "eval_2k_x.npy"))[:N_EVAL]
    y = np.load(os.path.join(MODELS, "data", "eval_2k_y.npy"))[:N_EVAL]
    calib = np.load(os.path.join(MODELS, "data", "calib_256.npy"))[:N_CALIB]
    return x, y, calib


def top1(exe, x, y):
    return 100.0 * (exe.run({"input": x})["logits"].argmax(1) == y).mean()


def top1_of(module, x, y):
    # opt_level 1: the test checks results, not speed, and compiles 6 models.
    return top1(module.compile_cpu(opt_level=1), x, y)


@pytest.mark.parametrize("name", ["fashion_cnn_opset17.onnx", "fashion_vit_opset17.onnx"])
def test_int8_and_integer_only_top1(data, name):
    x, y, calib = data
    m = qopt.load_onnx(os.path.join(MODELS, name))
    m.cleanup()
    float_top1 = top1_of(m, x, y)
    int8_top1 = top1_of(m.quantize(calib, method="percentile", form="integer"), x, y)
    io = m.quantize(calib, method="percentile", integer_only=True)
    counts = io.op_counts()
    # qopt-verify-integer-only ran in the pipeline; no float graph op is left.
    assert not [op for op in FLOAT_OPS if op in counts], counts
    assert counts["qopt.quantize"] == 1 and counts["qopt.dequantize"] == 1
    if "vit" in name:
        # 4 blocks with one softmax and one GELU each; 9 LayerNorms; the
        # mean over the tokens.
        assert counts["qopt.shiftmax"] == 4 and counts["qopt.shift_gelu"] == 4
        assert counts["qopt.int_layernorm"] == 9
        assert counts["qopt.int_avg_pool2d"] == 1
    io_top1 = top1_of(io, x, y)
    print(f"{name}: float {float_top1:.2f}, int8 {int8_top1:.2f}, "
          f"integer-only {io_top1:.2f}")
    assert float_top1 > 85.0  # the models are trained (eval_2k: 93.35, 88.1)
    assert float_top1 - int8_top1 <= MAX_LOSS_VS_FLOAT
    assert float_top1 - io_top1 <= MAX_LOSS_VS_FLOAT
    assert int8_top1 - io_top1 <= MAX_LOSS_VS_INT8


def test_integer_only_argument_errors(data):
    _, _, calib = data
    m = qopt.load_onnx(os.path.join(MODELS, "fashion_cnn_opset17.onnx"))
    m.cleanup()
    for form in ("fake", "quantized", "simulated"):
        with pytest.raises(qopt.Error, match="integer_only=True needs form='integer'"):
            m.quantize(calib[:4], integer_only=True, form=form)
    # An explicit form="integer" is the same as none.
    assert "qopt.int_conv2d" in m.quantize(calib[:4], integer_only=True,
                                           form="integer").op_counts()
