#!/usr/bin/env python3
"""qopt int8 vs qopt float vs ONNX Runtime float and int8 (QDQ), on the CPU,
in one run.

For each model:
  1. qopt float: `qopt-compile MODEL.onnx --emit=shared`, `qopt-run --bench`;
  2. qopt int8: `qopt-compile MODEL.onnx --quantize=int8 --calibration=...
     --calib-method=percentile --report=r.json --emit=shared` (the integer
     path and the runtime's int8 kernels), `qopt-run --bench`;
  3. ORT float: the same ONNX file through ort_bench.js;
  4. ORT int8: scripts/export-qdq.py writes the QDQ form of the model with
     the scales and zero points of r.json (so both tools quantize
     identically), timed with ort_bench.js;
  5. the same QDQ file compiled by qopt (`qopt-compile qdq.onnx
     --emit=shared`: imported QDQ pairs folded into the integer path) and run
     on the same inputs as ORT: the largest difference of the outputs in
     units of the output scale (the bar: at most 1), on the benchmark input
     and, for the bundled models, over evaluation images, with top-1.
Writes docs/Benchmarks-CPU-int8.md.

usage: cpu_int8.py --build BUILD_DIR [--threads 2] [--runs 50]
                   [--models fashion_cnn,fashion_vit,resnet18] [--compare 500]"""
import argparse
import datetime
import os
import platform
import sys

import numpy as np
import onnx
from onnx import numpy_helper

from harness import (DATA, HERE, ROOT, bench_input, bench_models, command_line,
                     failures_section, model_path, ort_bench, qopt_bench,
                     qopt_outputs, run)

BUNDLED = {"fashion_cnn": "fashion_cnn_opset13.onnx", "fashion_vit": "fashion_vit_opset13.onnx"}
TORCHVISION = ["resnet18"]


def output_scale(qdq_path):
    """The scale of the DequantizeLinear that writes the graph's output."""
    model = onnx.load(qdq_path)
    inits = {i.name: i for i in model.graph.initializer}
    out = model.graph.output[0].name
    for node in model.graph.node:
        if node.op_type == "DequantizeLinear" and node.output[0] == out:
            return float(numpy_helper.to_array(inits[node.input[1]]))
    raise RuntimeError(f"{qdq_path}: the output is not dequantized")


def bench_model(name, args, work):
    onnx_path = model_path(name, BUNDLED)
    qopt_compile = os.path.join(args.build, "bin", "qopt-compile")
    x = bench_input(name, BUNDLED)
    x_npy, x_bin = os.path.join(work, name + ".in.npy"), os.path.join(work, name + ".in.bin")
    np.save(x_npy, x)
    x.tofile(x_bin)
    if name in BUNDLED:
        calibration = os.path.join(DATA, "calib_256.npy")
    else:  # no data set here for the torchvision models: a loud warning
        calibration = "random:8"
    report = os.path.join(work, name + ".report.json")
    so_float, so_int8 = os.path.join(work, name + ".float.so"), os.path.join(work, name + ".int8.so")
    so_qdq, qdq = os.path.join(work, name + ".qdq.so"), os.path.join(work, name + ".qdq.onnx")
    run([qopt_compile, onnx_path, "--emit=shared", "-o", so_float])
    run([qopt_compile, onnx_path, "--quantize=int8", "--calibration=" + calibration,
         "--calib-method=percentile", "--report=" + report, "--emit=shared", "-o", so_int8])
    run([sys.executable, os.path.join(ROOT, "scripts", "export-qdq.py"), onnx_path, report, qdq])
    run([qopt_compile, qdq, "--emit=shared", "-o", so_qdq])

    row = dict(model=name, calibration=os.path.relpath(calibration, ROOT)
               if os.path.exists(calibration) else calibration)
    # Timings back to back, in the order of the table.
    row["qopt_float"] = qopt_bench(args.build, so_float, x_npy, args.runs, args.threads)
    row["qopt_int8"] = qopt_bench(args.build, so_int8, x_npy, args.runs, args.threads)
    ort_float = ort_bench(onnx_path, x_bin, args.threads, args.runs, 5,
                          os.path.join(work, name + ".ort.bin"))
    ort_int8 = ort_bench(qdq, x_bin, args.threads, args.runs, 5,
                         os.path.join(work, name + ".ort_qdq.bin"))
    row["ort_float"] = [ort_float["median_ms"], ort_float["min_ms"]]
    row["ort_int8"] = [ort_int8["median_ms"], ort_int8["min_ms"]]
    row["ort_version"] = ort_float["ort_version"]

    # qopt and ORT on the same QDQ model.
    scale = output_scale(qdq)
    row["output_scale"] = scale
    ort_qdq = np.fromfile(os.path.join(work, name + ".ort_qdq.bin"), np.float32)
    ours = qopt_outputs(args.build, so_qdq, x_npy, os.path.join(work, name + ".qdq.out"),
                        args.threads).ravel()
    row["units_bench_input"] = float(np.abs(ours - ort_qdq).max() / scale)
    if name in BUNDLED and args.compare > 0:
        import qdq_compare  # the QDQ and QOperator comparison (its own file)
        row["compared_formats"] = qdq_compare.compare_model(args, name, onnx_path, report,
                                                            work, args.compare)
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--models", default="fashion_cnn,fashion_vit,resnet18")
    ap.add_argument("--compare", type=int, default=500,
                    help="evaluation images on which qopt and ORT run the QDQ model")
    ap.add_argument("--work", default=os.path.join(HERE, "results", "int8"))
    ap.add_argument("--doc", default=os.path.join(ROOT, "docs", "Benchmarks-CPU-int8.md"))
    args = ap.parse_args()
    args.build = os.path.abspath(args.build)
    os.makedirs(args.work, exist_ok=True)
    command = command_line("cpu_int8.sh")
    load_before = os.getloadavg()
    status = bench_models([n for n in args.models.split(",") if n],
                          lambda name: bench_model(name, args, args.work),
                          lambda rows, failures: write_doc(args, command, rows, failures,
                                                           load_before))
    print(f"wrote {args.doc}")
    return status


