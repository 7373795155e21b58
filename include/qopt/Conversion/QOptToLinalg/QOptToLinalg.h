//===- QOptToLinalg.h - lower float qopt graph ops to linalg ------*- C++ -*-===//

#ifndef QOPT_CONVERSION_QOPTTOLINALG_QOPTTOLINALG_H
#define QOPT_CONVERSION_QOPTTOLINALG_QOPTTOLINALG_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;

namespace qopt {

#define GEN_PASS_DECL_CONVERTQOPTTOLINALGPASS
#include "qopt/Conversion/Passes.h.inc"

/// Patterns that lower the float graph ops of the qopt dialect to linalg,
/// tensor, arith and math ops on tensors. Each fails to match an op on
/// quantized tensors (and the compute ops on anything but floats).
void populateQOptToLinalgPatterns(RewritePatternSet &patterns);

} // namespace qopt
} // namespace mlir

#endif // QOPT_CONVERSION_QOPTTOLINALG_QOPTTOLINALG_H
