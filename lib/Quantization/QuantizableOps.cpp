//===- QuantizableOps.cpp - which ops PTQ quantizes, and which tensors ----===//

#include "qopt/Quantization/QuantizableOps.h"

#include "qopt/Dialect/QOpt/IR/QOpt.h"

#include "mlir/IR/Matchers.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace mlir::qopt;

QuantRole qopt::getQuantRole(Operation *op) {
  if (isa<Conv2DOp, MatMulOp, GemmOp>(op))
    return QuantRole::Contraction;
  if (isa<AddOp, ConcatOp>(op))
    return QuantRole::Arithmetic;
  if (isa<ReluOp, ClampOp, MaxPool2DOp, AvgPool2DOp, GlobalAvgPool2DOp,
          ReshapeOp, FlattenOp, TransposeOp>(op))
    return QuantRole::SameScale;
  return QuantRole::None;
}

bool qopt::isConstantValue(Value value) {
  return value.getDefiningOp() && matchPattern(value, m_Constant());
}

static bool isFloatTensor(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && isa<FloatType>(type.getElementType());
}

SmallVector<Value> qopt::selectObservedValues(func::FuncOp func) {
  llvm::SetVector<Value> observed;
  auto add = [&](Value v) {
    if (isFloatTensor(v) && !isConstantValue(v))
      observed.insert(v);
  };
  func.walk([&](Operation *op) {
    switch (getQuantRole(op)) {
    case QuantRole::None:
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
