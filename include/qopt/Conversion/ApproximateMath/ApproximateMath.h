//===- ApproximateMath.h - vectorizable f32 transcendentals ------*- C++ -*-===//

#ifndef QOPT_CONVERSION_APPROXIMATEMATH_APPROXIMATEMATH_H
#define QOPT_CONVERSION_APPROXIMATEMATH_APPROXIMATEMATH_H

#include "mlir/Pass/Pass.h"

namespace mlir::qopt {

#define GEN_PASS_DECL_QOPTAPPROXIMATEMATHPASS
#include "qopt/Conversion/Passes.h.inc"

} // namespace mlir::qopt

#endif // QOPT_CONVERSION_APPROXIMATEMATH_APPROXIMATEMATH_H
