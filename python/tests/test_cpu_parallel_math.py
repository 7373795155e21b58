"""The CPU backend's threaded elementwise loops (convert-parallel-loops-to-
qopt-runtime) and polynomial exp/erf/tanh (qopt-approximate-math), through
import, the JIT and a run: results against numpy in float64 (math.erf for
erf), the approximations' error bounds of docs/Numerics.md, and bit-identical
outputs for 1, 2 and 3 threads."""
import math

import numpy as np
import pytest
from onnx import TensorProto, helper

from small_models import compile_onnx_graph

F32 = TensorProto.FLOAT
RNG = np.random.default_rng(11)


def sweep(n):
    """Inputs over the functions' whole interesting range, the saturating
    tails and exact zeros/ties included."""
    x = np.concatenate([
        np.linspace(-12.0, 12.0, n - 8, dtype=np.float32),
        np.array([0.0, -0.0, 1e-30, -1e-30, 88.0, -87.0, 30.0, -30.0], np.float32)])
    return x.reshape(1, -1)


# (ONNX op, float64 reference, largest allowed error relative to max(|ref|, 1e-30)
# or absolute where noted)
FUNCTIONS = [
    ("Exp", np.exp, "rel", 4e-7),
    ("Erf", np.vectorize(math.erf), "abs", 3e-7),
    ("Tanh", np.tanh, "abs", 3e-7),
]


@pytest.mark.parametrize("op,ref,kind,bound", FUNCTIONS)
def test_approximation_error(op, ref, kind, bound):
    n = 1 << 16
    exe = compile_onnx_graph([helper.make_node(op, ["x"], ["y"])], {"x": [1, n]}, {"y": [1, n]})
    x = sweep(n)
    y = exe.run({"x": x})["y"].astype(np.float64)
    want = ref(x.astype(np.float64))
    if kind == "rel":
        err = np.abs(y - want) / np.maximum(np.abs(want), 1e-30)
        # exp underflows to (sub)normals below -87: compare those absolutely
        err = np.where(want < 1e-37, np.abs(y - want), err)
    else:
        err = np.abs(y - want)
    assert err.max() <= bound, (op, float(err.max()), float(x.ravel()[err.argmax()]))
    # Saturation: erf and tanh reach ±1 exactly far out, odd symmetry holds.
    if op in ("Erf", "Tanh"):
        assert y[0, 0] == -1.0 and y[0, n - 9] == 1.0
        assert np.array_equal(y[0, : (n - 8) // 2], -y[0, (n - 8) // 2: n - 8][::-1])
    if op == "Exp":
        assert y[0, n - 8] == 1.0 and y[0, n - 9] > 1e5


def test_softmax_and_gelu_against_numpy():
    shape = [2, 12, 50, 50]
    nodes = [helper.make_node("Softmax", ["x"], ["s"], axis=-1),
             # GELU as torch exports it: x * 0.5 * (1 + erf(x / sqrt 2))
             helper.make_node("Constant", [], ["r"], value=helper.make_tensor(
                 "r", F32, [], [1.4142135381698608])),
             helper.make_node("Constant", [], ["one"], value=helper.make_tensor("one", F32, [], [1.0])),
             helper.make_node("Constant", [], ["half"], value=helper.make_tensor("half", F32, [], [0.5])),
             helper.make_node("Div", ["x", "r"], ["d"]),
             helper.make_node("Erf", ["d"], ["e"]),
             helper.make_node("Add", ["e", "one"], ["a"]),
             helper.make_node("Mul", ["x", "a"], ["m"]),
             helper.make_node("Mul", ["m", "half"], ["g"])]
    exe = compile_onnx_graph(nodes, {"x": shape}, {"s": shape, "g": shape})
    x = (RNG.standard_normal(shape) * 4).astype(np.float32)
    out = exe.run({"x": x})
    x64 = x.astype(np.float64)
    e = np.exp(x64 - x64.max(axis=-1, keepdims=True))
    np.testing.assert_allclose(out["s"], e / e.sum(axis=-1, keepdims=True), rtol=2e-6, atol=1e-9)
    erf = np.vectorize(math.erf)
    # 1 + erf cancels for negative x: erf's 3e-7 absolute error, times |x|/2
    # (|x| < 20 here), bounds the absolute error there.
    np.testing.assert_allclose(out["g"], 0.5 * x64 * (1 + erf(x64 / math.sqrt(2))),
                               rtol=2e-6, atol=3e-6)


def test_threaded_loops_bit_identical_for_any_thread_count():
    # Big enough elementwise, pooling and reduction loops to go to the pool,
    # on a shape whose leading dims do not split evenly over 2 or 3 threads.
    shape = [1, 37, 61, 67]
    nodes = [helper.make_node("Sigmoid", ["x"], ["s"]),
             helper.make_node("Add", ["s", "b"], ["a"]),
             helper.make_node("MaxPool", ["a"], ["p"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
             helper.make_node("Softmax", ["p"], ["y"], axis=1),
             helper.make_node("ReduceMean", ["y"], ["r"], axes=[3], keepdims=1)]
    exe = compile_onnx_graph(nodes, {"x": shape, "b": shape}, {"y": shape, "r": shape[:3] + [1]})
    x = RNG.standard_normal(shape).astype(np.float32)
    b = RNG.standard_normal(shape).astype(np.float32)
    results = []
    for threads in (1, 2, 3):
        exe.set_threads(threads)
        results.append(exe.run({"x": x, "b": b}))
    for other in results[1:]:
        for name in ("y", "r"):
            assert np.array_equal(results[0][name], other[name])
    # and the values are right (numpy, float64)
    x64, b64 = x.astype(np.float64), b.astype(np.float64)
    a = 1 / (1 + np.exp(-x64)) + b64
    padded = np.pad(a, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=-np.inf)
    p = np.max([padded[:, :, i:i + shape[2], j:j + shape[3]] for i in range(3) for j in range(3)], axis=0)
    e = np.exp(p - p.max(axis=1, keepdims=True))
    y = e / e.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(results[0]["y"], y, rtol=2e-6, atol=1e-9)
    np.testing.assert_allclose(results[0]["r"], y.mean(axis=3, keepdims=True), rtol=2e-6, atol=1e-9)
