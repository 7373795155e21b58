//===- Pipelines.h - qopt's named pass pipelines ------------------*- C++ -*-===//
//
// Every named pipeline of qopt is built here, in one place, so the whole
// compilation flow reads top to bottom. `qopt-opt` registers each under its
// name; `qopt-compile` and the Python module call the same builders.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_PIPELINES_PIPELINES_H
#define QOPT_PIPELINES_PIPELINES_H

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

/// Registers every named pipeline with the global pass registry.
void registerPipelines();

} // namespace mlir::qopt

#endif // QOPT_PIPELINES_PIPELINES_H
