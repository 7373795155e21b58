//===- Signature.h - I/O signatures of a qopt module's @main ----*- C++ -*-===//

#ifndef QOPT_TARGET_CPU_SIGNATURE_H
#define QOPT_TARGET_CPU_SIGNATURE_H

#include "qopt/Target/CPU/CompiledModel.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::qopt {

/// The signature of input or output #index of `func`, of type `type`, named
/// `name` (the `qopt.name` attribute; "inputN"/"outputN" when absent).
/// Emits an error on `func` for types the CPU runtime cannot pass.
FailureOr<TensorSignature> signatureOf(func::FuncOp func, Type type,
                                       StringAttr name, unsigned index,
                                       bool isInput);

/// The input and output signatures of `func`.
LogicalResult getSignatures(func::FuncOp func,
                            std::vector<TensorSignature> &inputs,
                            std::vector<TensorSignature> &outputs);

} // namespace mlir::qopt

#endif // QOPT_TARGET_CPU_SIGNATURE_H
