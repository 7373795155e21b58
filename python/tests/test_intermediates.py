"""Module.ops() and Module.with_outputs(): reading intermediate tensors of a
float and a quantized module, checked against numpy on a small
conv -> relu -> flatten -> gemm model."""
import numpy as np
import pytest

import qopt
from small_models import conv_relu_gemm_model


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return conv_relu_gemm_model(tmp_path_factory.mktemp("m"), seed=5, samples=8)


def conv(x, w1):
    xp = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (1, 1), (1, 1)))
    c = np.zeros((x.shape[0], 2, 4, 4))
    for i in range(4):
        for j in range(4):
            c[:, :, i, j] = np.einsum("nchw,fchw->nf", xp[:, :, i:i + 3, j:j + 3], w1)
    return c


def test_ops_lists_layers_in_order(model):
    m, _, _, _ = model
    assert m.ops() == [{"name": "conv", "op": "qopt.conv2d"},
                       {"name": "relu", "op": "qopt.relu"},
                       {"name": "flatten", "op": "qopt.flatten"},
                       {"name": "fc", "op": "qopt.gemm"}]


def test_float_intermediates_match_numpy(model):
    m, x, w1, w2 = model
    t = m.with_outputs(["relu", "conv"])
    exe = t.compile_cpu()
    assert [o["name"] for o in exe.outputs] == ["y", "relu", "conv"]
    r = exe.run({"x": x})
    c = conv(x, w1)
    np.testing.assert_allclose(r["conv"], c, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(r["relu"], np.maximum(c, 0), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(r["y"], m.compile_cpu().run({"x": x})["y"])
    # The module itself keeps its one output.
    assert len(m.compile_cpu().outputs) == 1


def test_quantized_intermediates_are_dequantized_on_the_reports_grid(model):
    m, x, w1, _ = model
    q = m.quantize(x, method="minmax", form="quantized")
    conv_layer = [l for l in q.report()["layers"] if l["name"] == "conv"][0]
    s, zp = conv_layer["output"]["scale"], conv_layer["output"]["zero_point"]
    t = q.with_outputs(["conv"])
    t.run_pipeline("func.func(qopt-lower-quantized)")
    exe = t.compile_cpu()
    assert exe.outputs[1] == {"name": "conv", "dtype": "float32", "shape": [1, 2, 4, 4]}
    got = exe.run({"x": x})["conv"].astype(np.float64)
    # Every value is (q - zp) * s with q an int8, within one step of float.
    qv = got / s + zp
    np.testing.assert_allclose(qv, np.rint(qv), atol=1e-3)
    assert qv.min() >= -128.001 and qv.max() <= 127.001
    assert np.abs(got - conv(x, w1)).max() <= 1.5 * s
    # The report travels with the copy.
    assert t.report()["layers"][0]["name"] == conv_layer["name"]

    # The integer form holds the layer's int8 storage values: the same
    # numbers once dequantized with the report's scale and zero point.
    i = m.quantize(x, method="minmax", form="integer").with_outputs(["conv"])
    exe = i.compile_cpu()
    assert exe.outputs[1] == {"name": "conv", "dtype": "int8", "shape": [1, 2, 4, 4]}
    raw = exe.run({"x": x})["conv"]
    np.testing.assert_allclose((raw.astype(np.float64) - zp) * s, got, rtol=1e-6, atol=1e-6)


def test_with_outputs_errors(model):
    m, _, _, _ = model
    with pytest.raises(qopt.Error, match="no op of @main is named 'pool'"):
        m.with_outputs(["pool"])
    with pytest.raises(qopt.Error, match="no op of @main is named ''"):
        m.with_outputs([""])
    nomain = qopt.parse_mlir("func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> { return %x : tensor<2xf32> }")
    with pytest.raises(qopt.Error, match="no func.func @main"):
        nomain.with_outputs(["x"])
    with pytest.raises(qopt.Error, match="no func.func @main"):
        nomain.ops()


@pytest.mark.parametrize("kwargs", [dict(form="integer"), dict(form="simulated")])
def test_probes_added_before_quantize_leave_the_model_unchanged(model, kwargs):
    """with_outputs() on the float module, then quantize(): the extra outputs
    are the quantized model's values at those layers, and the model's own
    output is the same, bit for bit, as without them."""
    m, x, w1, _ = model
    plain = m.quantize(x, method="percentile", **kwargs).compile_cpu().run({"x": x})
    probed = m.with_outputs(["conv"]).quantize(x, method="percentile", **kwargs)
    got = probed.compile_cpu().run({"x": x})
    np.testing.assert_array_equal(got["y"], plain["y"])
    assert got["conv"].dtype == np.float32
    s = [l for l in probed.report()["layers"] if l["name"] == "conv"][0]["output"]["scale"]
    assert np.abs(got["conv"] - conv(x, w1)).max() <= 1.5 * s
