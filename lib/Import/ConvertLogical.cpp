//===- ConvertLogical.cpp - ONNX comparisons, boolean ops and Where -------===//
//
// Equal/Less/LessOrEqual/Greater/GreaterOrEqual become qopt.compare (i1
// result), And/Or/Xor qopt.logical, Not a qopt.logical xor with true, and
// Where qopt.select. qopt's integer types are signless and compare as
// signed values, so unsigned ONNX operands are refused rather than
// compared wrongly. (With constant inputs these nodes are evaluated at
// import instead, ConstantFolding.cpp.)
//
//===----------------------------------------------------------------------===//

#include "ConverterUtils.h"
#include "GraphImporter.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::onnx_import;

namespace {
/// Input `i` is an unsigned integer tensor in the ONNX graph.
bool isUnsignedInput(NodeImporter &ni, unsigned i) {
  int32_t dtype = onnx::TensorProto::UNDEFINED;
  if (const HostTensor *t = ni.constInput(i))
    dtype = t->dtype;
  else if (const onnx::TypeProto *t = ni.graph.types.lookup(ni.node.input(i));
           t && t->has_tensor_type())
    dtype = t->tensor_type().elem_type();
  return dtype == onnx::TensorProto::UINT8 ||
         dtype == onnx::TensorProto::UINT16 ||
         dtype == onnx::TensorProto::UINT32 ||
         dtype == onnx::TensorProto::UINT64;
}

/// Input `i` as a value of a float or signed integer element type.
FailureOr<Value> plainInput(NodeImporter &ni, unsigned i) {
  auto v = ni.input(i);
  if (failed(v))
    return failure();
  Type elem = cast<RankedTensorType>(v->getType()).getElementType();
  if (isa<quant::QuantizedType>(elem))
    return ni.error("quantized operands are not supported");
  if (isUnsignedInput(ni, i))
    return ni.error("unsigned integer operands are not supported (qopt's "
                    "integers are signless and compare as signed)");
  return v;
}

LogicalResult convertCompare(NodeImporter &ni, ComparePredicate pred) {
  auto lhs = plainInput(ni, 0), rhs = plainInput(ni, 1);
  auto type = ni.outputType(0);
  if (failed(lhs) || failed(rhs) || failed(type))
    return failure();
  ni.setOutput(0, CompareOp::create(
                      ni.b, ni.loc, *type,
                      ComparePredicateAttr::get(ni.b.getContext(), pred),
                      *lhs, *rhs));
  return success();
}

LogicalResult convertLogical(NodeImporter &ni, LogicalKind kind) {
  auto lhs = ni.input(0), rhs = ni.input(1);
  auto type = ni.outputType(0);
  if (failed(lhs) || failed(rhs) || failed(type))
    return failure();
  ni.setOutput(0, LogicalOp::create(
                      ni.b, ni.loc, *type,
                      LogicalKindAttr::get(ni.b.getContext(), kind), *lhs,
                      *rhs));
  return success();
}

LogicalResult convertNot(NodeImporter &ni) {
  auto x = ni.input(0);
  auto type = ni.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  auto scalar = RankedTensorType::get({}, ni.b.getI1Type());
  Value allTrue = ConstantOp::create(
      ni.b, ni.loc, scalar, DenseElementsAttr::get(scalar, true));
  ni.setOutput(0, LogicalOp::create(
                      ni.b, ni.loc, *type,
                      LogicalKindAttr::get(ni.b.getContext(), LogicalKind::xor_),
                      *x, allTrue));
  return success();
}

LogicalResult convertWhere(NodeImporter &ni) {
  auto cond = ni.input(0), x = ni.input(1), y = ni.input(2);
  auto type = ni.outputType(0);
  if (failed(cond) || failed(x) || failed(y) || failed(type))
    return failure();
  // Selection moves bits: unsigned operands are fine here.
  if (isa<quant::QuantizedType>(type->getElementType()))
    return ni.fail("quantized operands are not supported");
  ni.setOutput(0, SelectOp::create(ni.b, ni.loc, *type, *cond, *x, *y));
  return success();
}
} // namespace

void mlir::qopt::onnx_import::addLogicalConverters(ConverterMap &map) {
  auto compare = [](ComparePredicate pred) {
    return [pred](NodeImporter &ni) { return convertCompare(ni, pred); };
  };
  auto logical = [](LogicalKind kind) {
    return [kind](NodeImporter &ni) { return convertLogical(ni, kind); };
  };
  map["Equal"] = compare(ComparePredicate::eq);
  map["Less"] = compare(ComparePredicate::lt);
  map["LessOrEqual"] = compare(ComparePredicate::le);
  map["Greater"] = compare(ComparePredicate::gt);
  map["GreaterOrEqual"] = compare(ComparePredicate::ge);
  map["And"] = logical(LogicalKind::and_);
  map["Or"] = logical(LogicalKind::or_);
  map["Xor"] = logical(LogicalKind::xor_);
  map["Not"] = convertNot;
  map["Where"] = convertWhere;
}
