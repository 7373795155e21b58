# Constant folding at import (ConstantFolding.cpp): shape subgraphs,
# Constant and ConstantOfShape nodes, arithmetic on constants; and
# --input-shape for symbolic dims.
#
# RUN: %python %s %t
# RUN: qopt-compile %t/shape_chain.onnx --stage=import | FileCheck %s --check-prefix=SHAPE-CHAIN
# RUN: qopt-compile %t/shape_chain_opset11.onnx --stage=import | FileCheck %s --check-prefix=SHAPE-CHAIN11
# RUN: qopt-compile %t/shape_slice.onnx --stage=import | FileCheck %s --check-prefix=SHAPE-SLICE
# RUN: qopt-compile %t/shape_start_end.onnx --stage=import | FileCheck %s --check-prefix=SHAPE-START-END
# RUN: qopt-compile %t/size.onnx --stage=import | FileCheck %s --check-prefix=SIZE
# RUN: qopt-compile %t/constant_of_shape.onnx --stage=import | FileCheck %s --check-prefix=COS
# RUN: qopt-compile %t/constant_of_shape_default.onnx --stage=import | FileCheck %s --check-prefix=COS-DEFAULT
# RUN: qopt-compile %t/constant_nodes.onnx --stage=import | FileCheck %s --check-prefix=CONSTANTS
# RUN: qopt-compile %t/constant_ints.onnx --stage=import | FileCheck %s --check-prefix=CONSTANT-INTS
# RUN: not qopt-compile %t/constant_sparse.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=CONSTANT-SPARSE --implicit-check-not=error:
# RUN: qopt-compile %t/weight_arith.onnx --stage=import | FileCheck %s --check-prefix=WEIGHT-ARITH
# RUN: qopt-compile %t/range_expand_where.onnx --stage=import | FileCheck %s --check-prefix=RANGE-EXPAND-WHERE
# RUN: qopt-compile %t/expand_chain.onnx --stage=import | FileCheck %s --check-prefix=EXPAND-CHAIN
# RUN: qopt-compile %t/cast_bool.onnx --stage=import | FileCheck %s --check-prefix=CAST-BOOL
# RUN: not qopt-compile %t/int_div_zero.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=INT-DIV-ZERO --implicit-check-not=error:
# RUN: not qopt-compile %t/huge_constant.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=HUGE --implicit-check-not=error:
# RUN: qopt-compile %t/symbolic.onnx --stage=import --input-shape=x:2x3x4x4 | FileCheck %s --check-prefix=SYMBOLIC
# RUN: qopt-compile %t/symbolic.onnx --stage=import --input-shape x:5x3x4x4 | FileCheck %s --check-prefix=SYMBOLIC5
# RUN: not qopt-compile %t/symbolic.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=SYMBOLIC-MISSING --implicit-check-not=error:
# RUN: not qopt-compile %t/unknown_dim.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=UNKNOWN-DIM --implicit-check-not=error:
# RUN: qopt-compile %t/two_inputs.onnx --stage=import --input-shape=a:1x8 --input-shape=b:3x8 | FileCheck %s --check-prefix=TWO-INPUTS
# RUN: not qopt-compile %t/two_inputs.onnx --stage=import --input-shape=a:1x8 2>&1 | FileCheck %s --check-prefix=TWO-INPUTS-MISSING --implicit-check-not=error:
# RUN: qopt-compile %t/override.onnx --stage=import --input-shape=x:4x6 | FileCheck %s --check-prefix=OVERRIDE

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "Inputs"))
from onnxtest import *  # noqa: E402,F401,F403

d = outdir()
N = helper.make_node


def i64(*v):
    return np.array(v, np.int64)


