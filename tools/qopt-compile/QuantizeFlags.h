//===- QuantizeFlags.h - qopt-compile's post-training quantization -*- C++ -*-===//
//
// The --quantize, --calibration, --calib-method, --per-channel,
// --act-symmetric, --quant-form and --report flags and the flow they drive:
// calibrate the float graph through the CPU JIT, qopt-quantize, the report,
// and qopt-lower-quantized.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_TOOLS_QOPT_COMPILE_QUANTIZEFLAGS_H
#define QOPT_TOOLS_QOPT_COMPILE_QUANTIZEFLAGS_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/CommandLine.h"

namespace qopt_compile {

llvm::cl::OptionCategory &quantizationCategory();

/// Checks the flags' values; prints one `error:` line and returns false on a
/// bad combination.
bool validateQuantizationFlags();

/// Whether --quantize asks for anything.
bool quantizationRequested();

/// For a pre-quantized model (QDQ or QOperator ONNX, no --quantize): folds
/// its QDQ pairs into quant-typed ops (qopt-fold-qdq) and lowers them to
/// integer ops (qopt-lower-quantized) when --quant-form=integer, so that it
/// runs on the same integer path as qopt's own quantization. Models with
/// unsigned (u8) quantized types, or ops the integer lowering refuses, keep
/// their float simulation, with a warning. A float model is left as is.
mlir::LogicalResult lowerPreQuantized(mlir::OwningOpRef<mlir::ModuleOp> &module);

/// Calibrates and quantizes `module` (a cleaned-up float module named after
/// `modelPath`) as the flags say, writes the report, and leaves the result
/// in `module`. Errors are emitted as diagnostics.
mlir::LogicalResult runQuantization(mlir::OwningOpRef<mlir::ModuleOp> &module,
                                    llvm::StringRef modelPath);

} // namespace qopt_compile

#endif // QOPT_TOOLS_QOPT_COMPILE_QUANTIZEFLAGS_H
