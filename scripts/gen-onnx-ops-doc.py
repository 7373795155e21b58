#!/usr/bin/env python3
"""Writes docs/ONNXOps.md: the ONNX ops qopt's importer supports.

The op list comes from the importer itself (`qopt-compile --list-onnx-ops`),
the opset ranges from ONNX's own schemas, so the page cannot drift from the
code. test/Import/onnx-ops-doc.test checks that the committed page is current.

usage: gen-onnx-ops-doc.py QOPT_COMPILE OUT.md
"""
import subprocess
import sys

import onnx
import onnx.defs

TARGET_OPSET = 17
MIN_OPSET = 1

# What each op becomes. Ops missing here are reported as an error so that a
# new converter cannot land without its documentation line.
BECOMES = {
    "Abs": "qopt.abs", "Add": "qopt.add", "AveragePool": "qopt.avg_pool2d",
    "BatchNormalization": "qopt.batch_norm (folded into a preceding conv by qopt-cleanup)",
    "Cast": "qopt.cast", "Clip": "qopt.clamp (constant bounds)",
    "Concat": "qopt.concat", "Constant": "a constant",
    "ConstantOfShape": "a constant", "Conv": "qopt.conv2d (2-D)",
    "ConvInteger": "qopt.conv2d on !quant.uniform operands of scale 1, i32 result (a run-time zero point of x is subtracted as z·conv(1, w - zw))",
    "ConvTranspose": "qopt.conv_transpose2d (2-D)",
    "DequantizeLinear": "qopt.dequantize (per tensor / per axis)",
    "DynamicQuantizeLinear": "qopt.dynamic_quantize (run-time scale and zero point)",
    "Div": "qopt.div", "Dropout": "identity (inference; the mask is all true)",
    "Equal": "qopt.compare eq", "Erf": "qopt.erf", "Exp": "qopt.exp",
    "Expand": "a constant", "Flatten": "qopt.flatten", "Gather": "qopt.gather",
    "Gemm": "qopt.gemm", "GlobalAveragePool": "qopt.global_avg_pool2d",
    "GlobalMaxPool": "qopt.reduce max", "Greater": "qopt.compare gt",
    "HardSigmoid": "qopt.hard_sigmoid", "HardSwish": "qopt.hard_swish",
    "Identity": "identity", "LayerNormalization": "qopt.layer_norm (Mean/InvStdDev outputs: qopt.reduce mean, ...)",
    "LeakyRelu": "qopt.leaky_relu", "Less": "qopt.compare lt", "Log": "qopt.log",
    "MatMul": "qopt.matmul (1-D operands reshaped)",
    "MatMulInteger": "qopt.matmul on !quant.uniform operands of scale 1, i32 result (a run-time zero point of A is subtracted as z·colsum(B))",
    "Max": "qopt.max (pairwise)", "MaxPool": "qopt.max_pool2d", "Min": "qopt.min (pairwise)",
    "Mul": "qopt.mul", "Neg": "qopt.neg", "Pad": "qopt.pad (constant pads)",
    "Pow": "qopt.pow (an integer exponent cast to the base type)", "QLinearConv": "qopt.conv2d on !quant.uniform types",
    "QLinearMatMul": "qopt.matmul on !quant.uniform types",
    "QuantizeLinear": "qopt.quantize (per tensor / per axis)",
    "Mod": "a constant", "Range": "a constant", "Reciprocal": "qopt.reciprocal",
    "ReduceMax": "qopt.reduce max", "ReduceMean": "qopt.reduce mean",
    "ReduceMin": "qopt.reduce min", "ReduceSum": "qopt.reduce sum (constant axes)",
    "Relu": "qopt.relu", "Reshape": "qopt.reshape (constant shape)",
    "Resize": "qopt.resize (nearest, linear)", "Shape": "a constant",
    "Sigmoid": "qopt.sigmoid", "Size": "a constant",
    "Slice": "qopt.slice (constant starts/ends/axes/steps)",
    "Softmax": "qopt.softmax", "Split": "qopt.split", "Sqrt": "qopt.sqrt",
    "Squeeze": "qopt.reshape", "Sub": "qopt.sub", "Tanh": "qopt.tanh",
    "Transpose": "qopt.transpose", "Unsqueeze": "qopt.reshape", "Where": "qopt.select",
    # Functions of the qopt.unary family op.
    "Floor": "qopt.unary floor", "Ceil": "qopt.unary ceil",
    "Round": "qopt.unary round (ties to even)", "Sign": "qopt.unary sign",
    "Sin": "qopt.unary sin", "Cos": "qopt.unary cos", "Tan": "qopt.unary tan",
    "Asin": "qopt.unary asin", "Acos": "qopt.unary acos", "Atan": "qopt.unary atan",
    "Sinh": "qopt.unary sinh", "Cosh": "qopt.unary cosh",
    "Asinh": "qopt.unary asinh", "Acosh": "qopt.unary acosh",
    "Atanh": "qopt.unary atanh", "Softplus": "qopt.unary softplus",
    "Softsign": "qopt.unary softsign", "Elu": "qopt.unary elu",
    "Selu": "qopt.unary selu", "Celu": "qopt.unary celu",
    "ThresholdedRelu": "qopt.unary thresholded_relu",
    # Compositions of graph ops.
    "LogSoftmax": "qopt.reduce max, sub, exp, reduce sum, log, sub",
    "Sum": "qopt.add (pairwise)", "Mean": "qopt.add (pairwise), qopt.mul by 1/n",
    "PRelu": "qopt.relu(x) - slope·qopt.relu(-x)",
    "ReduceProd": "qopt.reduce prod",
    "ReduceL1": "qopt.abs, qopt.reduce sum", "ReduceL2": "qopt.mul, qopt.reduce sum, qopt.sqrt",
    "ReduceSumSquare": "qopt.mul, qopt.reduce sum",
    "ReduceLogSum": "qopt.reduce sum, qopt.log",
    "ReduceLogSumExp": "qopt.reduce max/sum with exp and log (max subtracted first)",
    "ArgMax": "qopt.arg_reduce max (float input)",
    "ArgMin": "qopt.arg_reduce min (float input)",
    "DepthToSpace": "qopt.reshape, qopt.transpose, qopt.reshape",
    "SpaceToDepth": "qopt.reshape, qopt.transpose, qopt.reshape",
    "CastLike": "qopt.cast",
    "LessOrEqual": "qopt.compare le", "GreaterOrEqual": "qopt.compare ge",
    "And": "qopt.logical and", "Or": "qopt.logical or", "Xor": "qopt.logical xor",
    "Not": "qopt.logical xor with true",
    "Hardmax": "qopt.arg_reduce, qopt.compare eq with an iota, qopt.select",
    "Trilu": "qopt.select with a constant mask (constant k)",
    "IsNaN": "qopt.compare eq (x, x), negated", "IsInf": "qopt.compare eq with ±inf",
    "Shrink": "qopt.compare, qopt.add/sub, qopt.select",
    "InstanceNormalization": "qopt.reduce mean, sub, mul, add, sqrt, div",
    "MeanVarianceNormalization": "qopt.reduce mean, mul, sub, sqrt, add, div",
    "LRN": "qopt.mul, qopt.avg_pool2d over channels, qopt.pow, qopt.div",
}


