# The .npy reader behind --calibration: dtypes are converted to f32, format
# versions 1 and 2 are read, and what it cannot read is one error line.
# The observed input range in the report must be numpy's min/max of the data.
#
# RUN: rm -rf %t && %python %s gen %t
# RUN: qopt-compile %t/m.onnx --quantize=int8 --calibration=%t/f64.npy --report=%t/f64.json -o /dev/null
# RUN: qopt-compile %t/m.onnx --quantize=int8 --calibration=%t/f16.npy --report=%t/f16.json -o /dev/null
# RUN: qopt-compile %t/m.onnx --quantize=int8 --calibration=%t/i8.npy --report=%t/i8.json -o /dev/null
# RUN: qopt-compile %t/m.onnx --quantize=int8 --calibration=%t/u8.npy --report=%t/u8.json -o /dev/null
# RUN: qopt-compile %t/m.onnx --quantize=int8 --calibration=%t/v2.npy --report=%t/v2.json -o /dev/null
# RUN: %python %s check %t
# RUN: not qopt-compile %t/m.onnx --quantize=int8 --calibration=%t/fortran.npy 2>&1 | FileCheck %s --check-prefix=FORTRAN --implicit-check-not=error:
# RUN: not qopt-compile %t/m.onnx --quantize=int8 --calibration=%t/big.npy 2>&1 | FileCheck %s --check-prefix=BIG --implicit-check-not=error:
# RUN: not qopt-compile %t/m.onnx --quantize=int8 --calibration=%t/truncated.npy 2>&1 | FileCheck %s --check-prefix=TRUNC --implicit-check-not=error:
# RUN: not qopt-compile %t/m.onnx --quantize=int8 --calibration=%t/complex.npy 2>&1 | FileCheck %s --check-prefix=COMPLEX --implicit-check-not=error:

# FORTRAN: error: {{.*}}fortran.npy: Fortran-order arrays are not supported
# BIG: error: {{.*}}big.npy: unsupported dtype '>f4' (supported: little-endian
# TRUNC: error: {{.*}}truncated.npy: truncated data: the header promises 192 bytes, the file holds 100
# COMPLEX: error: {{.*}}complex.npy: unsupported dtype '<c8'

import json
import os
import sys

sys.dont_write_bytecode = True
import numpy as np  # noqa: E402


def data():
    rng = np.random.default_rng(11)
    return {
        "f64": rng.standard_normal((3, 1, 4, 4)),
        # Values exact in f16.
        "f16": (rng.integers(-64, 64, (3, 1, 4, 4)) / 8).astype(np.float16),
        "i8": rng.integers(-128, 128, (3, 1, 4, 4)).astype(np.int8),
        "u8": rng.integers(0, 256, (3, 1, 4, 4)).astype(np.uint8),
        "v2": rng.standard_normal((3, 1, 4, 4)).astype(np.float32),
    }


def gen(d):
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    os.makedirs(d, exist_ok=True)
    w = np.ones((2, 1, 3, 3), np.float32)
    graph = helper.make_graph(
        [helper.make_node("Conv", ["x", "w"], ["y"], name="conv", pads=[1, 1, 1, 1])],
        "m", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 4, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2, 4, 4])],
        [numpy_helper.from_array(w, "w")])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
              os.path.join(d, "m.onnx"))
    arrays = data()
    for name, a in arrays.items():
        if name == "v2":
            with open(os.path.join(d, "v2.npy"), "wb") as f:
                np.lib.format.write_array(f, a, version=(2, 0))
        else:
            np.save(os.path.join(d, name + ".npy"), a)
    x = arrays["v2"]
    np.save(os.path.join(d, "fortran.npy"), np.asfortranarray(x))
    np.save(os.path.join(d, "big.npy"), x.astype(">f4"))
    np.save(os.path.join(d, "complex.npy"), x.astype(np.complex64))
    raw = open(os.path.join(d, "v2.npy"), "rb").read()
    np.save(os.path.join(d, "full.npy"), x)
    raw = open(os.path.join(d, "full.npy"), "rb").read()
    header = len(raw) - x.nbytes
    with open(os.path.join(d, "truncated.npy"), "wb") as f:
        f.write(raw[:header + 100])


def check(d):
    for name, a in data().items():
        report = json.load(open(os.path.join(d, name + ".json")))
        observed = report["layers"][0]["inputs"][0]["observed_range"]
        v = a.astype(np.float32).astype(np.float64)
        assert observed == [float(v.min()), float(v.max())], (name, observed)
    print("ok")


if __name__ == "__main__":
    gen(sys.argv[2]) if sys.argv[1] == "gen" else check(sys.argv[2])