def shape_chain(opset, x_shape=(2, 3, 4, 4)):
    """x.reshape(x.shape[0], -1) the way exporters write it."""
    if opset >= 13:
        unsq = N("Unsqueeze", ["dim0", "zero_axis"], ["dim0_1d"])
    else:
        unsq = N("Unsqueeze", ["dim0"], ["dim0_1d"], axes=[0])
    nodes = [N("Shape", ["x"], ["shape"]),
             N("Constant", [], ["zero"], value=helper.make_tensor("", I64, [], [0])),
             N("Gather", ["shape", "zero"], ["dim0"], axis=0),
             unsq,
             N("Concat", ["dim0_1d", "minus_one"], ["new_shape"], axis=0),
             N("Reshape", ["x", "new_shape"], ["y"])]
    inits = [init("minus_one", i64(-1))]
    if opset >= 13:
        inits.append(init("zero_axis", i64(0)))
    return model(nodes, [vi("x", F32, list(x_shape))], [vi("y", F32, 2)], inits,
                 opset=opset)


# Shape -> Gather -> Unsqueeze -> Concat -> Reshape leaves one qopt.reshape.
save(d, "shape_chain", shape_chain(13))
# SHAPE-CHAIN: func.func @main(%arg0: tensor<2x3x4x4xf32> {qopt.name = "x"}) -> (tensor<2x48xf32> {qopt.name = "y"})
# SHAPE-CHAIN-NEXT: %[[R:.*]] = qopt.reshape %arg0 : (tensor<2x3x4x4xf32>) -> tensor<2x48xf32>
# SHAPE-CHAIN-NEXT: return %[[R]] : tensor<2x48xf32>
# SHAPE-CHAIN-NOT: qopt.
save(d, "shape_chain_opset11", shape_chain(11))
# SHAPE-CHAIN11: func.func @main
# SHAPE-CHAIN11-NEXT: qopt.reshape %arg0 : (tensor<2x3x4x4xf32>) -> tensor<2x48xf32>
# SHAPE-CHAIN11-NEXT: return

# Shape -> Slice -> Concat (torch.flatten(x, 2) style), then Reshape.
nodes = [N("Shape", ["x"], ["shape"]),
         N("Slice", ["shape", "s0", "s2"], ["lead"]),
         N("Concat", ["lead", "minus_one"], ["new_shape"], axis=0),
         N("Reshape", ["x", "new_shape"], ["y"])]
save(d, "shape_slice", model(nodes, [vi("x", F32, [2, 3, 4, 4])], [vi("y", F32, 3)],
                             [init("s0", i64(0)), init("s2", i64(2)),
                              init("minus_one", i64(-1))]))
# SHAPE-SLICE: func.func @main
# SHAPE-SLICE-NEXT: qopt.reshape %arg0 : (tensor<2x3x4x4xf32>) -> tensor<2x3x16xf32>
# SHAPE-SLICE-NEXT: return

# Shape-15's start/end, then arithmetic on the dims: Reshape to [3*4, 2*4].
nodes = [N("Shape", ["x"], ["hw"], start=-2),
         N("Shape", ["x"], ["nc"], end=2),
         N("Mul", ["nc", "hw"], ["new_shape"]),
         N("Reshape", ["x", "new_shape"], ["y"])]
save(d, "shape_start_end", model(nodes, [vi("x", F32, [2, 3, 4, 4])],
                                 [vi("y", F32, 2)], opset=15))
# SHAPE-START-END: qopt.reshape %arg0 : (tensor<2x3x4x4xf32>) -> tensor<8x12xf32>
# SHAPE-START-END-NEXT: return

# Size is a scalar; Cast and Div on it, then used as a Div operand.
nodes = [N("Size", ["x"], ["n"]),
         N("Cast", ["n"], ["nf"], to=F32),
         N("Div", ["x", "nf"], ["y"])]
save(d, "size", model(nodes, [vi("x", F32, [2, 3])], [vi("y", F32, 2)]))
# SIZE: %[[N:.*]] = qopt.constant dense<6.000000e+00> : tensor<f32>
# SIZE: qopt.div %arg0, %[[N]] : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>

# ConstantOfShape of a folded shape becomes one constant.
nodes = [N("Shape", ["x"], ["shape"]),
         N("ConstantOfShape", ["shape"], ["ones"],
           value=helper.make_tensor("", F32, [1], [1.0])),
         N("Add", ["x", "ones"], ["y"])]
