//===- QOptQuantOps.td - quantize, dequantize, requantize ----------------===//

#ifndef QOPT_DIALECT_QOPT_IR_QOPTQUANTOPS_TD
#define QOPT_DIALECT_QOPT_IR_QOPTQUANTOPS_TD

include "qopt/Dialect/QOpt/IR/QOptBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def QOpt_QuantizeOp : QOpt_Op<"quantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "float tensor to a uniform quantized tensor";
  let description = [{
    `q = clamp(round_half_even(x / scale) + zero_point, storage_min,
    storage_max)`, per tensor or per axis according to the result's
    `!quant.uniform` type (ONNX QuantizeLinear), computed in the expressed
    float type; NaN gives storage_min (docs/Numerics.md). The input element
    type is the quantized type's expressed type.

    ```mlir
    %q = qopt.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5:-3>>
    ```
  }];
  let arguments = (ins QOpt_FloatTensor:$input);
  let results = (outs QOpt_QuantTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def QOpt_DequantizeOp : QOpt_Op<"dequantize",
    [Pure, SameOperandsAndResultShape]> {
  let summary = "uniform quantized tensor to its expressed float type";
  let description = [{
    `x = (q - zero_point) · scale`, per tensor or per axis (ONNX
    DequantizeLinear). The result element type is the expressed type.
  }];
  let arguments = (ins QOpt_QuantTensor:$input);
  let results = (outs QOpt_FloatTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_RequantizeOp : QOpt_Op<"requantize",
    [Pure, SameOperandsAndResultShape]> {
  let summary = "change the quantization parameters of a quantized tensor";
  let description = [{
    Dequantize followed by quantize into the result type, computed in
    integers: `q_out = sat(round_half_even((q_in - zp_in)·m >> s) +
    zp_out)` with `(m, s)` the dyadic form (multiplier in [2^30, 2^31)) of
    `scale_in / scale_out`, per output channel for per-axis types. Both
    types share one expressed type. docs/Numerics.md gives the details.
  }];
  let arguments = (ins QOpt_QuantTensor:$input);
  let results = (outs QOpt_QuantTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def QOpt_DynamicQuantizeOp : QOpt_Op<"dynamic_quantize", [Pure]> {
  let summary = "uint8 quantization with a scale and zero point computed at "
                "run time (ONNX DynamicQuantizeLinear)";
  let description = [{
    With `lo = min(0, min(x))` and `hi = max(0, max(x))` over all elements:
    `scale = (hi - lo) / 255`, `zero_point = sat_u8(round_half_even(-lo /
    scale))` and `y = sat_u8(round_half_even(x / scale) + zero_point)`.
    The scale is a run-time value, which a `!quant.uniform` type cannot
    carry, so `y` and `zero_point` are plain 8-bit tensors holding the
    unsigned values' bits (qopt's convention for ONNX uint8 data), and
    `scale` is a rank-0 float tensor.

    ```mlir
    %y, %s, %z = qopt.dynamic_quantize %x
        : (tensor<2x3xf32>) -> (tensor<2x3xi8>, tensor<f32>, tensor<i8>)
    ```
  }];
  let arguments = (ins QOpt_FloatTensor:$input);
  let results = (outs QOpt_IntTensor:$output, QOpt_FloatTensor:$scale,
                      QOpt_IntTensor:$zero_point);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // QOPT_DIALECT_QOPT_IR_QOPTQUANTOPS_TD