def write_doc(args, command, rows, failures, load_before):
    load_after = os.getloadavg()
    version = rows[0]["ort_version"] if rows else "?"
    lines = [
        "# CPU benchmarks: int8 (qopt and ONNX Runtime)",
        "",
        "Generated by `benchmarks/cpu_int8.py`; do not edit by hand. Command:",
        "",
        "```",
        command,
        "```",
        "",
        f"Measured {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC on "
        f"{platform.processor() or platform.machine()} ({os.cpu_count()} cores visible, "
        f"int8 kernels: `{isa_int8(args)}`), {args.threads} threads for both tools; ONNX "
        f"Runtime {version} (onnxruntime-node, CPU EP, graph optimizations on). Load "
        f"average before/after: {load_before[0]:.1f} / {load_after[0]:.1f} (the cores are "
        "shared with other jobs: absolute latencies are noisy; the four variants of a model "
        "ran back to back on the same input).",
        "",
        "- **qopt int8**: `qopt-compile --quantize=int8 --calib-method=percentile` (W8A8, "
        "per-channel symmetric weights, per-tensor asymmetric int8 activations), integer "
        "arithmetic with the runtime's int8 kernels. Calibration: "
        "`examples/models/data/calib_256.npy` for the bundled models, `random:8` for "
        "resnet18 (no data set here; the latency does not depend on it).",
        "- **ORT int8**: the QDQ model that `scripts/export-qdq.py` writes from qopt's "
        "`--report` (the same scales, zero points, int8 weights and int32 biases).",
        "- Latency: median (min) of N runs of batch 1 after 5 warm-up runs "
        "(`qopt-run --bench`, `ort_bench.js`).",
        "",
        "| model | qopt float (ms) | qopt int8 (ms) | qopt int8/float | ORT float (ms) "
        "| ORT int8 QDQ (ms) | ORT int8/float | qopt int8 / ORT int8 | runs |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        qf, qi, of, oi = r["qopt_float"], r["qopt_int8"], r["ort_float"], r["ort_int8"]
        lines.append(
            f"| {r['model']} | {qf[0]:.3f} ({qf[1]:.3f}) | {qi[0]:.3f} ({qi[1]:.3f}) "
            f"| **{qi[0] / qf[0]:.2f}** | {of[0]:.3f} ({of[1]:.3f}) | {oi[0]:.3f} ({oi[1]:.3f}) "
            f"| {oi[0] / of[0]:.2f} | **{qi[0] / oi[0]:.2f}** | {args.runs} |")
    lines += [
        "",
    ]
    import qdq_compare
    lines += qdq_compare.section_lines([f for r in rows for f in r.get("compared_formats", [])],
                                       command, (load_before[0], load_after[0]))
    lines += ["On the benchmark input alone (one image, or the seeded noise input for "
              "resnet18): largest |qopt − ORT| in output-scale units: " +
              ", ".join(f"{r['model']} {r['units_bench_input']:.2f}" for r in rows) + "."]
    lines.append("")
    lines += failures_section(failures)
    with open(args.doc, "w") as f:
        f.write("\n".join(lines))


def isa_int8(args):
    import ctypes
    try:
        rt = ctypes.CDLL(os.path.join(args.build, "lib", "libqopt_runtime.so"))
        rt.qopt_rt_isa_int8.restype = ctypes.c_char_p
        return rt.qopt_rt_isa_int8().decode()
    except OSError:
        return "?"


if __name__ == "__main__":
    sys.exit(main())
