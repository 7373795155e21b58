//===- Pipelines.h - qopt's named pass pipelines ------------------*- C++ -*-===//
//
// Every named pipeline of qopt is built here, in one place, so the whole
// compilation flow reads top to bottom. `qopt-opt` registers each under its
// name; `qopt-compile` and the Python module call the same builders.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_PIPELINES_PIPELINES_H
#define QOPT_PIPELINES_PIPELINES_H

#include "qopt/Dialect/QOpt/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"

namespace mlir::qopt {

/// qopt-cleanup: canonicalize, raise decomposed composites (LayerNorm, GELU,
/// softmax, HardSigmoid/HardSwish), fold batch norms into convolutions, CSE.
/// Runs on a module after import.
void buildCleanupPipeline(OpPassManager &pm);

/// qopt-lower-to-llvm: float qopt graph → linalg on tensors → buffers (one
/// output parameter per result) → loops → the LLVM dialect, with the bare-
/// pointer calling convention: `main(in0*, ..., out0*, ...)`. Fails on what
/// convert-qopt-to-linalg cannot lower yet. The pipeline is written as text:
/// qopt::registerAllPasses() (qopt/InitAll.h) must have run.
void buildCPULoweringPipeline(OpPassManager &pm);

/// Post-training quantization of a calibrated graph (qopt.calib ranges),
/// in two halves so that callers can inspect the quant-typed graph between
/// them (qopt-compile's and Python's reports do):
///
/// buildQuantizePipeline: qopt-quantize with `options` (integer-only mode
/// when `options.integerOnly`) on every function.
void buildQuantizePipeline(OpPassManager &pm,
                           const QOptQuantizeOptions &options);

/// buildLowerQuantizedPipeline: the quant-typed graph to integer ops. With
/// `integerOnly`: qopt-integer-only (I-ViT's Shiftmax/ShiftGELU/
/// I-LayerNorm), qopt-lower-quantized, then qopt-verify-integer-only, which
/// fails the pipeline if any float op or type is left; without:
/// qopt-lower-quantized alone. `onnxRequant` (imported QDQ/QOperator
/// models) requantizes as ONNX Runtime does (qopt.float_rescale, float
/// elementwise ops between dequantize and quantize) instead of dyadically.
void buildLowerQuantizedPipeline(OpPassManager &pm, bool integerOnly,
                                 bool onnxRequant = false);

/// qopt-integer-only-pipeline: both halves in integer-only mode, the one
/// pipeline behind `qopt-compile --integer-only` and Python's
/// `Module.quantize(integer_only=True)`.
void buildIntegerOnlyPipeline(OpPassManager &pm,
                              QOptQuantizeOptions options);

/// Registers every named pipeline with the global pass registry.
void registerPipelines();

} // namespace mlir::qopt

#endif // QOPT_PIPELINES_PIPELINES_H
