//===- QOptAttrs.td - qopt enum attributes --------------------------------===//

#ifndef QOPT_DIALECT_QOPT_IR_QOPTATTRS_TD
#define QOPT_DIALECT_QOPT_IR_QOPTATTRS_TD

include "qopt/Dialect/QOpt/IR/QOptBase.td"
include "mlir/IR/EnumAttr.td"

def QOpt_ReduceKind : I32EnumAttr<"ReduceKind", "reduction kind", [
    I32EnumAttrCase<"mean", 0>, I32EnumAttrCase<"sum", 1>,
    I32EnumAttrCase<"max", 2>, I32EnumAttrCase<"min", 3>,
    I32EnumAttrCase<"prod", 4>]> {
  let cppNamespace = "::mlir::qopt";
  let genSpecializedAttr = 0;
}
def QOpt_ReduceKindAttr : EnumAttr<QOpt_Dialect, QOpt_ReduceKind, "reduce_kind">;

// The functions of qopt.unary: one op with an enum rather than one op each
// keeps the dialect small for functions that no pass treats specially.
def QOpt_UnaryFunction : I32EnumAttr<"UnaryFunction",
    "elementwise function of qopt.unary", [
    I32EnumAttrCase<"floor", 0>, I32EnumAttrCase<"ceil", 1>,
    // Ties to even, as ONNX Round and numpy.round.
    I32EnumAttrCase<"round", 2>, I32EnumAttrCase<"sign", 3>,
    I32EnumAttrCase<"sin", 4>, I32EnumAttrCase<"cos", 5>,
    I32EnumAttrCase<"tan", 6>, I32EnumAttrCase<"asin", 7>,
    I32EnumAttrCase<"acos", 8>, I32EnumAttrCase<"atan", 9>,
    I32EnumAttrCase<"sinh", 10>, I32EnumAttrCase<"cosh", 11>,
    I32EnumAttrCase<"asinh", 12>, I32EnumAttrCase<"acosh", 13>,
    I32EnumAttrCase<"atanh", 14>, I32EnumAttrCase<"softplus", 15>,
    I32EnumAttrCase<"softsign", 16>, I32EnumAttrCase<"mish", 17>,
    // The parametric activations (alpha, gamma as ONNX names them).
    I32EnumAttrCase<"elu", 18>, I32EnumAttrCase<"selu", 19>,
    I32EnumAttrCase<"celu", 20>, I32EnumAttrCase<"thresholded_relu", 21>]> {
  let cppNamespace = "::mlir::qopt";
  let genSpecializedAttr = 0;
}
def QOpt_UnaryFunctionAttr
    : EnumAttr<QOpt_Dialect, QOpt_UnaryFunction, "unary_function">;

def QOpt_ComparePredicate : I32EnumAttr<"ComparePredicate",
    "elementwise comparison of qopt.compare", [
    I32EnumAttrCase<"eq", 0>, I32EnumAttrCase<"lt", 1>,
    I32EnumAttrCase<"le", 2>, I32EnumAttrCase<"gt", 3>,
    I32EnumAttrCase<"ge", 4>]> {
  let cppNamespace = "::mlir::qopt";
  let genSpecializedAttr = 0;
}
def QOpt_ComparePredicateAttr
    : EnumAttr<QOpt_Dialect, QOpt_ComparePredicate, "compare_predicate">;

def QOpt_LogicalKind : I32EnumAttr<"LogicalKind",
    "boolean operation of qopt.logical", [
    // and/or/xor are C++ alternative tokens: the symbols take a '_'.
    I32EnumAttrCase<"and_", 0, "and">, I32EnumAttrCase<"or_", 1, "or">,
    I32EnumAttrCase<"xor_", 2, "xor">]> {
  let cppNamespace = "::mlir::qopt";
  let genSpecializedAttr = 0;
}
def QOpt_LogicalKindAttr
    : EnumAttr<QOpt_Dialect, QOpt_LogicalKind, "logical_kind">;

def QOpt_GeluApproximation : I32EnumAttr<"GeluApproximation",
    "GELU approximation", [
    I32EnumAttrCase<"none", 0>, I32EnumAttrCase<"tanh", 1>]> {
  let cppNamespace = "::mlir::qopt";
  let genSpecializedAttr = 0;
}
def QOpt_GeluApproximationAttr
    : EnumAttr<QOpt_Dialect, QOpt_GeluApproximation, "gelu_approximation">;

def QOpt_PadMode : I32EnumAttr<"PadMode", "padding mode", [
    I32EnumAttrCase<"constant", 0>, I32EnumAttrCase<"reflect", 1>,
    I32EnumAttrCase<"edge", 2>]> {
  let cppNamespace = "::mlir::qopt";
  let genSpecializedAttr = 0;
}
def QOpt_PadModeAttr : EnumAttr<QOpt_Dialect, QOpt_PadMode, "pad_mode">;

def QOpt_ResizeMode : I32EnumAttr<"ResizeMode", "resize interpolation", [
    I32EnumAttrCase<"nearest", 0>, I32EnumAttrCase<"linear", 1>]> {
  let cppNamespace = "::mlir::qopt";
  let genSpecializedAttr = 0;
}
def QOpt_ResizeModeAttr : EnumAttr<QOpt_Dialect, QOpt_ResizeMode, "resize_mode">;

def QOpt_CoordinateTransform : I32EnumAttr<"CoordinateTransform",
    "resize coordinate transformation (ONNX coordinate_transformation_mode)", [
    I32EnumAttrCase<"half_pixel", 0>, I32EnumAttrCase<"pytorch_half_pixel", 1>,
    I32EnumAttrCase<"align_corners", 2>, I32EnumAttrCase<"asymmetric", 3>]> {
  let cppNamespace = "::mlir::qopt";
  let genSpecializedAttr = 0;
}
def QOpt_CoordinateTransformAttr
    : EnumAttr<QOpt_Dialect, QOpt_CoordinateTransform, "coordinate_transform">;

def QOpt_NearestMode : I32EnumAttr<"NearestMode",
    "rounding of source coordinates in nearest resize", [
    I32EnumAttrCase<"round_prefer_floor", 0>,
    I32EnumAttrCase<"round_prefer_ceil", 1>, I32EnumAttrCase<"floor", 2>,
    I32EnumAttrCase<"ceil", 3>]> {
  let cppNamespace = "::mlir::qopt";
  let genSpecializedAttr = 0;
}
def QOpt_NearestModeAttr
    : EnumAttr<QOpt_Dialect, QOpt_NearestMode, "nearest_mode">;

def QOpt_RoundingMode : I32EnumAttr<"RoundingMode",
    "rounding of a right shift in integer rescaling", [
    // (x * m + 2^(s-1)) >> s: ties round towards +infinity (TOSA single_round).
    I32EnumAttrCase<"half_up", 0>,
    // Ties round to the even neighbour.
    I32EnumAttrCase<"half_even", 1>,
    // Plain arithmetic shift: rounds towards -infinity.
    I32EnumAttrCase<"floor", 2>]> {
  let cppNamespace = "::mlir::qopt";
  let genSpecializedAttr = 0;
}
def QOpt_RoundingModeAttr
    : EnumAttr<QOpt_Dialect, QOpt_RoundingMode, "rounding">;

#endif // QOPT_DIALECT_QOPT_IR_QOPTATTRS_TD
