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
