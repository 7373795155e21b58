# qopt-compile's quantization flags: each mistake is one `error:` line and
# exit status 1; random calibration works but warns loudly.
#
# RUN: rm -rf %t && %python %s %t
# RUN: not qopt-compile %t/m.onnx --quantize=int8 2>&1 | FileCheck %s --check-prefix=NOCAL --implicit-check-not=error:
# RUN: not qopt-compile %t/m.onnx --calibration=%t/calib.npy 2>&1 | FileCheck %s --check-prefix=NOQ --implicit-check-not=error:
# RUN: not qopt-compile %t/m.onnx --quantize=int8 --calibration=%t/calib.npy --calib-method=kl 2>&1 | FileCheck %s --check-prefix=METHOD --implicit-check-not=error:
# RUN: not qopt-compile %t/m.onnx --quantize=int8 --calibration=%t/calib.npy --calib-method=percentile:120 2>&1 | FileCheck %s --check-prefix=PCT --implicit-check-not=error:
# RUN: not qopt-compile %t/m.onnx --quantize=int8 --calibration=%t/missing.npy 2>&1 | FileCheck %s --check-prefix=MISSING --implicit-check-not=error:
# RUN: not qopt-compile %t/m.onnx --quantize=int8 --calibration=%t/bad_shape.npy 2>&1 | FileCheck %s --check-prefix=SHAPE --implicit-check-not=error:
# RUN: not qopt-compile %t/m.onnx --quantize=int8 --calibration=%t/garbage.npy 2>&1 | FileCheck %s --check-prefix=GARBAGE --implicit-check-not=error:
# RUN: not qopt-compile %t/m.onnx --quantize=int8 --calibration=%t/calib.npy,%t/calib.npy 2>&1 | FileCheck %s --check-prefix=COUNT --implicit-check-not=error:
# RUN: not qopt-compile %t/m.onnx --quantize=int8 --calibration=random:0 2>&1 | FileCheck %s --check-prefix=RANDOM0 --implicit-check-not=error:
# RUN: qopt-compile %t/m.onnx --quantize=int8 --calibration=random:4 -o /dev/null 2>&1 | FileCheck %s --check-prefix=RANDOM --implicit-check-not=error:
# RUN: not qopt-compile %t/m.onnx --quantize=int4 --calibration=%t/calib.npy 2>&1 | FileCheck %s --check-prefix=MODE
# RUN: not qopt-compile %t/m.onnx --integer-only 2>&1 | FileCheck %s --check-prefix=IONOQ --implicit-check-not=error:
# RUN: not qopt-compile %t/m.onnx --quantize=int8 --calibration=%t/calib.npy --integer-only --quant-form=quantized 2>&1 | FileCheck %s --check-prefix=IOFORM --implicit-check-not=error:
# RUN: not qopt-compile %t/m.onnx --quantize=int8 --calibration=%t/calib.npy --integer-only --quant-form=fake 2>&1 | FileCheck %s --check-prefix=IOFORM --implicit-check-not=error:
# RUN: qopt-compile %t/m.onnx --quantize=int8 --calibration=%t/calib.npy --integer-only --quant-form=integer --emit=mlir -o - 2>&1 | FileCheck %s --check-prefix=IOOK --implicit-check-not=error:
# Calibration runs the model in the JIT, which needs the runtime library.
# RUN: env QOPT_RUNTIME_LIBRARY=%t/nowhere.so not qopt-compile %t/m.onnx --quantize=int8 --calibration=%t/calib.npy 2>&1 | FileCheck %s --check-prefix=NORT --implicit-check-not=error:

# NORT: error: {{.*}}m.onnx: the qopt runtime library {{.*}}nowhere.so is missing (build target qopt_runtime_shared, or set QOPT_RUNTIME_LIBRARY)
# NOCAL: error: --quantize needs --calibration=FILE.npy[,FILE.npy...] or --calibration=random:N
# NOQ: error: --calibration needs --quantize=int8 or --quantize=w4a8
# METHOD: error: --calib-method: unknown calibration method 'kl' (expected minmax, percentile[:P], entropy or mse)
# PCT: error: --calib-method: percentile '120' is not a number in (50, 100] (e.g. percentile:99.99)
# MISSING: error: {{.*}}missing.npy: cannot open: No such file or directory
# SHAPE: error: {{.*}}bad_shape.npy: shape 5x1x4x3 does not match input 'x' (1x1x4x4): expected Nx1x4x4 with N a positive multiple of 1
# GARBAGE: error: {{.*}}garbage.npy: not a .npy file (bad magic)
# COUNT: error: --calibration names 2 file(s), the model has 1 input(s) (give one .npy per input, in order, separated by commas)
# RANDOM0: error: --calibration=random:N needs a positive sample count, not '0'
# RANDOM: warning: CALIBRATING ON 4 RANDOM SAMPLES
# IONOQ: error: --integer-only needs --quantize=int8 or --quantize=w4a8
# IOFORM: error: --integer-only needs --quant-form=integer (the default): the integer-only graph has no quantized or fake-quant form
# IOOK: qopt.int_conv2d
# IOOK-NOT: qopt.conv2d
# MODE: for the --quantize option: Cannot find option named 'int4'!

import os
import sys

sys.dont_write_bytecode = True
import numpy as np  # noqa: E402
import onnx  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

d = sys.argv[1]
os.makedirs(d, exist_ok=True)
w = np.ones((2, 1, 3, 3), np.float32)
graph = helper.make_graph(
    [helper.make_node("Conv", ["x", "w"], ["y"], name="conv", pads=[1, 1, 1, 1])],
    "m", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 4, 4])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2, 4, 4])],
    [numpy_helper.from_array(w, "w")])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
          os.path.join(d, "m.onnx"))
np.save(os.path.join(d, "calib.npy"), np.zeros((3, 1, 4, 4), np.float32))
np.save(os.path.join(d, "bad_shape.npy"), np.zeros((5, 1, 4, 3), np.float32))
with open(os.path.join(d, "garbage.npy"), "wb") as f:
    f.write(b"this is not numpy")
