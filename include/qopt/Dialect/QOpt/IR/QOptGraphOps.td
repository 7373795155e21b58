//===- QOptGraphOps.td - qopt graph ops (float or quant-typed) -----------===//
//
// Graph ops mirror ONNX operators with every attribute explicit and every
// shape static. Element types are floats or `!quant.uniform` types.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QOPT_IR_QOPTGRAPHOPS_TD
#define QOPT_DIALECT_QOPT_IR_QOPTGRAPHOPS_TD

include "qopt/Dialect/QOpt/IR/QOptBase.td"
include "qopt/Dialect/QOpt/IR/QOptAttrs.td"
include "qopt/Dialect/QOpt/IR/QOptTraits.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/CommonAttrConstraints.td"

//===----------------------------------------------------------------------===//
// constant
//===----------------------------------------------------------------------===//

def QOpt_ConstantOp : QOpt_Op<"constant", [ConstantLike, Pure]> {
  let summary = "a constant tensor (weights live in dense_resource blobs)";
  let description = [{
    Produces the tensor `value`. Large weights use `dense_resource` blobs so
    that printed IR stays small. If the result element type is a quantized
    type, `value` holds the stored integers and its element type must be the
    quantized type's storage type.

    ```mlir
    %w = qopt.constant dense<1.0> : tensor<4xf32>
    %q = qopt.constant dense<[1, -2]> : tensor<2xi8>
        -> tensor<2x!quant.uniform<i8:f32, 0.5>>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs QOpt_AnyTensor:$output);
  let hasCustomAssemblyFormat = 1;
  let hasFolder = 1;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Convolutions and matrix products
//===----------------------------------------------------------------------===//

def QOpt_Conv2DOp : QOpt_Op<"conv2d", [Pure, QOpt_SameExpressedElementType]> {
  let summary = "2-D convolution, NCHW input and FCHW (OIHW) weights";
  let description = [{
    ONNX `Conv` on 4-D tensors. `input` is N×C×H×W, `weight` is
    F×(C/group)×KH×KW and the optional `bias` has F elements. `pads` are
    [top, left, bottom, right]. Output size per spatial dim:
    `(in + pad_begin + pad_end - dilation·(k-1) - 1) / stride + 1`.
  }];
  let arguments = (ins QOpt_GraphTensor:$input, QOpt_GraphTensor:$weight,
      Optional<QOpt_GraphTensor>:$bias,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
      DenseI64ArrayAttr:$dilations, DefaultValuedAttr<I64Attr, "1">:$group);
  let results = (outs QOpt_GraphTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_ConvTranspose2DOp : QOpt_Op<"conv_transpose2d",
    [Pure, QOpt_SameExpressedElementType]> {
  let summary = "2-D transposed convolution (ONNX ConvTranspose)";
  let description = [{
    `input` is N×C×H×W, `weight` is C×(F/group)×KH×KW, optional `bias` has F
    elements. Output size per spatial dim:
    `stride·(in-1) + output_padding + dilation·(k-1) + 1 - pad_begin - pad_end`.
  }];
  let arguments = (ins QOpt_GraphTensor:$input, QOpt_GraphTensor:$weight,
      Optional<QOpt_GraphTensor>:$bias,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
      DenseI64ArrayAttr:$dilations, DenseI64ArrayAttr:$output_padding,
      DefaultValuedAttr<I64Attr, "1">:$group);
  let results = (outs QOpt_GraphTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_MatMulOp : QOpt_Op<"matmul", [Pure, QOpt_SameExpressedElementType]> {
  let summary = "matrix product with broadcast batch dimensions (ONNX MatMul)";
  let description = [{
    Both operands have rank ≥ 2: `lhs` is […×M×K], `rhs` is […×K×N], the
    leading batch dimensions broadcast as in numpy. 1-D ONNX operands are
    reshaped by the importer.
  }];
  let arguments = (ins QOpt_GraphTensor:$lhs, QOpt_GraphTensor:$rhs);
  let results = (outs QOpt_GraphTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_BatchMatMulOp : QOpt_Op<"batch_matmul",
    [Pure, QOpt_SameExpressedElementType]> {
  let summary = "batched matrix product B×M×K · B×K×N → B×M×N";
  let arguments = (ins QOpt_GraphTensor:$lhs, QOpt_GraphTensor:$rhs);
  let results = (outs QOpt_GraphTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_GemmOp : QOpt_Op<"gemm", [Pure, QOpt_SameExpressedElementType]> {
  let summary = "general matrix multiply alpha·op(A)·op(B) + beta·C (ONNX Gemm)";
  let description = [{
    `a` and `b` are 2-D; `op(X)` transposes X when `trans_a`/`trans_b` is
    set. The optional `c` broadcasts to the M×N result.
  }];
  let arguments = (ins QOpt_GraphTensor:$a, QOpt_GraphTensor:$b,
      Optional<QOpt_GraphTensor>:$c,
      DefaultValuedAttr<F32Attr, "1.0f">:$alpha,
      DefaultValuedAttr<F32Attr, "1.0f">:$beta,
      DefaultValuedAttr<BoolAttr, "false">:$trans_a,
      DefaultValuedAttr<BoolAttr, "false">:$trans_b);
  let results = (outs QOpt_GraphTensor:$output);
  let assemblyFormat = [{
    $a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops (numpy broadcasting)
//===----------------------------------------------------------------------===//

class QOpt_BinaryOp<string mnemonic, string desc, list<Trait> traits = []>
    : QOpt_Op<mnemonic, !listconcat([Pure, QOpt_SameExpressedElementType,
                                     QOpt_BroadcastingBinary], traits)> {
  let summary = "elementwise " # desc # " with numpy broadcasting";
  let description = [{
    The result shape is the multidirectional (numpy) broadcast of the
    operand shapes. Quantized operands and result may carry different
    quantization parameters over the same expressed type.
  }];
  let arguments = (ins QOpt_GraphTensor:$lhs, QOpt_GraphTensor:$rhs);
  let results = (outs QOpt_GraphTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def QOpt_AddOp : QOpt_BinaryOp<"add", "addition", [Commutative]> {
  let hasFolder = 1;
}
def QOpt_SubOp : QOpt_BinaryOp<"sub", "subtraction"> {
  let hasFolder = 1;
}
def QOpt_MulOp : QOpt_BinaryOp<"mul", "multiplication", [Commutative]> {
  let hasFolder = 1;
}
def QOpt_DivOp : QOpt_BinaryOp<"div", "division"> {
  let hasFolder = 1;
}
def QOpt_PowOp : QOpt_BinaryOp<"pow", "power (lhs raised to rhs)">;
def QOpt_MaxOp : QOpt_BinaryOp<"max", "maximum", [Commutative]>;
def QOpt_MinOp : QOpt_BinaryOp<"min", "minimum", [Commutative]>;

//===----------------------------------------------------------------------===//
// Comparisons, boolean logic and selection (i1 tensors)
//===----------------------------------------------------------------------===//

def QOpt_BoolTensor : StaticShapeTensorOf<[I1]>;
def QOpt_PlainTensor : StaticShapeTensorOf<[AnyFloat, AnySignlessInteger]>;

def QOpt_CompareOp : QOpt_Op<"compare", [Pure, QOpt_BroadcastingBinary,
    AllElementTypesMatch<["lhs", "rhs"]>]> {
  let summary = "elementwise comparison to an i1 tensor, numpy broadcasting";
  let description = [{
    ONNX Equal, Less, LessOrEqual, Greater, GreaterOrEqual. Floats compare
    ordered (a NaN operand gives false, as numpy), integers as signed
    values: the importer refuses unsigned ONNX tensors.

    ```mlir
    %m = qopt.compare lt %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
    ```
  }];
  let arguments = (ins QOpt_ComparePredicateAttr:$predicate,
      QOpt_PlainTensor:$lhs, QOpt_PlainTensor:$rhs);
  let results = (outs QOpt_BoolTensor:$output);
  let assemblyFormat = [{
    $predicate $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def QOpt_LogicalOp : QOpt_Op<"logical", [Pure, QOpt_BroadcastingBinary]> {
  let summary = "elementwise and / or / xor of i1 tensors, numpy broadcasting";
  let description = [{
    ONNX And, Or, Xor (Not is xor with true).

    ```mlir
    %c = qopt.logical and %a, %b : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
    ```
  }];
  let arguments = (ins QOpt_LogicalKindAttr:$kind, QOpt_BoolTensor:$lhs,
      QOpt_BoolTensor:$rhs);
  let results = (outs QOpt_BoolTensor:$output);
  let assemblyFormat = [{
    $kind $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def QOpt_SelectOp : QOpt_Op<"select", [Pure,
    AllElementTypesMatch<["on_true", "on_false", "output"]>]> {
  let summary = "elementwise condition ? on_true : on_false (ONNX Where)";
  let description = [{
    The three operands broadcast together as numpy does; the result has
    the broadcast shape.

    ```mlir
    %r = qopt.select %c, %x, %y
        : (tensor<2x1xi1>, tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins QOpt_BoolTensor:$condition,
      QOpt_PlainTensor:$on_true, QOpt_PlainTensor:$on_false);
  let results = (outs QOpt_PlainTensor:$output);
  let assemblyFormat = [{
    $condition `,` $on_true `,` $on_false attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise unary ops and activations
//===----------------------------------------------------------------------===//

class QOpt_UnaryOp<string mnemonic, string desc, list<Trait> traits = []>
    : QOpt_Op<mnemonic, !listconcat([Pure, SameOperandsAndResultShape,
                                     QOpt_SameExpressedElementType], traits)> {
  let summary = desc;
  let arguments = (ins QOpt_GraphTensor:$input);
  let results = (outs QOpt_GraphTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
}

def QOpt_NegOp : QOpt_UnaryOp<"neg", "elementwise negation">;
def QOpt_AbsOp : QOpt_UnaryOp<"abs", "elementwise absolute value">;
def QOpt_SqrtOp : QOpt_UnaryOp<"sqrt", "elementwise square root">;
def QOpt_ExpOp : QOpt_UnaryOp<"exp", "elementwise natural exponential">;
def QOpt_LogOp : QOpt_UnaryOp<"log", "elementwise natural logarithm">;
def QOpt_ReciprocalOp : QOpt_UnaryOp<"reciprocal", "elementwise 1/x">;
def QOpt_ReluOp : QOpt_UnaryOp<"relu", "rectified linear unit max(x, 0)"> {
  let hasCanonicalizer = 1;
}
def QOpt_SigmoidOp : QOpt_UnaryOp<"sigmoid", "logistic function 1/(1+e^-x)">;
def QOpt_TanhOp : QOpt_UnaryOp<"tanh", "hyperbolic tangent">;
def QOpt_ErfOp : QOpt_UnaryOp<"erf", "Gauss error function">;
def QOpt_HardSwishOp
    : QOpt_UnaryOp<"hard_swish", "x·max(0, min(1, x/6 + 1/2)) (ONNX HardSwish)">;

def QOpt_ClampOp : QOpt_UnaryOp<"clamp", "clamp to [min, max] (ONNX Clip)"> {
  let description = [{
    `min(max(x, min), max)`. ONNX Clip's optional bounds become ±infinity.
  }];
  let arguments = (ins QOpt_GraphTensor:$input, F32Attr:$min, F32Attr:$max);
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

def QOpt_HardSigmoidOp : QOpt_UnaryOp<"hard_sigmoid",
    "max(0, min(1, alpha·x + beta)) (ONNX HardSigmoid)"> {
  let arguments = (ins QOpt_GraphTensor:$input,
      DefaultValuedAttr<F32Attr, "0.2f">:$alpha,
      DefaultValuedAttr<F32Attr, "0.5f">:$beta);
}

def QOpt_LeakyReluOp : QOpt_UnaryOp<"leaky_relu",
    "x for x ≥ 0, alpha·x otherwise (ONNX LeakyRelu)"> {
  let arguments = (ins QOpt_GraphTensor:$input,
      DefaultValuedAttr<F32Attr, "0.01f">:$alpha);
}

def QOpt_GeluOp : QOpt_UnaryOp<"gelu",
    "Gaussian error linear unit x·Φ(x), exact or tanh approximation"> {
  let arguments = (ins QOpt_GraphTensor:$input,
      DefaultValuedAttr<QOpt_GeluApproximationAttr,
                        "::mlir::qopt::GeluApproximation::none">:$approximation);
}

def QOpt_UnaryMathOp : QOpt_UnaryOp<"unary",
    "elementwise math function or parametric activation"> {
  let description = [{
    One op for the elementwise functions of ONNX that no qopt pass treats
    specially (Floor, Ceil, Round, Sign, the trigonometric and hyperbolic
    functions and their inverses, Softplus, Softsign, Mish, Elu, Selu, Celu,
    ThresholdedRelu), selected by `fn`. `round` rounds ties to even.
    The parametric ones read `alpha` (and `gamma` for selu) with ONNX's
    meaning; the verifier rejects parameters on a function without them.

    ```mlir
    %y = qopt.unary sin %x : (tensor<3xf32>) -> tensor<3xf32>
    %z = qopt.unary elu %x {alpha = 2.0 : f32} : (tensor<3xf32>) -> tensor<3xf32>
    ```
  }];
  let arguments = (ins QOpt_UnaryFunctionAttr:$fn, QOpt_GraphTensor:$input,
      OptionalAttr<F32Attr>:$alpha, OptionalAttr<F32Attr>:$gamma);
  let assemblyFormat = [{
    $fn $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Normalisations and softmax
//===----------------------------------------------------------------------===//

def QOpt_SoftmaxOp : QOpt_Op<"softmax",
    [Pure, SameOperandsAndResultShape, QOpt_SameExpressedElementType]> {
  let summary = "softmax along one axis (ONNX Softmax, opset ≥ 13 semantics)";
  let arguments = (ins QOpt_GraphTensor:$input, I64Attr:$axis);
  let results = (outs QOpt_GraphTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_LayerNormOp : QOpt_Op<"layer_norm",
    [Pure, QOpt_SameExpressedElementType]> {
  let summary = "layer normalisation over the dims from `axis` to the last";
  let description = [{
    `y = (x - mean) / sqrt(var + epsilon) · scale + bias`, mean and
    (biased) variance taken over dims `axis..rank-1`. `scale` and `bias`
    have the shape of those dims.
  }];
  let arguments = (ins QOpt_GraphTensor:$input, QOpt_GraphTensor:$scale,
      Optional<QOpt_GraphTensor>:$bias, I64Attr:$axis,
      DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon);
  let results = (outs QOpt_GraphTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_BatchNormOp : QOpt_Op<"batch_norm",
    [Pure, QOpt_SameExpressedElementType]> {
  let summary = "inference batch normalisation over channel dim 1";
  let description = [{
    `y = (x - mean) / sqrt(var + epsilon) · scale + bias` per channel;
    `input` is N×C×…, the four parameters have C elements.
  }];
  let arguments = (ins QOpt_GraphTensor:$input, QOpt_GraphTensor:$scale,
      QOpt_GraphTensor:$bias, QOpt_GraphTensor:$mean,
      QOpt_GraphTensor:$variance,
      DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon);
  let results = (outs QOpt_GraphTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Reductions and pooling
//===----------------------------------------------------------------------===//

def QOpt_ReduceOp : QOpt_Op<"reduce", [Pure, QOpt_SameExpressedElementType]> {
  let summary = "reduction (mean, sum, max, min, prod) over a set of axes";
  let description = [{
    Reduces `axes` (sorted, unique, non-negative). With `keep_dims` the
    reduced dims stay as size 1.

    ```mlir
    %m = qopt.reduce mean %x {axes = array<i64: 2, 3>, keep_dims = true}
        : (tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32>
    ```
  }];
  let arguments = (ins QOpt_ReduceKindAttr:$kind, QOpt_GraphTensor:$input,
      DenseI64ArrayAttr:$axes, DefaultValuedAttr<BoolAttr, "true">:$keep_dims);
  let results = (outs QOpt_GraphTensor:$output);
  let assemblyFormat = [{
    $kind $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_ArgReduceOp : QOpt_Op<"arg_reduce", [Pure]> {
  let summary = "index of the maximum or minimum along one axis (ONNX ArgMax/ArgMin)";
  let description = [{
    The i64 index along `axis` of the first (or, with `select_last_index`,
    the last) maximal (`kind` max) or minimal (`kind` min) element. With
    `keep_dims` the axis stays as size 1. Only max and min are kinds here.

    ```mlir
    %i = qopt.arg_reduce max %x {axis = 1 : i64, keep_dims = false}
        : (tensor<2x3xf32>) -> tensor<2xi64>
    ```
  }];
  let arguments = (ins QOpt_ReduceKindAttr:$kind, QOpt_FloatTensor:$input,
      I64Attr:$axis, DefaultValuedAttr<BoolAttr, "true">:$keep_dims,
      DefaultValuedAttr<BoolAttr, "false">:$select_last_index);
  let results = (outs StaticShapeTensorOf<[I64]>:$output);
  let assemblyFormat = [{
    $kind $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_MaxPool2DOp : QOpt_Op<"max_pool2d", [Pure, QOpt_SameDataElementType]> {
  let summary = "2-D max pooling, NCHW";
  let description = [{
    `pads` are [top, left, bottom, right]. With `ceil_mode` the output size
    rounds up, as ONNX MaxPool specifies.
  }];
  let arguments = (ins QOpt_GraphTensor:$input, DenseI64ArrayAttr:$kernel,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
      DenseI64ArrayAttr:$dilations,
      DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
  let results = (outs QOpt_GraphTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_AvgPool2DOp : QOpt_Op<"avg_pool2d",
    [Pure, QOpt_SameExpressedElementType]> {
  let summary = "2-D average pooling, NCHW";
  let description = [{
    `count_include_pad` selects whether padded positions count in the divisor
    (ONNX AveragePool). `pads` are [top, left, bottom, right].
  }];
  let arguments = (ins QOpt_GraphTensor:$input, DenseI64ArrayAttr:$kernel,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
      DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
      DefaultValuedAttr<BoolAttr, "false">:$count_include_pad);
  let results = (outs QOpt_GraphTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_GlobalAvgPool2DOp : QOpt_Op<"global_avg_pool2d",
    [Pure, QOpt_SameExpressedElementType]> {
  let summary = "mean over H and W: N×C×H×W → N×C×1×1";
  let arguments = (ins QOpt_GraphTensor:$input);
  let results = (outs QOpt_GraphTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def QOpt_ReshapeOp : QOpt_Op<"reshape", [Pure, QOpt_SameDataElementType]> {
  let summary = "reshape to the (static) result shape";
  let arguments = (ins QOpt_AnyTensor:$input);
  let results = (outs QOpt_AnyTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def QOpt_FlattenOp : QOpt_Op<"flatten", [Pure, QOpt_SameDataElementType]> {
  let summary = "flatten to 2-D: dims [0, axis) and [axis, rank) (ONNX Flatten)";
  let arguments = (ins QOpt_AnyTensor:$input, I64Attr:$axis);
  let results = (outs QOpt_AnyTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_TransposeOp : QOpt_Op<"transpose", [Pure, QOpt_SameDataElementType]> {
  let summary = "permute dimensions: result dim i is input dim perm[i]";
  let arguments = (ins QOpt_AnyTensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs QOpt_AnyTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def QOpt_ConcatOp : QOpt_Op<"concat", [Pure]> {
  let summary = "concatenate tensors along `axis`";
  let description = [{
    All inputs and the result share one element type; quantized inputs must
    already share the result's quantization parameters (the quantizer
    inserts requantize ops).
  }];
  let arguments = (ins Variadic<QOpt_AnyTensor>:$inputs, I64Attr:$axis);
  let results = (outs QOpt_AnyTensor:$output);
  let assemblyFormat = [{
    $inputs attr-dict `:` functional-type($inputs, results)
  }];
  let hasVerifier = 1;
}

def QOpt_SplitOp : QOpt_Op<"split", [Pure]> {
  let summary = "split a tensor along `axis` into the result shapes";
  let arguments = (ins QOpt_AnyTensor:$input, I64Attr:$axis);
  let results = (outs Variadic<QOpt_AnyTensor>:$outputs);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_SliceOp : QOpt_Op<"slice", [Pure, QOpt_SameDataElementType]> {
  let summary = "strided slice with one (start, end, step) per dimension";
  let description = [{
    `starts`, `ends` and `steps` have one entry per input dimension, already
    clamped and normalised as ONNX Slice does. Result dim i has
    `max(0, ceil((ends[i] - starts[i]) / steps[i]))` elements. Steps may be
    negative; never zero.
  }];
  let arguments = (ins QOpt_AnyTensor:$input, DenseI64ArrayAttr:$starts,
      DenseI64ArrayAttr:$ends, DenseI64ArrayAttr:$steps);
  let results = (outs QOpt_AnyTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_PadOp : QOpt_Op<"pad", [Pure, QOpt_SameDataElementType]> {
  let summary = "pad each dimension (ONNX Pad)";
  let description = [{
    `pads` has 2·rank entries: all begin pads, then all end pads, as ONNX
    orders them. Negative pads crop. `value` fills in `constant` mode.
  }];
  let arguments = (ins QOpt_AnyTensor:$input, DenseI64ArrayAttr:$pads,
      DefaultValuedAttr<QOpt_PadModeAttr, "::mlir::qopt::PadMode::constant">:$mode,
      DefaultValuedAttr<F64Attr, "0.0">:$value);
  let results = (outs QOpt_AnyTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_GatherOp : QOpt_Op<"gather", [Pure, QOpt_SameDataElementType]> {
  let summary = "gather slices of `data` along `axis` (ONNX Gather)";
  let description = [{
    Result shape: `data.shape[:axis] + indices.shape + data.shape[axis+1:]`.
    Negative indices count from the end of the axis.
  }];
  let arguments = (ins QOpt_AnyTensor:$data,
      StaticShapeTensorOf<[I32, I64]>:$indices, I64Attr:$axis);
  let results = (outs QOpt_AnyTensor:$output);
  let assemblyFormat = [{
    $data `,` $indices attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_ResizeOp : QOpt_Op<"resize", [Pure, QOpt_SameDataElementType]> {
  let summary = "resize to the result shape by nearest or linear interpolation";
  let arguments = (ins QOpt_GraphTensor:$input,
      DefaultValuedAttr<QOpt_ResizeModeAttr, "::mlir::qopt::ResizeMode::nearest">:$mode,
      DefaultValuedAttr<QOpt_CoordinateTransformAttr,
          "::mlir::qopt::CoordinateTransform::half_pixel">:$coordinate_transform,
      DefaultValuedAttr<QOpt_NearestModeAttr,
          "::mlir::qopt::NearestMode::round_prefer_floor">:$nearest_mode);
  let results = (outs QOpt_GraphTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_CastOp : QOpt_Op<"cast", [Pure, SameOperandsAndResultShape]> {
  let summary = "convert elements between float and integer types (ONNX Cast)";
  let description = [{
    Float to integer conversion truncates towards zero; integer to float
    rounds to nearest even. Quantized types are not cast: use quantize and
    dequantize.
  }];
  let arguments = (ins StaticShapeTensorOf<[AnyFloat, AnySignlessInteger]>:$input);
  let results = (outs StaticShapeTensorOf<[AnyFloat, AnySignlessInteger]>:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

#endif // QOPT_DIALECT_QOPT_IR_QOPTGRAPHOPS_TD
