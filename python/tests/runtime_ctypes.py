"""What the runtime kernel tests share: where libqopt_runtime.so is, the
f32 convolution entry points' signatures, numpy arrays as the kernels'
(address, element strides) arguments, MLIR's NaN-propagating max/min in
numpy, and the CPU's feature flags."""
import ctypes
import os

import numpy as np

BUILD = os.path.dirname(os.environ.get("QOPT_BIN_DIR", os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "bin")))
LIB = os.path.join(BUILD, "lib", "libqopt_runtime.so")


def load_conv_runtime():
    """The runtime with the argument types of its f32 GEMM and convolution
    entry points set."""
    rt = ctypes.CDLL(LIB)
    i64, f32 = ctypes.c_int64, ctypes.c_float
    rt.qopt_rt_sgemm.argtypes = [i64] * 13
    rt.qopt_rt_conv2d_nchw_f32.argtypes = [i64] * 23
    rt.qopt_rt_conv2d_nchw_f32_epilogue.argtypes = [i64] * 23 + [f32, i64, f32, f32, i64]
    rt.qopt_rt_set_num_threads.argtypes = [ctypes.c_int]
    rt.qopt_rt_isa.restype = ctypes.c_char_p
    return rt


def maximumf(a, b):
    """arith.maximumf: NaN if either is NaN, and -0 < +0."""
    m = np.where(a > b, a, b)
    m = np.where(a == b, np.where(np.signbit(a), b, a), m)
    return np.where(np.isnan(a) | np.isnan(b), np.float32(np.nan), m).astype(np.float32)


def minimumf(a, b):
    """arith.minimumf: NaN if either is NaN, and -0 < +0."""
    m = np.where(a < b, a, b)
    m = np.where(a == b, np.where(np.signbit(a), a, b), m)
    return np.where(np.isnan(a) | np.isnan(b), np.float32(np.nan), m).astype(np.float32)


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
