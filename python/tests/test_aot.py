"""Ahead-of-time compilation from Python: Module.compile_shared writes a
shared library and its header, qopt.load_library runs it through the same
Executable interface as the JIT; outputs are checked against the independent
numpy implementation of the ONNX files (examples/models/onnx_numpy_ref.py)
and, where onnxruntime-node is installed (benchmarks/), against ONNX Runtime."""
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

import qopt

SRC = os.environ.get("QOPT_SRC_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
MODELS = os.path.join(SRC, "examples", "models")
BENCH = os.path.join(SRC, "benchmarks")
sys.path.insert(0, MODELS)
import onnx_numpy_ref  # noqa: E402

X = np.load(os.path.join(MODELS, "data", "eval_2k_x.npy"))[:32]


def rel_l2(got, ref):
    return float(np.linalg.norm(got - ref) / np.linalg.norm(ref))


@pytest.fixture(scope="module")
def libraries(tmp_path_factory):
    out = tmp_path_factory.mktemp("aot")
    paths = {}
    for name in ["fashion_cnn_opset17", "fashion_vit_opset17"]:
        m = qopt.load_onnx(os.path.join(MODELS, name + ".onnx"))
        m.cleanup()
        so = str(out / (name + ".so"))
        header = m.compile_shared(so, symbol_prefix=name)
        assert header == str(out / (name + ".h"))
        paths[name] = so
    return paths


@pytest.mark.parametrize("name", ["fashion_cnn_opset17", "fashion_vit_opset17"])
def test_library_matches_numpy_reference(libraries, name):
    lib = qopt.load_library(libraries[name])
    assert lib.inputs == [{"name": "input", "dtype": "float32", "shape": [1, 1, 28, 28]}]
    assert lib.outputs == [{"name": "logits", "dtype": "float32", "shape": [1, 10]}]
    lib.set_threads(2)
    got = lib.run({"input": X})["logits"]
    ref_model = onnx_numpy_ref.Model(os.path.join(MODELS, name + ".onnx"))
    ref = np.concatenate([ref_model.run({"input": X[i:i + 1]})[0] for i in range(len(X))])
    assert got.shape == (32, 10)
    assert rel_l2(got, ref) < 1e-4


def test_two_libraries_in_one_process(libraries):
    cnn = qopt.load_library(libraries["fashion_cnn_opset17"])
    vit = qopt.load_library(libraries["fashion_vit_opset17"], symbol_prefix="fashion_vit_opset17")
    a = cnn.run({"input": X[:4]})["logits"]
    b = vit.run({"input": X[:4]})["logits"]
    assert not np.allclose(a, b)
    np.testing.assert_array_equal(cnn.run({"input": X[:4]})["logits"], a)


def test_load_library_errors(libraries, tmp_path):
    with pytest.raises(qopt.Error, match="no such file"):
        qopt.load_library(str(tmp_path / "missing.so"))
    with pytest.raises(qopt.Error, match="not a qopt model with symbol prefix 'nope'"):
        qopt.load_library(libraries["fashion_cnn_opset17"], symbol_prefix="nope")
    m = qopt.load_onnx(os.path.join(MODELS, "fashion_cnn_opset17.onnx"))
    with pytest.raises(qopt.Error, match="not a C identifier"):
        m.compile_shared(str(tmp_path / "x.so"), symbol_prefix="9lives")


def ort_available():
    return shutil.which("node") and os.path.isdir(
        os.path.join(BENCH, "node_modules", "onnxruntime-node"))


@pytest.mark.skipif(not ort_available(),
                    reason="onnxruntime-node not installed (benchmarks/cpu_float.sh installs it)")
@pytest.mark.parametrize("name", ["fashion_cnn_opset17", "fashion_vit_opset17"])
def test_library_matches_onnx_runtime(libraries, name, tmp_path):
    x = X[:1]
    x.tofile(tmp_path / "in.bin")
    subprocess.run(["node", os.path.join(BENCH, "ort_bench.js"),
                    os.path.join(MODELS, name + ".onnx"), str(tmp_path / "in.bin"),
                    "1", "1", "0", str(tmp_path / "out.bin")],
                   check=True, cwd=BENCH, capture_output=True)
    ref = np.fromfile(tmp_path / "out.bin", np.float32).reshape(1, 10)
    got = qopt.load_library(libraries[name]).run({"input": x})["logits"]
    assert rel_l2(got, ref) < 1e-4
