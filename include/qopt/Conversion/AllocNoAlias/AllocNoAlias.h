//===- AllocNoAlias.h - allocator results do not alias -----------*- C++ -*-===//

#ifndef QOPT_CONVERSION_ALLOCNOALIAS_ALLOCNOALIAS_H
#define QOPT_CONVERSION_ALLOCNOALIAS_ALLOCNOALIAS_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::qopt {

#define GEN_PASS_DECL_QOPTMARKALLOCATIONSNOALIASPASS
#include "qopt/Conversion/Passes.h.inc"

} // namespace mlir::qopt

#endif // QOPT_CONVERSION_ALLOCNOALIAS_ALLOCNOALIAS_H