save(d, "constant_of_shape", model(nodes, [vi("x", F32, [2, 3])], [vi("y", F32, 2)]))
# COS: %[[C:.*]] = qopt.constant dense<1.000000e+00> : tensor<2x3xf32>
# COS: qopt.add %arg0, %[[C]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
# COS-NOT: ConstantOfShape
# Without a value it is float zeros.
nodes = [N("ConstantOfShape", ["shape"], ["zeros"]), N("Sub", ["x", "zeros"], ["y"])]
save(d, "constant_of_shape_default",
     model(nodes, [vi("x", F32, [4])], [vi("y", F32, 1)], [init("shape", i64(4))],
           opset=9))
# COS-DEFAULT: %[[C:.*]] = qopt.constant dense<0.000000e+00> : tensor<4xf32>
# COS-DEFAULT: qopt.sub %arg0, %[[C]] : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>

# Constant nodes with value, value_float and value_floats.
nodes = [N("Constant", [], ["t"], value=helper.make_tensor("", F32, [2], [1.0, 2.0])),
         N("Constant", [], ["f"], value_float=0.5),
         N("Constant", [], ["fs"], value_floats=[3.0, 4.0]),
         N("Add", ["x", "t"], ["a"]),
         N("Mul", ["a", "f"], ["b"]),
         N("Sub", ["b", "fs"], ["y"])]
save(d, "constant_nodes", model(nodes, [vi("x", F32, [3, 2])], [vi("y", F32, 2)]))
# CONSTANTS-DAG: %[[T:.*]] = qopt.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
# CONSTANTS-DAG: %[[F:.*]] = qopt.constant dense<5.000000e-01> : tensor<f32>
# CONSTANTS-DAG: %[[FS:.*]] = qopt.constant dense<[3.000000e+00, 4.000000e+00]> : tensor<2xf32>
# CONSTANTS: %[[A:.*]] = qopt.add %arg0, %[[T]]
# CONSTANTS: %[[B:.*]] = qopt.mul %[[A]], %[[F]]
# CONSTANTS: qopt.sub %[[B]], %[[FS]]
# value_int and value_ints feed shapes: Reshape(x, [value_int, value_ints...]).
nodes = [N("Constant", [], ["i"], value_int=4),
         N("Constant", [], ["is"], value_ints=[3, 2]),
         N("Unsqueeze", ["i", "axis0"], ["i1"]),
         N("Concat", ["i1", "is"], ["shape"], axis=0),
         N("Reshape", ["x", "shape"], ["y"])]
save(d, "constant_ints", model(nodes, [vi("x", F32, [24])], [vi("y", F32, 3)],
                               [init("axis0", i64(0))]))
# CONSTANT-INTS: qopt.reshape %arg0 : (tensor<24xf32>) -> tensor<4x3x2xf32>
# CONSTANT-INTS-NEXT: return
sparse = helper.make_sparse_tensor(helper.make_tensor("", F32, [1], [1.0]),
                                   helper.make_tensor("", I64, [1], [0]), [4])
nodes = [N("Constant", [], ["c"], name="sparse", sparse_value=sparse),
         N("Add", ["x", "c"], ["y"])]
save(d, "constant_sparse", model(nodes, [vi("x", F32, [4])], [vi("y", F32, 1)]))
# CONSTANT-SPARSE: error: {{.*}}constant_sparse.onnx: node 'sparse' (#0, Constant, opset 17): only tensor, float and int constants are supported

# Arithmetic on weights folds: w' = Transpose(w) * 2 + 1, sqrt(4) = 2.
w = np.arange(6, dtype=np.float32).reshape(2, 3)
nodes = [N("Transpose", ["w"], ["wt"]),
         N("Mul", ["wt", "two"], ["w2"]),
         N("Add", ["w2", "one"], ["w3"]),
         N("Sqrt", ["four"], ["s"]),
         N("Div", ["w3", "s"], ["w4"]),
         N("MatMul", ["x", "w4"], ["y"])]
save(d, "weight_arith", model(nodes, [vi("x", F32, [1, 3])], [vi("y", F32, 2)],
                              [init("w", w), init("two", np.float32(2)),
                               init("one", np.float32(1)),
                               init("four", np.float32(4))]))
