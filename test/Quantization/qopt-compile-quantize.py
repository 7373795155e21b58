# qopt-compile --quantize on a small conv -> relu -> flatten -> gemm model:
# the quant-typed and the integer form, and the report checked against an
# independent numpy forward pass (calibration ranges, scales, zero points)
# and a numpy fake-quant simulation (SQNR per layer).
#
# RUN: rm -rf %t && %python %s gen %t
# RUN: qopt-compile %t/m.onnx --quantize=int8 --calibration=%t/calib.npy --quant-form=quantized --report=%t/r.json -o %t/q.mlir
# RUN: FileCheck %s --check-prefix=QUANT < %t/q.mlir
# RUN: %python %s check %t minmax
# RUN: qopt-compile %t/m.onnx --quantize=int8 --calibration=%t/calib.npy -o - | FileCheck %s --check-prefix=INT
# RUN: qopt-compile %t/m.onnx --quantize=int8 --calibration=%t/calib.npy --calib-method=percentile:99 --report=%t/r.json -o /dev/null
# RUN: %python %s check %t percentile:99
# RUN: qopt-compile %t/m.onnx --quantize=w4a8 --calibration=%t/calib.npy --quant-form=quantized --per-channel=false -o - | FileCheck %s --check-prefix=W4
# RUN: qopt-compile %t/m.onnx --quantize=int8 --calibration=%t/calib.npy --quant-form=fake -o - | FileCheck %s --check-prefix=FAKE

# QUANT: qopt.quantize %arg0 {{.*}} -> tensor<1x1x4x4x!quant.uniform<i8:f32, {{.*}}>>
# QUANT: qopt.conv2d {{.*}} -> tensor<1x2x4x4x!quant.uniform<i8:f32, {{.*}}>>
# QUANT: qopt.relu {{.*}} -> tensor<1x2x4x4x!quant.uniform<i8:f32, {{.*}}>>
# QUANT: qopt.flatten {{.*}} -> tensor<1x32x!quant.uniform<i8:f32, {{.*}}>>
# QUANT: qopt.gemm {{.*}} -> tensor<1x3x!quant.uniform<i8:f32, {{.*}}>>
# QUANT: qopt.dequantize {{.*}} -> tensor<1x3xf32>

# INT: qopt.int_conv2d
# INT: qopt.rescale {{.*}}axis = 1
# INT: qopt.rescale
# INT: qopt.flatten {{.*}} : (tensor<1x2x4x4xi8>) -> tensor<1x32xi8>
# INT: qopt.int_matmul
# INT: arith.addi
# INT: qopt.rescale {{.*}}axis = 1
# INT: qopt.dequantize
# INT-NOT: qopt.conv2d
# INT-NOT: qopt.gemm

# W4: qopt.conv2d {{.*}}tensor<2x1x3x3x!quant.uniform<i8<-7:7>:f32, {{[^,]*}}>>
# W4: qopt.gemm {{.*}}tensor<3x32x!quant.uniform<i8<-7:7>:f32, {{[^,]*}}>>

# FAKE: qopt.conv2d {{.*}} -> tensor<1x2x4x4xf32>
# FAKE: qopt.quantize
# FAKE: qopt.dequantize
# FAKE: qopt.gemm {{.*}} -> tensor<1x3xf32>

import json
import os
import sys

sys.dont_write_bytecode = True
import numpy as np  # noqa: E402


def model_params():
    rng = np.random.default_rng(7)
    w1 = rng.standard_normal((2, 1, 3, 3)).astype(np.float32)
    b1 = rng.standard_normal(2).astype(np.float32) * 0.1
    w2 = rng.standard_normal((3, 32)).astype(np.float32) * 0.3
    b2 = rng.standard_normal(3).astype(np.float32) * 0.1
    x = rng.standard_normal((24, 1, 4, 4)).astype(np.float32)
    return w1, b1, w2, b2, x


def gen(d):
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    os.makedirs(d, exist_ok=True)
    w1, b1, w2, b2, x = model_params()
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c"], name="conv",
                         pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("Flatten", ["r"], ["f"], name="flatten"),
        helper.make_node("Gemm", ["f", "w2", "b2"], ["y"], name="fc", transB=1),
    ]
    graph = helper.make_graph(
        nodes, "m", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 4, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3])],
        [numpy_helper.from_array(a, n) for a, n in
         [(w1, "w1"), (b1, "b1"), (w2, "w2"), (b2, "b2")]])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
              os.path.join(d, "m.onnx"))
    np.save(os.path.join(d, "calib.npy"), x)


def conv(x, w, b):
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    out = np.zeros((x.shape[0], w.shape[0], 4, 4))
    for i in range(4):
        for j in range(4):
            patch = xp[:, :, i:i + 3, j:j + 3]
            out[:, :, i, j] = np.einsum("nchw,fchw->nf", patch, w)
    return out + b[None, :, None, None]


def rne(v):
    return np.rint(v)


def act_params(lo, hi):
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    s = (hi - lo) / 255
    return s, int(np.clip(-128 - rne(lo / s), -128, 127))


