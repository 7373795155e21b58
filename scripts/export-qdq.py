#!/usr/bin/env python3
"""Writes the ONNX QDQ form of a float model, quantized exactly as qopt's own
`qopt-compile --quantize=int8 --report=r.json` quantized it, so that qopt and
ONNX Runtime run the same int8 model.

For every layer of the report (matched to the ONNX node of the same name):
  - each activation the layer reads or writes gets QuantizeLinear +
    DequantizeLinear with the report's per-tensor scale and int8 zero point
    (a tensor read by several layers gets one pair; its consumers all read
    the DequantizeLinear);
  - a constant weight becomes an int8 initializer, quantized per channel with
    the report's scales (symmetric, zero points 0, storage [-127, 127]:
    q = clamp(round_half_even(w / s), -127, 127), the division in f32 as
    docs/Numerics.md specifies), read through DequantizeLinear with `axis`;
  - a bias becomes an int32 initializer at the report's bias scales
    (s_in·s_w), q = round_half_even(b / s), read through DequantizeLinear.
Graph outputs keep their names (the DequantizeLinear writes them).

With --format=qoperator the QDQ groups of Conv and MatMul then become ONNX's
QOperator ops: DequantizeLinear(x), DequantizeLinear(w)[, DequantizeLinear(b)]
-> Conv -> QuantizeLinear becomes QLinearConv (int32 bias), and likewise
MatMul (a constant weight or two activations) becomes QLinearMatMul. Ops
without a standard QOperator form (Gemm, Add, pooling, ...) keep their QDQ
pairs.

--format=qoperator-ms goes on as ONNX Runtime's own QOperator quantizer
does, with the ops of ORT's com.microsoft domain: the QDQ groups of Add and
Mul become QLinearAdd/QLinearMul, GlobalAveragePool, AveragePool, Sigmoid
and LeakyRelu their QLinear* forms, Concat QLinearConcat, and Gemm QGemm
(int32 bias).

usage: export-qdq.py MODEL.onnx REPORT.json OUT.onnx
                     [--format=qdq|qoperator|qoperator-ms]

Only Debian's python3-onnx and numpy are needed."""
import argparse
import json
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto


def fail(message):
    sys.stderr.write(f"error: {message}\n")
    sys.exit(1)


def round_half_even(x):
    return np.rint(x)  # numpy rounds half to even


