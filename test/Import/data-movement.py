# Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Concat, Split, Slice, Pad,
# Gather, Resize and Cast on run-time values: ConvertDataMovement.cpp.
#
# RUN: %python %s %t
# RUN: qopt-compile %t/reshape.onnx --stage=import | FileCheck %s --check-prefix=RESHAPE
# RUN: qopt-compile %t/reshape_opset7.onnx --stage=import | FileCheck %s --check-prefix=RESHAPE7
# RUN: qopt-compile %t/flatten_default.onnx --stage=import | FileCheck %s --check-prefix=FLATTEN-DEFAULT
# RUN: qopt-compile %t/flatten_axis0.onnx --stage=import | FileCheck %s --check-prefix=FLATTEN-AXIS0
# RUN: qopt-compile %t/flatten_neg.onnx --stage=import | FileCheck %s --check-prefix=FLATTEN-NEG
# RUN: qopt-compile %t/flatten_rank.onnx --stage=import | FileCheck %s --check-prefix=FLATTEN-RANK
# RUN: qopt-compile %t/squeeze_opset11.onnx --stage=import | FileCheck %s --check-prefix=SQUEEZE11
# RUN: qopt-compile %t/squeeze_opset13.onnx --stage=import | FileCheck %s --check-prefix=SQUEEZE13
# RUN: qopt-compile %t/squeeze_all.onnx --stage=import | FileCheck %s --check-prefix=SQUEEZE-ALL
# RUN: qopt-compile %t/unsqueeze_opset11.onnx --stage=import | FileCheck %s --check-prefix=UNSQUEEZE11
# RUN: qopt-compile %t/unsqueeze_opset13.onnx --stage=import | FileCheck %s --check-prefix=UNSQUEEZE13
# RUN: qopt-compile %t/transpose_default.onnx --stage=import | FileCheck %s --check-prefix=TRANSPOSE-DEFAULT
# RUN: qopt-compile %t/transpose_perm.onnx --stage=import | FileCheck %s --check-prefix=TRANSPOSE-PERM
# RUN: qopt-compile %t/concat_neg.onnx --stage=import | FileCheck %s --check-prefix=CONCAT-NEG
# RUN: qopt-compile %t/concat_opset7.onnx --stage=import | FileCheck %s --check-prefix=CONCAT7
# RUN: qopt-compile %t/split_equal.onnx --stage=import | FileCheck %s --check-prefix=SPLIT-EQUAL
# RUN: qopt-compile %t/split_opset11.onnx --stage=import | FileCheck %s --check-prefix=SPLIT11
# RUN: qopt-compile %t/split_opset13.onnx --stage=import | FileCheck %s --check-prefix=SPLIT13
# RUN: qopt-compile %t/slice.onnx --stage=import | FileCheck %s --check-prefix=SLICE
# RUN: qopt-compile %t/slice_neg_steps.onnx --stage=import | FileCheck %s --check-prefix=SLICE-NEG-STEPS
# RUN: qopt-compile %t/slice_neg_clamp.onnx --stage=import | FileCheck %s --check-prefix=SLICE-NEG-CLAMP
# RUN: qopt-compile %t/slice_opset7.onnx --stage=import | FileCheck %s --check-prefix=SLICE7
# RUN: qopt-compile %t/slice_default_axes.onnx --stage=import | FileCheck %s --check-prefix=SLICE-DEFAULT-AXES
# RUN: not qopt-compile %t/slice_dynamic.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=SLICE-DYN --implicit-check-not=error:
# RUN: qopt-compile %t/pad_constant.onnx --stage=import | FileCheck %s --check-prefix=PAD-CONSTANT
# RUN: qopt-compile %t/pad_reflect.onnx --stage=import | FileCheck %s --check-prefix=PAD-REFLECT
# RUN: qopt-compile %t/pad_edge.onnx --stage=import | FileCheck %s --check-prefix=PAD-EDGE
# RUN: qopt-compile %t/pad_opset7.onnx --stage=import | FileCheck %s --check-prefix=PAD7
# RUN: qopt-compile %t/gather_const_indices.onnx --stage=import | FileCheck %s --check-prefix=GATHER-CONST
# RUN: qopt-compile %t/gather_embedding.onnx --stage=import | FileCheck %s --check-prefix=GATHER-EMB
# RUN: qopt-compile %t/gather_scalar.onnx --stage=import | FileCheck %s --check-prefix=GATHER-SCALAR
# RUN: not qopt-compile %t/gather_out_of_range.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=GATHER-OOR --implicit-check-not=error:
# RUN: qopt-compile %t/resize_scales.onnx --stage=import | FileCheck %s --check-prefix=RESIZE-SCALES
# RUN: qopt-compile %t/resize_sizes_linear.onnx --stage=import | FileCheck %s --check-prefix=RESIZE-LINEAR
# RUN: qopt-compile %t/resize_nearest_modes.onnx --stage=import | FileCheck %s --check-prefix=RESIZE-MODES
# RUN: qopt-compile %t/resize_opset10.onnx --stage=import | FileCheck %s --check-prefix=RESIZE10
# RUN: qopt-compile %t/resize_opset10_down.onnx --stage=import | FileCheck %s --check-prefix=RESIZE10-DOWN
# RUN: not qopt-compile %t/resize_opset10_mixed.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=RESIZE10-MIXED --implicit-check-not=error:
# RUN: qopt-compile %t/upsample_opset7.onnx --stage=import | FileCheck %s --check-prefix=UPSAMPLE7
# RUN: qopt-compile %t/upsample_opset9.onnx --stage=import | FileCheck %s --check-prefix=UPSAMPLE9
# RUN: not qopt-compile %t/resize_linear_inexact.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=RESIZE-INEXACT --implicit-check-not=error:
# RUN: not qopt-compile %t/resize_runtime_scales.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=RESIZE-RT-SCALES --implicit-check-not=error:
# RUN: not qopt-compile %t/resize_cubic.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=RESIZE-CUBIC --implicit-check-not=error:
# RUN: qopt-compile %t/cast_int_to_float.onnx --stage=import | FileCheck %s --check-prefix=CAST-I2F
# RUN: qopt-compile %t/cast_float_to_int.onnx --stage=import | FileCheck %s --check-prefix=CAST-F2I
# RUN: qopt-compile %t/cast_same.onnx --stage=import | FileCheck %s --check-prefix=CAST-SAME
# RUN: qopt-compile %t/cast_opset7.onnx --stage=import | FileCheck %s --check-prefix=CAST7

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "Inputs"))
from onnxtest import *  # noqa: E402,F401,F403

