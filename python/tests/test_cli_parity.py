"""The Python API and the command-line tools quantize the same model the
same way: qopt-compile --quantize=int8 (+ qopt-run on the shared library it
writes) against Module.quantize() + compile_cpu() on the same calibration
and evaluation data, for several option sets. The integer graph is the same,
so the outputs agree bit for bit; the reports agree on every scale."""
import json
import os
import subprocess

import numpy as np
import pytest

import qopt

SRC = os.environ.get("QOPT_SRC_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("QOPT_BIN_DIR", os.path.join(SRC, "build", "bin"))
MODELS = os.path.join(SRC, "examples", "models")
MODEL = os.path.join(MODELS, "fashion_cnn_opset17.onnx")
CALIB = np.load(os.path.join(MODELS, "data", "calib_256.npy"))[:64]
X = np.load(os.path.join(MODELS, "data", "eval_2k_x.npy"))[:64]

CASES = [
    # (CLI flags, Python keywords)
    (["--quantize=int8", "--calib-method=percentile"],
     dict(method="percentile")),
    (["--quantize=int8", "--calib-method=mse", "--per-channel=false", "--act-symmetric"],
     dict(method="mse", per_channel=False, act_symmetric=True)),
    (["--quantize=w4a8", "--calib-method=minmax"],
     dict(method="minmax", weight_bits=4)),
]


@pytest.fixture(scope="module")
def float_module():
    m = qopt.load_onnx(MODEL)
    m.cleanup()
    return m


@pytest.mark.parametrize("flags,kwargs", CASES, ids=["int8-percentile", "int8-mse-tensor-sym", "w4a8"])
def test_python_matches_cli(float_module, tmp_path, flags, kwargs):
    calib = tmp_path / "calib.npy"
    np.save(calib, CALIB)
    x = tmp_path / "x.npy"
    np.save(x, X)
    so, report = tmp_path / "m.so", tmp_path / "report.json"
    subprocess.run([os.path.join(BIN, "qopt-compile"), MODEL, *flags,
                    f"--calibration={calib}", f"--report={report}", "--emit=shared",
                    "-o", str(so)], check=True, capture_output=True)
    subprocess.run([os.path.join(BIN, "qopt-run"), str(so), f"--input={x}",
                    f"--output-dir={tmp_path}"], check=True, capture_output=True)
    cli = np.load(tmp_path / "logits.npy")

    q = float_module.quantize(CALIB, form="integer", **kwargs)
    py = q.compile_cpu().run({"input": X})["logits"]
    np.testing.assert_array_equal(py, cli)

    cli_layers = json.load(open(report))["layers"]
    py_layers = q.report()["layers"]
    assert [l["name"] for l in py_layers] == [l["name"] for l in cli_layers]
    for a, b in zip(py_layers, cli_layers):
        assert a["output"]["scale"] == b["output"]["scale"]
        assert a["output"]["zero_point"] == b["output"]["zero_point"]
        if "weight" in a:
            assert a["weight"] == b["weight"]
        assert a["sqnr_db"] == pytest.approx(b["sqnr_db"], abs=1e-9)