def fq(v, s, zp):
    return (np.clip(rne(v / s) + zp, -128, 127) - zp) * s


def fq_weights(w, axis):
    moved = np.moveaxis(w.astype(np.float64), axis, 0)
    s = np.abs(moved.reshape(moved.shape[0], -1)).max(axis=1) / 127
    shape = (-1,) + (1,) * (moved.ndim - 1)
    q = np.clip(rne(moved / s.reshape(shape)), -127, 127) * s.reshape(shape)
    return np.moveaxis(q, 0, axis), s


def percentile_bounds(v, p, width):
    """Where the observer's percentile range may lie: hi is the right edge
    of the histogram bin holding the sample of rank ceil(P%·n), lo the left
    edge of the bin of rank floor((1-P%)·n); one rank of slack either side."""
    xs = np.sort(v.ravel())
    n = xs.size
    k = int(np.ceil(p / 100 * n)) - 1
    j = int(np.floor((1 - p / 100) * n))
    hi = (max(xs[max(k - 1, 0)] - width, 0.0), max(xs[min(k + 1, n - 1)] + width, 0.0))
    lo = (min(xs[max(j - 1, 0)] - width, 0.0), min(xs[min(j + 1, n - 1)] + width, 0.0))
    return lo, hi


def sqnr(ref, got):
    return 10 * np.log10(np.sum(ref ** 2) / np.sum((ref - got) ** 2))


def check(d, method):
    w1, b1, w2, b2, x = model_params()
    report = json.load(open(os.path.join(d, "r.json")))
    layers = {l["name"]: l for l in report["layers"]}
    assert set(layers) == {"conv", "fc"}, layers.keys()
    c = conv(x.astype(np.float64), w1, b1)
    y = np.maximum(c, 0).reshape(24, 32) @ w2.T.astype(np.float64) + b2

    # Calibration ranges and parameters: input x, conv output c, fc output y.
    tol = 1e-5
    conv_l, fc_l = layers["conv"], layers["fc"]
    for entry, v in [(conv_l["inputs"][0], x), (conv_l["output"], c),
                     (fc_l["output"], y)]:
        assert abs(entry["observed_range"][0] - v.min()) < tol
        assert abs(entry["observed_range"][1] - v.max()) < tol
        lo, hi = entry["calibration_range"]
        if method == "minmax":
            assert abs(lo - min(v.min(), 0.0)) < tol and abs(hi - max(v.max(), 0.0)) < tol
        else:
            # The histogram spans [-T, T], T the first batch's max |v|
            # doubled until it covers every batch (bins of 2T/2048).
            t = float(np.abs(v[0]).max())
            while t < np.abs(v).max():
                t *= 2
            (l0, l1), (h0, h1) = percentile_bounds(v, float(method.split(":")[1]),
                                                   2 * t / 2048)
            assert l0 - tol <= lo <= l1 + tol, (entry, l0, l1)
            assert h0 - tol <= hi <= h1 + tol, (entry, h0, h1)
        assert entry["calibration_method"] == method
        s, zp = act_params(lo, hi)
        assert abs(entry["scale"] - s) <= 1e-12 * s and entry["zero_point"] == zp
        assert entry["bits"] == 8
    # The fc input is the relu'd conv output: same type as conv's output.
    assert fc_l["inputs"][0]["scale"] == conv_l["output"]["scale"]
    assert fc_l["inputs"][0]["zero_point"] == conv_l["output"]["zero_point"]
    # Weights per output channel, bias at s_in·s_w.
    w1q, s1 = fq_weights(w1, 0)
    w2q, s2 = fq_weights(w2, 0)
    np.testing.assert_allclose(conv_l["weight"]["scales"], s1, rtol=1e-6)
    np.testing.assert_allclose(fc_l["weight"]["scales"], s2, rtol=1e-6)
    assert conv_l["weight"]["bits"] == 8 and conv_l["weight"]["axis"] == 0
    sx, zx = conv_l["inputs"][0]["scale"], conv_l["inputs"][0]["zero_point"]
    np.testing.assert_allclose(conv_l["bias"]["scales"], sx * s1, rtol=1e-6)

    # SQNR of each layer's fake-quantized output, errors accumulating.
    sc, zc = conv_l["output"]["scale"], conv_l["output"]["zero_point"]
    sy, zy = fc_l["output"]["scale"], fc_l["output"]["zero_point"]
    b1q = rne(b1 / (sx * s1)) * (sx * s1)
    cq = fq(conv(fq(x.astype(np.float64), sx, zx), w1q, b1q), sc, zc)
    b2q = rne(b2 / (sc * s2)) * (sc * s2)
    yq = fq(np.maximum(cq, 0).reshape(24, 32) @ w2q.T + b2q, sy, zy)
    for layer, ref, got in [(conv_l, c, cq), (fc_l, y, yq)]:
        expected = sqnr(ref, got)
        assert abs(layer["sqnr_db"] - expected) < 0.05, (layer["sqnr_db"], expected)
    print("ok", {n: round(l["sqnr_db"], 2) for n, l in layers.items()})


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(sys.argv[2])
    else:
        check(sys.argv[2], sys.argv[3])
