#!/usr/bin/env python3
"""qopt vs ONNX Runtime on another x86-64 machine that has no qopt build.

The models are compiled here (qopt-compile --emit=shared, with and without
--mcpu=x86-64-v4) and carried, with their ONNX files, inputs and qopt's runtime
library, in a folder (benchmarks/device_cpu.sh prepares it). On the other
machine this script needs only numpy and the onnxruntime Python package:

  * the runtime's kernel tests (python/tests/test_runtime*_kernels.py) for every
    instruction set that machine has (AVX-512 and VNNI included);
  * for each model: qopt's library through its C ABI (ctypes) and ONNX Runtime
    (CPU EP, graph optimizations on) on the same input and thread count, run
    alternately; the median latencies, their ratio and the outputs' agreement.

usage: device_cpu.py CARRY_DIR [--threads 1,4,16] [--runs 50]
Prints a Markdown report on stdout."""
import argparse
import ctypes
import json
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np


def cpu_flags():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    return set()


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


class QoptModel:
    """A model library through the C ABI of docs/CABI.md (prefix qopt_model)."""

    def __init__(self, path):
        self.lib = ctypes.CDLL(path, mode=ctypes.RTLD_LOCAL)
        self.lib.qopt_model_run.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        self.lib.qopt_model_set_num_threads.argtypes = [ctypes.c_int]

    def set_threads(self, n):
        self.lib.qopt_model_set_num_threads(n)

    def bind(self, inputs, outputs):
        self.ins = (ctypes.c_void_p * len(inputs))(*[a.ctypes.data for a in inputs])
        self.outs = (ctypes.c_void_p * len(outputs))(*[a.ctypes.data for a in outputs])

    def run(self):
        rc = self.lib.qopt_model_run(self.ins, self.outs)
        assert rc == 0, rc


def median_ms(fn, runs, warmup=5):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times), min(times)


def kernel_tests(carry):
    rows = []
    tests = os.path.join(carry, "tests")
    isas = ["generic", "avx2", "avx512emu", "avx512", "avx512bw", "avxvnni", "avx512vnni"]
    for name in sorted(os.listdir(tests)):
        if not name.startswith("test_runtime") or not name.endswith(".py"):
            continue
        # Files without a script mode (check_all) run under pytest only.
        if '__name__ == "__main__"' not in open(os.path.join(tests, name)).read():
            continue
        # The f32 Winograd tests run once per tile size (the runtime reads
        # QOPT_CONV_WINOGRAD once per process); the int8 one on every shape
        # it can take, as its pytest does.
        if "int8_winograd" in name:
            variants = [{"QOPT_CONV_WINOGRAD_INT8": "all"}]
        elif "winograd" in name:
            variants = [{"QOPT_CONV_WINOGRAD": m} for m in ("all", "all4")]
        else:
            variants = [{}]
        for isa, threads, extra in [(i, t, v) for i in isas for t in [1, 4] for v in variants]:
            label = name + "".join(f" {k}={v}" for k, v in extra.items())
            env = dict(os.environ, QOPT_ISA=isa, QOPT_NUM_THREADS=str(threads),
                       QOPT_BIN_DIR=os.path.join(carry, "bin"), **extra)
            p = subprocess.run([sys.executable, os.path.join(tests, name)], env=env,
                               capture_output=True, text=True, timeout=900)
            last = (p.stdout.strip().splitlines() or [""])[-1]
            try:
                summary = json.loads(last)
            except ValueError:
                summary = {}
            if p.returncode != 0 and "isa" not in summary:
                err = (p.stderr.strip().splitlines() or ["?"])[-1]
                rows.append((label, isa, threads, "error", err[:120]))
                continue
            ran = summary.get("isa", "?")
            status = "pass" if p.returncode == 0 and ran == isa else (
                "not this ISA" if p.returncode == 0 else "FAIL")
            rows.append((label, isa, threads, status,
                         f"ran {ran}, {summary.get('cases', '?')} cases"))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("carry")
    ap.add_argument("--threads", default="1,4,16")
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--model-index", type=int, default=None,
                    help="measure only this manifest entry (the child process of a run)")
    args = ap.parse_args()
    if args.model_index is not None:
        flags = cpu_flags()
        avx512 = "avx512f" in flags and "avx512bw" in flags and "avx512vl" in flags
        manifest = json.load(open(os.path.join(args.carry, "manifest.json")))
        measure_model(args.carry, manifest[args.model_index],
                      [int(t) for t in args.threads.split(",")], args.runs, avx512)
        return
    import onnxruntime as ort

    flags = cpu_flags()
    print(f"# qopt vs ONNX Runtime on {cpu_model()}\n")
    print(f"{os.cpu_count()} logical CPUs; AVX-512F: {'avx512f' in flags}, "
          f"AVX-512 VNNI: {'avx512_vnni' in flags}, AVX-VNNI: {'avx_vnni' in flags}, "
          f"AVX-512 BF16: {'avx512_bf16' in flags}. ONNX Runtime {ort.__version__} "
          f"(Python, CPU EP, graph optimizations on). Load average at the start: "
          f"{os.getloadavg()[0]:.1f}.\n")

    print("## Runtime kernel tests (numpy references), per instruction set\n")
    print("| test file | QOPT_ISA | threads | result | detail |")
    print("|---|---|---:|---|---|")
    for row in kernel_tests(args.carry):
        print("| " + " | ".join(str(x) for x in row) + " |")
    sys.stdout.flush()

    manifest = json.load(open(os.path.join(args.carry, "manifest.json")))
    avx512 = "avx512f" in flags and "avx512bw" in flags and "avx512vl" in flags
    print("\n## Latency, median of %d runs after 5 warm-up runs, run alternately\n" % args.runs)
    print("qopt library: compiled with `--mcpu=%s`. Ratio = qopt / ORT (below 1: qopt "
          "is faster). Agreement: for float, relative L2 of the outputs; for int8, "
          "the largest difference in units of the output's quantization step is not "
          "computed here (different models: qopt's int8 vs ORT's QDQ), top-1 of both "
          "is printed instead.\n" % ("x86-64-v4" if avx512 else "native of the build machine"))
    print("| model | threads | qopt (ms) | ORT (ms) | qopt / ORT | agreement |")
    print("|---|---:|---:|---:|---:|---|")
    medians = {}  # (model, kind, threads) -> (qopt ms, ORT ms)
    for index, m in enumerate(manifest):
        # One process per model: each library carries its own runtime and
        # worker pool, and ORT's session keeps spinning threads; several in
        # one process share the cores badly (a run with all five loaded in
        # one process did not finish in 500 s on 16 cores).
        p = subprocess.run([sys.executable, os.path.abspath(__file__), args.carry,
                            "--threads", args.threads, "--runs", str(args.runs),
                            "--model-index", str(index)],
                           capture_output=True, text=True, timeout=600)
        for line in p.stdout.splitlines():
            if line.startswith("{"):
                r = json.loads(line)
                medians[(r["base"], r["kind"], r["threads"])] = (r["qopt"], r["ort"])
            else:
                print(line)
        if p.returncode != 0:
            print(f"| {m['name']} | | | | | error: "
                  f"{(p.stderr.strip().splitlines() or ['?'])[-1][:160]} |")
        sys.stdout.flush()
    int8_summary(medians)