d = outdir()
x234 = vi("x", F32, [2, 3, 4])


def i64(*v):
    return np.array(v, np.int64)


#===--- Reshape family -----------------------------------------------------===#

# Shape entries 0 (copy) and -1 (infer).
single(d, "reshape", "Reshape", [x234], [vi("y", F32, 2)],
       [init("shape", i64(0, -1))])
# RESHAPE: qopt.reshape %arg0 : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
single(d, "reshape_opset7", "Reshape", [x234], [vi("y", F32, 3)],
       [init("shape", i64(4, 1, -1))], opset=7)
# RESHAPE7: qopt.reshape %arg0 : (tensor<2x3x4xf32>) -> tensor<4x1x6xf32>

# Flatten: axis defaults to 1 and may be in [-rank, rank].
single(d, "flatten_default", "Flatten", [x234], [vi("y", F32, 2)])
# FLATTEN-DEFAULT: qopt.flatten %arg0 {axis = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
single(d, "flatten_axis0", "Flatten", [x234], [vi("y", F32, 2)], attrs={"axis": 0})
# FLATTEN-AXIS0: qopt.flatten %arg0 {axis = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<1x24xf32>
single(d, "flatten_neg", "Flatten", [x234], [vi("y", F32, 2)], opset=11,
       attrs={"axis": -1})
# FLATTEN-NEG: qopt.flatten %arg0 {axis = 2 : i64} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
single(d, "flatten_rank", "Flatten", [x234], [vi("y", F32, 2)], opset=7,
       attrs={"axis": 3})
# FLATTEN-RANK: qopt.flatten %arg0 {axis = 3 : i64} : (tensor<2x3x4xf32>) -> tensor<24x1xf32>

# Squeeze/Unsqueeze: axes are an attribute up to opset 12, an input from 13.
x1314 = vi("x", F32, [1, 3, 1, 4])
single(d, "squeeze_opset11", "Squeeze", [x1314], [vi("y", F32, 3)], opset=11,
       attrs={"axes": [-2]})
