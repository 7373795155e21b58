//===- Report.h - per-layer quantization report (JSON) ------------*- C++ -*-===//
//
// For each quantized layer (conv2d, matmul, gemm, add, concat): the bits,
// scales and zero points of its inputs, weights and result, the calibration
// ranges, and the SQNR of its quantized output against the float model on
// the calibration data.
//
// The SQNR is measured in fake-quant mode: the QDQ graph of qopt-quantize
// (fake-quant=1) expanded into float ops (FakeQuant.h) runs through the CPU
// JIT beside the float graph, in one function, over the calibration
// batches; errors accumulate through the network (each layer sees the
// quantized outputs of the layers before it, as in deployment).
// SQNR = 10·log10(Σ ref² / Σ (ref - quantized)²).
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_QUANTIZATION_REPORT_H
#define QOPT_QUANTIZATION_REPORT_H

#include "qopt/Dialect/QOpt/Transforms/Passes.h"
#include "qopt/Quantization/Calibration.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/JSON.h"

namespace mlir::qopt {

struct QuantizeConfig {
  unsigned weightBits = 8;
  bool perChannel = true;
  bool actSymmetric = false;
  /// qopt-quantize's integer-only mode (softmax, gelu, layer_norm, ... too).
  bool integerOnly = false;
};

/// The qopt-quantize pass options for `config` ("weight-bits=8 ...").
std::string quantizePassOptions(const QuantizeConfig &config, bool fakeQuant);
/// The same as qopt-quantize's options struct (for buildQuantizePipeline).
QOptQuantizeOptions quantizeOptions(const QuantizeConfig &config,
                                    bool fakeQuant);

/// Numbers the ops qopt-quantize may quantize with `qopt.layer = i` so that
/// the float and quantized modules can be matched; stripLayerTags removes
/// them.
void tagLayers(ModuleOp module);
void stripLayerTags(ModuleOp module);

/// The report of `quantized` (qopt-quantize's quant-typed output of the
/// tagged, calibrated `calibrated`), with SQNR measured over `data`.
FailureOr<llvm::json::Object>
buildQuantReport(ModuleOp calibrated, ModuleOp quantized,
                 const CalibrationData &data, const QuantizeConfig &config,
                 bool progress);

} // namespace mlir::qopt

#endif // QOPT_QUANTIZATION_REPORT_H
