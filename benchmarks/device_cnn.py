"""fashion_cnn on the device machine's AVX-512 CPU: qopt libraries (this
branch's and a baseline's, both --mcpu=x86-64-v4) against ONNX Runtime,
alternately in one process per (library, thread count), plus the f32
direct convolution's kernel tests on AVX-512 and its AVX2 emulation.

  python3 device_cnn.py CARRY [--runs N] [--rounds R] [--threads 1,4,16]

CARRY holds: fashion_cnn.onnx, fashion.npy, one or more LABEL.v4.so model
libraries, and lib/ + tests/ as benchmarks/device_cpu.sh lays them out.
Prepared here with (BASE: a build of the commit to compare against):

  D=.device-cpu; mkdir -p $D/lib $D/bin $D/tests
  cp build/lib/libqopt_runtime.so $D/lib/
  cp python/tests/{runtime_ctypes,test_runtime_direct_conv,test_runtime_kernels}.py $D/tests/
  cp benchmarks/device_cnn.py benchmarks/device_cpu.py $D/
  cp examples/models/fashion_cnn_opset17.onnx $D/fashion_cnn.onnx
  python3 -c "import numpy as n; n.save('$D/fashion.npy',
      n.load('examples/models/data/eval_2k_x.npy')[:1])"
  for b in build:new BASE:base; do ${b%%:*}/bin/qopt-compile \
      examples/models/fashion_cnn_opset17.onnx --emit=shared --mcpu=x86-64-v4 \
      -o $D/${b##*:}.v4.so; done

then, there: `python3 .device-cpu/device_cnn.py .device-cpu`.
Prints a markdown table; each qopt median is the median over R rounds of
N-run medians, each round followed by one of ONNX Runtime."""
import argparse
import glob
import json
import os
import statistics
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from device_cpu import QoptModel, cpu_flags, cpu_model, median_ms  # noqa: E402


def measure(carry, lib, threads, runs, rounds):
    import onnxruntime as ort
    x = np.load(os.path.join(carry, "fashion.npy"))
    q = QoptModel(lib)
    out = np.zeros((1, 10), np.float32)
    q.bind([np.ascontiguousarray(x)], [out])
    q.set_threads(threads)
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    sess = ort.InferenceSession(os.path.join(carry, "fashion_cnn.onnx"), so,
                                providers=["CPUExecutionProvider"])
    feed = {sess.get_inputs()[0].name: x}
    q.run()
    ref = sess.run(None, feed)[0]
    rel = float(np.linalg.norm(out - ref) / np.linalg.norm(ref))
    qt, qmin, ot, omin = [], [], [], []
    for _ in range(rounds):
        med, lo = median_ms(q.run, runs)
        qt.append(med), qmin.append(lo)
        med, lo = median_ms(lambda: sess.run(None, feed), runs)
        ot.append(med), omin.append(lo)
    print(json.dumps(dict(qopt=statistics.median(qt), qopt_min=min(qmin),
                          ort=statistics.median(ot), ort_min=min(omin), rel=rel,
                          version=ort.__version__)))


def kernel_tests(carry):
    tests = os.path.join(carry, "tests")
    for isa in ["avx512", "avx512emu", "avx2"]:
        for threads in [1, 4]:
            env = dict(os.environ, QOPT_ISA=isa, QOPT_NUM_THREADS=str(threads),
                       QOPT_BIN_DIR=os.path.join(carry, "bin"))
            p = subprocess.run([sys.executable, os.path.join(tests, "test_runtime_direct_conv.py")],
                               env=env, capture_output=True, text=True, timeout=600)
            last = (p.stdout.strip().splitlines() or ["?"])[-1]
            status = "pass" if p.returncode == 0 else "FAIL: " + (
                p.stderr.strip().splitlines() or ["?"])[-1][:200]
            print(f"| test_runtime_direct_conv.py | {isa} | {threads} | {status} | {last} |")
            sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("carry")
    ap.add_argument("--runs", type=int, default=400)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--threads", default="1,4,16")
    ap.add_argument("--measure", nargs=2, metavar=("LIB", "THREADS"),
                    help="(child process) measure one library at one thread count")
    ap.add_argument("--no-tests", action="store_true")
    args = ap.parse_args()
    if args.measure:
        measure(args.carry, args.measure[0], int(args.measure[1]), args.runs, args.rounds)
        return
    flags = cpu_flags()
    print(f"CPU: {cpu_model()}, {os.cpu_count()} logical CPUs, AVX-512F: {'avx512f' in flags}; "
          f"load average {os.getloadavg()[0]:.1f}")
    if not args.no_tests:
        print("\n| test | QOPT_ISA | threads | result | summary |\n|---|---|---:|---|---|")
        kernel_tests(args.carry)
    print("\n| library | threads | qopt median (ms) | qopt min (ms) | ORT median (ms) "
          "| ORT min (ms) | qopt / ORT | rel. L2 |\n|---|---:|---:|---:|---:|---:|---:|---|")
    libs = sorted(glob.glob(os.path.join(args.carry, "*.v4.so")))
    for threads in [int(t) for t in args.threads.split(",")]:
        for lib in libs:
            p = subprocess.run([sys.executable, __file__, args.carry, "--measure", lib,
                                str(threads), "--runs", str(args.runs), "--rounds",
                                str(args.rounds)], capture_output=True, text=True, timeout=600)
            if p.returncode != 0:
                print(f"| {os.path.basename(lib)} | {threads} | error: "
                      f"{(p.stderr.strip().splitlines() or ['?'])[-1][:150]} |")
                continue
            r = json.loads(p.stdout.strip().splitlines()[-1])
            print(f"| {os.path.basename(lib)[:-6]} | {threads} | {r['qopt']:.3f} | "
                  f"{r['qopt_min']:.3f} | {r['ort']:.3f} | {r['ort_min']:.3f} | "
                  f"{r['qopt'] / r['ort']:.2f} | {r['rel']:.1e} |")
            sys.stdout.flush()
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
