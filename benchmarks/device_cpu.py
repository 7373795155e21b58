#!/usr/bin/env python3
"""qopt vs ONNX Runtime on another x86-64 machine that has no qopt build.

benchmarks/device_cpu.sh carries a statically linked qopt-compile, qopt's
runtime, the kernel tests, the trained models and inputs in a folder. On the
other machine (numpy, onnx, onnxruntime and torch/torchvision installed) this
script

  * exports the torchvision models (export_torchvision.py) and compiles every
    model there with `qopt-compile --emit=shared --mcpu=x86-64-v4` (the int8
    ones with --quantize=int8 and the carried calibration set, and their QDQ
    export for ONNX Runtime), timing each compilation and its peak memory;
  * runs the runtime's kernel tests (python/tests/test_runtime*.py) for every
    instruction set that machine has (AVX-512 and VNNI included);
  * for each model: qopt's library through its C ABI (ctypes) and ONNX Runtime
    (CPU EP, graph optimizations on) on the same input and thread count, run
    alternately (timed_pair); the median latencies, their ratio and the
    outputs' agreement;
  * with --profile FILE, a per-layer profile of each float model at 1 thread
    (--profile-threads N for another count; --no-latency for profiles only):
    qopt's (QOPT_PROFILE) and ONNX Runtime's (its session profiling), side
    by side in FILE.

usage: device_cpu.py CARRY_DIR [--threads 1,4,16] [--runs 50] [--models a,b]
                     [--skip-kernel-tests] [--profile FILE] [--profile-threads N]
                     [--no-latency]
Prints a Markdown report on stdout."""
import argparse
import ctypes
import json
import lzma
import os
import platform
import shutil
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


def alternate_blocks(run_a, run_b, runs, per_block, untimed, warmup=5):
    """Times `runs` calls of each of run_a and run_b (ms), in alternating
    blocks of `per_block` timed calls, each after `untimed` calls (after
    `warmup` calls of each first)."""
    for _ in range(warmup):
        run_a()
        run_b()
    times = ([], [])
    while len(times[0]) < runs:
        for fn, out in ((run_a, times[0]), (run_b, times[1])):
            for _ in range(untimed):
                fn()
            for _ in range(min(per_block, runs - len(out))):
                t = time.perf_counter()
                fn()
                out.append((time.perf_counter() - t) * 1e3)
    return times


