//===- QOptToLinalg.cpp - the convert-qopt-to-linalg pass ------------------===//
//
// Collects the pattern families (one file each) and runs them as a partial
// dialect conversion. The qopt ops no pattern lowers (quantized tensors,
// integer-only and quantization ops) stay, and the pass then fails with an
// error at the first of them: a partial lowering never passes silently.
//
//===----------------------------------------------------------------------===//

#include "qopt/Conversion/QOptToLinalg/QOptToLinalg.h"
#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_CONVERTQOPTTOLINALGPASS
#include "qopt/Conversion/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;
using namespace mlir::qopt;

void mlir::qopt::populateQOptToLinalgPatterns(RewritePatternSet &patterns) {
  linalg_lowering::populateElementwisePatterns(patterns);
  linalg_lowering::populateContractionPatterns(patterns);
  linalg_lowering::populateConvolutionPatterns(patterns);
  linalg_lowering::populatePoolingPatterns(patterns);
  linalg_lowering::populateReductionPatterns(patterns);
  linalg_lowering::populateNormalizationPatterns(patterns);
  linalg_lowering::populateDataMovementPatterns(patterns);
  linalg_lowering::populateResizePatterns(patterns);
  linalg_lowering::populateQuantOpsPatterns(patterns);
  linalg_lowering::populateIntegerOpsPatterns(patterns);
}

/// Why no pattern lowered `op`.
static StringRef unsupportedReason(Operation *op) {
  if (isa<QuantizeOp, DequantizeOp, RequantizeOp, DynamicQuantizeOp>(op))
    return "quantization ops are not lowered by this pass";
  if (isa<RescaleOp, IntConv2DOp, IntMatMulOp, IntAddOp, ShiftmaxOp,
          ShiftGeluOp, IntLayerNormOp, IntAvgPool2DOp>(op))
    return "integer-only ops are not lowered by this pass";
  for (Type type : llvm::concat<Type>(llvm::to_vector(op->getOperandTypes()),
                                      llvm::to_vector(op->getResultTypes())))
    if (isa<quant::QuantizedType>(getElementTypeOrSelf(type)))
      return "quantized tensors are not lowered by this pass";
  if (!linalg_lowering::isPlainDataOp(op))
    return "its element types are not supported";
  return "this op is not supported yet";
}

namespace {
struct ConvertQOptToLinalgPass
    : qopt::impl::ConvertQOptToLinalgPassBase<ConvertQOptToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    populateQOptToLinalgPatterns(patterns);
    ConversionTarget target(*context);
    // quant.scast joins the quantized view of a value to its storage
    // integers (QuantOps.cpp).
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, quant::QuantDialect,
                           tensor::TensorDialect>();
    // qopt ops are neither legal nor illegal: the conversion lowers what it
    // can, and the remaining ones are reported below with the reason.
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      return signalPassFailure();

    Operation *first = nullptr;
    unsigned remaining = 0;
    getOperation()->walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (!isa<QOptDialect>(op->getDialect()))
        return;
      if (!first)
        first = op;
      ++remaining;
    });
    if (!first)
      return;
    InFlightDiagnostic diag = first->emitError()
                              << "cannot lower '" << first->getName()
                              << "' to linalg: " << unsupportedReason(first);
    if (remaining > 1)
      diag.attachNote() << remaining - 1
                        << " more qopt op(s) were not lowered either";
    signalPassFailure();
  }
};
} // namespace
