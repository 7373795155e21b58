#!/usr/bin/env python3
"""qopt vs ONNX Runtime on the CPU, float models, in one run.

For each model: compile with `qopt-compile --emit=shared` (timed), run it
with `qopt-run` once to get its output and then with `--bench`, run the same
input through ONNX Runtime (onnxruntime-node, CPU EP, the same thread count)
with ort_bench.js, and compare the outputs (relative L2 error). Also records
the compile time and peak memory of float ResNet-50 (/usr/bin/time -v).
Writes the table to docs/Benchmarks-CPU.md.

With `--models resnet50` alone, only the ResNet-50 compile figures (with
the time of each stage, from qopt-compile -mlir-timing) are measured, and
only their section of the page is rewritten.

usage: cpu_float.py --build BUILD_DIR [--threads 2] [--runs 20]
                    [--models resnet18,mobilenet_v2,vit_b_16,fashion_cnn,fashion_vit]
                    [--doc docs/Benchmarks-CPU.md]"""
import argparse
import datetime
import math
import os
import platform
import re
import subprocess
import sys
import time

import numpy as np

from harness import (HERE, ROOT, bench_input, bench_models, command_line, failures_section,
                     model_path, ort_bench, qopt_bench, qopt_outputs)

TORCHVISION = ["resnet18", "mobilenet_v2", "vit_b_16"]
BUNDLED = {"fashion_cnn": "fashion_cnn_opset17.onnx", "fashion_vit": "fashion_vit_opset17.onnx"}
# At most this many seconds of timed runs per model and tool: the slowest
# models get fewer runs (at least 3), and the table says how many.
BUDGET_S = 30.0


def timed_compile(qopt_compile, onnx, out, extra=()):
    """Wall time (s), peak RSS (MB) and CPU time (user + system, s) of one
    qopt-compile, by /usr/bin/time -v. On a loaded machine the CPU time is
    the steadier figure."""
    p = subprocess.run(["/usr/bin/time", "-v", qopt_compile, onnx, "--emit=shared", "-o", out,
                        *extra], capture_output=True, text=True)
    timed_compile.stderr = p.stderr
    if p.returncode != 0:
        raise RuntimeError(f"qopt-compile {onnx} failed:\n{p.stderr.strip()}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", p.stderr).group(1)
    seconds = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall.split(":"))))
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1))
    cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([0-9.]+)", p.stderr).group(1))
              for kind in ["User", "System"])
    return seconds, rss_kb / 1024, cpu


def compile_stages(stderr):
    """The top-level stages of `-mlir-timing -mlir-timing-display=tree`:
    [(name, wall seconds)], in order (nested passes are left out)."""
    stages = []
    for line in stderr.splitlines():
        m = re.match(r"^\s+[0-9.]+ \(\s*[0-9.]+%\)\s+([0-9.]+) \(\s*[0-9.]+%\)  (\S.*)$", line)
        if m and m.group(2) != "Total":
            stages.append((m.group(2), float(m.group(1))))
    return stages


def bench_model(name, args, work):
    onnx = model_path(name, BUNDLED)
    so = os.path.join(work, name + ".so")
    compile_s, compile_mb, compile_cpu_s = timed_compile(os.path.join(args.build, "bin", "qopt-compile"), onnx, so)
    x = bench_input(name, BUNDLED)
    x_npy, x_bin = os.path.join(work, name + ".in.npy"), os.path.join(work, name + ".in.bin")
    np.save(x_npy, x)
    x.tofile(x_bin)
    start = time.perf_counter()
    got = qopt_outputs(args.build, so, x_npy, os.path.join(work, name + ".out"), args.threads).ravel()
    one = time.perf_counter() - start
    # Slow models get fewer timed runs; the output run above was their
    # warm-up. Beyond a minute per run, a single timed run.
    if one > 60.0:
        runs, warmup = 1, 0
    else:
        runs = max(3, min(args.runs, int(BUDGET_S / max(one, 1e-3))))
        warmup = 1 if one > 1.0 else 5
    qopt_median, qopt_min = qopt_bench(args.build, so, x_npy, runs, args.threads, warmup)

    ort_out = os.path.join(work, name + ".ort.bin")
    ort = ort_bench(onnx, x_bin, args.threads, max(runs, args.runs), max(warmup, 1), ort_out)
    ref = np.fromfile(ort_out, np.float32)
    # (An all-zero reference makes the relative error undefined: NaN.)
    rel = (float(np.linalg.norm(got - ref) / np.linalg.norm(ref))
           if got.shape == ref.shape and np.linalg.norm(ref) > 0 else math.nan)
    return dict(model=name, compile_s=compile_s, compile_mb=compile_mb,
                compile_cpu_s=compile_cpu_s, runs=runs,
                qopt_median=qopt_median, qopt_min=qopt_min,
                ort_median=ort["median_ms"], ort_min=ort["min_ms"], ort_runs=ort["runs"],
                ort_version=ort["ort_version"], rel_l2=rel)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--models", default=",".join(TORCHVISION[:2] + list(BUNDLED) + TORCHVISION[2:]))
    ap.add_argument("--resnet50", action=argparse.BooleanOptionalAction, default=True,
                    help="measure the compile time and memory of float ResNet-50")
    ap.add_argument("--work", default=os.path.join(HERE, "results"))
    ap.add_argument("--doc", default=os.path.join(ROOT, "docs", "Benchmarks-CPU.md"))
    args = ap.parse_args()
    args.build = os.path.abspath(args.build)
    models = [n for n in args.models.split(",") if n and n != "none"]
    # ResNet-50 is compile-only; alone, it rewrites only its own section.
    only_resnet50 = models == ["resnet50"]
    if only_resnet50:
        models, args.resnet50 = [], True
    os.makedirs(args.work, exist_ok=True)
    command = command_line("cpu_float.sh")

    failures, resnet50 = [], None
    load_before = os.getloadavg()
    if args.resnet50:
        print("== resnet50 (compile only)", flush=True)
        try:
            onnx = model_path("resnet50", BUNDLED)
            resnet50 = timed_compile(os.path.join(args.build, "bin", "qopt-compile"), onnx,
                                     os.path.join(args.work, "resnet50.so"),
                                     ["-mlir-timing", "-mlir-timing-display=tree"])
            resnet50 += (compile_stages(timed_compile.stderr), load_before, os.getloadavg())
            print(f"   {resnet50[0]:.1f} s, {resnet50[1]:.0f} MB, {resnet50[2]:.1f} s CPU",
                  flush=True)
        except Exception as e:
            failures.append(("resnet50", str(e).strip().splitlines()[-1]))
    if only_resnet50:
        if not resnet50:
            print(f"FAILED: {failures[-1][1]}")
            return 1
        with open(args.doc) as f:
            text = f.read()
        start = text.find("## Compile time and memory")
        end = text.find("\n## ", start + 1) if start >= 0 else -1
        section = "\n".join(resnet50_section(resnet50, command))
        if start < 0:
            text = text.rstrip("\n") + "\n\n" + section
        else:
            text = text[:start] + section + (text[end + 1:] if end >= 0 else "")
        with open(args.doc, "w") as f:
            f.write(text)
        print(f"wrote the ResNet-50 section of {args.doc}")
        return 0
    status = bench_models(
        models, lambda name: bench_model(name, args, args.work),
        lambda rows, fails: write_doc(args, command, rows, failures + fails, resnet50,
                                      load_before))
    print(f"wrote {args.doc}")
    return 1 if failures else status


