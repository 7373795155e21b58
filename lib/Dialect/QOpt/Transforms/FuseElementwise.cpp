//===- FuseElementwise.cpp - fuse elementwise linalg chains ---------------===//
//
// Upstream's elementwise fusion patterns, allowed only between all-parallel
// generics (see the pass description in Passes.td for why).
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QOpt/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_QOPTFUSEELEMENTWISE
#include "qopt/Dialect/QOpt/Transforms/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {

bool isElementwiseGeneric(Operation *op) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  return generic && generic.getNumLoops() == generic.getNumParallelLoops();
}

/// An elementwise generic whose result nobody uses but whose payload reads
/// that result's init (a bias add `out + bias` fused into its activation
/// keeps writing the biased tensor into the producer's buffer): the init
/// becomes an input and the dead result goes, so the loop stores one
/// tensor instead of two. Upstream's unused-result cleanup keeps such
/// outputs because their block argument is read.
struct DropDeadOutputReadAsInput : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!isElementwiseGeneric(op) || !op.hasPureTensorSemantics() ||
        op.getNumResults() < 2)
      return failure();
    std::optional<unsigned> dead;
    for (OpResult result : op->getResults())
      if (result.use_empty()) {
        dead = result.getResultNumber();
        break;
      }
    if (!dead)
      return failure();
    OpOperand *init = op.getDpsInitOperand(*dead);
    SmallVector<Value> inputs = op.getDpsInputs();
    inputs.push_back(init->get());
    SmallVector<Value> inits;
    SmallVector<Type> types;
    for (OpOperand &operand : op.getDpsInitsMutable())
      if (&operand != init) {
        inits.push_back(operand.get());
        types.push_back(operand.get().getType());
      }
    SmallVector<AffineMap> maps;
    for (OpOperand *input : op.getDpsInputOperands())
      maps.push_back(op.getMatchingIndexingMap(input));
    maps.push_back(op.getMatchingIndexingMap(init));
    for (OpOperand &operand : op.getDpsInitsMutable())
      if (&operand != init)
        maps.push_back(op.getMatchingIndexingMap(&operand));
    auto fused = linalg::GenericOp::create(rewriter, op.getLoc(), types,
                                           inputs, inits, maps,
                                           op.getIteratorTypesArray());
    rewriter.inlineRegionBefore(op.getRegion(), fused.getRegion(),
                                fused.getRegion().begin());
    Block &body = fused.getRegion().front();
    // Block arguments: inputs, then inits; the dead init's argument moves
    // to the end of the inputs.
    BlockArgument oldArg = body.getArgument(op.getNumDpsInputs() + *dead);
    BlockArgument newArg = body.insertArgument(
        op.getNumDpsInputs(), oldArg.getType(), oldArg.getLoc());
    rewriter.replaceAllUsesWith(oldArg, newArg);
    body.eraseArgument(oldArg.getArgNumber());
    auto yield = cast<linalg::YieldOp>(body.getTerminator());
    rewriter.modifyOpInPlace(yield, [&] { yield->eraseOperand(*dead); });
    SmallVector<Value> replacements;
    unsigned next = 0;
    for (OpResult result : op->getResults())
      replacements.push_back(result.getResultNumber() == *dead
                                 ? Value()
                                 : fused.getResult(next++));
    rewriter.replaceOp(op, replacements);
    return success();
  }
};

/// The rescale of an int8 convolution's int32 result to i8: the loop that
/// convert-linalg-to-qopt-runtime folds into the convolution's kernel
/// (qopt_rt_conv2d_nchw_s8_requant) as long as it reads nothing else of
/// the tensor's shape.
bool isConvRequantize(Operation *op) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic.getNumDpsInputs() == 0 || op->getNumResults() != 1)
    return false;
  auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  return type && type.getElementType().isInteger(8) &&
         generic.getDpsInputs()[0].getDefiningOp<linalg::Conv2DNchwFchwQOp>();
}

/// Inputs a generic reads elementwise (identity maps), as opposed to
/// broadcast per-channel vectors.
unsigned numElementwiseInputs(linalg::GenericOp op) {
  unsigned count = 0;
  for (OpOperand *input : op.getDpsInputOperands())
    if (op.getMatchingIndexingMap(input).isIdentity())
      ++count;
  return count;
}

struct QOptFuseElementwise
    : qopt::impl::QOptFuseElementwiseBase<QOptFuseElementwise> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::ControlFusionFn control = [](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      Operation *consumer = fused->getOwner();
      // A producer with several users would be computed once per user.
      if (!isElementwiseGeneric(producer) || !isElementwiseGeneric(consumer) ||
          !producer->hasOneUse())
        return false;
      // A convolution's requantization stays fusable into its kernel: its
      // clamps (a ReLU) may join it, a residual addition may not (the
      // addition then reads int8 tensors instead of int32 ones).
      return !isConvRequantize(producer) ||
             numElementwiseInputs(cast<linalg::GenericOp>(consumer)) <= 1;
    };
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    // Fusion can leave a result nobody reads (a bias add fused into its
    // activation keeps writing the biased tensor): without these, every
    // such loop stores a whole dead tensor.
    patterns.add<DropDeadOutputReadAsInput>(&getContext());
    linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
