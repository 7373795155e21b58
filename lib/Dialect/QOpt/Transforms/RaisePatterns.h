//===- RaisePatterns.h - patterns that raise decomposed ops -------*- C++ -*-===//

#ifndef QOPT_LIB_DIALECT_QOPT_TRANSFORMS_RAISEPATTERNS_H
#define QOPT_LIB_DIALECT_QOPT_TRANSFORMS_RAISEPATTERNS_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::qopt {
void populateRaiseLayerNormPatterns(RewritePatternSet &patterns);
void populateRaiseGeluPatterns(RewritePatternSet &patterns);
void populateRaiseSoftmaxPatterns(RewritePatternSet &patterns);
void populateRaiseHardActivationPatterns(RewritePatternSet &patterns);
} // namespace mlir::qopt

#endif // QOPT_LIB_DIALECT_QOPT_TRANSFORMS_RAISEPATTERNS_H
