"""What qopt's CPU benchmarks against ONNX Runtime (cpu_float.py, cpu_int8.py)
share: running a command, finding or exporting a model, the benchmark input,
timing and running a compiled model with qopt-run, timing and running ONNX
Runtime through ort_bench.js / ort_outputs.js, and benchmarking a list of
models where one failure does not hide the others."""
import json
import os
import re
import shlex
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MODELS = os.path.join(ROOT, "examples", "models")
DATA = os.path.join(MODELS, "data")


def run(cmd, **kw):
    """Runs cmd and returns its stdout; a failure raises with its stderr."""
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise RuntimeError(f"{shlex.join(cmd)} failed ({p.returncode}):\n{p.stderr.strip()}")
    return p.stdout


def model_path(name, bundled):
    """A bundled model's file (bundled: name -> file in examples/models), or
    the torchvision export benchmarks/models/NAME.onnx, exported on first
    use."""
    if name in bundled:
        return os.path.join(MODELS, bundled[name])
    path = os.path.join(HERE, "models", name + ".onnx")
    if not os.path.exists(path):
        run([sys.executable, os.path.join(HERE, "export_torchvision.py"),
             os.path.join(HERE, "models"), name])
    return path


def bench_input(name, bundled):
    """The first evaluation image for a bundled model, seeded normal noise
    1x3x224x224 for a torchvision export."""
    if name in bundled:
        return np.load(os.path.join(DATA, "eval_2k_x.npy"))[:1]
    return np.random.default_rng(0).standard_normal((1, 3, 224, 224)).astype(np.float32)


def qopt_bench(build, so, x_npy, runs, threads, warmup=5):
    """(median ms, min ms) of `qopt-run --bench`."""
    text = run([os.path.join(build, "bin", "qopt-run"), so, "--input", x_npy,
                "--bench", str(runs), "--warmup", str(warmup), "--threads", str(threads)])
    m = re.search(r"median ([0-9.]+) ms, min ([0-9.]+) ms", text)
    return float(m.group(1)), float(m.group(2))


def qopt_outputs(build, so, x_npy, out_dir, threads):
    """The model's first output (qopt-run --output-dir)."""
    run([os.path.join(build, "bin", "qopt-run"), so, "--input", x_npy,
         "--output-dir", out_dir, "--threads", str(threads)])
    files = sorted(f for f in os.listdir(out_dir) if f.endswith(".npy"))
    return np.load(os.path.join(out_dir, files[0]))


def ort_bench(onnx_path, x_bin, threads, runs, warmup, out_bin):
    """ort_bench.js's JSON result (median_ms, min_ms, runs, ort_version);
    the first output goes to out_bin."""
    text = run(["node", os.path.join(HERE, "ort_bench.js"), onnx_path, x_bin,
                str(threads), str(runs), str(warmup), out_bin], cwd=HERE)
    return json.loads(text.strip().splitlines()[-1])


def ort_outputs(onnx_path, x, threads, work, tag, optimized=True):
    """ORT's first output on each sample of x, one run per sample;
    optimized=False runs the nodes as written (graph optimizations off)."""
    x_bin, out_bin = os.path.join(work, tag + ".in.bin"), os.path.join(work, tag + ".out.bin")
    np.ascontiguousarray(x, dtype=np.float32).tofile(x_bin)
    env = dict(os.environ, QOPT_ORT_OPT="all" if optimized else "disabled")
    run(["node", os.path.join(HERE, "ort_outputs.js"), onnx_path, x_bin, str(len(x)),
         str(threads), out_bin], cwd=HERE, env=env)
    return np.fromfile(out_bin, np.float32).reshape(len(x), -1)


def bench_models(names, bench_one, write_doc):
    """Benchmarks each model with bench_one(name) -> row, printing each row
    and rewriting the doc after each (write_doc(rows, failures)); a failing
    model is recorded and the others still run. Returns the exit status."""
    rows, failures = [], []
    for name in names:
        print(f"== {name}", flush=True)
        try:
            row = bench_one(name)
        except Exception as e:  # one failing model must not hide the others
            failures.append((name, str(e).strip().splitlines()[-1]))
            print(f"   FAILED: {failures[-1][1]}", flush=True)
            continue
        print("   " + json.dumps(row), flush=True)
        rows.append(row)
        write_doc(rows, failures)
    write_doc(rows, failures)
    return 1 if failures else 0


def failures_section(failures):
    return (["## Failures", ""] + [f"- {n}: `{m}`" for n, m in failures] + [""]
            if failures else [])


def command_line(script):
    """The command that reproduces this run, as a user types it: the .sh
    wrapper with this run's arguments, less the --build that the wrapper
    adds when it is the default build/."""
    argv = sys.argv[1:]
    if argv[:2] == ["--build", os.path.join(ROOT, "build")]:
        argv = argv[2:]
    return f"benchmarks/{script} " + shlex.join(argv)
