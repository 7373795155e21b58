//===- FuseElementwise.cpp - fuse elementwise linalg chains ---------------===//
//
// Upstream's elementwise fusion patterns, allowed only between all-parallel
// generics (see the pass description in Passes.td for why).
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QOpt/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
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

/// Inputs a generic reads elementwise (identity maps), as opposed to
/// broadcast per-channel vectors.
unsigned numElementwiseInputs(linalg::GenericOp op) {
  unsigned count = 0;
  for (OpOperand *input : op.getDpsInputOperands())
    if (op.getMatchingIndexingMap(input).isIdentity())
      ++count;
  return count;
}

/// Whether every operand of `op` has an integer element type: what may join
/// a requantization that is to become a kernel's integer epilogue (a
/// dequantize to f32 and the float op after it may not).
bool isIntegerOnly(Operation *op) {
  auto integer = [](Type t) {
    return isa<IntegerType, IndexType>(getElementTypeOrSelf(t));
  };
  // The operands, and every value computed in the body (a fused dequantize,
  // GELU, quantize chain has int8 operands but float insides).
  if (!llvm::all_of(op->getOperandTypes(), integer))
    return false;
  WalkResult walk = op->walk([&](Operation *inner) {
    return llvm::all_of(inner->getResultTypes(), integer)
               ? WalkResult::advance()
               : WalkResult::interrupt();
  });
  return !walk.wasInterrupted();
}

/// An integer elementwise loop that reads, elementwise, one tensor besides
/// constants (a bias) and per-channel vectors, and whose input comes from
/// an int8 convolution or matrix product, directly (through the reshape of
/// int_matmul's leading dims) or through such loops: the rescale, its bias
/// additions and clamps, which convert-linalg-to-qopt-runtime folds into
/// the kernel (qopt_rt_conv2d_nchw_s8_requant, qopt_rt_igemm_s8_requant).
bool readsContraction(Operation *op, unsigned depth = 0) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || depth > 4 || !isElementwiseGeneric(op) ||
      !isIntegerOnly(op))
    return false;
  unsigned varying = 0;
  for (OpOperand *input : generic.getDpsInputOperands())
    if (generic.getMatchingIndexingMap(input).isIdentity() &&
        !matchPattern(input->get(), m_Constant()))
      ++varying;
  if (varying > 1)
    return false;
  return llvm::any_of(generic.getDpsInputs(), [&](Value input) {
    if (auto expand = input.getDefiningOp<tensor::ExpandShapeOp>())
      input = expand.getSrc();
    else if (auto collapse = input.getDefiningOp<tensor::CollapseShapeOp>())
      input = collapse.getSrc();
    Operation *def = input.getDefiningOp();
    return isa_and_nonnull<linalg::Conv2DNchwFchwQOp,
                           linalg::QuantizedMatmulOp,
                           linalg::QuantizedBatchMatmulOp>(def) ||
           (def && readsContraction(def, depth + 1));
  });
}

/// The requantization of a contraction's int32 result to i8 (with what
/// readsContraction lets join it).
bool isContractionRequantize(Operation *op) {
  if (op->getNumResults() != 1)
    return false;
  auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  return type && type.getElementType().isInteger(8) && readsContraction(op);
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
      // A convolution's or matrix product's requantization stays fusable
      // into its kernel: its clamps (a ReLU) and a bias addition may join
      // it, a residual addition may not (the addition then reads int8
      // tensors instead of int32 ones), nor a float op.
      return !isContractionRequantize(producer) ||
             (numElementwiseInputs(cast<linalg::GenericOp>(consumer)) <= 1 &&
              isIntegerOnly(consumer));
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
