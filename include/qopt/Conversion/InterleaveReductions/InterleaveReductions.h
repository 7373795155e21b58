//===- InterleaveReductions.h - rows of a reduction side by side -*- C++ -*-===//

#ifndef QOPT_CONVERSION_INTERLEAVEREDUCTIONS_INTERLEAVEREDUCTIONS_H
#define QOPT_CONVERSION_INTERLEAVEREDUCTIONS_INTERLEAVEREDUCTIONS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::qopt {

#define GEN_PASS_DECL_QOPTINTERLEAVEREDUCTIONSPASS
#include "qopt/Conversion/Passes.h.inc"

} // namespace mlir::qopt

#endif // QOPT_CONVERSION_INTERLEAVEREDUCTIONS_INTERLEAVEREDUCTIONS_H