# (2*[[0,3],[1,4],[2,5]] + 1) / 2
# WEIGHT-ARITH: %[[W:.*]] = qopt.constant dense<{{\[\[}}5.000000e-01, 3.500000e+00], [1.500000e+00, 4.500000e+00], [2.500000e+00, 5.500000e+00]]> : tensor<3x2xf32>
# WEIGHT-ARITH-NEXT: qopt.matmul %arg0, %[[W]] : (tensor<1x3xf32>, tensor<3x2xf32>) -> tensor<1x2xf32>
# WEIGHT-ARITH-NEXT: return

# Range, Equal, Where and Expand on constants (the masks exporters build).
nodes = [N("Range", ["zero", "four", "one"], ["r"]),         # [0, 1, 2, 3]
         N("Equal", ["r", "two"], ["is2"]),                   # [F, F, T, F]
         N("Where", ["is2", "big", "small"], ["mask"]),       # [0, 0, 9, 0]
         N("Expand", ["mask", "shape"], ["mask2"]),           # 2x4
         N("Add", ["x", "mask2"], ["y"])]
save(d, "range_expand_where",
     model(nodes, [vi("x", F32, [2, 4])], [vi("y", F32, 2)],
           [init("zero", np.int64(0)), init("four", np.int64(4)),
            init("one", np.int64(1)), init("two", np.int64(2)),
            init("big", np.float32(9)), init("small", np.float32(0)),
            init("shape", i64(2, 1))]))
# RANGE-EXPAND-WHERE: %[[M:.*]] = qopt.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00, 9.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00, 9.000000e+00, 0.000000e+00]]> : tensor<2x4xf32>
# RANGE-EXPAND-WHERE-NEXT: qopt.add %arg0, %[[M]] : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>

# torch's class-token expand: Expand(token, Where(Equal(shape, -1 * ones), ...))
# on constants. ONNX 1.12's shape inference cannot see through Equal/Where,
# so the Concat after it has a symbolic dim until the importer, having folded
# the chain, infers that node again with static inputs.
nodes = [N("ConstantOfShape", ["rank"], ["ones"],
           value=helper.make_tensor("", I64, [1], [1])),
         N("Mul", ["ones", "minus_one"], ["neg"]),
         N("Equal", ["target", "neg"], ["is_neg"]),
         N("Where", ["is_neg", "ones", "target"], ["shape"]),
         N("Expand", ["token", "shape"], ["tokens"]),
         N("Concat", ["tokens", "x"], ["cat"], axis=1),
         N("Relu", ["cat"], ["y"])]
save(d, "expand_chain", model(nodes, [vi("x", F32, [1, 4, 8])], [vi("y", F32, 3)],
                              [init("rank", i64(3)), init("minus_one", np.int64(-1)),
                               init("target", i64(1, -1, -1)),
                               init("token", rand([1, 1, 8]))]))
# EXPAND-CHAIN: func.func @main(%arg0: tensor<1x4x8xf32> {qopt.name = "x"}) -> (tensor<1x5x8xf32> {qopt.name = "y"})
# EXPAND-CHAIN: %[[T:.*]] = qopt.constant dense<{{.*}}> : tensor<1x1x8xf32>
# EXPAND-CHAIN: %[[C:.*]] = qopt.concat %[[T]], %arg0 {axis = 1 : i64} : (tensor<1x1x8xf32>, tensor<1x4x8xf32>) -> tensor<1x5x8xf32>
# EXPAND-CHAIN-NEXT: qopt.relu %[[C]] : (tensor<1x5x8xf32>) -> tensor<1x5x8xf32>

# Cast to bool is `x != 0`: 0.5 is true, not truncated to 0.
nodes = [N("Cast", ["c"], ["b"], to=BOOL),
         N("Where", ["b", "big", "small"], ["mask"]),
         N("Add", ["x", "mask"], ["y"])]
save(d, "cast_bool", model(nodes, [vi("x", F32, [3])], [vi("y", F32, 1)],
                           [init("c", np.array([0.5, 0.0, -2.0], np.float32)),
                            init("big", np.float32(9)),
                            init("small", np.float32(0))]))
# CAST-BOOL: %[[M:.*]] = qopt.constant dense<[9.000000e+00, 0.000000e+00, 9.000000e+00]> : tensor<3xf32>
# CAST-BOOL-NEXT: qopt.add %arg0, %[[M]]

