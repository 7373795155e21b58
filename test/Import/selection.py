# Hardmax, Trilu, IsNaN, IsInf, Shrink (ConvertSelection.cpp),
# InstanceNormalization, MeanVarianceNormalization and LRN
# (ConvertNormalization.cpp) and CastLike (ConvertDataMovement.cpp): graphs
# of existing qopt ops.
#
# RUN: %python %s %t
# RUN: qopt-compile %t/hardmax.onnx --stage=import | FileCheck %s --check-prefix=HARDMAX
# RUN: qopt-compile %t/trilu.onnx --stage=import | FileCheck %s --check-prefix=TRILU
# RUN: not qopt-compile %t/trilu_dynamic_k.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=TRILU-K --implicit-check-not=error:
# RUN: qopt-compile %t/isnan_isinf.onnx --stage=import | FileCheck %s --check-prefix=ISNAN
# RUN: qopt-compile %t/shrink.onnx --stage=import | FileCheck %s --check-prefix=SHRINK
# RUN: qopt-compile %t/instancenorm.onnx --stage=import | FileCheck %s --check-prefix=INORM
# RUN: qopt-compile %t/mvn.onnx --stage=import | FileCheck %s --check-prefix=MVN
# RUN: qopt-compile %t/lrn.onnx --stage=import | FileCheck %s --check-prefix=LRN
# RUN: qopt-compile %t/castlike.onnx --stage=import | FileCheck %s --check-prefix=CASTLIKE

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "Inputs"))
from onnxtest import *  # noqa: E402,F401,F403

d = outdir()
x23 = vi("x", F32, [2, 3])

single(d, "hardmax", "Hardmax", [x23], [vi("y", F32, 2)], attrs={"axis": 1})
# HARDMAX: %[[I:.+]] = qopt.arg_reduce max %arg0 {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
# HARDMAX-NEXT: %[[IOTA:.+]] = qopt.constant dense<{{\[}}[0, 1, 2]]> : tensor<1x3xi64>
# HARDMAX-NEXT: %[[EQ:.+]] = qopt.compare eq %[[I]], %[[IOTA]] : (tensor<2x1xi64>, tensor<1x3xi64>) -> tensor<2x3xi1>
# HARDMAX-NEXT: %[[ONE:.+]] = qopt.constant dense<1.000000e+00> : tensor<f32>
# HARDMAX-NEXT: %[[ZERO:.+]] = qopt.constant dense<0.000000e+00> : tensor<f32>
# HARDMAX-NEXT: qopt.select %[[EQ]], %[[ONE]], %[[ZERO]] : (tensor<2x3xi1>, tensor<f32>, tensor<f32>) -> tensor<2x3xf32>

# Trilu, lower triangle with k = 1 from a constant.
single(d, "trilu", "Trilu", [vi("x", I64, [2, 3, 4])], [vi("y", I64, 3)],
       initializers=[init("k", np.array(1, np.int64))], attrs={"upper": 0})
# TRILU: %[[M:.+]] = qopt.constant dense<{{\[}}[true, true, false, false], [true, true, true, false], [true, true, true, true]]> : tensor<3x4xi1>
# TRILU-NEXT: %[[Z:.+]] = qopt.constant dense<0> : tensor<i64>
# TRILU-NEXT: qopt.select %[[M]], %arg0, %[[Z]] : (tensor<3x4xi1>, tensor<2x3x4xi64>, tensor<i64>) -> tensor<2x3x4xi64>
single(d, "trilu_dynamic_k", "Trilu", [vi("x", F32, [3, 4]), vi("k", I64, [])],
       [vi("y", F32, 2)])
# TRILU-K: error: {{.*}}trilu_dynamic_k.onnx: node 'trilu_dynamic_k' (#0, Trilu, opset 17): input 'k' must be a constant (static shapes only)

nodes = [helper.make_node("IsNaN", ["x"], ["n"]),
         helper.make_node("IsInf", ["x"], ["i"]),
         helper.make_node("IsInf", ["x"], ["p"], detect_negative=0)]
