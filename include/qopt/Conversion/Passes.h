//===- Passes.h - qopt conversion passes --------------------------*- C++ -*-===//

#ifndef QOPT_CONVERSION_PASSES_H
#define QOPT_CONVERSION_PASSES_H

#include "qopt/Conversion/AllocNoAlias/AllocNoAlias.h"
#include "qopt/Conversion/ApproximateMath/ApproximateMath.h"
#include "qopt/Conversion/ConvEpilogue/ConvEpilogue.h"
#include "qopt/Conversion/ExpandDepthwise/ExpandDepthwise.h"
#include "qopt/Conversion/InterleaveReductions/InterleaveReductions.h"
#include "qopt/Conversion/LinalgToQOptRuntime/LinalgToQOptRuntime.h"
#include "qopt/Conversion/ParallelLoopsToQOptRuntime/ParallelLoopsToQOptRuntime.h"
#include "qopt/Conversion/QOptToLinalg/QOptToLinalg.h"
#include "qopt/Conversion/StackBuffers/StackBuffers.h"

namespace mlir::qopt {

#define GEN_PASS_REGISTRATION
#include "qopt/Conversion/Passes.h.inc"

} // namespace mlir::qopt

#endif // QOPT_CONVERSION_PASSES_H
