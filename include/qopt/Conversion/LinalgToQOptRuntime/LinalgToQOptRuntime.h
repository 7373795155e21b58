//===- LinalgToQOptRuntime.h - linalg contractions to runtime calls -*- C++ -*-===//

#ifndef QOPT_CONVERSION_LINALGTOQOPTRUNTIME_LINALGTOQOPTRUNTIME_H
#define QOPT_CONVERSION_LINALGTOQOPTRUNTIME_LINALGTOQOPTRUNTIME_H

#include "mlir/Pass/Pass.h"

namespace mlir::qopt {

#define GEN_PASS_DECL_CONVERTLINALGTOQOPTRUNTIMEPASS
#include "qopt/Conversion/Passes.h.inc"

} // namespace mlir::qopt

#endif // QOPT_CONVERSION_LINALGTOQOPTRUNTIME_LINALGTOQOPTRUNTIME_H
