#!/usr/bin/env python3
"""qopt and ONNX Runtime on the same pre-quantized ONNX model, in both of
ONNX's formats and ORT's com.microsoft QOperator ops (issue 5, point 3: within 1 unit of the output scale).

For each bundled model, from the `--report` of qopt's own int8 quantization
(`qopt-compile --quantize=int8 --calib-method=percentile`):
  - scripts/export-qdq.py writes the QDQ model (QuantizeLinear /
    DequantizeLinear pairs), the QOperator model (QLinearConv /
    QLinearMatMul where ONNX has them, QDQ pairs elsewhere) and the
    QOperator model with ONNX Runtime's com.microsoft ops (QGemm,
    QLinearAdd, ...);
  - `qopt-compile MODEL --emit=shared` compiles each (qopt-fold-qdq, then
    qopt-lower-quantized{rescale=onnx}: ONNX Runtime's requantization);
  - ONNX Runtime runs each with graph optimizations off ("ORT plain": every
    node as written, ONNX's reference semantics) and on ("ORT": its fused
    int8 kernels), one image at a time over N evaluation images;
  - reported: the largest |qopt − ORT| over the output's elements in units
    of the output scale, the share of images within 1 unit (and exactly
    equal), and top-1.

Used by cpu_int8.py (`cpu_int8.sh --compare N`); run alone it rewrites only
the comparison section of docs/Benchmarks-CPU-int8.md:

usage: qdq_compare.py --build BUILD_DIR [--compare 500] [--threads 2]
                      [--models fashion_cnn,fashion_vit]"""
import argparse
import datetime
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import cpu_int8  # noqa: E402  (BUNDLED, output_scale)
from harness import DATA, command_line, model_path, ort_outputs, qopt_outputs, run  # noqa: E402

FORMATS = ("qdq", "qoperator", "qoperator-ms")
HEADING = "## qopt and ONNX Runtime on the same QDQ and QOperator models"


def export(onnx_path, report, out, fmt):
    run([sys.executable, os.path.join(ROOT, "scripts", "export-qdq.py"), onnx_path,
         report, out, "--format=" + fmt])


def compare_model(args, name, onnx_path, report, work, count):
    """One row per format: qopt against ORT plain and ORT on `count`
    evaluation images."""
    xs = np.load(os.path.join(DATA, "eval_2k_x.npy"))[:count]
    ys = np.load(os.path.join(DATA, "eval_2k_y.npy"))[:count]
    xs_npy = os.path.join(work, name + ".eval.npy")
    np.save(xs_npy, xs)
    rows = []
    for fmt in FORMATS:
        model = os.path.join(work, f"{name}.{fmt}.onnx")
        so = os.path.join(work, f"{name}.{fmt}.so")
        export(onnx_path, report, model, fmt)
        run([os.path.join(args.build, "bin", "qopt-compile"), model, "--emit=shared", "-o", so])
        scale = cpu_int8.output_scale(model)
        got = qopt_outputs(args.build, so, xs_npy, os.path.join(work, f"{name}.{fmt}.out"),
                           args.threads).reshape(len(xs), -1)
        plain = ort_outputs(model, xs, args.threads, work, f"{name}.{fmt}.plain",
                            optimized=False)
        fused = ort_outputs(model, xs, args.threads, work, f"{name}.{fmt}.ort")
        units = np.abs(got - plain).max(axis=1) / scale
        units_fused = np.abs(got - fused).max(axis=1) / scale
        units_ort = np.abs(fused - plain).max(axis=1) / scale
        rows.append(dict(
            model=name, format=fmt, output_scale=scale, compared=len(xs),
            units_max=float(units.max()), within_1=float((units <= 1 + 1e-3).mean()),
            exact=float((units <= 1e-3).mean()),
            units_max_ort=float(units_fused.max()),
            within_1_ort=float((units_fused <= 1 + 1e-3).mean()),
            units_ort_vs_plain=float(units_ort.max()),
            top1_qopt=float((got.argmax(1) == ys).mean()),
            top1_ort_plain=float((plain.argmax(1) == ys).mean()),
            top1_ort=float((fused.argmax(1) == ys).mean()),
            top1_agree=float((got.argmax(1) == plain.argmax(1)).mean())))
        print("   " + str(rows[-1]), flush=True)
    return rows