def first_opset(op):
    versions = [s.since_version for s in onnx.defs.get_all_schemas_with_history()
                if s.name == op and s.domain == ""]
    return min(versions) if versions else None


def main():
    qopt_compile, out = sys.argv[1], sys.argv[2]
    listing = subprocess.run([qopt_compile, "--list-onnx-ops"], check=True,
                             capture_output=True, text=True).stdout.split("\n")
    rows, missing = [], []
    for line in filter(None, listing):
        op, handling = line.split()
        if op not in BECOMES:
            missing.append(op)
            continue
        first = first_opset(op)
        lo = max(MIN_OPSET, first) if first else MIN_OPSET
        how = {"converted": "converted",
               "converted,folded": "converted; evaluated at import when every input is constant",
               "folded": "evaluated at import: inputs must be constant"}[handling]
        if op in ("Shape", "Size"):
            how = "evaluated at import from the input's static shape"
        rows.append(f"| {op} | {lo}–{TARGET_OPSET} | {BECOMES[op]} | {how} |")
    if missing:
        sys.exit("undocumented ops: " + ", ".join(missing))
    with open(out, "w") as f:
        f.write("# ONNX ops supported by the importer\n\n")
        f.write("Generated by `scripts/gen-onnx-ops-doc.py` from the importer's own op "
                "list (`qopt-compile --list-onnx-ops`) and ONNX 1.12's schemas.\n\n")
        f.write(f"Models of opsets {MIN_OPSET}–{TARGET_OPSET} are converted to opset "
                f"{TARGET_OPSET} by ONNX's version converter before import, so an op is "
                f"supported from the first opset that defines it (or {MIN_OPSET}) to "
                f"{TARGET_OPSET}. Every shape must be static: symbolic input dims take "
                "`--input-shape=NAME:DIMS`, and shape-computing subgraphs are evaluated "
                "at import. ONNX Runtime's quantized `com.microsoft` ops (QGemm, "
                "QLinearAdd, QLinearAveragePool, QLinearConcat, QLinearGlobalAveragePool, "
                "QLinearLeakyRelu, QLinearMul, QLinearSigmoid) are rewritten into "
                "DequantizeLinear, the float op and QuantizeLinear before import "
                "(docs/Importer.md); other `com.microsoft` ops and other domains "
                "(`ai.onnx.ml`) are rejected with an error, as is every op type not "
                "listed here.\n\n")
        f.write(f"{len(rows)} op types.\n\n")
        f.write("| ONNX op | opsets | becomes | handling |\n|---|---|---|---|\n")
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
