//===- QOptIntegerOps.td - integer-only ops -------------------------------===//
//
// These ops act on plain signless integer tensors. Their exact arithmetic is
// specified in docs/Numerics.md: every backend reproduces it bit for bit.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QOPT_IR_QOPTINTEGEROPS_TD
#define QOPT_DIALECT_QOPT_IR_QOPTINTEGEROPS_TD

include "qopt/Dialect/QOpt/IR/QOptBase.td"
include "qopt/Dialect/QOpt/IR/QOptAttrs.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def QOpt_RescaleOp : QOpt_Op<"rescale", [Pure, SameOperandsAndResultShape]> {
  let summary = "dyadic requantization y = sat(((x - zp_in)·m) >> s + zp_out)";
  let description = [{
    Multiplies `x - input_zp` by the int32 `multiplier` and shifts right by
    `shift` with the given `rounding`, adds `output_zp` and saturates to
    [`qmin`, `qmax`] (by default the result type's range). With one
    multiplier/shift the scale is per tensor; with several, `axis` names the
    per-channel dimension and there is one pair per channel. Products are
    computed in 64 bits. `multiplier` is in [0, 2^31), `shift` in [0, 62].
    `half_up` rounds ties towards +∞ (`(v + 2^(s-1)) >> s`), `half_even`
    to the even neighbour, `floor` towards -∞ (docs/Numerics.md).
  }];
  let arguments = (ins QOpt_IntTensor:$input,
      DenseI32ArrayAttr:$multiplier, DenseI32ArrayAttr:$shift,
      OptionalAttr<I64Attr>:$axis,
      DefaultValuedAttr<I64Attr, "0">:$input_zp,
      DefaultValuedAttr<I64Attr, "0">:$output_zp,
      DefaultValuedAttr<QOpt_RoundingModeAttr,
                        "::mlir::qopt::RoundingMode::half_up">:$rounding,
      OptionalAttr<I64Attr>:$qmin, OptionalAttr<I64Attr>:$qmax);
  let results = (outs QOpt_IntTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The saturation bounds, defaulted to the result type's range.
    int64_t getEffectiveQmin();
    int64_t getEffectiveQmax();
  }];
}