def section_lines(rows, command, load):
    """The comparison section of the benchmark page."""
    lines = [
        HEADING,
        "",
        f"Command: `{command}`; {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} "
        f"UTC, load average before/after {load[0]:.1f} / {load[1]:.1f} (the figures below "
        "do not depend on the load).",
        "",
        "`scripts/export-qdq.py` writes each model three times from the `--report` of qopt's "
        "own int8 quantization: **QDQ** (QuantizeLinear/DequantizeLinear around every "
        "quantized layer), **QOperator** (`--format=qoperator`: QLinearConv and QLinearMatMul "
        "where ONNX has them, QDQ pairs around Gemm, Add, pooling and the ViT's float ops) and "
        "**QOperator with ONNX Runtime's com.microsoft ops** (`--format=qoperator-ms`, as ORT's "
        "own quantizer writes them: also QGemm and QLinearAdd; the importer rewrites them into "
        "their QDQ definitions, docs/Importer.md, and ORT runs its own contrib kernels for "
        "them, fixed-point QLinearAdd included). "
        "`qopt-compile MODEL.onnx --emit=shared` folds the pairs into quant-typed ops "
        "(`qopt-fold-qdq`) and lowers them with `qopt-lower-quantized{rescale=onnx}`: "
        "integer convolutions and matmuls (qopt's int8 kernels), then ONNX Runtime's "
        "requantization (`qopt.float_rescale`, docs/Numerics.md: f32 multiply by "
        "x_scale·w_scale and QuantizeLinear's division by y_scale for QDQ, one f32 "
        "multiplier x_scale·w_scale/y_scale for QLinear ops, ties to even), and the "
        "elementwise ops (Add, pooling) in f32 between dequantize and quantize as ONNX "
        "defines them. Units: the largest |qopt − ORT| over the output's elements, in "
        "units of the output scale (the bar: at most 1).",
        "",
        "*ORT plain* is ONNX Runtime with `graphOptimizationLevel: 'disabled'` (every node "
        "as written: ONNX's semantics of the model; QLinearConv/QLinearMatMul are its "
        "integer kernels); *ORT* has graph optimizations on (QDQ groups fused into its "
        "int8 kernels). With this mode, the differences from ORT plain that remain can "
        "only come from rounding inside float computations: ORT's float convolutions and "
        "matmuls between DequantizeLinear and QuantizeLinear (rounded f32 sums, where "
        "qopt's integer sums are exact) and float ops (softmax, layer norm, GELU, pooling) "
        "whose last bits differ, where a value lies within that error of a quantization "
        "tie (not traced layer by layer); they stay at one unit. Before this mode (dyadic "
        "multipliers, half-up, int_add rounding each term) the QDQ CNN was at most 3 units "
        "(67 % within 1) and the ViT 6 (35 %). ORT's fused kernels differ "
        "from ORT plain by many units (column *ORT vs ORT plain*): on x86 without VNNI its "
        "u8·s8 kernels use `vpmaddubsw`, whose int16 saturation is the documented source "
        "of such errors (our reading, not verified further).",
        "",
        "| model | format | output scale | images | qopt vs ORT plain: max units | within 1 unit "
        "| identical | qopt vs ORT: max units | within 1 unit | ORT vs ORT plain: max units "
        "| top-1 qopt | top-1 ORT plain | top-1 ORT | top-1 agreement qopt/ORT plain |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['model']} | {r['format']} | {r['output_scale']:.4g} | {r['compared']} "
            f"| **{r['units_max']:.2f}** | {100 * r['within_1']:.1f} % "
            f"| {100 * r['exact']:.1f} % | {r['units_max_ort']:.2f} "
            f"| {100 * r['within_1_ort']:.1f} % | {r['units_ort_vs_plain']:.2f} "
            f"| {100 * r['top1_qopt']:.2f} % | {100 * r['top1_ort_plain']:.2f} % "
            f"| {100 * r['top1_ort']:.2f} % | {100 * r['top1_agree']:.1f} % |")
    return lines + [""]


def replace_section(doc, lines):
    """Replaces the comparison section of `doc` (from its heading to the next
    `## ` heading) by `lines`, or appends it; the rest is left alone."""
    text = open(doc).read().split("\n") if os.path.exists(doc) else []
    starts = [i for i, line in enumerate(text)
              if line.startswith("## qopt and ONNX Runtime on the same")]
    if not starts:
        new = text + [""] + lines
    else:
        start = starts[0]
        end = next((i for i in range(start + 1, len(text)) if text[i].startswith("## ")),
                   len(text))
        # cpu_int8.py's line on its benchmark input (qopt against ORT's
        # fused kernels) belongs to a speed run that did not happen here.
        new = text[:start] + lines + text[end:]
    with open(doc, "w") as f:
        f.write("\n".join(new).rstrip("\n") + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--models", default="fashion_cnn,fashion_vit")
    ap.add_argument("--compare", type=int, default=500)
    ap.add_argument("--work", default=os.path.join(HERE, "results", "qdq"))
    ap.add_argument("--doc", default=os.path.join(ROOT, "docs", "Benchmarks-CPU-int8.md"))
    args = ap.parse_args()
    args.build = os.path.abspath(args.build)
    os.makedirs(args.work, exist_ok=True)
    command = command_line("qdq_compare.py")
    load_before = os.getloadavg()[0]
    rows = []
    for name in [n for n in args.models.split(",") if n]:
        if name not in cpu_int8.BUNDLED:
            sys.stderr.write(f"error: {name}: only the bundled models have evaluation data\n")
            return 1
        print(f"== {name}", flush=True)
        onnx_path = model_path(name, cpu_int8.BUNDLED)
        report = os.path.join(args.work, name + ".report.json")
        run([os.path.join(args.build, "bin", "qopt-compile"), onnx_path, "--quantize=int8",
             "--calibration=" + os.path.join(DATA, "calib_256.npy"),
             "--calib-method=percentile", "--report=" + report, "--emit=mlir",
             "-o", os.path.join(args.work, name + ".int8.mlir")])
        rows += compare_model(args, name, onnx_path, report, args.work, args.compare)
    replace_section(args.doc, section_lines(rows, command, (load_before, os.getloadavg()[0])))
    print(f"wrote the comparison section of {args.doc}")
    worst = max(r["units_max"] for r in rows)
    return 0 if worst <= 1 + 1e-3 else 1


if __name__ == "__main__":
    sys.exit(main())
