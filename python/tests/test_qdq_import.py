"""Pre-quantized ONNX QDQ models through qopt's integer path (issue 5, point
3): `qopt-compile MODEL.onnx --emit=shared` folds the QuantizeLinear /
DequantizeLinear pairs into quant-typed ops (qopt-fold-qdq) and lowers them
to integer ops; the outputs are compared with a numpy evaluation of the QDQ
graph as ONNX defines it (float ops between exact QuantizeLinear and
DequantizeLinear), which is what ONNX Runtime computes with its graph
optimizations off. No ONNX Runtime is needed.

Imported models requantize as ONNX Runtime does (qopt-lower-quantized
{rescale=onnx}, docs/Numerics.md "float_rescale"), so qopt and the reference
differ only where rounding inside float ops decides a quantization tie:
within one unit of the output scale for single layers and for the bundled
CNN and ViT end to end, in the QDQ and the QOperator form
(QLinearConv/QLinearMatMul, evaluated here as ONNX Runtime's integer
kernels compute them)."""
import json
import os
import subprocess
import sys

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

import qopt

SRC = os.environ.get("QOPT_SRC_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("QOPT_BIN_DIR", os.path.join(SRC, "build", "bin"))
MODELS = os.path.join(SRC, "examples", "models")
sys.path.insert(0, MODELS)
import onnx_numpy_ref  # noqa: E402


def quantize(x, scale, zp, axis=None):
    """QuantizeLinear in float32 (docs/Numerics.md: one division, ties to
    even, then the zero point, saturation to int8)."""
    scale = np.asarray(scale, np.float32)
    zp = np.asarray(zp, np.float32)
    if axis is not None and scale.ndim == 1:
        shape = [1] * x.ndim
        shape[axis] = -1
        scale, zp = scale.reshape(shape), zp.reshape(shape)
    t = np.rint(x.astype(np.float32) / scale) + zp
    return np.clip(t, -128, 127).astype(np.int8)


def dequantize(q, scale, zp, axis=None):
    scale = np.asarray(scale, np.float32)
    zp = np.asarray(zp, np.int64)
    if axis is not None and scale.ndim == 1:
        shape = [1] * q.ndim
        shape[axis] = -1
        scale, zp = scale.reshape(shape), zp.reshape(shape)
    return ((q.astype(np.int64) - zp).astype(np.float32) * scale).astype(np.float32)


def qlinear(node, ins):
    """QLinearConv / QLinearMatMul as ONNX Runtime computes them: the exact
    integer accumulator (+ the int32 bias), then f32(acc) times the f32
    multiplier x_scale·w_scale/y_scale (left to right in f32), ties to
    even, the zero point, saturation to int8."""
    x, sx, zx, w, sw, zw, sy, zy = ins[:8]
    xs = x.astype(np.float64) - np.float64(zx)
    if node.op_type == "QLinearConv":
        ws = w.astype(np.float64) - np.asarray(zw, np.float64).reshape(-1, 1, 1, 1)
        bias = ins[8].astype(np.float64) if len(ins) > 8 and ins[8] is not None else None
        conv = helper.make_node("Conv", ["x", "w"] + (["b"] if bias is not None else []),
                                ["y"], **{a.name: helper.get_attribute_value(a)
                                          for a in node.attribute})
        acc = onnx_numpy_ref.run_node(conv, [xs, ws] + ([bias] if bias is not None else []))
        shape = (1, -1, 1, 1)
    else:
        acc = np.matmul(xs, w.astype(np.float64) - np.float64(zw))
        shape = (-1,)
    m = (np.float32(sx) * np.asarray(sw, np.float32)) / np.float32(sy)
    t = acc.astype(np.float32) * m.astype(np.float32).reshape(shape)
    t = np.rint(t.astype(np.float32)) + np.float32(zy)
    return np.clip(t, -128, 127).astype(np.int8)


def microsoft_op(node, ins):
    """ONNX Runtime's com.microsoft QLinear ops as its operator documentation
    defines them: the inputs dequantized, the float op (float64), the result
    quantized."""
    attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
    op = node.op_type
    if op == "QLinearConcat":
        parts = [dequantize(ins[i], ins[i + 1], ins[i + 2]).astype(np.float64)
                 for i in range(2, len(ins), 3)]
        return quantize(np.concatenate(parts, axis=attrs["axis"]), ins[0], ins[1])
    if op == "QGemm":
        trans_b = attrs.get("transB", 0)
        a = dequantize(ins[0], ins[1], ins[2]).astype(np.float64)
        b = dequantize(ins[3], ins[4], ins[5], 0 if trans_b else 1).astype(np.float64)
        if attrs.get("transA", 0):
            a = a.T
        y = attrs.get("alpha", 1.0) * (a @ (b.T if trans_b else b))
        if len(ins) > 6 and ins[6] is not None:
            y = y + ins[6].astype(np.float64) * (np.float64(ins[1]) * np.asarray(ins[4], np.float64))
        return quantize(y, ins[7], ins[8])
    float_ops = {"QLinearAdd": "Add", "QLinearMul": "Mul", "QLinearSigmoid": "Sigmoid",
                 "QLinearLeakyRelu": "LeakyRelu", "QLinearAveragePool": "AveragePool",
                 "QLinearGlobalAveragePool": "GlobalAveragePool"}
    binary = op in ("QLinearAdd", "QLinearMul")
    xs = [dequantize(ins[0], ins[1], ins[2]).astype(np.float64)]
    if binary:
        xs.append(dequantize(ins[3], ins[4], ins[5]).astype(np.float64))
    sy, zy = ins[6:8] if binary else ins[3:5]
    float_node = helper.make_node(float_ops[op], ["x%d" % i for i in range(len(xs))], ["y"],
                                  **{k: v for k, v in attrs.items() if k != "channels_last"})
    return quantize(onnx_numpy_ref.run_node(float_node, xs), sy, zy)


class QDQReference(onnx_numpy_ref.Model):
    """onnx_numpy_ref's evaluator with QuantizeLinear and DequantizeLinear;
    float ops run in float64 (so that their own rounding does not decide a
    requantization tie)."""

    def run(self, feeds):
        env = dict(self.consts)
        env.update(feeds)
        for node in self.model.graph.node:
            ins = [env[n] if n else None for n in node.input]
            axis = next((a.i for a in node.attribute if a.name == "axis"), 1)
            if node.op_type == "QuantizeLinear":
                out = quantize(ins[0], ins[1], ins[2], axis)
            elif node.domain == "com.microsoft":
                out = microsoft_op(node, ins).astype(np.float64)
            elif node.op_type in ("QLinearConv", "QLinearMatMul"):
                out = qlinear(node, ins).astype(np.float64)
            elif node.op_type == "DequantizeLinear":
                out = dequantize(ins[0], ins[1], ins[2], axis).astype(np.float64)
            else:
                out = onnx_numpy_ref.run_node(node, ins)
            env[node.output[0]] = out
        return [env[o] for o in self.outputs]


def compile_and_run(tmp_path, model, x):
    path = str(tmp_path / "model.onnx")
    onnx.save(model, path)
    mlir = subprocess.run([os.path.join(BIN, "qopt-compile"), path, "--emit=mlir",
                           "--elide-weights", "-o", "-"], capture_output=True, text=True)
    assert mlir.returncode == 0, mlir.stderr
    assert "warning" not in mlir.stderr, mlir.stderr
    so = str(tmp_path / "model.so")
    out = subprocess.run([os.path.join(BIN, "qopt-compile"), path, "--emit=shared", "-o", so],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    lib = qopt.load_library(so)
    name = lib.inputs[0]["name"]
    return mlir.stdout, lib.run({name: x})[lib.outputs[0]["name"]]


def qdq_pair(nodes, inits, tensor, scale, zp, out):
    inits += [numpy_helper.from_array(np.float32(scale), tensor + "_s"),
              numpy_helper.from_array(np.int8(zp), tensor + "_z")]
    nodes += [helper.make_node("QuantizeLinear", [tensor, tensor + "_s", tensor + "_z"],
                               [tensor + "_q"]),
              helper.make_node("DequantizeLinear", [tensor + "_q", tensor + "_s", tensor + "_z"],
                               [out])]


def weight_dq(nodes, inits, name, w, scales, axis, dtype=np.int8):
    inits += [numpy_helper.from_array(w.astype(dtype), name + "_q"),
              numpy_helper.from_array(np.asarray(scales, np.float32), name + "_s"),
              numpy_helper.from_array(np.zeros(len(scales), dtype), name + "_z")]
    nodes.append(helper.make_node("DequantizeLinear", [name + "_q", name + "_s", name + "_z"],
                                  [name], axis=axis))


def make_model(nodes, inits, inputs, out_shape):
    graph = helper.make_graph(nodes, "qdq", inputs,
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, out_shape)],
                              inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    return model


def layer_model(kind, rng):
    """One quantized layer (Q/DQ on the activations, int8 per-channel weights,
    int32 bias) and its input."""
    nodes, inits = [], []
    sx, zx, sy, zy = 0.05, -7, 0.11, 3
    if kind == "conv":
        x = rng.standard_normal((2, 3, 9, 8)).astype(np.float32) * 2
        qdq_pair(nodes, inits, "x", sx, zx, "xd")
        w = rng.integers(-127, 128, size=(5, 3, 3, 2))
        sw = rng.uniform(0.002, 0.01, 5)
        weight_dq(nodes, inits, "w", w, sw, 0)
        weight_dq(nodes, inits, "b", rng.integers(-3000, 3000, size=5), sx * sw, 0, np.int32)
        nodes.append(helper.make_node("Conv", ["xd", "w", "b"], ["c"], pads=[1, 0, 2, 1],
                                      strides=[2, 1]))
        out_shape = [2, 5, 5, 8]
        qdq_pair(nodes, inits, "c", sy, zy, "y")
    elif kind == "gemm":
        x = rng.standard_normal((4, 16)).astype(np.float32) * 2
        qdq_pair(nodes, inits, "x", sx, zx, "xd")
        w = rng.integers(-127, 128, size=(7, 16))
        sw = rng.uniform(0.002, 0.01, 7)
        weight_dq(nodes, inits, "w", w, sw, 0)
        weight_dq(nodes, inits, "b", rng.integers(-3000, 3000, size=7), sx * sw, 0, np.int32)
        nodes.append(helper.make_node("Gemm", ["xd", "w", "b"], ["c"], transB=1))
        out_shape = [4, 7]
        qdq_pair(nodes, inits, "c", sy, zy, "y")
    elif kind == "matmul":
        x = rng.standard_normal((1, 6, 16)).astype(np.float32) * 2
        qdq_pair(nodes, inits, "x", sx, zx, "xd")
        w = rng.integers(-127, 128, size=(16, 9))
        weight_dq(nodes, inits, "w", w, rng.uniform(0.002, 0.01, 9), 1)
        nodes.append(helper.make_node("MatMul", ["xd", "w"], ["c"]))
        out_shape = [1, 6, 9]
        qdq_pair(nodes, inits, "c", sy, zy, "y")
    else:  # relu, max pool and a residual add of two quantized tensors
        x = rng.standard_normal((1, 4, 6, 6)).astype(np.float32) * 3
        qdq_pair(nodes, inits, "x", sx * 2, zx, "xd")
        nodes += [helper.make_node("Relu", ["xd"], ["r"]),
                  helper.make_node("MaxPool", ["r"], ["p"], kernel_shape=[2, 2], strides=[2, 2])]
        qdq_pair(nodes, inits, "p", sx * 2, zx, "pd")
        nodes.append(helper.make_node("Slice", ["xd", "st", "en", "ax"], ["s"]))
        inits += [numpy_helper.from_array(np.array(v, np.int64), n)
                  for n, v in [("st", [0, 0]), ("en", [3, 3]), ("ax", [2, 3])]]
        qdq_pair(nodes, inits, "s", sx, -1, "sd")
        nodes.append(helper.make_node("Add", ["pd", "sd"], ["c"]))
        out_shape = [1, 4, 3, 3]
        qdq_pair(nodes, inits, "c", sy, zy, "y")
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x.shape))]
    return make_model(nodes, inits, inputs, out_shape), x, sy


