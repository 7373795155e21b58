//===- ConvertReduction.cpp - ONNX Reduce* and Arg* ops -------------------===//
//
// ReduceMean/Sum/Max/Min/Prod map to one qopt.reduce, ArgMax/ArgMin to
// qopt.arg_reduce. The others are
// compositions that ONNX itself defines that way (ReduceL1 = ReduceSum(|x|),
// ReduceL2 = sqrt(ReduceSumSquare(x)), ReduceLogSum = log(ReduceSum(x)),
// ReduceLogSumExp = log(ReduceSum(exp(x)))), built from graph ops so that no
// new lowering is needed. ReduceLogSumExp subtracts the maximum first (then
// adds it back) so that exp cannot overflow: the value is the same.
//
//===----------------------------------------------------------------------===//

#include "ConverterUtils.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::onnx_import;

namespace {
/// The sorted, unique, non-negative axes of a Reduce* node; empty when the
/// node is the identity (noop_with_empty_axes with no axes).
FailureOr<llvm::SmallVector<int64_t>> reduceAxes(NodeImporter &ni,
                                                 int64_t rank) {
  std::vector<int64_t> axes;
  // Axes are an input from opset 13 (ReduceSum) / 18 (the others).
  if (ni.hasInput(1)) {
    auto a = ni.constInts(1, "axes");
    if (failed(a))
      return failure();
    axes = *a;
  } else if (auto a = ni.attrInts("axes")) {
    axes.assign(a->begin(), a->end());
  }
  llvm::SmallVector<int64_t> normalized;
  if (axes.empty()) {
    if (ni.attrInt("noop_with_empty_axes", 0) != 0)
      return normalized;
    for (int64_t d = 0; d < rank; ++d)
      normalized.push_back(d);
    return normalized;
  }
  for (int64_t a : axes) {
    auto n = normalizedAxis(ni, a, rank);
    if (failed(n))
      return failure();
    normalized.push_back(*n);
  }
  llvm::sort(normalized);
  normalized.erase(std::unique(normalized.begin(), normalized.end()),
                   normalized.end());
  return normalized;
}

/// qopt.reduce `kind` of `x` over `axes`, its result type derived here.
Value reduce(NodeImporter &ni, ReduceKind kind, Value x,
             llvm::ArrayRef<int64_t> axes, bool keepDims) {
  auto type = cast<RankedTensorType>(x.getType());
  llvm::SmallVector<int64_t> shape;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (!llvm::is_contained(axes, d))
      shape.push_back(type.getDimSize(d));
    else if (keepDims)
      shape.push_back(1);
  }
  return ReduceOp::create(ni.b, ni.loc,
                          RankedTensorType::get(shape, type.getElementType()),
                          ReduceKindAttr::get(ni.b.getContext(), kind), x,
                          ni.b.getDenseI64ArrayAttr(axes),
                          ni.b.getBoolAttr(keepDims));
}

template <typename OpTy> Value unary(NodeImporter &ni, Value x) {
  return OpTy::create(ni.b, ni.loc, x.getType(), x);
}

template <typename OpTy> Value binary(NodeImporter &ni, Value x, Value y) {
  auto xt = cast<RankedTensorType>(x.getType());
  auto shape = broadcastShapes(xt.getShape(),
                               cast<RankedTensorType>(y.getType()).getShape());
  return OpTy::create(ni.b, ni.loc,
                      RankedTensorType::get(*shape, xt.getElementType()), x, y);
}

enum class Composite { none, l1, l2, sumSquare, logSum, logSumExp };

