#!/usr/bin/env python3
"""Tiny pure-numpy ONNX interpreter for the example models (no onnxruntime needed).

Supports just the operators that the Fashion-MNIST example exports use (opset 13/17):
Conv, Relu, MaxPool, AveragePool, GlobalAveragePool, Flatten, Gemm, MatMul, Add, Sub, Mul,
Div, Pow, Sqrt, Erf, Softmax, ReduceMean, LayerNormalization, Reshape, Transpose, Gather,
Slice, Concat, Unsqueeze, Squeeze, Shape, Cast, Constant, Identity.

It exists to check the *exported files* independently of PyTorch:

  /usr/bin/python3 onnx_numpy_ref.py fashion_cnn_opset13.onnx [more.onnx ...]

prints the op types of each model and its top-1 accuracy on data/eval_2k_{x,y}.npy.
"""
import argparse
import math
import os
import sys
from collections import Counter

import numpy as np
import onnx
from onnx import numpy_helper

_erf = np.frompyfunc(math.erf, 1, 1)


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _conv(x, w, b, a):
    group = a.get("group", 1)
    strides = a.get("strides", [1, 1])
    dil = a.get("dilations", [1, 1])
    pads = a.get("pads", [0, 0, 0, 0])
    if a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        raise NotImplementedError("Conv auto_pad")
    if dil != [1, 1]:
        raise NotImplementedError("Conv dilations")
    kh, kw = w.shape[2:]
    x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    win = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))
    win = win[:, :, ::strides[0], ::strides[1]]                    # N, C, Ho, Wo, kh, kw
    cin_g, cout_g = w.shape[1], w.shape[0] // group
    outs = []
    for g in range(group):
        wg = w[g * cout_g:(g + 1) * cout_g]                        # Og, Cg, kh, kw
        xg = win[:, g * cin_g:(g + 1) * cin_g]                     # N, Cg, Ho, Wo, kh, kw
        outs.append(np.einsum("nchwij,ocij->nohw", xg, wg, optimize=True))
    y = np.concatenate(outs, axis=1)
    if b is not None:
        y = y + b[None, :, None, None]
    return y.astype(np.float32)


