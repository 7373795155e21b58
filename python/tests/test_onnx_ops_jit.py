"""ONNX ops that the importer builds from several qopt ops (LogSoftmax,
Reduce*, Hardmax, Trilu, IsNaN/IsInf, Shrink, InstanceNormalization,
MeanVarianceNormalization, LRN, LayerNormalization's statistics,
DepthToSpace/SpaceToDepth, PRelu, Mean), the comparison/boolean ops and a
rank-0 input, through import, the CPU JIT and a run, against numpy
implementations written here from the ONNX operator definitions."""
import math
import os
import tempfile

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, mapping, numpy_helper

import qopt

F32, I64, BOOL = TensorProto.FLOAT, TensorProto.INT64, TensorProto.BOOL
RNG = np.random.default_rng(7)


def run(node, inputs, out_types, initializers=(), opset=17):
    """Builds a one-node model, compiles it and runs it on `inputs`
    ({name: array}); returns the outputs in the node's order."""
    ins = [helper.make_tensor_value_info(n, mapping.NP_TYPE_TO_TENSOR_TYPE[a.dtype],
                                         list(a.shape)) for n, a in inputs.items()]
    outs = [helper.make_tensor_value_info(n, t, None)
            for n, t in zip(node.output, out_types)]
    graph = helper.make_graph([node], "t", ins, outs,
                              [numpy_helper.from_array(v, k) for k, v in initializers])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    # The outputs' shapes from ONNX's shape inference (the checker wants one).
    model = onnx.shape_inference.infer_shapes(model)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "m.onnx")
        onnx.save(model, path)
        m = qopt.load_onnx(path)
    m.cleanup()
    exe = m.compile_cpu()
    got = exe.run(inputs)
    return [got[n] for n in node.output]