@pytest.mark.parametrize("kind", ["conv", "gemm", "matmul", "add"])
def test_one_layer_within_one_unit(tmp_path, kind):
    rng = np.random.default_rng(["conv", "gemm", "matmul", "add"].index(kind))
    model, x, scale = layer_model(kind, rng)
    mlir, got = compile_and_run(tmp_path, model, x)
    # Contractions on the integer path with ONNX's requantization; the add
    # of two dequantized values in f32, as ONNX defines it (no int_add).
    ints = {"conv": "qopt.int_conv2d", "gemm": "qopt.int_matmul",
            "matmul": "qopt.int_matmul", "add": "qopt.add"}
    assert ints[kind] in mlir
    assert "qopt.int_add" not in mlir
    if kind != "add":
        assert "qopt.float_rescale" in mlir and "qopt.rescale " not in mlir
    for float_op in ["qopt.conv2d", "qopt.gemm", "qopt.matmul"]:
        assert float_op not in mlir
    ref = QDQReference.__new__(QDQReference)
    onnx_numpy_ref.Model.__init__(ref, _save(tmp_path, model))
    want = ref.run({"x": x})[0]
    units = np.abs(got.astype(np.float64) - want) / scale
    assert units.max() <= 1 + 1e-4, units.max()
    # Not a vacuous comparison: the output spans many quantization steps.
    assert np.ptp(want) / scale > 20