def _pool(x, a, kind):
    kh, kw = a["kernel_shape"]
    strides = a.get("strides", [1, 1])
    pads = a.get("pads", [0, 0, 0, 0])
    if a.get("ceil_mode", 0) or a.get("dilations", [1, 1]) != [1, 1]:
        raise NotImplementedError("pool ceil_mode / dilations")
    fill = -np.inf if kind == "max" else 0.0
    xp = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])),
                constant_values=fill)
    win = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))
    win = win[:, :, ::strides[0], ::strides[1]]
    if kind == "max":
        return win.max(axis=(4, 5))
    if any(pads) and not a.get("count_include_pad", 0):
        ones = np.pad(np.ones_like(x), ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
        cnt = np.lib.stride_tricks.sliding_window_view(ones, (kh, kw), axis=(2, 3))
        cnt = cnt[:, :, ::strides[0], ::strides[1]].sum(axis=(4, 5))
        return (win.sum(axis=(4, 5)) / cnt).astype(np.float32)
    return win.mean(axis=(4, 5)).astype(np.float32)


def _layernorm(x, scale, bias, a):
    axis = a.get("axis", -1)
    eps = a.get("epsilon", 1e-5)
    axes = tuple(range(axis % x.ndim, x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    y = (x - mean) / np.sqrt(var + np.float32(eps)) * scale
    return (y + bias if bias is not None else y).astype(np.float32)


def _slice(x, starts, ends, axes=None, steps=None):
    axes = range(x.ndim) if axes is None else axes
    steps = [1] * len(starts) if steps is None else steps
    idx = [slice(None)] * x.ndim
    for s, e, ax, st in zip(starts, ends, axes, steps):
        idx[int(ax)] = slice(int(s), int(e), int(st))
    return x[tuple(idx)]


def _reshape(x, shape):
    shape = [int(d) for d in shape]
    shape = [x.shape[i] if d == 0 else d for i, d in enumerate(shape)]
    return x.reshape(shape)


def run_node(node, ins):
    op, a = node.op_type, _attrs(node)
    if op == "Conv":
        return _conv(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a)
    if op == "Relu":
        return np.maximum(ins[0], 0).astype(ins[0].dtype)
    if op == "MaxPool":
        return _pool(ins[0], a, "max")
    if op == "AveragePool":
        return _pool(ins[0], a, "avg")
    if op == "GlobalAveragePool":
        return ins[0].mean(axis=tuple(range(2, ins[0].ndim)), keepdims=True)
    if op == "Flatten":
        ax = a.get("axis", 1)
        return ins[0].reshape(int(np.prod(ins[0].shape[:ax])), -1)
    if op == "Gemm":
        A, B = ins[0], ins[1]
        A = A.T if a.get("transA", 0) else A
        B = B.T if a.get("transB", 0) else B
        y = np.float32(a.get("alpha", 1.0)) * (A @ B)
        if len(ins) > 2 and ins[2] is not None:
            y = y + np.float32(a.get("beta", 1.0)) * ins[2]
        return y.astype(np.float32)
    if op == "MatMul":
        return np.matmul(ins[0], ins[1])
    if op in ("Add", "Sub", "Mul", "Div", "Pow", "Equal"):
        f = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide,
             "Pow": np.power, "Equal": np.equal}[op]
        y = f(ins[0], ins[1])
        return y if op == "Equal" else y.astype(ins[0].dtype)
    if op == "Sqrt":
        return np.sqrt(ins[0])
    if op == "Erf":
        return _erf(ins[0].astype(np.float64)).astype(ins[0].dtype)
    if op == "Softmax":
        ax = a.get("axis", -1)
        e = np.exp(ins[0] - ins[0].max(axis=ax, keepdims=True))
        return e / e.sum(axis=ax, keepdims=True)
    if op == "ReduceMean":
        axes = a.get("axes", None)
        if axes is None and len(ins) > 1:
            axes = ins[1]
        axes = None if axes is None else tuple(int(v) for v in axes)
        return ins[0].mean(axis=axes, keepdims=bool(a.get("keepdims", 1))).astype(ins[0].dtype)
    if op == "LayerNormalization":
        return _layernorm(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a)
    if op == "Reshape":
        return _reshape(ins[0], ins[1])
    if op == "Transpose":
        return np.transpose(ins[0], a.get("perm"))
    if op == "Gather":
        return np.take(ins[0], ins[1], axis=a.get("axis", 0))
    if op == "Slice":
        return _slice(*ins)
    if op == "Concat":
        return np.concatenate(ins, axis=a["axis"])
    if op == "Unsqueeze":
        axes = a.get("axes", ins[1] if len(ins) > 1 else None)
        y = ins[0]
        for ax in sorted(int(v) % (y.ndim + len(axes)) for v in axes):
            y = np.expand_dims(y, ax)
        return y
    if op == "Squeeze":
        axes = a.get("axes", ins[1] if len(ins) > 1 else None)
        return np.squeeze(ins[0], axis=None if axes is None else tuple(int(v) for v in axes))
    if op == "Shape":
        return np.array(ins[0].shape, dtype=np.int64)
    if op == "Cast":
        return ins[0].astype(onnx.helper.tensor_dtype_to_np_dtype(a["to"]))
    if op == "Constant":
        return numpy_helper.to_array(a["value"])
    if op == "Identity":
        return ins[0]
    raise NotImplementedError(f"op {op}")


class Model:
    def __init__(self, path):
        self.model = onnx.load(path)
        g = self.model.graph
        self.consts = {t.name: numpy_helper.to_array(t) for t in g.initializer}
        self.inputs = [i.name for i in g.input if i.name not in self.consts]
        self.outputs = [o.name for o in g.output]
        self.op_types = Counter(n.op_type for n in g.node)

    def run(self, feeds):
        env = dict(self.consts)
        env.update(feeds)
        for node in self.model.graph.node:
            ins = [env[n] if n else None for n in node.input]
            out = run_node(node, ins)
            env[node.output[0]] = out
        return [env[o] for o in self.outputs]


def accuracy(path, x, y):
    """Top-1 accuracy of the ONNX file (batch 1 per run) and the logits."""
    m = Model(path)
    logits = np.stack([m.run({m.inputs[0]: x[i:i + 1]})[0][0] for i in range(len(x))])
    return float((logits.argmax(axis=1) == y).mean()), logits


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="+")
    ap.add_argument("--limit", type=int, default=2000, help="use the first N eval images")
    args = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    x = np.load(os.path.join(here, "data", "eval_2k_x.npy"))[:args.limit]
    y = np.load(os.path.join(here, "data", "eval_2k_y.npy"))[:args.limit]
    for path in args.models:
        m = Model(path)
        print(f"{path}: opset {m.model.opset_import[0].version}, "
              f"{sum(m.op_types.values())} nodes: {dict(sorted(m.op_types.items()))}")
        acc, _ = accuracy(path, x, y)
        print(f"  numpy reference accuracy on eval_2k[:{len(x)}]: {acc:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