class Exporter:
    def __init__(self, model, report):
        self.model = model
        self.graph = model.graph
        self.report = report
        self.inits = {i.name: i for i in self.graph.initializer}
        self.params = {}       # activation name -> (scale, zero point)
        self.new_inits = []
        self.new_nodes = []    # (index of the consumer to insert before, node)
        self.counter = 0

    def fresh(self, base):
        self.counter += 1
        return f"{base}__qdq{self.counter}"

    def record(self, tensor, q):
        """Remembers the (scale, zp) of an activation tensor."""
        if "scale" not in q:
            fail(f"tensor {tensor}: the report gives no per-tensor scale")
        if q.get("storage_min", -128) < -128 or q.get("storage_max", 127) > 127 or q["bits"] != 8:
            fail(f"tensor {tensor}: only int8 activations are exported")
        params = (float(q["scale"]), int(q["zero_point"]))
        old = self.params.setdefault(tensor, params)
        if old != params:
            sys.stderr.write(f"warning: {tensor} has two quantizations in the report "
                             f"({old} and {params}); the first is used\n")

    def weight(self, node, index, w, axis):
        """Replaces the constant input `index` of `node` by int8 storage read
        through a per-axis DequantizeLinear."""
        name = node.input[index]
        data = numpy_helper.to_array(self.inits[name]).astype(np.float32)
        scales = np.asarray(w["scales"], dtype=np.float64)
        if w["bits"] != 8 and w["bits"] != 4:
            fail(f"{node.name}: {w['bits']}-bit weights are not exported")
        lo, hi = int(w["storage_min"]), int(w["storage_max"])
        if any(z != 0 for z in w.get("zero_points", [0])):
            fail(f"{node.name}: only symmetric weights are exported")
        shape = [1] * data.ndim
        per_axis = len(scales) > 1
        if per_axis:
            shape[axis] = len(scales)
        s = scales.astype(np.float32).reshape(shape)
        q = np.clip(round_half_even(data / s), lo, hi).astype(np.int8)
        return self.dequantized_constant(node, index, q, scales, np.int8, axis if per_axis else None)

    def bias(self, node, index, b):
        name = node.input[index]
        data = numpy_helper.to_array(self.inits[name]).astype(np.float64)
        scales = np.asarray(b["scales"], dtype=np.float64)
        q = round_half_even(data / scales)
        if np.abs(q).max(initial=0) > 2**31 - 1:
            fail(f"{node.name}: the bias leaves int32")
        return self.dequantized_constant(node, index, q.astype(np.int32), scales, np.int32,
                                         0 if len(scales) > 1 else None)

    def dequantized_constant(self, node, index, q, scales, dtype, axis):
        base = node.input[index]
        qname, sname, zname, out = (self.fresh(base + suffix)
                                    for suffix in ("_quantized", "_scale", "_zero_point", "_dq"))
        self.new_inits += [
            numpy_helper.from_array(q, qname),
            numpy_helper.from_array(scales.astype(np.float32).reshape(-1) if axis is not None
                                    else np.float32(scales[0]), sname),
            numpy_helper.from_array(np.zeros(len(scales), dtype) if axis is not None
                                    else dtype(0), zname)]
        attrs = {"axis": axis} if axis is not None else {}
        self.new_nodes.append(helper.make_node("DequantizeLinear", [qname, sname, zname], [out],
                                               name=self.fresh(base + "_DequantizeLinear"),
                                               **attrs))
        node.input[index] = out

    def inline_identities(self):
        """Identity nodes of initializers (torch exports share one zero bias
        this way) become initializers of their own, so that each layer's
        weight and bias can be replaced."""
        kept = []
        for n in self.graph.node:
            if n.op_type == "Identity" and n.input[0] in self.inits:
                t = onnx.TensorProto()
                t.CopyFrom(self.inits[n.input[0]])
                t.name = n.output[0]
                self.graph.initializer.append(t)
                self.inits[t.name] = t
            else:
                kept.append(n)
        del self.graph.node[:]
        self.graph.node.extend(kept)

    def run(self):
        self.inline_identities()
        nodes = {n.name: n for n in self.graph.node}
        outputs = {o.name for o in self.graph.output}
        layers = 0
        for layer in self.report["layers"]:
            node = nodes.get(layer["name"])
            if node is None:
                fail(f"the report's layer {layer['name']} is no node of the model "
                     "(was it made from this model?)")
            op = node.op_type
            # The quantized inputs in order: all but the weight and bias (a
            # constant operand of an add, say, is quantized per tensor: it
            # gets a QDQ pair like an activation).
            skip = {1} if "weight" in layer else set()
            if "bias" in layer:
                skip.add(2)
            activations = [i for i, name in enumerate(node.input)
                           if name and i not in skip]
            if len(activations) < len(layer["inputs"]):
                fail(f"{node.name}: {len(layer['inputs'])} quantized inputs in the report, "
                     f"{len(activations)} in the model")
            entries = list(layer["inputs"])
            if (op in ("Add", "Mul") and len(activations) == 2 and len(entries) == 2
                    and sum(node.input[i] in self.inits for i in activations) == 1):
                # qopt's canonical form may put a constant operand of a
                # commutative op elsewhere than the ONNX node does: the
                # constant's report entry is the one without an observed
                # (calibrated) range.
                const = next(i for i in activations if node.input[i] in self.inits)
                observed = [e.get("observed_range") is not None for e in entries]
                if observed.count(False) == 1 and observed[activations.index(const)]:
                    entries.reverse()
            for i, q in zip(activations, entries):
                self.record(node.input[i], q)
            if "weight" in layer:
                if op == "Conv":
                    axis = 0
                elif op == "Gemm":
                    trans_b = next((a.i for a in node.attribute if a.name == "transB"), 0)
                    axis = 0 if trans_b else 1
                elif op == "MatMul":
                    axis = len(self.inits[node.input[1]].dims) - 1
                else:
                    fail(f"{node.name}: weights of {op} are not exported")
                self.weight(node, 1, layer["weight"], axis)
            if "bias" in layer:
                if len(node.input) < 3 or node.input[2] not in self.inits:
                    fail(f"{node.name}: the report has a bias the node lacks")
                self.bias(node, 2, layer["bias"])
            self.record(node.output[0], layer["output"])
            layers += 1
        self.insert_qdq(outputs)
        return layers

    def insert_qdq(self, outputs):
        consumers = {}
        for n in self.graph.node:
            for i, name in enumerate(n.input):
                consumers.setdefault(name, []).append((n, i))
        producers = {o: n for n in self.graph.node for o in n.output}
        for tensor, (scale, zp) in self.params.items():
            base = tensor.replace("/", "_").strip("_")
            sname, zname = self.fresh(base + "_scale"), self.fresh(base + "_zero_point")
            self.new_inits += [numpy_helper.from_array(np.float32(scale), sname),
                               numpy_helper.from_array(np.int8(zp), zname)]
            source, dq = tensor, self.fresh(base + "_dq")
            if tensor in outputs:
                # The graph output keeps its name: its producer writes a new one.
                source = self.fresh(base + "_float")
                for i, o in enumerate(producers[tensor].output):
                    if o == tensor:
                        producers[tensor].output[i] = source
                dq = tensor
            q = self.fresh(base + "_q")
            self.new_nodes.append(helper.make_node("QuantizeLinear", [source, sname, zname], [q],
                                                   name=self.fresh(base + "_QuantizeLinear")))
            self.new_nodes.append(helper.make_node("DequantizeLinear", [q, sname, zname], [dq],
                                                   name=self.fresh(base + "_DequantizeLinear")))
            if tensor not in outputs:
                for n, i in consumers.get(tensor, []):
                    n.input[i] = dq

    def write(self, path):
        self.graph.initializer.extend(self.new_inits)
        self.graph.node.extend(n for n in self.new_nodes)
        # Topological order: ONNX requires it.
        order, ready = [], {i.name for i in self.graph.input} | {i.name for i in self.graph.initializer} | {""}
        pending = list(self.graph.node)
        while pending:
            progress = [n for n in pending if all(i in ready for i in n.input)]
            if not progress:
                fail("the QDQ graph has a cycle or a missing tensor")
            for n in progress:
                order.append(n)
                ready.update(n.output)
            pending = [n for n in pending if n not in progress]
        del self.graph.node[:]
        self.graph.node.extend(order)
        # The float weights and biases now replaced by int8/int32 ones.
        used = {i for n in self.graph.node for i in n.input}
        kept = [i for i in self.graph.initializer if i.name in used]
        del self.graph.initializer[:]
        self.graph.initializer.extend(kept)
        # Per-axis DequantizeLinear needs opset 13.
        for opset in self.model.opset_import:
            if opset.domain in ("", "ai.onnx") and opset.version < 13:
                opset.version = 13
        onnx.checker.check_model(self.model)
        onnx.save(self.model, path)