# SQUEEZE11: qopt.reshape %arg0 : (tensor<1x3x1x4xf32>) -> tensor<1x3x4xf32>
single(d, "squeeze_opset13", "Squeeze", [x1314], [vi("y", F32, 3)], opset=13,
       initializers=[init("axes", i64(0))])
# SQUEEZE13: qopt.reshape %arg0 : (tensor<1x3x1x4xf32>) -> tensor<3x1x4xf32>
single(d, "squeeze_all", "Squeeze", [x1314], [vi("y", F32, 2)])
# SQUEEZE-ALL: qopt.reshape %arg0 : (tensor<1x3x1x4xf32>) -> tensor<3x4xf32>
single(d, "unsqueeze_opset11", "Unsqueeze", [x234], [vi("y", F32, 5)], opset=11,
       attrs={"axes": [0, -1]})
# UNSQUEEZE11: qopt.reshape %arg0 : (tensor<2x3x4xf32>) -> tensor<1x2x3x4x1xf32>
single(d, "unsqueeze_opset13", "Unsqueeze", [x234], [vi("y", F32, 4)], opset=13,
       initializers=[init("axes", i64(2))])
# UNSQUEEZE13: qopt.reshape %arg0 : (tensor<2x3x4xf32>) -> tensor<2x3x1x4xf32>

# Transpose reverses the dims by default.
single(d, "transpose_default", "Transpose", [x234], [vi("y", F32, 3)])
# TRANSPOSE-DEFAULT: qopt.transpose %arg0 {perm = array<i64: 2, 1, 0>} : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
single(d, "transpose_perm", "Transpose", [x234], [vi("y", F32, 3)], opset=7,
       attrs={"perm": [1, 2, 0]})
# TRANSPOSE-PERM: qopt.transpose %arg0 {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>

#===--- Concat and Split ---------------------------------------------------===#

single(d, "concat_neg", "Concat", [x234, vi("z", F32, [2, 3, 1])],
       [vi("y", F32, 3)], [init("c", rand([2, 3, 2]))], attrs={"axis": -1})
# CONCAT-NEG: qopt.concat %arg0, %arg1, %{{.*}} {axis = 2 : i64} : (tensor<2x3x4xf32>, tensor<2x3x1xf32>, tensor<2x3x2xf32>) -> tensor<2x3x7xf32>
single(d, "concat_opset7", "Concat", [x234, vi("z", F32, [2, 5, 4])],
       [vi("y", F32, 3)], opset=7, attrs={"axis": 1})
# CONCAT7: qopt.concat %arg0, %arg1 {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x8x4xf32>

single(d, "split_equal", "Split", [vi("x", F32, [6, 4])],
       [vi("a", F32, 2), vi("b", F32, 2), vi("c", F32, 2)])
# SPLIT-EQUAL: %{{.*}}:3 = qopt.split %arg0 {axis = 0 : i64} : (tensor<6x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>)
single(d, "split_opset11", "Split", [vi("x", F32, [6, 4])],
       [vi("a", F32, 2), vi("b", F32, 2)], opset=11,
       attrs={"axis": -1, "split": [1, 3]})
# SPLIT11: %{{.*}}:2 = qopt.split %arg0 {axis = 1 : i64} : (tensor<6x4xf32>) -> (tensor<6x1xf32>, tensor<6x3xf32>)
single(d, "split_opset13", "Split", [vi("x", F32, [6, 4])],
       [vi("a", F32, 2), vi("b", F32, 2)], opset=13,
       initializers=[init("split", i64(5, 1))])
# SPLIT13: %{{.*}}:2 = qopt.split %arg0 {axis = 0 : i64} : (tensor<6x4xf32>) -> (tensor<5x4xf32>, tensor<1x4xf32>)

#===--- Slice --------------------------------------------------------------===#

x10 = vi("x", F32, [10, 8])
# Negative starts count from the end; ends past the dim are clamped.
single(d, "slice", "Slice", [x10], [vi("y", F32, 2)],
       [init("starts", i64(-3, 1)), init("ends", i64(100, -1)),
        init("axes", i64(0, -1)), init("steps", i64(1, 2))])
# SLICE: qopt.slice %arg0 {ends = array<i64: 10, 7>, starts = array<i64: 7, 1>, steps = array<i64: 1, 2>} : (tensor<10x8xf32>) -> tensor<3x3xf32>
# Negative steps walk backwards: starts clamp to [0, dim-1], ends to
# [-1, dim-1].
single(d, "slice_neg_steps", "Slice", [x10], [vi("y", F32, 2)],
       [init("starts", i64(20, -1)), init("ends", i64(-100, 0)),
        init("axes", i64(0, 1)), init("steps", i64(-3, -2))])