def measure_model(carry, m, thread_counts, runs, avx512):
    """Prints the table rows of one model and, per thread count, a JSON line
    with its medians for the parent's summary."""
    import onnxruntime as ort
    lib = m["so_v4"] if avx512 and m.get("so_v4") else m["so"]
    x = np.load(os.path.join(carry, m["input"]))
    q = QoptModel(os.path.join(carry, lib))
    out = np.zeros(m["output_shape"], np.float32)
    q.bind([np.ascontiguousarray(x)], [out])
    for threads in thread_counts:
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        sess = ort.InferenceSession(os.path.join(carry, m["onnx"]), so,
                                    providers=["CPUExecutionProvider"])
        feed = {sess.get_inputs()[0].name: x}
        q.set_threads(threads)
        q.run()
        ref = sess.run(None, feed)[0]
        if m["kind"] == "float":
            agree = "rel. L2 %.1e" % (np.linalg.norm(out - ref) / np.linalg.norm(ref))
        else:
            agree = "top-1 %d / %d" % (int(out.argmax()), int(ref.argmax()))
        qt, ot = [], []
        for _ in range(3):  # alternate, to share the machine's drift
            qt.append(median_ms(q.run, runs // 3 or 1)[0])
            ot.append(median_ms(lambda: sess.run(None, feed), runs // 3 or 1)[0])
        qm, om = statistics.median(qt), statistics.median(ot)
        print(f"| {m['name']} | {threads} | {qm:.3f} | {om:.3f} | {qm / om:.2f} | {agree} |")
        print(json.dumps(dict(base=m.get("base", m["name"]), kind=m["kind"], threads=threads,
                              qopt=qm, ort=om)))
        sys.stdout.flush()

def int8_summary(medians):
    """Issue 5's two speed ratios for every model measured in float and int8:
    qopt int8 over qopt float, and qopt int8 over ORT's int8 (QDQ)."""
    pairs = sorted({(base, threads) for base, kind, threads in medians if kind == "int8"
                    and (base, "float", threads) in medians})
    if not pairs:
        return
    print("\n## int8 against float (medians of the table above)\n")
    print("| model | threads | qopt int8 / qopt float | qopt int8 / ORT int8 QDQ "
          "| ORT int8 / ORT float |")
    print("|---|---:|---:|---:|---:|")
    for base, threads in pairs:
        (qf, of), (qi, oi) = medians[(base, "float", threads)], medians[(base, "int8", threads)]
        print(f"| {base} | {threads} | {qi / qf:.2f} | {qi / oi:.2f} | {oi / of:.2f} |")


if __name__ == "__main__":
    main()
