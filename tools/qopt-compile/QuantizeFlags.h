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

/// Calibrates and quantizes `module` (a cleaned-up float module named after
/// `modelPath`) as the flags say, writes the report, and leaves the result
/// in `module`. Errors are emitted as diagnostics.
mlir::LogicalResult runQuantization(mlir::OwningOpRef<mlir::ModuleOp> &module,
                                    llvm::StringRef modelPath);

} // namespace qopt_compile

#endif // QOPT_TOOLS_QOPT_COMPILE_QUANTIZEFLAGS_H
