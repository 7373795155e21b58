"""Module.quantize() and report(): post-training quantization from Python on
a small conv -> relu -> flatten -> gemm model, checked against numpy."""

import numpy as np
import pytest

import qopt
from small_models import conv_relu_gemm_model


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return conv_relu_gemm_model(tmp_path_factory.mktemp("m"), seed=3, samples=16)


def conv_relu_gemm(x, w1, w2):
    xp = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (1, 1), (1, 1)))
    c = np.zeros((x.shape[0], 2, 4, 4))
    for i in range(4):
        for j in range(4):
            c[:, :, i, j] = np.einsum("nchw,fchw->nf", xp[:, :, i:i + 3, j:j + 3], w1)
    return c, np.maximum(c, 0).reshape(len(x), 32) @ w2.T.astype(np.float64)


def test_quantize_report_ranges_and_scales(model):
    m, x, w1, w2 = model
    q = m.quantize(calibration={"x": x}, method="minmax")
    text = q.mlir()
    assert "qopt.conv2d" in text and "!quant.uniform<i8:f32" in text
    report = q.report()
    layers = {l["name"]: l for l in report["layers"]}
    assert set(layers) == {"conv", "fc"}
    c, y = conv_relu_gemm(x, w1, w2)
    for entry, v in [(layers["conv"]["inputs"][0], x), (layers["conv"]["output"], c),
                     (layers["fc"]["output"], y)]:
        lo, hi = min(v.min(), 0.0), max(v.max(), 0.0)
        np.testing.assert_allclose(entry["calibration_range"], [lo, hi], atol=1e-5)
        s = (entry["calibration_range"][1] - entry["calibration_range"][0]) / 255
        assert entry["scale"] == pytest.approx(s, rel=1e-12)
        assert entry["zero_point"] == int(-128 - np.rint(entry["calibration_range"][0] / s))
    np.testing.assert_allclose(layers["conv"]["weight"]["scales"],
                               np.abs(w1).reshape(2, -1).max(axis=1) / 127, rtol=1e-6)
    assert all(np.isfinite(l["sqnr_db"]) and l["sqnr_db"] > 20 for l in layers.values())
    # The float module is left alone.
    assert "quant.uniform" not in m.mlir()


def test_quantize_forms_and_w4(model):
    m, x, _, _ = model
    integer = m.quantize(x, form="integer").op_counts()
    assert integer["qopt.int_conv2d"] == 1 and integer["qopt.int_matmul"] == 1
    assert "qopt.conv2d" not in integer
    fake = m.quantize(x, form="fake").op_counts()
    assert fake["qopt.conv2d"] == 1 and fake["qopt.quantize"] >= 2
    w4 = m.quantize(x, weight_bits=4, per_channel=False, method="mse")
    conv = w4.report()["layers"][0]
    assert conv["weight"]["bits"] == 4 and "scale" in conv["weight"]
    assert w4.report()["calibration_method"] == "mse"


def test_quantize_errors(model):
    m, x, _, _ = model
    with pytest.raises(qopt.Error, match="unknown calibration method"):
        m.quantize(x, method="kl")
    with pytest.raises(qopt.Error, match="weight_bits must be 8 or 4"):
        m.quantize(x, weight_bits=2)
    with pytest.raises(qopt.Error, match="N samples of the input's shape"):
        m.quantize(x[:, :, :3])
    with pytest.raises(qopt.Error, match="no array for input 'x'"):
        m.quantize({"y": x})
    with pytest.raises(qopt.Error, match="no quantization report"):
        m.report()


def test_simulated_form_runs_and_matches_the_report(model):
    """form="simulated" is the QDQ graph in float ops: the JIT runs it, and
    the SQNR of its output on the calibration data is the report's SQNR of
    the last layer."""
    m, x, w1, w2 = model
    sim = m.quantize(x, method="percentile", form="simulated")
    assert "qopt.quantize" not in sim.op_counts()
    ref = m.compile_cpu().run({"x": x})["y"].astype(np.float64)
    got = sim.compile_cpu().run({"x": x})["y"].astype(np.float64)
    sqnr = 10 * np.log10(np.sum(ref ** 2) / np.sum((ref - got) ** 2))
    fc = [l for l in sim.report()["layers"] if l["name"] == "fc"][0]
    assert sqnr == pytest.approx(fc["sqnr_db"], abs=1e-3)


def test_softmax_results_keep_their_observed_range():
    """Probabilities are never clipped: whatever the method, the softmax
    result that feeds a matmul gets its observed [min, max], where entropy
    would clip the rare large weights (Calibration.cpp)."""
    text = """
func.func @main(%x: tensor<1x64xf32> {qopt.name = "x"}) -> (tensor<1x4xf32> {qopt.name = "y"}) {
  %s = qopt.softmax %x {axis = 1 : i64} : (tensor<1x64xf32>) -> tensor<1x64xf32>
  %w = qopt.constant dense<0.5> : tensor<64x4xf32>
  %y = qopt.matmul %s, %w : (tensor<1x64xf32>, tensor<64x4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}"""
    m = qopt.parse_mlir(text)
    rng = np.random.default_rng(5)
    # Peaked rows: most probabilities near 0, one large per row.
    x = rng.standard_normal((256, 64)).astype(np.float32)
    x[np.arange(256), rng.integers(0, 64, 256)] += rng.uniform(2, 9, 256).astype(np.float32)
    e = np.exp(x - x.max(axis=1, keepdims=True))
    p_max = float((e / e.sum(axis=1, keepdims=True)).max())
    for method in ("entropy", "percentile", "mse"):
        layer = m.quantize(x, method=method).report()["layers"][0]
        lo, hi = layer["inputs"][0]["calibration_range"]
        assert lo == 0 and hi == pytest.approx(p_max, rel=1e-6), (method, hi, p_max)