# SLICE-NEG-STEPS: qopt.slice %arg0 {ends = array<i64: -1, 0>, starts = array<i64: 9, 7>, steps = array<i64: -3, -2>} : (tensor<10x8xf32>) -> tensor<4x4xf32>
# A start before the beginning with a negative step: ONNX 1.12's shape
# inference and numpy (ONNX's reference semantics) take it as empty, and the
# importer agrees with the inferred type (later ONNX specs clamp it to 0).
single(d, "slice_neg_clamp", "Slice", [x10], [vi("y", F32, 2)],
       [init("starts", i64(-100)), init("ends", i64(-200)),
        init("axes", i64(0)), init("steps", i64(-1))])
# SLICE-NEG-CLAMP: func.func @main(%arg0: tensor<10x8xf32> {qopt.name = "x"}) -> (tensor<0x8xf32> {qopt.name = "y"})
# SLICE-NEG-CLAMP: qopt.slice %arg0 {ends = array<i64: -1, 8>, starts = array<i64: -1, 0>, steps = array<i64: -1, 1>} : (tensor<10x8xf32>) -> tensor<0x8xf32>
# Opset 7 Slice has starts/ends/axes attributes (converted to inputs).
single(d, "slice_opset7", "Slice", [x10], [vi("y", F32, 2)], opset=7,
       attrs={"starts": [2], "ends": [-2], "axes": [1]})
# SLICE7: qopt.slice %arg0 {ends = array<i64: 10, 6>, starts = array<i64: 0, 2>, steps = array<i64: 1, 1>} : (tensor<10x8xf32>) -> tensor<10x4xf32>
# Without axes, starts/ends apply to the leading dims.
single(d, "slice_default_axes", "Slice", [x10], [vi("y", F32, 2)], opset=11,
       initializers=[init("starts", i64(1)), init("ends", i64(4))])
# SLICE-DEFAULT-AXES: qopt.slice %arg0 {ends = array<i64: 4, 8>, starts = array<i64: 1, 0>, steps = array<i64: 1, 1>} : (tensor<10x8xf32>) -> tensor<3x8xf32>
# Run-time slice bounds give a dynamic shape.
single(d, "slice_dynamic", "Slice", [x10, vi("starts", I64, [1])],
       [vi("y", F32, 2)], [init("ends", i64(4))])
# SLICE-DYN: error: {{.*}}slice_dynamic.onnx: {{.*}}Slice{{.*}}

#===--- Pad ----------------------------------------------------------------===#

x23 = vi("x", F32, [2, 3])
single(d, "pad_constant", "Pad", [x23], [vi("y", F32, 2)],
       [init("pads", i64(0, 1, 2, 3)), init("value", np.array(1.5, np.float32))])
# PAD-CONSTANT: qopt.pad %arg0 {pads = array<i64: 0, 1, 2, 3>, value = 1.500000e+00 : f64} : (tensor<2x3xf32>) -> tensor<4x7xf32>
single(d, "pad_reflect", "Pad", [x23], [vi("y", F32, 2)],
       [init("pads", i64(1, 1, 1, 1))], opset=11, attrs={"mode": "reflect"})
# PAD-REFLECT: qopt.pad %arg0 {mode = #qopt<pad_mode reflect>, pads = array<i64: 1, 1, 1, 1>} : (tensor<2x3xf32>) -> tensor<4x5xf32>
single(d, "pad_edge", "Pad", [x23], [vi("y", F32, 2)],
       [init("pads", i64(0, 2, 0, -1))], opset=13, attrs={"mode": "edge"})
# PAD-EDGE: qopt.pad %arg0 {mode = #qopt<pad_mode edge>, pads = array<i64: 0, 2, 0, -1>} : (tensor<2x3xf32>) -> tensor<2x4xf32>
# Opset 7: pads and value are attributes (converted to inputs).
single(d, "pad_opset7", "Pad", [x23], [vi("y", F32, 2)], opset=7,
       attrs={"pads": [1, 0, 0, 2], "value": -2.0})
