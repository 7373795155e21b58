//===- StackBuffers.h - small heap buffers to the stack ----------*- C++ -*-===//

#ifndef QOPT_CONVERSION_STACKBUFFERS_STACKBUFFERS_H
#define QOPT_CONVERSION_STACKBUFFERS_STACKBUFFERS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::qopt {

#define GEN_PASS_DECL_QOPTPROMOTESMALLBUFFERSPASS
#include "qopt/Conversion/Passes.h.inc"

} // namespace mlir::qopt

#endif // QOPT_CONVERSION_STACKBUFFERS_STACKBUFFERS_H