def QOpt_FloatRescaleOp : QOpt_Op<"float_rescale",
    [Pure, SameOperandsAndResultShape]> {
  let summary = "ONNX-exact requantization in f32: "
                "y = sat(round_half_even(f32(x - zp_in)·m / d) + zp_out)";
  let description = [{
    The requantization ONNX Runtime performs, for models imported in ONNX's
    QDQ or QOperator form (docs/Numerics.md, "float_rescale"): per element,
    in f32, `t = f32(x - input_zp) * multiplier[c]`, then `t = t / divisor`
    when a divisor is given (QDQ: the float op's result divided by the
    QuantizeLinear scale), rounded half to even, plus `output_zp`,
    saturated to [`qmin`, `qmax`] (by default the result type's range).
    Every step is one IEEE f32 operation. Unlike `qopt.rescale` (dyadic
    integer multiplier, qopt's own quantization), it is not integer-only.
  }];
  let arguments = (ins QOpt_IntTensor:$input,
      DenseF32ArrayAttr:$multiplier, OptionalAttr<F32Attr>:$divisor,
      OptionalAttr<I64Attr>:$axis,
      DefaultValuedAttr<I64Attr, "0">:$input_zp,
      DefaultValuedAttr<I64Attr, "0">:$output_zp,
      OptionalAttr<I64Attr>:$qmin, OptionalAttr<I64Attr>:$qmax);
  let results = (outs QOpt_IntTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The saturation bounds, defaulted to the result type's range.
    int64_t getEffectiveQmin();
    int64_t getEffectiveQmax();
  }];
}

def QOpt_IntConv2DOp : QOpt_Op<"int_conv2d", [Pure]> {
  let summary = "integer 2-D convolution with zero points, i32 accumulation";
  let description = [{
    `out = Σ (x - input_zp)·(w - weight_zp) + bias` in int32 (wrapping
    modulo 2^32), shapes as `qopt.conv2d`; padding contributes zero.
    Inputs and weights have at most 16 bits; the optional bias is int32.
  }];
  let arguments = (ins QOpt_IntTensor:$input, QOpt_IntTensor:$weight,
      Optional<QOpt_I32Tensor>:$bias,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
      DenseI64ArrayAttr:$dilations, DefaultValuedAttr<I64Attr, "1">:$group,
      DefaultValuedAttr<I64Attr, "0">:$input_zp,
      DefaultValuedAttr<I64Attr, "0">:$weight_zp);
  let results = (outs QOpt_I32Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_IntMatMulOp : QOpt_Op<"int_matmul", [Pure]> {
  let summary = "integer matrix product with zero points, i32 accumulation";
  let description = [{
    `out = Σ_k (lhs - lhs_zp)·(rhs - rhs_zp)` in int32 (wrapping modulo
    2^32), shapes as `qopt.matmul` (broadcast batch dims).
  }];
  let arguments = (ins QOpt_IntTensor:$lhs, QOpt_IntTensor:$rhs,
      DefaultValuedAttr<I64Attr, "0">:$lhs_zp,
      DefaultValuedAttr<I64Attr, "0">:$rhs_zp);
  let results = (outs QOpt_I32Tensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_IntAddOp : QOpt_Op<"int_add", [Pure]> {
  let summary = "integer add of two inputs aligned dyadically to one scale";
  let description = [{
    Each input is rescaled to the output scale exactly as `qopt.rescale`
    does (without its zero point and saturation), then
    `out = sat(rescale(lhs - lhs_zp) + rescale(rhs - rhs_zp) + output_zp)`.
    Operands broadcast as in numpy.
  }];
  let arguments = (ins QOpt_IntTensor:$lhs, QOpt_IntTensor:$rhs,
      I32Attr:$lhs_multiplier, I32Attr:$lhs_shift,
      I32Attr:$rhs_multiplier, I32Attr:$rhs_shift,
      DefaultValuedAttr<I64Attr, "0">:$lhs_zp,
      DefaultValuedAttr<I64Attr, "0">:$rhs_zp,
      DefaultValuedAttr<I64Attr, "0">:$output_zp,
      DefaultValuedAttr<QOpt_RoundingModeAttr,
                        "::mlir::qopt::RoundingMode::half_up">:$rounding);
  let results = (outs QOpt_IntTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_ShiftmaxOp : QOpt_Op<"shiftmax", [Pure, SameOperandsAndResultShape]> {
  let summary = "I-ViT Shiftmax: integer-only softmax with shift-based exp";
  let description = [{
    Integer softmax along `axis` as in I-ViT: subtract the max, multiply by
    log2(e) with shifts (`x + (x>>1) - (x>>4)`), split the exponent by
    `x0 = ⌊-1/s⌋` (s the input scale) into quotient and remainder, evaluate
    2^x with shifts at `n` bits of precision, normalise by
    `⌊(2^31-1)/Σ⌋` and shift to `output_bits` bits. The result is in
    [0, 2^(output_bits-1) - 1] with scale 2^-(output_bits-1); `x0` is in
    [-2^31, -1]. docs/Numerics.md gives each step.
  }];
  let arguments = (ins QOpt_IntTensor:$input, I64Attr:$axis, I64Attr:$x0,
      DefaultValuedAttr<I64Attr, "15">:$n,
      DefaultValuedAttr<I64Attr, "8">:$output_bits);
  let results = (outs QOpt_IntTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_ShiftGeluOp : QOpt_Op<"shift_gelu", [Pure, SameOperandsAndResultShape]> {
  let summary = "I-ViT ShiftGELU: x·σ(1.702x) with shift-based sigmoid";
  let description = [{
    σ(1.702x) is computed from the same shift-based exponential as
    Shiftmax, with `x0 = ⌊-1/(1.702·s)⌋`, to `output_bits` bits along the
    last axis; the result is the int32 product x·σ with scale
    s·2^-(output_bits-1). `n` defaults to 23 as in I-ViT's IntGELU.
    docs/Numerics.md gives each step.
  }];
  let arguments = (ins QOpt_IntTensor:$input, I64Attr:$x0,
      DefaultValuedAttr<I64Attr, "23">:$n,
      DefaultValuedAttr<I64Attr, "8">:$output_bits);
  let results = (outs QOpt_I32Tensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_IntLayerNormOp : QOpt_Op<"int_layernorm",
    [Pure, SameOperandsAndResultShape]> {
  let summary = "I-ViT I-LayerNorm: integer mean, variance and Newton sqrt";
  let description = [{
    Over the last dimension: integer mean (rounded half to even), centred
    values, integer variance sum, integer square root by `sqrt_iterations`
    Newton steps from 2^16, then `y = ⌊(x - mean)·⌊(2^31-1)/std⌋ / 2⌋`
    saturated to int32. The result scale is sqrt(D)/2^30; the affine scale
    and bias are applied by a following rescale. Inputs have at most 16
    bits. docs/Numerics.md gives each step.
  }];
  let arguments = (ins QOpt_IntTensor:$input,
      DefaultValuedAttr<I64Attr, "10">:$sqrt_iterations);
  let results = (outs QOpt_I32Tensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_IntAvgPool2DOp : QOpt_Op<"int_avg_pool2d", [Pure]> {
  let summary = "integer average pooling with rounding division";
  let description = [{
    `out = sat(round_half_up(Σ (x - input_zp) / count) + output_zp)` where
    `count` is the window size (`count_include_pad`) or the number of
    in-bounds elements. Shapes as `qopt.avg_pool2d`.
  }];
  let arguments = (ins QOpt_IntTensor:$input, DenseI64ArrayAttr:$kernel,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
      DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
      DefaultValuedAttr<BoolAttr, "false">:$count_include_pad,
      DefaultValuedAttr<I64Attr, "0">:$input_zp,
      DefaultValuedAttr<I64Attr, "0">:$output_zp);
  let results = (outs QOpt_IntTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // QOPT_DIALECT_QOPT_IR_QOPTINTEGEROPS_TD