MS_DOMAIN = "com.microsoft"
# QDQ groups ORT's quantizer writes as com.microsoft ops: op -> (QLinear op,
# how the inputs are laid out).
MS_UNARY = {"GlobalAveragePool": "QLinearGlobalAveragePool",
            "AveragePool": "QLinearAveragePool", "Sigmoid": "QLinearSigmoid",
            "LeakyRelu": "QLinearLeakyRelu"}
MS_BINARY = {"Add": "QLinearAdd", "Mul": "QLinearMul"}


def ms_node(node, dqs, q):
    """The com.microsoft node for the QDQ group DequantizeLinear(s) ->
    `node` -> QuantizeLinear `q`, or None when it has no such form."""
    def triple(dq):  # (x, scale, zero point) of a per-tensor DequantizeLinear
        return [dq.input[0], dq.input[1], dq.input[2] if len(dq.input) > 2 else ""]
    y = [q.input[1], q.input[2] if len(q.input) > 2 else ""]
    op = node.op_type
    if op in MS_BINARY and len(dqs) == 2:
        inputs, new_op = triple(dqs[0]) + triple(dqs[1]) + y, MS_BINARY[op]
    elif op in MS_UNARY and len(dqs) == 1:
        inputs, new_op = triple(dqs[0]) + y, MS_UNARY[op]
    elif op == "Concat":
        inputs, new_op = y + [i for dq in dqs for i in triple(dq)], "QLinearConcat"
    elif op == "Gemm" and len(dqs) >= 2:
        # QGemm has no beta: C is added as it is.
        if any(a.name == "beta" and a.f != 1.0 for a in node.attribute):
            return None
        a, b = dqs[0], dqs[1]
        inputs = triple(a) + triple(b)
        inputs += [dqs[2].input[0] if len(dqs) == 3 else ""] + y
        new_op = "QGemm"
    else:
        return None
    new = helper.make_node(new_op, inputs, [q.output[0]], name=node.name, domain=MS_DOMAIN)
    new.attribute.extend(a for a in node.attribute if a.name != "beta")
    return new