# Integer division by zero in a constant is an error, not a crash.
nodes = [N("Div", ["a", "b"], ["q"], name="div"), N("Reshape", ["x", "q"], ["y"])]
save(d, "int_div_zero", model(nodes, [vi("x", F32, [4])], [vi("y", F32, 1)],
                              [init("a", i64(4)), init("b", i64(0))]))
# INT-DIV-ZERO: error: {{.*}}int_div_zero.onnx: node 'div' (#0, Div, opset 17): integer division by zero or overflow in a constant

# A constant too large to materialise is refused rather than exhausting memory.
nodes = [N("ConstantOfShape", ["s"], ["big"], name="cos"), N("Add", ["x", "big"], ["y"])]
save(d, "huge_constant", model(nodes, [vi("x", F32, [1])], [vi("y", F32, 2)],
                               [init("s", i64(1 << 20, 1 << 20))]))
# HUGE: error: {{.*}}huge_constant.onnx: node 'cos' (#0, ConstantOfShape, opset 17): constant folding would create more than 2^26 elements

#===--- --input-shape -------------------------------------------------------===#

# A symbolic batch dim: the shape chain folds once --input-shape fixes it.
save(d, "symbolic", shape_chain(13, x_shape=("N", 3, 4, 4)))
# SYMBOLIC: func.func @main(%arg0: tensor<2x3x4x4xf32> {qopt.name = "x"}) -> (tensor<2x48xf32> {qopt.name = "y"})
# SYMBOLIC-NEXT: qopt.reshape %arg0 : (tensor<2x3x4x4xf32>) -> tensor<2x48xf32>
# SYMBOLIC5: func.func @main(%arg0: tensor<5x3x4x4xf32> {qopt.name = "x"}) -> (tensor<5x48xf32> {qopt.name = "y"})
# SYMBOLIC-MISSING: error: {{.*}}symbolic.onnx: graph input 'x' has the symbolic dimension 'N': give a static shape with --input-shape=x:DIMS (e.g. 1x3x224x224)
# A dim of unknown size (no dim_value, no dim_param) needs it too.
save(d, "unknown_dim", model([N("Relu", ["x"], ["y"])], [vi("x", F32, [None, 3])],
                             [vi("y", F32, 2)]))
# UNKNOWN-DIM: error: {{.*}}unknown_dim.onnx: graph input 'x' has a dimension of unknown size: give a static shape with --input-shape=x:DIMS
# Several inputs, each named.
save(d, "two_inputs", model([N("Concat", ["a", "b"], ["y"], axis=0)],
                            [vi("a", F32, ["A", 8]), vi("b", F32, ["B", 8])],
                            [vi("y", F32, ["C", 8])]))
# TWO-INPUTS: func.func @main(%arg0: tensor<1x8xf32> {qopt.name = "a"}, %arg1: tensor<3x8xf32> {qopt.name = "b"}) -> (tensor<4x8xf32> {qopt.name = "y"})
# TWO-INPUTS-NEXT: qopt.concat %arg0, %arg1 {axis = 0 : i64}
# TWO-INPUTS-MISSING: error: {{.*}}two_inputs.onnx: graph input 'b' has the symbolic dimension 'B': give a static shape with --input-shape=b:DIMS
# --input-shape also overrides a static shape; the stale inferred shapes of
# intermediate values and outputs are dropped.
save(d, "override", model([N("Relu", ["x"], ["r"]), N("Neg", ["r"], ["y"])],
                          [vi("x", F32, [2, 3])], [vi("y", F32, [2, 3])],
                          value_info=[vi("r", F32, [2, 3])]))
# OVERRIDE: func.func @main(%arg0: tensor<4x6xf32> {qopt.name = "x"}) -> (tensor<4x6xf32> {qopt.name = "y"})
# OVERRIDE-NEXT: qopt.relu %arg0 : (tensor<4x6xf32>) -> tensor<4x6xf32>
# OVERRIDE-NEXT: qopt.neg %{{.*}} : (tensor<4x6xf32>) -> tensor<4x6xf32>
