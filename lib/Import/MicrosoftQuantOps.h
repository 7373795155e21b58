//===- MicrosoftQuantOps.h - ORT's com.microsoft quantized ops --*- C++ -*-===//
//
// ONNX Runtime's quantizer writes models in the QOperator format with
// operators of its own com.microsoft domain (QLinearAdd, QGemm, ...). ORT
// defines each of them as "dequantize the inputs, run the float op,
// quantize the result". Before libonnx checks and shape-infers a model, the
// importer rewrites every such node into exactly those standard ONNX nodes
// (DequantizeLinear, the float op, QuantizeLinear), so that libonnx's shape
// inference covers them and the rest of the importer sees the QDQ format it
// already handles.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_IMPORT_MICROSOFTQUANTOPS_H
#define QOPT_LIB_IMPORT_MICROSOFTQUANTOPS_H

#include "onnx/onnx_pb.h"

#include <string>

namespace mlir::qopt::onnx_import {

/// Rewrites the com.microsoft quantized nodes of `model` in place into
/// standard ONNX nodes. Returns an error message (an unsupported
/// com.microsoft op, a malformed node), or "" on success.
std::string expandMicrosoftQuantOps(onnx::ModelProto &model);

/// The com.microsoft op types expandMicrosoftQuantOps rewrites, for docs and
/// error messages: "QGemm, QLinearAdd, ...".
std::string supportedMicrosoftQuantOps();

} // namespace mlir::qopt::onnx_import

#endif // QOPT_LIB_IMPORT_MICROSOFTQUANTOPS_H
