//===- QuantizableOps.cpp - which ops PTQ quantizes, and which tensors ----===//

#include "qopt/Quantization/QuantizableOps.h"

#include "qopt/Dialect/QOpt/IR/ElementsUtils.h"
#include "qopt/Dialect/QOpt/IR/QOpt.h"

#include "mlir/IR/Matchers.h"
#include "llvm/ADT/SetVector.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qopt;

std::optional<double> qopt::getConstantScalarFactor(Operation *op) {
  auto mul = dyn_cast<MulOp>(op);
  if (!mul)
    return std::nullopt;
  ElementsAttr attr;
  if (!matchPattern(mul.getRhs(), m_Constant(&attr)))
    return std::nullopt;
  // The broadcast must not grow the other operand: the result has its shape.
  if (mul.getLhs().getType() != mul.getOutput().getType())
    return std::nullopt;
  auto values = readFloatElements(attr);
  if (!values || values->empty())
    return std::nullopt;
  double c = values->front();
  if (!(c > 0) || !std::isfinite(c) ||
      llvm::any_of(*values, [&](double v) { return v != c; }))
    return std::nullopt;
  return c;
}

/// gather whose indices are constants (the rows picked at compile time).
static bool isConstantGather(Operation *op) {
  auto gather = dyn_cast<GatherOp>(op);
  return gather && isConstantValue(gather.getIndices());
}

QuantRole qopt::getQuantRole(Operation *op, bool integerOnly) {
  if (isa<Conv2DOp, MatMulOp, GemmOp>(op))
    return QuantRole::Contraction;
  if (isa<AddOp, ConcatOp>(op))
    return QuantRole::Arithmetic;
  if (isa<ReluOp, ClampOp, MaxPool2DOp, AvgPool2DOp, GlobalAvgPool2DOp,
          ReshapeOp, FlattenOp, TransposeOp>(op))
    return QuantRole::SameScale;
  if (!integerOnly)
    return QuantRole::None;
  if (auto reduce = dyn_cast<ReduceOp>(op))
    return reduce.getKind() == ReduceKind::mean ? QuantRole::SameScale
                                                : QuantRole::None;
  if (isConstantGather(op))
    return QuantRole::SameScale;
  if (isa<SoftmaxOp, GeluOp, LayerNormOp>(op) || getConstantScalarFactor(op))
    return QuantRole::NonLinear;
  return QuantRole::None;
}

bool qopt::isConstantValue(Value value) {
  return value.getDefiningOp() && matchPattern(value, m_Constant());
}

static bool isFloatTensor(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && isa<FloatType>(type.getElementType());
}

SmallVector<Value> qopt::selectObservedValues(func::FuncOp func,
                                              bool integerOnly) {
  llvm::SetVector<Value> observed;
  auto add = [&](Value v) {
    if (isFloatTensor(v) && !isConstantValue(v))
      observed.insert(v);
  };
  func.walk([&](Operation *op) {
    switch (getQuantRole(op, integerOnly)) {
    case QuantRole::None:
      return;
    case QuantRole::NonLinear:
      add(op->getOperand(0));
      add(op->getResult(0));
      return;
    case QuantRole::Contraction:
      // The activation operands (conv2d input, matmul/gemm inputs); the
      // bias (conv2d's third, gemm's c) is quantized from the others'
      // scales and not observed.
      for (Value operand : op->getOperands().take_front(2))
        add(operand);
      add(op->getResult(0));
      return;
    case QuantRole::Arithmetic:
      for (Value operand : op->getOperands())
        add(operand);
      add(op->getResult(0));
      return;
    case QuantRole::SameScale:
      add(op->getOperand(0));
      return;
    }
  });
  // Program order: arguments first, then by defining op.
  SmallVector<Value> ordered;
  for (BlockArgument arg : func.getArguments())
    if (observed.contains(arg))
      ordered.push_back(arg);
  func.walk([&](Operation *op) {
    for (Value r : op->getResults())
      if (observed.contains(r))
        ordered.push_back(r);
  });
  return ordered;
}
