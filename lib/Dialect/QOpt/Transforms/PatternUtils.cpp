//===- PatternUtils.cpp - matchers shared by qopt's rewrite patterns ------===//

#include "PatternUtils.h"

#include "qopt/Dialect/QOpt/IR/ElementsUtils.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qopt;

std::optional<double> qopt::getSplatValue(Value v) {
  ElementsAttr attr;
  if (!v || !matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  if (auto dense = dyn_cast<DenseFPElementsAttr>(attr)) {
    if (!dense.isSplat())
      return std::nullopt;
    return dense.getSplatValue<APFloat>().convertToDouble();
  }
  auto values = readFloatElements(attr);
  if (!values || values->empty())
    return std::nullopt;
  for (double x : *values)
    if (x != values->front())
      return std::nullopt;
  return values->front();
}

bool qopt::isSplatNear(Value v, double expected) {
  auto value = getSplatValue(v);
  return value && std::fabs(*value - expected) <= 1e-4 * std::fabs(expected);
}

Value qopt::otherOperandIfSplat(Operation *op, double expected) {
  if (!op || op->getNumOperands() != 2)
    return {};
  if (isSplatNear(op->getOperand(1), expected))
    return op->getOperand(0);
  if (isSplatNear(op->getOperand(0), expected))
    return op->getOperand(1);
  return {};
}

bool qopt::isFloatTensor(Value v) {
  return isa<FloatType>(getElementTypeOrSelf(v.getType()));
}

std::optional<int64_t> qopt::trailingReduceAxis(Value v, ReduceKind kind,
                                                Value &input) {
  auto reduce = v.getDefiningOp<ReduceOp>();
  if (!reduce || reduce.getKind() != kind || !reduce.getKeepDims())
    return std::nullopt;
  int64_t rank = reduce.getInput().getType().getRank();
  auto axes = reduce.getAxes();
  for (size_t i = 0; i < axes.size(); ++i)
    if (axes[i] != rank - (int64_t)axes.size() + (int64_t)i)
      return std::nullopt;
  input = reduce.getInput();
  return axes.front();
}