save(d, "isnan_isinf", model(nodes, [x23], [vi(n, BOOL, 2) for n in "nip"]))
# ISNAN: %[[EQ:.+]] = qopt.compare eq %arg0, %arg0 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xi1>
# ISNAN-NEXT: %[[T:.+]] = qopt.constant dense<true> : tensor<i1>
# ISNAN-NEXT: %[[N:.+]] = qopt.logical xor %[[EQ]], %[[T]]
# ISNAN-NEXT: %[[PINF:.+]] = qopt.constant dense<0x7F800000> : tensor<f32>
# ISNAN-NEXT: %[[P:.+]] = qopt.compare eq %arg0, %[[PINF]]
# ISNAN-NEXT: %[[NINF:.+]] = qopt.constant dense<0xFF800000> : tensor<f32>
# ISNAN-NEXT: %[[NEG:.+]] = qopt.compare eq %arg0, %[[NINF]]
# ISNAN-NEXT: %[[I:.+]] = qopt.logical or %[[P]], %[[NEG]]
# ISNAN: %[[P2:.+]] = qopt.compare eq %arg0, %{{.+}}
# ISNAN-NEXT: return %[[N]], %[[I]], %[[P2]]

single(d, "shrink", "Shrink", [x23], [vi("y", F32, 2)],
       attrs={"lambd": 1.5, "bias": 0.5})
# SHRINK: %[[B:.+]] = qopt.constant dense<5.000000e-01> : tensor<f32>
# SHRINK-NEXT: %[[NL:.+]] = qopt.constant dense<-1.500000e+00> : tensor<f32>
# SHRINK-NEXT: %[[BELOW:.+]] = qopt.compare lt %arg0, %[[NL]]
# SHRINK-NEXT: %[[L:.+]] = qopt.constant dense<1.500000e+00> : tensor<f32>
# SHRINK-NEXT: %[[ABOVE:.+]] = qopt.compare gt %arg0, %[[L]]
# SHRINK-NEXT: %[[PLUS:.+]] = qopt.add %arg0, %[[B]]
# SHRINK-NEXT: %[[MINUS:.+]] = qopt.sub %arg0, %[[B]]
# SHRINK-NEXT: %[[Z:.+]] = qopt.constant dense<0.000000e+00> : tensor<f32>
# SHRINK-NEXT: %[[IN:.+]] = qopt.select %[[ABOVE]], %[[MINUS]], %[[Z]]
# SHRINK-NEXT: qopt.select %[[BELOW]], %[[PLUS]], %[[IN]]

single(d, "instancenorm", "InstanceNormalization",
       [vi("x", F32, [2, 3, 4, 5]), vi("s", F32, [3]), vi("b", F32, [3])],
       [vi("y", F32, 4)], attrs={"epsilon": 0.01})
# INORM: %[[M:.+]] = qopt.reduce mean %arg0 {axes = array<i64: 2, 3>} : (tensor<2x3x4x5xf32>) -> tensor<2x3x1x1xf32>
# INORM-NEXT: %[[C:.+]] = qopt.sub %arg0, %[[M]]
# INORM-NEXT: %[[SQ:.+]] = qopt.mul %[[C]], %[[C]]
# INORM-NEXT: %[[V:.+]] = qopt.reduce mean %[[SQ]] {axes = array<i64: 2, 3>}
# INORM-NEXT: %[[E:.+]] = qopt.constant dense<0.00999999977> : tensor<f32>
# INORM-NEXT: %[[VE:.+]] = qopt.add %[[V]], %[[E]]
# INORM-NEXT: %[[SD:.+]] = qopt.sqrt %[[VE]]
# INORM-NEXT: %[[N:.+]] = qopt.div %[[C]], %[[SD]] : (tensor<2x3x4x5xf32>, tensor<2x3x1x1xf32>) -> tensor<2x3x4x5xf32>
# INORM-NEXT: %[[S:.+]] = qopt.reshape %arg1 : (tensor<3xf32>) -> tensor<1x3x1x1xf32>
# INORM-NEXT: %[[NS:.+]] = qopt.mul %[[N]], %[[S]]
# INORM-NEXT: %[[B:.+]] = qopt.reshape %arg2 : (tensor<3xf32>) -> tensor<1x3x1x1xf32>
# INORM-NEXT: qopt.add %[[NS]], %[[B]] : (tensor<2x3x4x5xf32>, tensor<1x3x1x1xf32>) -> tensor<2x3x4x5xf32>

