//===- VerifyIntegerOnly.cpp - no floating point inside the model ---------===//
//
// An integer-only function computes in integers from its inputs to its
// outputs. The only floating point allowed is at the boundary: the
// qopt.quantize of a function argument (a model input) and the
// qopt.dequantize whose results only the return uses (a model output); a
// dequantize with any other user is caught at that user, whose float
// operand type it reports.
// Every other op, nested ones included, must have integer (or index)
// operand and result types: a float or a quantized element type (the
// quant-typed graph ops have float semantics over integer storage) is an
// error at the op's location. Exempt are constants (they do not compute;
// an op that uses a float constant is the offender), quant.scast (a view of
// quantized values as their storage), and max_pool2d on one signed
// per-tensor quantized type, which the CPU lowering pools on the storage
// integers exactly (QOptToLinalg/Pooling.cpp) because the affine map
// between storage and value is monotonic.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QOpt/Transforms/Passes.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/TypeUtilities.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_QOPTVERIFYINTEGERONLY
#include "qopt/Dialect/QOpt/Transforms/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;
using namespace mlir::qopt;

static bool isIntegerType(Type type) {
  return isa<IntegerType, IndexType>(getElementTypeOrSelf(type));
}

/// max_pool2d on one signed per-tensor quantized type: an integer max.
static bool isStorageMaxPool(Operation *op) {
  if (!isa<MaxPool2DOp>(op))
    return false;
  auto type = dyn_cast<quant::UniformQuantizedType>(
      getElementTypeOrSelf(op->getOperand(0).getType()));
  return type && type.isSigned() &&
         getElementTypeOrSelf(op->getResult(0).getType()) == type;
}

namespace {
struct QOptVerifyIntegerOnlyPass
    : qopt::impl::QOptVerifyIntegerOnlyBase<QOptVerifyIntegerOnlyPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    Block *entry = func.isExternal() ? nullptr : &func.getBody().front();
    auto visit = [&](Operation *op) -> WalkResult {
      if (op == func.getOperation())
        return WalkResult::advance();
      if (op->hasTrait<OpTrait::IsTerminator>() && op->getParentOp() == func)
        return WalkResult::advance();
      if (op->hasTrait<OpTrait::ConstantLike>() || isStorageMaxPool(op) ||
          op->getName().getStringRef() == "quant.scast")
        return WalkResult::advance();
      if (auto q = dyn_cast<QuantizeOp>(op)) {
        auto arg = dyn_cast<BlockArgument>(q.getInput());
        if (arg && arg.getOwner() == entry)
          return WalkResult::advance();
        op->emitError() << "'" << op->getName()
                        << "' of a value that is not a function argument: "
                           "only the model's inputs may be quantized in an "
                           "integer-only function";
        return WalkResult::interrupt();
      }
      // A dequantize is the output boundary when the return uses it; any
      // other user computes on its float result and is reported itself,
      // which names the float op rather than the dequantize before it.
      if (isa<DequantizeOp>(op))
        return WalkResult::advance();
      // Integer types in and out, but f32 arithmetic inside (ONNX
      // Runtime's requantization of imported models).
      if (isa<FloatRescaleOp>(op)) {
        op->emitError() << "'" << op->getName()
                        << "' requantizes in f32: not integer-only";
        return WalkResult::interrupt();
      }
      for (Type type : llvm::concat<Type>(
               llvm::to_vector(op->getOperandTypes()),
               llvm::to_vector(op->getResultTypes()))) {
        if (!isIntegerType(type)) {
          op->emitError() << "'" << op->getName()
                          << "' computes with non-integer type " << type
                          << " in an integer-only function";
          return WalkResult::interrupt();
        }
      }
      return WalkResult::advance();
    };
    // Pre-order: an op is checked before the ops nested in it.
    if (func.walk<WalkOrder::PreOrder>(visit).wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