def write_doc(args, command, rows, failures, resnet50, load_before):
    """Writes the table of what has been measured so far."""
    load_after = os.getloadavg()
    lines = [
        "# CPU benchmarks: qopt vs ONNX Runtime (float)",
        "",
        "Generated by `benchmarks/cpu_float.py`; do not edit by hand. Command:",
        "",
        "```",
        command,
        "```",
        "",
        f"Measured {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC on "
        f"{platform.processor() or platform.machine()} ({os.cpu_count()} cores visible), "
        f"{args.threads} threads for both; ONNX Runtime "
        f"{rows[0]['ort_version'] if rows else '?'} (onnxruntime-node, CPU EP, "
        "graph optimizations on). Inputs: seeded normal noise 1x3x224x224 for the "
        "torchvision exports (random init, `torch.manual_seed(0)`, opset 17), the first "
        "evaluation image for the bundled Fashion-MNIST models (opset 17 exports).",
        "",
        f"Load average before/after: {load_before[0]:.1f} / {load_after[0]:.1f}. The cores "
        "are shared with other jobs on this machine, so absolute latencies are noisy; both "
        "tools ran back to back on the same input.",
        "",
        "Latency: median and minimum of N timed runs of batch 1 after warm-up (models "
        "slower than a minute per run: one timed run after the output run) "
        "(`qopt-run --bench N`; `ort_bench.js` times `session.run`). Ratio = qopt median / "
        "ONNX Runtime median (the bar: at most 1.5). Agreement: relative L2 error "
        "‖qopt − ORT‖ / ‖ORT‖ of the logits (the bar: under 1e-4).",
        "",
        "| model | qopt median (ms) | qopt min (ms) | runs | ORT median (ms) | ORT min (ms) | runs "
        "| ratio | rel. L2 vs ORT | compile wall (s) | compile CPU (s) | compile peak RSS (MiB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['model']} | {r['qopt_median']:.2f} | {r['qopt_min']:.2f} | {r['runs']} "
            f"| {r['ort_median']:.2f} | {r['ort_min']:.2f} | {r['ort_runs']} "
            f"| {r['qopt_median'] / r['ort_median']:.2f} | {r['rel_l2']:.1e} "
            f"| {r['compile_s']:.1f} | {r['compile_cpu_s']:.1f} | {r['compile_mb']:.0f} |")
    lines.append("")
    if resnet50:
        lines += resnet50_section(resnet50, None)
    lines += failures_section(failures)
    with open(args.doc, "w") as f:
        f.write("\n".join(lines))


def resnet50_section(resnet50, command):
    """The "Compile time and memory" section: the figures, the load, and the
    wall time of each stage as qopt-compile -mlir-timing reported it."""
    wall, rss, cpu, stages, load_before, load_after = resnet50
    lines = ["## Compile time and memory: float ResNet-50", ""]
    if command:
        lines += [f"Measured {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC "
                  "by:", "", "```", command, "```", ""]
    lines += [
        f"`qopt-compile resnet50.onnx --emit=shared -mlir-timing` (random-init torchvision "
        f"export, opset 17, 1x3x224x224, about 100 MB of weights): **{wall:.1f} s** wall clock "
        f"({cpu:.1f} s CPU, user + system), **{rss:.0f} MiB** peak resident memory "
        "(`/usr/bin/time -v`, the same shared machine; the bar: under 60 s and 4 GB). "
        f"Load average before/after: {load_before[0]:.1f} / {load_after[0]:.1f}.",
        "",
    ]
    if stages:
        lines += ["Time of each stage (`-mlir-timing`; \"Rest\" is what no stage covers: "
                  "the target machine's set-up, cloning and freeing the modules):", ""]
        lines += ["| stage | wall (s) |", "|---|---:|"]
        lines += [f"| {name} | {seconds:.2f} |" for name, seconds in stages]
        lines.append("")
    return lines


if __name__ == "__main__":
    sys.exit(main())