single(d, "mvn", "MeanVarianceNormalization", [vi("x", F32, [2, 3, 4, 5])],
       [vi("y", F32, 4)])
# MVN: %[[M:.+]] = qopt.reduce mean %arg0 {axes = array<i64: 0, 2, 3>} : (tensor<2x3x4x5xf32>) -> tensor<1x3x1x1xf32>
# MVN-NEXT: %[[SQ:.+]] = qopt.mul %arg0, %arg0
# MVN-NEXT: %[[MSQ:.+]] = qopt.reduce mean %[[SQ]] {axes = array<i64: 0, 2, 3>}
# MVN-NEXT: %[[M2:.+]] = qopt.mul %[[M]], %[[M]]
# MVN-NEXT: %[[VAR:.+]] = qopt.sub %[[MSQ]], %[[M2]]
# MVN-NEXT: %[[SD:.+]] = qopt.sqrt %[[VAR]]
# MVN-NEXT: %[[EPS:.+]] = qopt.constant dense<9.99999971E-10> : tensor<f32>
# MVN-NEXT: %[[DEN:.+]] = qopt.add %[[SD]], %[[EPS]]
# MVN-NEXT: %[[C:.+]] = qopt.sub %arg0, %[[M]]
# MVN-NEXT: qopt.div %[[C]], %[[DEN]]

# LRN, size 4: one channel before, two after, via avg_pool2d over channels.
single(d, "lrn", "LRN", [vi("x", F32, [1, 5, 2, 3])], [vi("y", F32, 4)],
       attrs={"size": 4, "alpha": 0.5, "beta": 0.25, "bias": 2.0})
# LRN: %[[SQ:.+]] = qopt.mul %arg0, %arg0
# LRN-NEXT: %[[V:.+]] = qopt.reshape %[[SQ]] : (tensor<1x5x2x3xf32>) -> tensor<1x1x5x6xf32>
# LRN-NEXT: %[[P:.+]] = qopt.avg_pool2d %[[V]] {count_include_pad = true, kernel = array<i64: 4, 1>, pads = array<i64: 1, 0, 2, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x5x6xf32>) -> tensor<1x1x5x6xf32>
# LRN-NEXT: %[[B:.+]] = qopt.reshape %[[P]] : (tensor<1x1x5x6xf32>) -> tensor<1x5x2x3xf32>
# LRN-NEXT: %[[A:.+]] = qopt.constant dense<5.000000e-01> : tensor<f32>
# LRN-NEXT: %[[S:.+]] = qopt.mul %[[B]], %[[A]]
# LRN-NEXT: %[[K:.+]] = qopt.constant dense<2.000000e+00> : tensor<f32>
# LRN-NEXT: %[[BASE:.+]] = qopt.add %[[S]], %[[K]]
# LRN-NEXT: %[[BETA:.+]] = qopt.constant dense<2.500000e-01> : tensor<f32>
# LRN-NEXT: %[[D:.+]] = qopt.pow %[[BASE]], %[[BETA]]
# LRN-NEXT: qopt.div %arg0, %[[D]]

single(d, "castlike", "CastLike", [vi("x", F32, [2, 3]), vi("like", I32, [1])],
       [vi("y", I32, 2)])
# CASTLIKE: qopt.cast %arg0 : (tensor<2x3xf32>) -> tensor<2x3xi32>
