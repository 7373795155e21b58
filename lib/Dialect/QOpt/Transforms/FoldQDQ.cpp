//===- FoldQDQ.cpp - QDQ pairs of imported models to quant-typed ops ------===//
//
// ONNX Runtime's QDQ format spells an int8 conv as
//   DequantizeLinear(x), DequantizeLinear(w), DequantizeLinear(b) -> Conv ->
//   QuantizeLinear
// which imports as a float qopt.conv2d between qopt.dequantize and
// qopt.quantize. Giving the float op the quantized types of its neighbours
// yields what qopt-quantize produces from calibration, so both kinds of
// quantized model share qopt-lower-quantized and the integer kernels.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QOpt/Transforms/Passes.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_QOPTFOLDQDQ
#include "qopt/Dialect/QOpt/Transforms/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;
using namespace mlir::qopt;

namespace {

/// The per-tensor quantized element type of `v`'s tensor type, if any.
quant::UniformQuantizedType perTensorType(Value v) {
  auto tensor = dyn_cast<RankedTensorType>(v.getType());
  return tensor ? dyn_cast<quant::UniformQuantizedType>(tensor.getElementType())
                : quant::UniformQuantizedType();
}

/// `op` rebuilt with `operands` and one result of `resultType`, its
/// attributes kept (the graph ops it applies to have no regions).
Operation *rebuild(PatternRewriter &rewriter, Operation *op,
                   ValueRange operands, Type resultType) {
  OperationState state(op->getLoc(), op->getName());
  state.addOperands(operands);
  state.addTypes(resultType);
  state.addAttributes(op->getAttrs());
  return rewriter.create(state);
}

/// Ops whose every output value is one input value (or max(x, 0), which
/// quantization maps to max(q, zp)): they commute with a per-tensor
/// quantize or dequantize exactly.
bool commutesWithQuantization(Operation *op) {
  return isa<ReluOp, MaxPool2DOp, ReshapeOp, FlattenOp, TransposeOp>(op) &&
         op->getNumOperands() == 1 && op->getNumResults() == 1;
}

/// op(dequantize(q)) -> dequantize(op_q(q)).
struct SinkDequantize : RewritePattern {
  SinkDequantize(MLIRContext *context, llvm::Statistic &numFolded)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, context),
        numFolded(numFolded) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!commutesWithQuantization(op))
      return failure();
    auto dq = op->getOperand(0).getDefiningOp<DequantizeOp>();
    if (!dq || !perTensorType(dq.getInput()))
      return failure();
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    Type quantType = resultType.clone(perTensorType(dq.getInput()));
    Operation *quantized =
        rebuild(rewriter, op, ValueRange{dq.getInput()}, quantType);
    rewriter.replaceOpWithNewOp<DequantizeOp>(op, resultType,
                                              quantized->getResult(0));
    ++numFolded;
    return success();
  }

  llvm::Statistic &numFolded;
};

/// quantize(op(x)) -> op_q(quantize(x)).
struct HoistQuantize : OpRewritePattern<QuantizeOp> {
  HoistQuantize(MLIRContext *context, llvm::Statistic &numFolded)
      : OpRewritePattern(context), numFolded(numFolded) {}

  LogicalResult matchAndRewrite(QuantizeOp q,
                                PatternRewriter &rewriter) const override {
    Operation *op = q.getInput().getDefiningOp();
    quant::UniformQuantizedType type = perTensorType(q.getOutput());
    if (!op || !type || !commutesWithQuantization(op) ||
        !op->getResult(0).hasOneUse())
      return failure();
    Value input = op->getOperand(0);
    auto inputType = cast<RankedTensorType>(input.getType());
    Value quantizedInput = QuantizeOp::create(rewriter, q.getLoc(),
                                              inputType.clone(type), input);
    rewriter.replaceOp(q, rebuild(rewriter, op, ValueRange{quantizedInput},
                                  q.getOutput().getType()));
    ++numFolded;
    return success();
  }

  llvm::Statistic &numFolded;
};

/// quantize(dequantize(q)) -> q, or requantize(q).
struct FoldQuantizeOfDequantize : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp q,
                                PatternRewriter &rewriter) const override {
    auto dq = q.getInput().getDefiningOp<DequantizeOp>();
    if (!dq || !perTensorType(dq.getInput()) || !perTensorType(q.getOutput()))
      return failure();
    if (dq.getInput().getType() == q.getOutput().getType()) {
      rewriter.replaceOp(q, dq.getInput());
      return success();
    }
    rewriter.replaceOpWithNewOp<RequantizeOp>(q, q.getOutput().getType(),
                                              dq.getInput());
    return success();
  }
};

/// quantize(op(dequantize(a), dequantize(b), ...)) -> op_q(a, b, ...).
struct FoldIntoQuantizedOp : OpRewritePattern<QuantizeOp> {
  FoldIntoQuantizedOp(MLIRContext *context, llvm::Statistic &numFolded)
      : OpRewritePattern(context, /*benefit=*/2), numFolded(numFolded) {}

  LogicalResult matchAndRewrite(QuantizeOp q,
                                PatternRewriter &rewriter) const override {
    Operation *op = q.getInput().getDefiningOp();
    if (!op || !perTensorType(q.getOutput()) ||
        !isa<Conv2DOp, MatMulOp, GemmOp, AddOp, AvgPool2DOp,
             GlobalAvgPool2DOp, ReluOp, ClampOp>(op) ||
        op->getNumResults() != 1 || !op->getResult(0).hasOneUse() ||
        op->getNumRegions() != 0)
      return failure();
    SmallVector<Value> operands;
    for (Value operand : op->getOperands()) {
      auto dq = operand.getDefiningOp<DequantizeOp>();
      if (!dq)
        return failure();
      operands.push_back(dq.getInput());
    }
    // Activations (the first operand, and both of an add or matmul) must
    // be per tensor; weights may be per channel.
    if (!perTensorType(operands[0]) ||
        (isa<AddOp, MatMulOp>(op) && !perTensorType(operands[1]) &&
         !operands[1].getDefiningOp<ConstantOp>()))
      return failure();
    rewriter.replaceOp(
        q, rebuild(rewriter, op, operands, q.getOutput().getType()));
    ++numFolded;
    return success();
  }

  llvm::Statistic &numFolded;
};

struct QOptFoldQDQPass : qopt::impl::QOptFoldQDQBase<QOptFoldQDQPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    patterns.add<SinkDequantize, HoistQuantize, FoldIntoQuantizedOp>(
        context, numFolded);
    patterns.add<FoldQuantizeOfDequantize>(context);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
