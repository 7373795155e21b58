//===- VerifyIntegerOnly.cpp - no floating point between quantize/dequantize ===//

#include "qopt/Dialect/QOpt/Transforms/Passes.h"

#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_QOPTVERIFYINTEGERONLY
#include "qopt/Dialect/QOpt/Transforms/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;
using namespace mlir::qopt;

/// A type that makes an op compute in floating point: a float or a quantized
/// element type (quantized graph ops are float semantics over int storage).
static bool isNonIntegerType(Type type) {
  Type element = getElementTypeOrSelf(type);
  return !isa<IntegerType, IndexType>(element);
}

namespace {
struct QOptVerifyIntegerOnlyPass
    : qopt::impl::QOptVerifyIntegerOnlyBase<QOptVerifyIntegerOnlyPass> {
  void runOnOperation() override {
    llvm::DenseSet<Value> region;
    // Ops are visited in order, so operands are classified before users
    // (qopt graphs are single-block, acyclic functions).
    auto visit = [&](Operation *op) {
      if (isa<QuantizeOp>(op)) {
        region.insert(op->getResult(0));
        return WalkResult::advance();
      }
      bool usesRegion = llvm::any_of(
          op->getOperands(), [&](Value v) { return region.contains(v); });
      if (!usesRegion || isa<DequantizeOp>(op) ||
          op->hasTrait<OpTrait::IsTerminator>())
        return WalkResult::advance();
      if (op->getName().getStringRef() != "quant.scast") {
        for (Type type : llvm::concat<Type>(
                 llvm::to_vector(op->getOperandTypes()),
                 llvm::to_vector(op->getResultTypes()))) {
          if (isNonIntegerType(type)) {
            op->emitError() << "'" << op->getName()
                            << "' computes with non-integer type " << type
                            << " inside the integer-only region";
            return WalkResult::interrupt();
          }
        }
      }
      for (Value v : op->getResults())
        region.insert(v);
      // The block arguments of nested regions (the elements a linalg.generic
      // body computes with) are computed from the operands too.
      for (Region &nested : op->getRegions())
        for (Block &block : nested)
          for (BlockArgument arg : block.getArguments())
            region.insert(arg);
      return WalkResult::advance();
    };
    // Pre-order: an op is classified before the ops nested in it.
    WalkResult result = getOperation().walk<WalkOrder::PreOrder>(visit);
    if (result.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