def _save(tmp_path, model):
    path = str(tmp_path / "ref.onnx")
    onnx.save(model, path)
    return path


@pytest.mark.parametrize("fmt", ["qdq", "qoperator", "qoperator-ms"])
@pytest.mark.parametrize("name,count", [("fashion_cnn", 64), ("fashion_vit", 32)])
def test_bundled_model(tmp_path, name, count, fmt):
    """A bundled model quantized by qopt, written by scripts/export-qdq.py
    from qopt's report as QDQ or QOperator (with ONNX Runtime's
    com.microsoft ops for qoperator-ms), imported back: integer
    contractions with ONNX's requantization, within one unit of the
    reference."""
    onnx_path = os.path.join(MODELS, name + "_opset13.onnx")
    report = str(tmp_path / "r.json")
    out = subprocess.run([os.path.join(BIN, "qopt-compile"), onnx_path, "--quantize=int8",
                          "--calibration=" + os.path.join(MODELS, "data", "calib_256.npy"),
                          "--calib-method=percentile", "--report=" + report, "--emit=mlir",
                          "-o", os.devnull], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    path = str(tmp_path / f"{name}.{fmt}.onnx")
    out = subprocess.run([sys.executable, os.path.join(SRC, "scripts", "export-qdq.py"),
                          onnx_path, report, path, "--format=" + fmt],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    model = onnx.load(path)
    counts = {op: sum(n.op_type == op for n in model.graph.node)
              for op in ["QuantizeLinear", "DequantizeLinear", "Conv", "Gemm", "MatMul",
                         "QLinearConv", "QLinearMatMul", "QGemm", "QLinearAdd"]}
    layers = json.load(open(report))["layers"]
    contractions = sum(l["op"] in ("qopt.conv2d", "qopt.gemm", "qopt.matmul") for l in layers)
    assert (counts["Conv"] + counts["Gemm"] + counts["MatMul"] + counts["QLinearConv"]
            + counts["QLinearMatMul"] + counts["QGemm"]) == contractions
    if fmt == "qoperator-ms":
        # Gemm became QGemm and the residual adds QLinearAdd, as ORT writes them.
        assert counts["Conv"] == counts["MatMul"] == counts["Gemm"] == 0
        assert counts["QGemm"] >= 1 and counts["QLinearAdd"] >= 1
        assert all(n.domain in ("", "com.microsoft") for n in model.graph.node)
    elif fmt == "qoperator":
        # Every Conv and MatMul became its QLinear op; Gemm keeps QDQ pairs.
        assert counts["Conv"] == counts["MatMul"] == 0
        assert counts["QLinearConv"] + counts["QLinearMatMul"] == contractions - counts["Gemm"]
    else:
        assert counts["QLinearConv"] == counts["QLinearMatMul"] == counts["QGemm"] == 0

    so = str(tmp_path / f"{name}.{fmt}.so")
    out = subprocess.run([os.path.join(BIN, "qopt-compile"), path, "--emit=shared", "-o", so],
                         capture_output=True, text=True)
    assert out.returncode == 0 and "warning" not in out.stderr, out.stderr
    mlir = subprocess.run([os.path.join(BIN, "qopt-compile"), path, "--emit=mlir",
                           "--elide-weights", "-o", "-"], capture_output=True, text=True).stdout
    # Integer contractions, ONNX's requantization, no dyadic int_add.
    assert mlir.count("qopt.int_conv2d") + mlir.count("qopt.int_matmul") == contractions
    assert mlir.count("qopt.float_rescale") >= contractions and "qopt.int_add" not in mlir
    assert "qopt.conv2d" not in mlir and "qopt.matmul" not in mlir

    lib = qopt.load_library(so)
    ref = QDQReference(path)
    out_name = model.graph.output[0].name
    scale = float(numpy_helper.to_array(next(
        i for i in model.graph.initializer
        if i.name == next(n for n in model.graph.node
                          if n.op_type == "DequantizeLinear" and n.output[0] == out_name)
        .input[1])))
    xs = np.load(os.path.join(MODELS, "data", "eval_2k_x.npy"))[:count]
    in_name = lib.inputs[0]["name"]
    got = np.concatenate([lib.run({in_name: xs[i:i + 1]})[out_name] for i in range(len(xs))])
    want = np.concatenate([ref.run({in_name: xs[i:i + 1]})[0] for i in range(len(xs))])
    units = np.abs(got - want).max(axis=1) / scale
    assert units.max() <= 1 + 1e-4, units.max()
    assert np.mean(got.argmax(1) == want.argmax(1)) >= 0.95
    # Not a vacuous comparison: the logits span many quantization steps.
    assert np.ptp(want) / scale > 20


def test_unsigned_model_keeps_float_simulation(tmp_path):
    """u8 activations (ONNX Runtime's default) are read as signed by qopt's
    integer ops: such a model compiles in float simulation, with a warning."""
    nodes, inits = [], []
    inits += [numpy_helper.from_array(np.float32(0.05), "s"),
              numpy_helper.from_array(np.uint8(128), "z")]
    nodes += [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"]),
              helper.make_node("DequantizeLinear", ["q", "s", "z"], ["d"]),
              helper.make_node("Relu", ["d"], ["y"])]
    model = make_model(nodes, inits, [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                                                    [1, 8])], [1, 8])
    path = str(tmp_path / "u8.onnx")
    onnx.save(model, path)
    out = subprocess.run([os.path.join(BIN, "qopt-compile"), path, "--emit=shared", "-o",
                          str(tmp_path / "u8.so")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "warning" in out.stderr and "unsigned" in out.stderr, out.stderr
    x = np.linspace(-8, 8, 8, dtype=np.float32).reshape(1, 8)
    got = qopt.load_library(str(tmp_path / "u8.so")).run({"x": x})["y"]
    want = np.maximum(dequantize(np.clip(np.rint(x / np.float32(0.05)) + 128, 0, 255)
                                 .astype(np.int64), 0.05, 128), 0)
    assert np.allclose(got, want, atol=1e-6)


def test_exporter_refuses_a_foreign_report(tmp_path):
    """A report made from another model: one `error:` line, exit status 1."""
    report = {"activation_bits": 8, "layers": [
        {"name": "/no/such/Conv", "op": "qopt.conv2d", "inputs": [],
         "output": {"bits": 8, "scale": 0.1, "zero_point": 0}}]}
    path = tmp_path / "r.json"
    path.write_text(json.dumps(report))
    out = subprocess.run([sys.executable, os.path.join(SRC, "scripts", "export-qdq.py"),
                          os.path.join(MODELS, "fashion_cnn_opset13.onnx"), str(path),
                          str(tmp_path / "out.onnx")], capture_output=True, text=True)
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "/no/such/Conv" in lines[0]
