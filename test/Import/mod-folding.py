# Mod on constants folds at import (torch 2.x's TorchScript exporter writes
# one into ViT-B/16's attention): integer Mod with fmod=0 takes the
# divisor's sign (numpy's mod), fmod=1 the dividend's (numpy's fmod), float
# Mod needs fmod=1. The folded values are compared with numpy's here.
#
# RUN: %python %s %t
# RUN: qopt-compile %t/mod_int.onnx --stage=import > %t/mod_int.mlir
# RUN: qopt-compile %t/mod_int_fmod.onnx --stage=import > %t/mod_int_fmod.mlir
# RUN: qopt-compile %t/mod_float.onnx --stage=import > %t/mod_float.mlir
# RUN: %python %s %t --check | FileCheck %s
# CHECK: mod_int: 12 values as numpy's
# CHECK: mod_int_fmod: 12 values as numpy's
# CHECK: mod_float: 12 values as numpy's
# RUN: not qopt-compile %t/mod_float_nofmod.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=FLOAT-NOFMOD --implicit-check-not=error:
# FLOAT-NOFMOD: error: {{.*}}mod_float_nofmod.onnx: node 'mod' (#0, Mod, opset 17): Mod of floating-point tensors needs fmod=1
# RUN: not qopt-compile %t/mod_runtime.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=RUNTIME --implicit-check-not=error:
# RUNTIME: error: {{.*}}mod_runtime.onnx: node 'mod' (#0, Mod, opset 17): unsupported op type 'Mod' (supported only when its inputs are constant)
# RUN: not qopt-compile %t/mod_zero.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=ZERO --implicit-check-not=error:
# ZERO: error: {{.*}}mod_zero.onnx: node 'mod' (#0, Mod, opset 17): integer modulo by zero in a constant

import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "Inputs"))
from onnxtest import *  # noqa: E402,F401,F403

N = helper.make_node
A = np.array([7, -7, 7, -7, 0, 5, -9, 9, 13, -13, 2**40 + 3, -(2**40) - 3], np.int64)
B = np.array([3, 3, -3, -3, 2, 5, 4, -4, 13, 6, 7, -7], np.int64)
AF = np.array([7.5, -7.5, 7.5, -7.5, 0.0, 5.0, -9.25, 9.25, 1e6, -3.0, 0.1, -0.7], np.float32)
BF = np.array([2.0, 2.0, -2.0, -2.0, 1.5, 5.0, 4.0, -4.0, 7.0, 0.5, 0.03, 0.3], np.float32)
CASES = {"mod_int": (A, B, 0, lambda a, b: np.mod(a, b)),
         "mod_int_fmod": (A, B, 1, lambda a, b: np.fmod(a, b)),
         "mod_float": (AF, BF, 1, lambda a, b: np.fmod(a, b))}

if "--check" in sys.argv:
    d = sys.argv[1]
    for name, (a, b, _, ref) in CASES.items():
        text = open(os.path.join(d, name + ".mlir")).read()
        m = re.search(r"qopt\.constant dense<\[([^\]]*)\]> : tensor<12xf32>", text)
        assert m, text
        got = np.array([float(v) for v in m.group(1).split(",")], np.float32)
        want = ref(a, b).astype(np.float32)
        np.testing.assert_array_equal(got, want, err_msg=name)
        print(f"{name}: {len(got)} values as numpy's")
    sys.exit(0)

d = outdir()
for name, (a, b, fmod, _) in CASES.items():
    nodes = [N("Mod", ["a", "b"], ["m"], fmod=fmod, name="mod"),
             N("Cast", ["m"], ["mf"], to=F32),
             N("Add", ["x", "mf"], ["y"])]
    save(d, name, model(nodes, [vi("x", F32, [12])], [vi("y", F32, 1)],
                        [init("a", a), init("b", b)]))
nodes = [N("Mod", ["a", "b"], ["y"], name="mod")]
save(d, "mod_float_nofmod", model(nodes, [], [vi("y", F32, 1)],
                                  [init("a", AF), init("b", BF)]))
nodes = [N("Mod", ["x", "b"], ["y"], name="mod")]
save(d, "mod_runtime", model(nodes, [vi("x", I64, [4])], [vi("y", I64, 1)],
                             [init("b", np.array([3], np.int64))]))
nodes = [N("Mod", ["a", "b"], ["m"], name="mod"), N("Reshape", ["x", "m"], ["y"])]
save(d, "mod_zero", model(nodes, [vi("x", F32, [4])], [vi("y", F32, 1)],
                          [init("a", np.array([4], np.int64)), init("b", np.array([0], np.int64))]))