def x(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def close(got, want, rtol=1e-5, atol=1e-6):
    np.testing.assert_allclose(got, np.asarray(want, np.float64), rtol=rtol, atol=atol)


def test_logsoftmax_large_values():
    a = np.array([[1000.0, 1001.0, 1002.0], [-1.0, 0.0, 1.0]], np.float32)
    (y,) = run(helper.make_node("LogSoftmax", ["a"], ["y"]), {"a": a}, [F32])
    a64 = a.astype(np.float64)
    m = a64.max(axis=1, keepdims=True)
    close(y, a64 - m - np.log(np.exp(a64 - m).sum(axis=1, keepdims=True)))


@pytest.mark.parametrize("op,ref", [
    ("ReduceL1", lambda v, ax: np.abs(v).sum(axis=ax, keepdims=True)),
    ("ReduceL2", lambda v, ax: np.sqrt((v * v).sum(axis=ax, keepdims=True))),
    ("ReduceSumSquare", lambda v, ax: (v * v).sum(axis=ax, keepdims=True)),
    ("ReduceLogSum", lambda v, ax: np.log(np.abs(v).sum(axis=ax, keepdims=True))),
    ("ReduceLogSumExp", lambda v, ax: np.log(np.exp(v).sum(axis=ax, keepdims=True))),
    ("ReduceProd", lambda v, ax: v.prod(axis=ax, keepdims=True)),
])
def test_reductions(op, ref):
    a = x(3, 4, 5)
    if op == "ReduceLogSum":
        a = np.abs(a)
    (y,) = run(helper.make_node(op, ["a"], ["y"], axes=[0, 2]), {"a": a}, [F32])
    close(y, ref(a.astype(np.float64), (0, 2)))


def test_argmax_argmin_ties():
    a = np.array([[1, 3, 3, 0], [2, 2, -1, -1]], np.float32)
    nodes = [helper.make_node("ArgMax", ["a"], ["f"], axis=1),
             helper.make_node("ArgMin", ["a"], ["l"], axis=1, select_last_index=1,
                              keepdims=0)]
    f = run(nodes[0], {"a": a}, [I64])[0]
    l = run(nodes[1], {"a": a}, [I64])[0]
    assert f.dtype == np.int64 and f.tolist() == [[1], [0]]
    assert l.tolist() == [3, 3]


def test_hardmax_first_maximum():
    a = np.array([[1, 5, 5], [7, 0, 7]], np.float32)
    (y,) = run(helper.make_node("Hardmax", ["a"], ["y"]), {"a": a}, [F32])
    np.testing.assert_array_equal(y, [[0, 1, 0], [1, 0, 0]])


@pytest.mark.parametrize("upper,k", [(1, 0), (0, -1), (1, 2)])
def test_trilu(upper, k):
    a = x(2, 4, 5)
    (y,) = run(helper.make_node("Trilu", ["a", "k"], ["y"], upper=upper), {"a": a},
               [F32], initializers=[("k", np.array(k, np.int64))])
    np.testing.assert_array_equal(y, np.triu(a, k) if upper else np.tril(a, k))


def test_isnan_isinf_and_logic():
    a = np.array([1.0, np.nan, np.inf, -np.inf, 0.0], np.float32)
    (n,) = run(helper.make_node("IsNaN", ["a"], ["n"]), {"a": a}, [BOOL])
    (i,) = run(helper.make_node("IsInf", ["a"], ["i"], detect_positive=0), {"a": a}, [BOOL])
    assert n.dtype == np.bool_
    np.testing.assert_array_equal(n, np.isnan(a))
    np.testing.assert_array_equal(i, np.isneginf(a))
    p, q = RNG.random((3, 4)) < 0.5, RNG.random(4) < 0.5
    for op, fn in [("And", np.logical_and), ("Or", np.logical_or), ("Xor", np.logical_xor)]:
        (r,) = run(helper.make_node(op, ["p", "q"], ["r"]), {"p": p, "q": q}, [BOOL])
        np.testing.assert_array_equal(r, fn(p, q))
    (r,) = run(helper.make_node("Not", ["p"], ["r"]), {"p": p}, [BOOL])
    np.testing.assert_array_equal(r, ~p)


def test_compare_and_where():
    a = np.array([[1.0, 2.0, np.nan], [3.0, -1.0, 2.0]], np.float32)
    b = np.array([2.0, 2.0, 1.0], np.float32)
    for op, fn in [("Equal", np.equal), ("Less", np.less), ("LessOrEqual", np.less_equal),
                   ("Greater", np.greater), ("GreaterOrEqual", np.greater_equal)]:
        (r,) = run(helper.make_node(op, ["a", "b"], ["r"]), {"a": a, "b": b}, [BOOL])
        with np.errstate(invalid="ignore"):
            np.testing.assert_array_equal(r, fn(a, b))
    c = np.array([[True], [False]])
    (w,) = run(helper.make_node("Where", ["c", "a", "b"], ["w"]),
               {"c": c, "a": a, "b": b}, [F32])
    np.testing.assert_array_equal(w, np.where(c, a, b))


def test_shrink():
    a = np.array([-2.0, -1.5, -1.0, 0.0, 1.0, 1.5, 2.0], np.float32)
    (y,) = run(helper.make_node("Shrink", ["a"], ["y"], lambd=1.5, bias=0.5), {"a": a}, [F32])
    # At ±lambd exactly the result is 0 (strict comparisons in ONNX's definition).
    np.testing.assert_array_equal(y, [-1.5, 0, 0, 0, 0, 0, 1.5])


def test_instancenorm_mvn_lrn():
    a = x(2, 3, 4, 5)
    s, b = x(3), x(3)
    (y,) = run(helper.make_node("InstanceNormalization", ["a", "s", "b"], ["y"], epsilon=0.01),
               {"a": a, "s": s, "b": b}, [F32])
    a64 = a.astype(np.float64)
    mean = a64.mean(axis=(2, 3), keepdims=True)
    var = a64.var(axis=(2, 3), keepdims=True)
    close(y, s.reshape(1, 3, 1, 1) * (a64 - mean) / np.sqrt(var + 0.01) + b.reshape(1, 3, 1, 1),
          rtol=1e-4, atol=1e-5)
    (y,) = run(helper.make_node("MeanVarianceNormalization", ["a"], ["y"]), {"a": a}, [F32])
    mean = a64.mean(axis=(0, 2, 3), keepdims=True)
    close(y, (a64 - mean) / (a64.std(axis=(0, 2, 3), keepdims=True) + 1e-9),
          rtol=1e-4, atol=1e-5)
    size, alpha, beta, bias = 3, 0.2, 0.6, 1.5
    (y,) = run(helper.make_node("LRN", ["a"], ["y"], size=size, alpha=alpha, beta=beta,
                                bias=bias), {"a": a}, [F32])
    sq = np.zeros_like(a64)
    for c in range(3):
        lo, hi = max(0, c - (size - 1) // 2), min(2, c + math.ceil((size - 1) / 2))
        sq[:, c] = (a64[:, lo:hi + 1] ** 2).sum(axis=1)
    close(y, a64 / (bias + alpha / size * sq) ** beta, rtol=1e-4, atol=1e-5)


def test_layernorm_statistics():
    a, s = x(2, 3, 4), x(3, 4)
    y, mean, isd = run(helper.make_node("LayerNormalization", ["a", "s"],
                                        ["y", "m", "isd"], axis=1, epsilon=0.1),
                       {"a": a, "s": s}, [F32, F32, F32])
    a64 = a.astype(np.float64)
    m = a64.mean(axis=(1, 2), keepdims=True)
    inv = 1 / np.sqrt(a64.var(axis=(1, 2), keepdims=True) + 0.1)
    close(mean, m)
    close(isd, inv, rtol=1e-4)
    close(y, (a64 - m) * inv * s, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("mode", ["DCR", "CRD"])
def test_depth_to_space_roundtrip(mode):
    a = x(2, 8, 3, 4)
    (y,) = run(helper.make_node("DepthToSpace", ["a"], ["y"], blocksize=2, mode=mode),
               {"a": a}, [F32])
    n, c, h, w = a.shape
    if mode == "DCR":
        want = a.reshape(n, 2, 2, c // 4, h, w).transpose(0, 3, 4, 1, 5, 2)
    else:
        want = a.reshape(n, c // 4, 2, 2, h, w).transpose(0, 1, 4, 2, 5, 3)
    np.testing.assert_array_equal(y, want.reshape(n, c // 4, h * 2, w * 2))
    if mode == "DCR":
        (z,) = run(helper.make_node("SpaceToDepth", ["y"], ["z"], blocksize=2),
                   {"y": y}, [F32])
        np.testing.assert_array_equal(z, a)


def test_prelu_mean_and_rank0_input():
    a, slope = x(2, 3), x(3)
    (y,) = run(helper.make_node("PRelu", ["a", "s"], ["y"]), {"a": a, "s": slope}, [F32])
    np.testing.assert_allclose(y, np.where(a < 0, slope * a, a), rtol=1e-6)
    b, c = x(3), x(2, 1)
    (m,) = run(helper.make_node("Mean", ["a", "b", "c"], ["m"]), {"a": a, "b": b, "c": c}, [F32])
    close(m, (a.astype(np.float64) + b + c) / 3)
    # A rank-0 input takes a 0-d array.
    e = np.array(2.5, np.float32)
    (p,) = run(helper.make_node("Pow", ["a", "e"], ["p"]), {"a": np.abs(a), "e": e}, [F32])
    close(p, np.abs(a).astype(np.float64) ** 2.5, rtol=1e-5)
