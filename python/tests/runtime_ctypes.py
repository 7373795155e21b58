"""What the runtime kernel tests share: where libqopt_runtime.so is, numpy
arrays as the kernels' (address, element strides) arguments, and the CPU's
feature flags."""
import os

BUILD = os.path.dirname(os.environ.get("QOPT_BIN_DIR", os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "bin")))
LIB = os.path.join(BUILD, "lib", "libqopt_runtime.so")


def addr(a):
    return a.__array_interface__["data"][0]


def strides(a):
    return [s // a.itemsize for s in a.strides]


def cpu_has(flag):
    with open("/proc/cpuinfo") as f:
        return any(flag in line.split() for line in f if line.startswith("flags"))


def run_kernel_checks(script, isa, threads):
    """Runs a kernel test file as a script (its check_all) with QOPT_ISA and
    QOPT_NUM_THREADS set, so that each instruction set is chosen afresh in a
    new process; asserts it passed and returns its JSON summary (the
    instruction set that ran and the number of cases)."""
    import json
    import subprocess
    import sys
    env = dict(os.environ, QOPT_ISA=isa, QOPT_NUM_THREADS=str(threads))
    out = subprocess.run([sys.executable, script], env=env, capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])