# PAD7: qopt.pad %arg0 {pads = array<i64: 1, 0, 0, 2>, value = -2.000000e+00 : f64} : (tensor<2x3xf32>) -> tensor<3x5xf32>

#===--- Gather -------------------------------------------------------------===#

# Constant indices, negative ones included, along axis 1.
single(d, "gather_const_indices", "Gather", [x234], [vi("y", F32, 4)],
       [init("idx", np.array([[0, -1]], np.int64))], attrs={"axis": 1})
# GATHER-CONST: %[[I:.*]] = qopt.constant dense<{{\[\[}}0, -1]]> : tensor<1x2xi64>
# GATHER-CONST: qopt.gather %arg0, %[[I]] {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<1x2xi64>) -> tensor<2x1x2x4xf32>
# An embedding: constant table, run-time int32 indices.
single(d, "gather_embedding", "Gather", [vi("ids", I32, [1, 5])],
       [vi("y", F32, 3)], [init("table", rand([100, 16]))],
       node_inputs=["table", "ids"])
# GATHER-EMB: %[[T:.*]] = qopt.constant dense_resource<table> : tensor<100x16xf32>
# GATHER-EMB: qopt.gather %[[T]], %arg0 {axis = 0 : i64} : (tensor<100x16xf32>, tensor<1x5xi32>) -> tensor<1x5x16xf32>
# A scalar index drops the axis.
single(d, "gather_scalar", "Gather", [x234], [vi("y", F32, 2)],
       [init("idx", np.array(2, np.int64))], attrs={"axis": -1})
# GATHER-SCALAR: qopt.gather %arg0, %{{.*}} {axis = 2 : i64} : (tensor<2x3x4xf32>, tensor<i64>) -> tensor<2x3xf32>
single(d, "gather_out_of_range", "Gather", [x234], [vi("y", F32, 3)],
       [init("idx", i64(3))], attrs={"axis": 1})
# GATHER-OOR: error: {{.*}}gather_out_of_range.onnx: node 'gather_out_of_range' (#0, Gather, opset 17): index 3 is out of range for an axis of size 3

#===--- Resize -------------------------------------------------------------===#

x44 = vi("x", F32, [1, 1, 4, 4])
empty = init("roi", np.zeros([0], np.float32))
# Defaults: mode nearest, coordinate_transformation_mode half_pixel,
# nearest_mode round_prefer_floor (all elided).
single(d, "resize_scales", "Resize", [x44], [vi("y", F32, 4)],
       [empty, init("scales", np.array([1, 1, 2, 0.5], np.float32))])
# RESIZE-SCALES: qopt.resize %arg0 : (tensor<1x1x4x4xf32>) -> tensor<1x1x8x2xf32>
single(d, "resize_sizes_linear", "Resize", [x44], [vi("y", F32, 4)],
       node_inputs=["x", "", "", "sizes"],
       initializers=[init("sizes", i64(1, 1, 3, 5))],
       attrs={"mode": "linear",
              "coordinate_transformation_mode": "align_corners"})
# RESIZE-LINEAR: qopt.resize %arg0 {coordinate_transform = #qopt<coordinate_transform align_corners>, mode = #qopt<resize_mode linear>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x3x5xf32>
single(d, "resize_nearest_modes", "Resize", [x44], [vi("y", F32, 4)],
       [empty, init("scales", np.array([1, 1, 3, 3], np.float32))], opset=11,
       attrs={"coordinate_transformation_mode": "asymmetric",
              "nearest_mode": "floor"})
# RESIZE-MODES: qopt.resize %arg0 {coordinate_transform = #qopt<coordinate_transform asymmetric>, nearest_mode = #qopt<nearest_mode floor>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x12x12xf32>
# Resize-10 and Upsample sample asymmetrically and, as ONNX Runtime does,
# round nearest neighbours down when upsampling and up when downsampling
# (test_resize_downsample_nearest of opset 10 expects [[1, 3]] from
# [[1, 2, 3, 4], [5, 6, 7, 8]] at scale 0.6). The opset 10 -> 11 conversion
# alone would give Resize-11's half_pixel defaults.
single(d, "resize_opset10", "Resize", [x44], [vi("y", F32, 4)],
       [init("scales", np.array([1, 1, 2, 1.5], np.float32))], opset=10)