LogicalResult convertReduce(NodeImporter &ni, ReduceKind kind,
                            Composite composite = Composite::none) {
  auto x = ni.input(0);
  auto type = ni.outputType(0);
  if (failed(x) || failed(type) || failed(requireFloatCompute(ni, *type)))
    return failure();
  // The compositions mix ops whose quantized forms would each need their
  // own scales: float only.
  if (composite != Composite::none && !isa<FloatType>(type->getElementType()))
    return ni.fail("quantized operands are not supported");
  int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
  auto axes = reduceAxes(ni, rank);
  if (failed(axes))
    return failure();
  bool keepDims = ni.attrInt("keepdims", 1) != 0;
  Value in = *x;
  // An empty axis list with noop_with_empty_axes reduces nothing, but the
  // elementwise part of a composition still applies.
  auto reduceOrKeep = [&](ReduceKind k, Value v) {
    return axes->empty() ? v : reduce(ni, k, v, *axes, keepDims);
  };
  Value result;
  switch (composite) {
  case Composite::none:
    result = reduceOrKeep(kind, in);
    break;
  case Composite::l1:
    result = reduceOrKeep(ReduceKind::sum, unary<AbsOp>(ni, in));
    break;
  case Composite::sumSquare:
    result = reduceOrKeep(ReduceKind::sum, binary<MulOp>(ni, in, in));
    break;
  case Composite::l2:
    result = unary<SqrtOp>(
        ni, reduceOrKeep(ReduceKind::sum, binary<MulOp>(ni, in, in)));
    break;
  case Composite::logSum:
    result = unary<LogOp>(ni, reduceOrKeep(ReduceKind::sum, in));
    break;
  case Composite::logSumExp: {
    if (axes->empty()) {
      result = unary<LogOp>(ni, unary<ExpOp>(ni, in));
      break;
    }
    Value max = reduce(ni, ReduceKind::max, in, *axes, /*keepDims=*/true);
    Value shifted = unary<ExpOp>(ni, binary<SubOp>(ni, in, max));
    Value sum = reduce(ni, ReduceKind::sum, shifted, *axes, keepDims);
    Value maxOut =
        reshapeTo(ni, max, cast<RankedTensorType>(sum.getType()).getShape());
    result = binary<AddOp>(ni, unary<LogOp>(ni, sum), maxOut);
    break;
  }
  }
  if (result.getType() != *type)
    return ni.fail("the reduced type does not match ONNX shape inference");
  ni.setOutput(0, result);
  return success();
}

/// ArgMax / ArgMin: qopt.arg_reduce, on float inputs (its result is i64).
LogicalResult convertArgReduce(NodeImporter &ni, ReduceKind kind) {
  auto x = ni.input(0);
  auto type = ni.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  auto xType = cast<RankedTensorType>(x->getType());
  if (!isa<FloatType>(xType.getElementType()))
    return ni.fail("only float inputs are supported");
  auto axis = normalizedAxis(ni, ni.attrInt("axis", 0), xType.getRank());
  if (failed(axis))
    return failure();
  ni.setOutput(0, ArgReduceOp::create(
                      ni.b, ni.loc, *type,
                      ReduceKindAttr::get(ni.b.getContext(), kind), *x,
                      ni.b.getI64IntegerAttr(*axis),
                      ni.b.getBoolAttr(ni.attrInt("keepdims", 1) != 0),
                      ni.b.getBoolAttr(ni.attrInt("select_last_index", 0) != 0)));
  return success();
}
} // namespace

void mlir::qopt::onnx_import::addReductionConverters(ConverterMap &map) {
  auto plain = [](ReduceKind kind) {
    return [kind](NodeImporter &ni) { return convertReduce(ni, kind); };
  };
  auto composite = [](Composite c) {
    return [c](NodeImporter &ni) {
      return convertReduce(ni, ReduceKind::sum, c);
    };
  };
  map["ReduceMean"] = plain(ReduceKind::mean);
  map["ReduceSum"] = plain(ReduceKind::sum);
  map["ReduceMax"] = plain(ReduceKind::max);
  map["ReduceMin"] = plain(ReduceKind::min);
  map["ReduceProd"] = plain(ReduceKind::prod);
  map["ReduceL1"] = composite(Composite::l1);
  map["ReduceL2"] = composite(Composite::l2);
  map["ReduceSumSquare"] = composite(Composite::sumSquare);
  map["ReduceLogSum"] = composite(Composite::logSum);
  map["ReduceLogSumExp"] = composite(Composite::logSumExp);
  map["ArgMax"] = [](NodeImporter &ni) {
    return convertArgReduce(ni, ReduceKind::max);
  };
  map["ArgMin"] = [](NodeImporter &ni) {
    return convertArgReduce(ni, ReduceKind::min);
  };
}
