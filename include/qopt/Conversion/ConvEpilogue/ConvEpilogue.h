//===- ConvEpilogue.h - bias + clamp into the convolution call --*- C++ -*-===//

#ifndef QOPT_CONVERSION_CONVEPILOGUE_CONVEPILOGUE_H
#define QOPT_CONVERSION_CONVEPILOGUE_CONVEPILOGUE_H

#include "mlir/Pass/Pass.h"

namespace mlir::qopt {

#define GEN_PASS_DECL_FUSECONVEPILOGUEINTOQOPTRUNTIMEPASS
#include "qopt/Conversion/Passes.h.inc"

} // namespace mlir::qopt

#endif // QOPT_CONVERSION_CONVEPILOGUE_CONVEPILOGUE_H
