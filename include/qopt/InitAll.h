//===- InitAll.h - register qopt's dialects, passes and pipelines -*- C++ -*-===//

#ifndef QOPT_INITALL_H
#define QOPT_INITALL_H

#include "mlir/IR/DialectRegistry.h"

namespace mlir::qopt {

/// The qopt dialect and every upstream dialect qopt's pipelines produce.
void registerAllDialects(DialectRegistry &registry);

/// qopt's passes, the upstream passes its pipelines use, and its pipelines.
/// Idempotent; the textual pipelines (qopt-lower-to-llvm) need it first.
void registerAllPasses();

} // namespace mlir::qopt

#endif // QOPT_INITALL_H
