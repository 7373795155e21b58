//===- ExpandDepthwise.h - a 1×1 expansion into its depthwise call -*- C++ -*-//

#ifndef QOPT_CONVERSION_EXPANDDEPTHWISE_EXPANDDEPTHWISE_H
#define QOPT_CONVERSION_EXPANDDEPTHWISE_EXPANDDEPTHWISE_H

#include "mlir/Pass/Pass.h"

namespace mlir::qopt {

#define GEN_PASS_DECL_FUSEEXPANDDEPTHWISEINTOQOPTRUNTIMEPASS
#include "qopt/Conversion/Passes.h.inc"

} // namespace mlir::qopt

#endif // QOPT_CONVERSION_EXPANDDEPTHWISE_EXPANDDEPTHWISE_H
