//===- ConvertSelection.cpp - ONNX ops built from compare and select ------===//
//
// Hardmax, Trilu, IsNaN, IsInf and Shrink have no qopt op of their own: each
// is a small graph of qopt.compare / qopt.logical / qopt.select (and
// qopt.arg_reduce for Hardmax) that follows the ONNX definition exactly, so
// no rounding differs from a dedicated kernel.
//
//===----------------------------------------------------------------------===//

#include "ConverterUtils.h"

#include <limits>

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::onnx_import;

namespace {
/// A rank-0 qopt.constant of `elem` holding `value` (bools: value != 0).
Value scalar(NodeImporter &ni, Type elem, double value) {
  auto type = RankedTensorType::get({}, elem);
  Attribute attr;
  if (isa<FloatType>(elem))
    attr = ni.b.getFloatAttr(elem, value);
  else if (elem.isInteger(1))
    attr = ni.b.getBoolAttr(value != 0);
  else
    attr = ni.b.getIntegerAttr(elem, (int64_t)value);
  return ConstantOp::create(ni.b, ni.loc, type,
                            DenseElementsAttr::get(type, attr));
}

/// The i1 type of `like`'s broadcast with `other`.
RankedTensorType boolType(Value like, Value other) {
  auto a = cast<RankedTensorType>(like.getType()).getShape();
  auto b = cast<RankedTensorType>(other.getType()).getShape();
  auto shape = broadcastShapes(a, b);
  return RankedTensorType::get(*shape, IntegerType::get(like.getContext(), 1));
}

Value compare(NodeImporter &ni, ComparePredicate pred, Value x, Value y) {
  return CompareOp::create(ni.b, ni.loc, boolType(x, y),
                           ComparePredicateAttr::get(ni.b.getContext(), pred),
                           x, y);
}

Value logical(NodeImporter &ni, LogicalKind kind, Value x, Value y) {
  return LogicalOp::create(ni.b, ni.loc, boolType(x, y),
                           LogicalKindAttr::get(ni.b.getContext(), kind), x, y);
}

/// select(c, t, f) with the result in `type`.
Value select(NodeImporter &ni, RankedTensorType type, Value c, Value t,
             Value f) {
  return SelectOp::create(ni.b, ni.loc, type, c, t, f);
}

FailureOr<Value> floatInput(NodeImporter &ni, unsigned i) {
  auto x = ni.input(i);
  if (failed(x))
    return failure();
  if (!isa<FloatType>(cast<RankedTensorType>(x->getType()).getElementType()))
    return ni.error("only float inputs are supported");
  return x;
}

/// Hardmax: 1 at the first maximum along `axis`, 0 elsewhere; the index
/// from qopt.arg_reduce compared with an iota along the axis.
LogicalResult convertHardmax(NodeImporter &ni) {
  auto x = floatInput(ni, 0);
  auto type = ni.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  int64_t rank = type->getRank();
  auto axis = normalizedAxis(ni, ni.attrInt("axis", -1), rank);
  if (failed(axis))
    return failure();
  llvm::SmallVector<int64_t> kept(type->getShape());
  kept[*axis] = 1;
  Value index = ArgReduceOp::create(
      ni.b, ni.loc, RankedTensorType::get(kept, ni.b.getI64Type()),
      ReduceKindAttr::get(ni.b.getContext(), ReduceKind::max), *x,
      ni.b.getI64IntegerAttr(*axis), ni.b.getBoolAttr(true),
      ni.b.getBoolAttr(false));
  int64_t n = type->getDimSize(*axis);
  llvm::SmallVector<int64_t> iotaShape(rank, 1);
  iotaShape[*axis] = n;
  auto iotaType = RankedTensorType::get(iotaShape, ni.b.getI64Type());
  llvm::SmallVector<int64_t> values(n);
  for (int64_t i = 0; i < n; ++i)
    values[i] = i;
  Value iota = ConstantOp::create(
      ni.b, ni.loc, iotaType,
      DenseElementsAttr::get(iotaType, llvm::ArrayRef<int64_t>(values)));
  Type elem = type->getElementType();
  ni.setOutput(0, select(ni, *type, compare(ni, ComparePredicate::eq, index, iota),
                         scalar(ni, elem, 1.0), scalar(ni, elem, 0.0)));
  return success();
}

/// Trilu: the input where the constant mask (j − i ≥ k for the upper
/// triangle, j − i ≤ k for the lower) holds, 0 elsewhere.
LogicalResult convertTrilu(NodeImporter &ni) {
  auto x = ni.input(0);
  auto type = ni.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  if (isa<quant::QuantizedType>(type->getElementType()))
    return ni.fail("quantized operands are not supported");
  if (type->getRank() < 2)
    return ni.fail("the input must have rank 2 or more");
  int64_t k = 0;
  if (ni.hasInput(1)) {
    auto ks = ni.constInts(1, "k");
    if (failed(ks))
      return failure();
    if (ks->size() != 1)
      return ni.fail("input 'k' must be a scalar");
    k = (*ks)[0];
  }
  bool upper = ni.attrInt("upper", 1) != 0;
  int64_t rows = type->getDimSize(type->getRank() - 2);
  int64_t cols = type->getDimSize(type->getRank() - 1);
  auto maskType = RankedTensorType::get({rows, cols}, ni.b.getI1Type());
  llvm::SmallVector<bool> mask;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      mask.push_back(upper ? j - i >= k : j - i <= k);
  Value maskValue = ConstantOp::create(ni.b, ni.loc, maskType,
                                       DenseElementsAttr::get(maskType, mask));
  ni.setOutput(0, select(ni, *type, maskValue, *x,
                         scalar(ni, type->getElementType(), 0.0)));
  return success();
}

/// IsNaN: not (x == x), ordered equality being false only for NaN.
LogicalResult convertIsNaN(NodeImporter &ni) {
  auto x = floatInput(ni, 0);
  if (failed(x))
    return failure();
  Value eq = compare(ni, ComparePredicate::eq, *x, *x);
  ni.setOutput(0, logical(ni, LogicalKind::xor_, eq,
                          scalar(ni, ni.b.getI1Type(), 1.0)));
  return success();
}

/// IsInf: x == +inf and/or x == −inf, as detect_positive/negative say.
LogicalResult convertIsInf(NodeImporter &ni) {
  auto x = floatInput(ni, 0);
  auto type = ni.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  Type elem = cast<RankedTensorType>(x->getType()).getElementType();
  double inf = std::numeric_limits<double>::infinity();
  Value result;
  if (ni.attrInt("detect_positive", 1) != 0)
    result = compare(ni, ComparePredicate::eq, *x, scalar(ni, elem, inf));
  if (ni.attrInt("detect_negative", 1) != 0) {
    Value neg = compare(ni, ComparePredicate::eq, *x, scalar(ni, elem, -inf));
    result = result ? logical(ni, LogicalKind::or_, result, neg) : neg;
  }
  if (!result)
    result = ConstantOp::create(ni.b, ni.loc, *type,
                                DenseElementsAttr::get(*type, false));
  ni.setOutput(0, result);
  return success();
}

/// Shrink: x + bias for x < −lambd, x − bias for x > lambd, else 0.
LogicalResult convertShrink(NodeImporter &ni) {
  auto x = floatInput(ni, 0);
  auto type = ni.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  Type elem = type->getElementType();
  double lambd = ni.attrFloat("lambd", 0.5f);
  double bias = ni.attrFloat("bias", 0.0f);
  Value b = scalar(ni, elem, bias);
  Value below = compare(ni, ComparePredicate::lt, *x, scalar(ni, elem, -lambd));
  Value above = compare(ni, ComparePredicate::gt, *x, scalar(ni, elem, lambd));
  Value plus = AddOp::create(ni.b, ni.loc, *type, *x, b);
  Value minus = SubOp::create(ni.b, ni.loc, *type, *x, b);
  Value inner = select(ni, *type, above, minus, scalar(ni, elem, 0.0));
  ni.setOutput(0, select(ni, *type, below, plus, inner));
  return success();
}
} // namespace

void mlir::qopt::onnx_import::addSelectionConverters(ConverterMap &map) {
  map["Hardmax"] = convertHardmax;
  map["Trilu"] = convertTrilu;
  map["IsNaN"] = convertIsNaN;
  map["IsInf"] = convertIsInf;
  map["Shrink"] = convertShrink;
}