def timed_pair(run_q, run_o, runs, threads):
    """qopt's and ONNX Runtime's times at `threads` threads, alternating.

    At one thread neither tool has worker threads: blocks of 6 runs, each
    after one untimed run, share the machine's drift (its speed moves by up
    to 1.5x over seconds, a 16-vCPU guest: three blocks of 20, as this
    script first did everywhere, could put one tool in a slow spell and the
    other in a fast one: MobileNetV2 once measured 12.5 ms against ONNX
    Runtime's 6.6, where each tool alone moved between 8 and 13 ms and 6.5
    and 10 within one process). With more threads each tool's workers spin
    for some milliseconds after its last call and take the cores from the
    other's: blocks of 6 gave qopt 7.0 ms against 2.1 at 16 threads, and a
    30 ms pause before each block 3.4 against 1.9 (its workers asleep at
    every block's start). There the blocks stay three of runs / 3, each
    after 5 untimed runs."""
    if threads == 1:
        return alternate_blocks(run_q, run_o, runs, 6, 1)
    return alternate_blocks(run_q, run_o, runs, runs // 3 or 1, 5)


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


# name, ONNX file (in the carry folder, or models/ after the export), input,
# output shape, runs (big models fewer), int8 variant
MODELS = [
    ("fashion_cnn", "fashion_cnn.onnx", "fashion.npy", [1, 10], None, True),
    ("fashion_vit", "fashion_vit.onnx", "fashion.npy", [1, 10], None, True),
    ("mobilenet_v2", "models/mobilenet_v2.onnx", "imagenet.npy", [1, 1000], None, False),
    ("resnet18", "models/resnet18.onnx", "imagenet.npy", [1, 1000], 30, False),
    ("vit_b_16", "models/vit_b_16.onnx", "imagenet.npy", [1, 1000], 15, False),
]
COMPILE_ONLY = [("resnet50", "models/resnet50.onnx")]


def run_measured(cmd, env):
    """Runs cmd; returns (wall s, peak RSS MiB, stderr's last line or "")."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    failed = os.waitstatus_to_exitcode(status) != 0
    return wall, usage.ru_maxrss / 1024, (err.strip().splitlines() or ["failed"])[-1] if failed else ""


def prepare(carry, wanted):
    """Unpacks the compiler, exports the torchvision models and compiles every
    model; prints the compile table and writes manifest.json."""
    tool = os.path.join(carry, "toolchain", "qopt-compile")
    if not os.path.exists(tool):
        with lzma.open(tool + ".xz") as src, open(tool, "wb") as dst:
            shutil.copyfileobj(src, dst)
        os.chmod(tool, 0o755)
    env = dict(os.environ, LD_LIBRARY_PATH=os.path.join(carry, "toolchain"),
               QOPT_RUNTIME_LIBRARY=os.path.join(carry, "lib", "libqopt_runtime.so"),
               QOPT_RUNTIME_ARCHIVE=os.path.join(carry, "lib", "libqopt_runtime.a"))
    names = [m[0] for m in MODELS] + [m[0] for m in COMPILE_ONLY]
    wanted = wanted or names
    vision = [n for n in ["mobilenet_v2", "resnet18", "vit_b_16", "resnet50"] if n in wanted]
    if vision:
        t = time.perf_counter()
        subprocess.run([sys.executable, os.path.join(carry, "export_torchvision.py"),
                        os.path.join(carry, "models")] + vision, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"Exported (or found) {', '.join(vision)} with torch there "
              f"(export_torchvision.py) in {time.perf_counter() - t:.0f} s.\n")
    print("## Compilation there (`qopt-compile --emit=shared --mcpu=x86-64-v4`)\n")
    print("| model | wall (s) | peak RSS (MiB) | library (MiB) | |")
    print("|---|---:|---:|---:|---|")
    manifest = []

    def build(name, onnx, flags=()):
        so = os.path.join(carry, name + ".so")
        wall, rss, err = run_measured([tool, os.path.join(carry, onnx), "--emit=shared",
                                       "--mcpu=x86-64-v4", "-o", so] + list(flags), env)
        size = os.path.getsize(so) / 2**20 if not err else 0
        print(f"| {name} | {wall:.1f} | {rss:.0f} | {size:.1f} | {err} |")
        sys.stdout.flush()
        return not err

    for name, onnx, x, shape, runs, int8 in MODELS:
        if name not in wanted:
            continue
        if build(name, onnx):
            manifest.append(dict(name=name, kind="float", so=name + ".so", onnx=onnx,
                                 input=x, output_shape=shape, runs=runs))
        if int8:
            report = os.path.join(carry, name + "_int8.json")
            calib = ["--quantize=int8", "--calibration=" + os.path.join(carry, "calib_256.npy"),
                     "--calib-method=percentile", "--report=" + report]
            if build(name + "_int8", onnx, calib):
                subprocess.run([sys.executable, os.path.join(carry, "export-qdq.py"),
                                os.path.join(carry, onnx), report,
                                os.path.join(carry, name + "_qdq.onnx")], check=True,
                               stdout=subprocess.DEVNULL)
                manifest.append(dict(name=name + " int8 (ORT: QDQ)", base=name, kind="int8",
                                     so=name + "_int8.so", onnx=name + "_qdq.onnx",
                                     input=x, output_shape=shape, runs=runs))
    for name, onnx in COMPILE_ONLY:
        if name in wanted:
            build(name, onnx)
    print()
    json.dump(manifest, open(os.path.join(carry, "manifest.json"), "w"), indent=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("carry")
    ap.add_argument("--threads", default="1,4,16")
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--models", default="",
                    help="comma-separated subset of the models (default: all)")
    ap.add_argument("--skip-kernel-tests", action="store_true")
    ap.add_argument("--profile", default="",
                    help="write per-layer profiles of the float models here")
    ap.add_argument("--profile-threads", type=int, default=1)
    ap.add_argument("--no-latency", action="store_true",
                    help="skip the latency table (with --profile: profiles only)")
    ap.add_argument("--model-index", type=int, default=None,
                    help="measure only this manifest entry (the child process of a run)")
    ap.add_argument("--profile-index", type=int, default=None,
                    help="profile only this manifest entry (the child process of a run)")
    args = ap.parse_args()
    if args.model_index is not None:
        manifest = json.load(open(os.path.join(args.carry, "manifest.json")))
        measure_model(args.carry, manifest[args.model_index],
                      [int(t) for t in args.threads.split(",")], args.runs)
        return
    if args.profile_index is not None:
        manifest = json.load(open(os.path.join(args.carry, "manifest.json")))
        profile_model(args.carry, manifest[args.profile_index], args.runs, args.profile,
                      args.profile_threads)
        return
    import onnxruntime as ort

    flags = cpu_flags()
    print(f"# qopt vs ONNX Runtime on {cpu_model()}\n")
    print(f"{os.cpu_count()} logical CPUs; AVX-512F: {'avx512f' in flags}, "
          f"AVX-512 VNNI: {'avx512_vnni' in flags}, AVX-VNNI: {'avx_vnni' in flags}, "
          f"AVX-512 BF16: {'avx512_bf16' in flags}. ONNX Runtime {ort.__version__} "
          f"(Python, CPU EP, graph optimizations on). Load average at the start: "
          f"{os.getloadavg()[0]:.1f}.\n")

    prepare(args.carry, [m for m in args.models.split(",") if m])
    if not args.skip_kernel_tests:
        print("## Runtime kernel tests (numpy references), per instruction set\n")
        print("| test file | QOPT_ISA | threads | result | detail |")
        print("|---|---|---:|---|---|")
        for row in kernel_tests(args.carry):
            print("| " + " | ".join(str(x) for x in row) + " |")
        sys.stdout.flush()

    manifest = json.load(open(os.path.join(args.carry, "manifest.json")))
    print("\n## Latency, median of %d runs (fewer where the row says) after 5 warm-up "
          "runs, run alternately: at 1 thread in blocks of 6 (each after one untimed run), "
          "else in three blocks (each after 5 untimed runs)\n" % args.runs)
    print("qopt library: compiled there with `--mcpu=x86-64-v4`. Ratio = qopt / ORT "
          "(below 1: qopt is faster). Agreement: for float, relative L2 of the outputs; "
          "for int8, the largest difference in units of the output's quantization step "
          "is not computed here (different models: qopt's int8 vs ORT's QDQ), top-1 of "
          "both is printed instead.\n")
    print("| model | threads | qopt (ms) | ORT (ms) | qopt / ORT | agreement |")
    print("|---|---:|---:|---:|---:|---|")
    medians = {}  # (model, kind, threads) -> (qopt ms, ORT ms)
    for index, m in enumerate([] if args.no_latency else manifest):
        # One process per model: each library carries its own runtime and
        # worker pool, and ORT's session keeps spinning threads; several in
        # one process share the cores badly (a run with all five loaded in
        # one process did not finish in 500 s on 16 cores).
        p = subprocess.run([sys.executable, os.path.abspath(__file__), args.carry,
                            "--threads", args.threads, "--runs", str(m.get("runs") or args.runs),
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
    if args.profile:
        open(args.profile, "w").write(
            "# Per-layer profiles at %d threads: qopt (QOPT_PROFILE) and ONNX Runtime "
            "(session profiling), on %s\n" % (args.profile_threads, cpu_model()))
        for index, m in enumerate(manifest):
            if m["kind"] != "float":
                continue
            p = subprocess.run([sys.executable, os.path.abspath(__file__), args.carry,
                                "--runs", str(m.get("runs") or args.runs), "--profile",
                                args.profile, "--profile-index", str(index),
                                "--profile-threads", str(args.profile_threads)],
                               env=dict(os.environ, QOPT_PROFILE=args.profile),
                               capture_output=True, text=True, timeout=600)
            if p.returncode != 0:
                print(f"profile of {m['name']} failed: "
                      f"{(p.stderr.strip().splitlines() or ['?'])[-1][:160]}")


def measure_model(carry, m, thread_counts, runs):
    """Prints the table rows of one model and, per thread count, a JSON line
    with its medians for the parent's summary."""
    import onnxruntime as ort
    x = np.load(os.path.join(carry, m["input"]))
    q = QoptModel(os.path.join(carry, m["so"]))
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
        qt, ot = timed_pair(q.run, lambda: sess.run(None, feed), runs, threads)
        qm, om = statistics.median(qt), statistics.median(ot)
        name = m["name"] + (f" ({runs} runs)" if m.get("runs") else "")
        print(f"| {name} | {threads} | {qm:.3f} | {om:.3f} | {qm / om:.2f} | {agree} |")
        print(json.dumps(dict(base=m.get("base", m["name"]), kind=m["kind"], threads=threads,
                              qopt=qm, ort=om)))
        sys.stdout.flush()

def profile_model(carry, m, runs, path, threads):
    """Appends to `path` qopt's per-call profile of one model at `threads` (the
    runtime writes it at exit of this process: QOPT_PROFILE is set by the
    parent) and ONNX Runtime's per-node times of the same runs."""
    import onnxruntime as ort
    x = np.load(os.path.join(carry, m["input"]))
    with open(path, "a") as f:
        f.write(f"\n# {m['name']}\n")
    q = QoptModel(os.path.join(carry, m["so"]))
    out = np.zeros(m["output_shape"], np.float32)
    q.bind([np.ascontiguousarray(x)], [out])
    q.set_threads(threads)
    qopt_ms = median_ms(q.run, runs)
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.enable_profiling = True
    so.profile_file_prefix = os.path.join(carry, "ort_profile_" + m["name"])
    sess = ort.InferenceSession(os.path.join(carry, m["onnx"]), so,
                                providers=["CPUExecutionProvider"])
    feed = {sess.get_inputs()[0].name: x}
    ort_ms = median_ms(lambda: sess.run(None, feed), runs)
    events = json.load(open(sess.end_profiling()))
    nodes = {}  # node name -> [op, total us, calls], in order of first run
    for e in events:
        if e.get("cat") == "Node" and e["name"].endswith("_kernel_time"):
            n = nodes.setdefault(e["name"][:-len("_kernel_time")],
                                 [e.get("args", {}).get("op_name", "?"), 0, 0])
            n[1] += e["dur"]
            n[2] += 1
    total = sum(n[1] for n in nodes.values()) or 1
    with open(path, "a") as f:
        f.write(f"\nLatency at {threads} threads, median (min) of {runs} runs: qopt "
                f"{qopt_ms[0]:.3f} ({qopt_ms[1]:.3f}) ms, ONNX Runtime {ort_ms[0]:.3f} "
                f"({ort_ms[1]:.3f}) ms (with profiling on).\n")
        f.write("\n## ONNX Runtime per node (warm-up included)\n\n"
                "| # | node | op | calls | mean us | % |\n|---:|---|---|---:|---:|---:|\n")
        for i, (name, (op, us, calls)) in enumerate(nodes.items()):
            f.write(f"| {i + 1} | {name} | {op} | {calls} | {us / calls:.1f} | "
                    f"{100 * us / total:.1f} |\n")
    sys.stdout.flush()
    # qopt's table is appended when this process exits


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