def to_qoperator(model, microsoft=False):
    """Rewrites QDQ Conv/MatMul groups into QLinearConv/QLinearMatMul (and,
    with `microsoft`, the groups ms_node knows into com.microsoft ops);
    returns how many. The DequantizeLinear nodes left without a consumer
    are dropped."""
    graph = model.graph
    producers = {o: n for n in graph.node for o in n.output}
    consumers = {}
    for n in graph.node:
        for name in n.input:
            consumers.setdefault(name, []).append(n)
    outputs = {o.name for o in graph.output}

    def dq_inputs(node):
        ins = []
        for name in node.input:
            p = producers.get(name)
            if p is None or p.op_type != "DequantizeLinear":
                return None
            ins.append(p)
        return ins

    def per_tensor(dq):
        return not any(a.name == "axis" for a in dq.attribute) and \
            all(len(t.dims) == 0 for t in graph.initializer if t.name == dq.input[1])

    replaced, converted = {}, 0
    for node in graph.node:
        if node.op_type not in ("Conv", "MatMul") and not microsoft:
            continue
        dqs = dq_inputs(node)
        users = consumers.get(node.output[0], [])
        if dqs is None or len(users) != 1 or users[0].op_type != "QuantizeLinear" \
                or node.output[0] in outputs:
            continue
        q = users[0]
        if node.op_type not in ("Conv", "MatMul"):
            # QGemm's B may be per channel; every other input per tensor.
            activations = dqs[:1] if node.op_type == "Gemm" else dqs
            if not all(per_tensor(dq) for dq in activations):
                continue
            new = ms_node(node, dqs, q)
            if new is None:
                continue
            replaced[id(node)] = new
            replaced[id(q)] = None
            converted += 1
            continue
        # A per-tensor activation input (QLinear ops take no input axis).
        if len(dqs[0].input) < 3 or any(a.name == "axis" for a in dqs[0].attribute):
            continue
        x, w = dqs[0].input, dqs[1].input
        inputs = [x[0], x[1], x[2], w[0], w[1], w[2], q.input[1], q.input[2]]
        if node.op_type == "Conv":
            if len(dqs) == 3:
                inputs.append(dqs[2].input[0])  # the int32 bias at x_scale·w_scale
            new = helper.make_node("QLinearConv", inputs, [q.output[0]], name=node.name)
            new.attribute.extend(node.attribute)
        else:
            new = helper.make_node("QLinearMatMul", inputs, [q.output[0]], name=node.name)
        replaced[id(node)] = new
        replaced[id(q)] = None
        converted += 1
    nodes = []
    for n in graph.node:
        r = replaced.get(id(n), n)
        if r is not None:
            nodes.append(r)
    # DequantizeLinear nodes nobody reads any more.
    while True:
        used = {i for n in nodes for i in n.input} | outputs
        kept = [n for n in nodes if n.op_type != "DequantizeLinear" or n.output[0] in used]
        if len(kept) == len(nodes):
            break
        nodes = kept
    del graph.node[:]
    graph.node.extend(nodes)
    used = {i for n in graph.node for i in n.input}
    kept = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    if microsoft and any(n.domain == MS_DOMAIN for n in graph.node):
        model.opset_import.append(helper.make_opsetid(MS_DOMAIN, 1))
    onnx.checker.check_model(model)
    return converted


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model")
    ap.add_argument("report")
    ap.add_argument("out")
    ap.add_argument("--format", choices=["qdq", "qoperator", "qoperator-ms"], default="qdq",
                    help="qdq (QuantizeLinear/DequantizeLinear pairs), qoperator "
                         "(QLinearConv/QLinearMatMul where ONNX has them) or qoperator-ms "
                         "(also ONNX Runtime's com.microsoft QLinearAdd, QGemm, ...)")
    args = ap.parse_args()
    try:
        model = onnx.load(args.model)
        report = json.load(open(args.report))
    except Exception as e:  # one clear line, not a traceback
        fail(str(e).splitlines()[0] if str(e) else type(e).__name__)
    if report.get("activation_bits", 8) != 8:
        fail("only int8 activations are exported")
    exporter = Exporter(model, report)
    layers = exporter.run()
    exporter.write(args.out)
    extra = ""
    if args.format in ("qoperator", "qoperator-ms"):
        model = onnx.load(args.out)
        ms = args.format == "qoperator-ms"
        extra = f", {to_qoperator(model, ms)} as QLinear" + (" ops" if ms else "Conv/QLinearMatMul")
        onnx.save(model, args.out)
    print(f"wrote {args.out}: {layers} layers, {len(exporter.params)} quantized activations"
          + extra)
    return 0


if __name__ == "__main__":
    sys.exit(main())
