//===- QOptTraits.td - shared verification traits of qopt ops ------------===//

#ifndef QOPT_DIALECT_QOPT_IR_QOPTTRAITS_TD
#define QOPT_DIALECT_QOPT_IR_QOPTTRAITS_TD

include "mlir/IR/OpBase.td"

// All tensor operands and results have the same expressed element type: the
// float type itself, or the expressed type of a quantized type. Quantization
// parameters may differ between operands and results.
def QOpt_SameExpressedElementType
    : NativeOpTrait<"SameExpressedElementType"> {
  let cppNamespace = "::mlir::qopt";
}

// The result shape is the numpy/ONNX multidirectional broadcast of the two
// operand shapes.
def QOpt_BroadcastingBinary : NativeOpTrait<"BroadcastingBinary"> {
  let cppNamespace = "::mlir::qopt";
}

// The result element type is exactly the element type of the first operand
// (data movement: reshape, transpose, slice, ...).
def QOpt_SameDataElementType : NativeOpTrait<"SameDataElementType"> {
  let cppNamespace = "::mlir::qopt";
}

#endif // QOPT_DIALECT_QOPT_IR_QOPTTRAITS_TD
