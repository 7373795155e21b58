//===- FakeQuant.h - quantize→dequantize as float arithmetic ------*- C++ -*-===//
//
// The fake-quant (QDQ) graph that `qopt-quantize fake-quant=1` produces,
// rewritten into float graph ops that the CPU JIT runs today, so that the
// quantization report can measure SQNR without the integer backend:
//
//   dequantize(quantize(x)) = (clamp(rne(x / s) + zp, qmin, qmax) - zp) · s
//
// with rne(t) = (t + 1.5·2^23) - 1.5·2^23 in f32, which rounds half to even
// for |t| < 2^22 (larger t saturate in the clamp anyway). Quantized
// constants followed by dequantize become float constants of their
// dequantized values.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_QUANTIZATION_FAKEQUANT_H
#define QOPT_QUANTIZATION_FAKEQUANT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::qopt {

/// Rewrites every dequantize in `func` (of a per-tensor quantize, or of a
/// quantized constant) into float ops. Fails, with an error, on anything
/// else (a quantized value that is not dequantized right away).
/// `onReplace(old, new)` is told of each dequantize result replaced.
LogicalResult expandFakeQuantToFloat(
    func::FuncOp func,
    llvm::function_ref<void(Value, Value)> onReplace = nullptr);

} // namespace mlir::qopt

#endif // QOPT_QUANTIZATION_FAKEQUANT_H