# RESIZE10: qopt.resize %arg0 {coordinate_transform = #qopt<coordinate_transform asymmetric>, nearest_mode = #qopt<nearest_mode floor>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x8x6xf32>
single(d, "resize_opset10_down", "Resize", [x44], [vi("y", F32, 4)],
       [init("scales", np.array([1, 1, 0.6, 0.5], np.float32))], opset=10)
# RESIZE10-DOWN: qopt.resize %arg0 {coordinate_transform = #qopt<coordinate_transform asymmetric>, nearest_mode = #qopt<nearest_mode ceil>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
single(d, "resize_opset10_mixed", "Resize", [x44], [vi("y", F32, 4)],
       [init("scales", np.array([1, 1, 2, 0.5], np.float32))], opset=10)
# RESIZE10-MIXED: error: {{.*}}resize_opset10_mixed.onnx: Resize node 'resize_opset10_mixed' of an opset below 11 both up- and downsamples in nearest mode, which cannot be expressed as one nearest_mode
single(d, "upsample_opset7", "Upsample", [x44], [vi("y", F32, 4)], opset=7,
       attrs={"scales": [1.0, 1.0, 2.0, 3.0]})
# UPSAMPLE7: qopt.resize %arg0 {coordinate_transform = #qopt<coordinate_transform asymmetric>, nearest_mode = #qopt<nearest_mode floor>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x8x12xf32>
single(d, "upsample_opset9", "Upsample", [x44], [vi("y", F32, 4)],
       [init("scales", np.array([1, 1, 2, 3], np.float32))], opset=9,
       attrs={"mode": "linear"})
# UPSAMPLE9: qopt.resize %arg0 {coordinate_transform = #qopt<coordinate_transform asymmetric>, mode = #qopt<resize_mode linear>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x8x12xf32>
# Linear at scale 0.6 samples at (x + 0.5) / 0.6 - 0.5, which the shapes
# ratio 2/4 does not reproduce: refused rather than computed differently.
single(d, "resize_linear_inexact", "Resize", [x44], [vi("y", F32, 4)],
       [empty, init("scales", np.array([1, 1, 0.6, 0.6], np.float32))],
       attrs={"mode": "linear"})
# RESIZE-INEXACT: error: {{.*}}resize_linear_inexact.onnx: node 'resize_linear_inexact' (#0, Resize, opset 17): scale 0.600000 along axis 2 differs from the output/input size ratio 2/4 and samples other source positions; qopt.resize derives its scale from the shapes
single(d, "resize_runtime_scales", "Resize", [x44, vi("scales", F32, [4])],
       [vi("y", F32, [1, 1, 8, 8])], node_inputs=["x", "", "scales"])
# RESIZE-RT-SCALES: error: {{.*}}resize_runtime_scales.onnx: node 'resize_runtime_scales' (#0, Resize, opset 17): input 'scales' must be a constant: qopt.resize samples at the output/input size ratio, which is ONNX's only for scales checked at import
single(d, "resize_cubic", "Resize", [x44], [vi("y", F32, 4)],
       [empty, init("scales", np.array([1, 1, 2, 2], np.float32))],
       attrs={"mode": "cubic"})
# RESIZE-CUBIC: error: {{.*}}resize_cubic.onnx: node 'resize_cubic' (#0, Resize, opset 17): resize mode 'cubic' is not supported

#===--- Cast ---------------------------------------------------------------===#

single(d, "cast_int_to_float", "Cast", [vi("x", I64, [4])], [vi("y", F32, 1)],
       attrs={"to": F32})
# CAST-I2F: qopt.cast %arg0 : (tensor<4xi64>) -> tensor<4xf32>
single(d, "cast_float_to_int", "Cast", [vi("x", F32, [4])], [vi("y", I32, 1)],
       opset=13, attrs={"to": I32})
# CAST-F2I: qopt.cast %arg0 : (tensor<4xf32>) -> tensor<4xi32>
single(d, "cast_same", "Cast", [vi("x", F32, [4])], [vi("y", F32, 1)],
       attrs={"to": F32})
# CAST-SAME-NOT: qopt.cast
# CAST-SAME: return %arg0 : tensor<4xf32>
single(d, "cast_opset7", "Cast", [vi("x", F32, [4])], [vi("y", TensorProto.DOUBLE, 1)],
       opset=7, attrs={"to": TensorProto.DOUBLE})
# CAST7: qopt.cast %arg0 : (tensor<4xf32>) -> tensor<4xf64>
