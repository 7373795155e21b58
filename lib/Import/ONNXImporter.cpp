//===- ONNXImporter.cpp - load, check, convert and infer an ONNX model ----===//
//
// This file and the converters are compiled with C++ exceptions: libonnx's
// checker, version converter and shape inference report errors by throwing.
// Every exception is caught here and becomes one diagnostic.
//
//===----------------------------------------------------------------------===//

#include "qopt/Import/ONNXImporter.h"
#include "GraphImporter.h"

#include "qopt/Dialect/QOpt/IR/QOpt.h"

#include "onnx/checker.h"
#include "onnx/shape_inference/implementation.h"
#include "onnx/version_converter/convert.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <climits>

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::onnx_import;

std::string mlir::qopt::parseInputShapeSpec(llvm::StringRef spec,
                                            ONNXImportOptions &options) {
  auto [name, dims] = spec.rsplit(':');
  if (name.empty() || dims.empty() || spec.find(':') == llvm::StringRef::npos)
    return "--input-shape expects NAME:DIMS such as x:1x3x224x224, got '" +
           spec.str() + "'";
  llvm::SmallVector<int64_t> shape;
  llvm::SmallVector<llvm::StringRef> parts;
  dims.split(parts, 'x');
  for (llvm::StringRef part : parts) {
    int64_t d;
    if (part.getAsInteger(10, d) || d < 0 || d > (int64_t(1) << 31))
      return "--input-shape for '" + name.str() + "': '" + part.str() +
             "' is not a valid dimension";
    shape.push_back(d);
  }
  options.inputShapes[name] = shape;
  return "";
}

namespace {
/// Loads tensors stored outside the model (onnx.save(...,
/// save_as_external_data=True)) into raw_data, refusing any location that
/// leaves the model's folder.
struct ExternalDataLoader {
  std::string modelDir;
  std::string error;

  bool load(onnx::TensorProto &tensor) {
    if (tensor.data_location() != onnx::TensorProto::EXTERNAL)
      return true;
    std::string location;
    int64_t offset = 0, length = -1;
    for (const auto &kv : tensor.external_data()) {
      if (kv.key() == "location")
        location = kv.value();
      else if (kv.key() == "offset" &&
               llvm::StringRef(kv.value()).getAsInteger(10, offset))
        return fail(tensor, "has an invalid external data offset");
      else if (kv.key() == "length" &&
               llvm::StringRef(kv.value()).getAsInteger(10, length))
        return fail(tensor, "has an invalid external data length");
    }
    if (modelDir.empty())
      return fail(tensor, "has external data, which needs a model file on disk");
    if (location.empty())
      return fail(tensor, "has external data without a location");
    if (llvm::sys::path::is_absolute(location) ||
        llvm::sys::path::is_absolute(location, llvm::sys::path::Style::windows))
      return fail(tensor, "has an absolute external data location '" +
                              location + "', which is refused");
    for (auto it = llvm::sys::path::begin(location),
              end = llvm::sys::path::end(location);
         it != end; ++it)
      if (*it == "..")
        return fail(tensor, "has an external data location '" + location +
                                "' that leaves the model's folder");
    if (location.find('\\') != std::string::npos)
      return fail(tensor, "has an external data location '" + location +
                              "' with a backslash, which is refused");
    llvm::SmallString<256> path(modelDir);
    llvm::sys::path::append(path, location);
    // Symbolic links must not lead out of the folder either.
    llvm::SmallString<256> realDir, realPath;
    if (llvm::sys::fs::real_path(modelDir, realDir) ||
        llvm::sys::fs::real_path(path, realPath))
      return fail(tensor, "has external data in '" + location +
                              "', which cannot be opened");
    if (!llvm::StringRef(realPath).starts_with(realDir.str().str() + "/"))
      return fail(tensor, "has an external data location '" + location +
                              "' that resolves outside the model's folder");
    auto buffer = llvm::MemoryBuffer::getFile(realPath, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (!buffer)
      return fail(tensor, "has external data in '" + location +
                              "', which cannot be read");
    int64_t size = (*buffer)->getBufferSize();
    if (offset < 0 || offset > size)
      return fail(tensor, "has an external data offset past the end of '" +
                              location + "'");
    if (length < 0)
      length = size - offset;
    if (length > size - offset)
      return fail(tensor, "has external data past the end of '" + location +
                              "'");
    tensor.set_raw_data((*buffer)->getBufferStart() + offset, length);
    tensor.clear_external_data();
    tensor.set_data_location(onnx::TensorProto::DEFAULT);
    return true;
  }

  bool fail(const onnx::TensorProto &tensor, const std::string &msg) {
    error = "tensor '" + tensor.name() + "' " + msg;
    return false;
  }
};

/// The first line of an exception message (libonnx's can span many).
std::string firstLine(const char *what) {
  llvm::StringRef s(what);
  s = s.trim();
  return s.substr(0, s.find('\n')).str();
}
} // namespace

/// Checks, converts and shape-infers `model` in place. Returns an error
/// message, or "" on success.
static std::string prepareModel(onnx::ModelProto &model,
                                llvm::StringRef modelDir,
                                const ONNXImportOptions &options) {
  if (!model.has_graph())
    return "the model has no graph";
  onnx::GraphProto *g = model.mutable_graph();

  ExternalDataLoader loader{modelDir.str(), ""};
  for (auto &init : *g->mutable_initializer())
    if (!loader.load(init))
      return loader.error;
  for (auto &node : *g->mutable_node())
    for (auto &a : *node.mutable_attribute())
      if (a.has_t() && !loader.load(*a.mutable_t()))
        return loader.error;

  // Static shapes given on the command line replace the declared ones.
  if (!options.inputShapes.empty()) {
    for (const auto &entry : options.inputShapes) {
      onnx::ValueInfoProto *input = nullptr;
      for (auto &vi : *g->mutable_input())
        if (vi.name() == entry.getKey())
          input = &vi;
      if (!input) {
        std::string names;
        for (const auto &vi : g->input())
          names += (names.empty() ? "" : ", ") + vi.name();
        return "--input-shape names '" + entry.getKey().str() +
               "', which is not a graph input (inputs: " + names + ")";
      }
      auto *tensorType = input->mutable_type()->mutable_tensor_type();
      if (tensorType->has_shape() &&
          tensorType->shape().dim_size() != (int)entry.getValue().size())
        return "graph input '" + entry.getKey().str() + "' has rank " +
               std::to_string(tensorType->shape().dim_size()) +
               " but --input-shape gives " +
               std::to_string(entry.getValue().size()) + " dims";
      tensorType->clear_shape();
      auto *shape = tensorType->mutable_shape();
      for (int64_t d : entry.getValue())
        shape->add_dim()->set_dim_value(d);
    }
    // Stale intermediate shapes would contradict the new ones.
    g->clear_value_info();
    for (auto &out : *g->mutable_output())
      if (out.type().has_tensor_type())
        out.mutable_type()->mutable_tensor_type()->clear_shape();
  }

  int64_t opset = -1;
  for (const auto &imp : model.opset_import())
    if (imp.domain().empty() || imp.domain() == "ai.onnx")
      opset = imp.version();
  if (opset < 0)
    return "the model imports no version of the default ONNX domain";
  if (opset < 7 || opset > options.targetOpset)
    return "opset " + std::to_string(opset) + " is outside the supported " +
           "range 7-" + std::to_string(options.targetOpset);

  try {
    onnx::checker::check_model(model);
  } catch (const std::exception &e) {
    return "the ONNX checker rejected the model: " + firstLine(e.what());
  }
  if (opset != options.targetOpset) {
    try {
      model = onnx::version_conversion::ConvertVersion(model,
                                                       options.targetOpset);
    } catch (const std::exception &e) {
      return "converting from opset " + std::to_string(opset) + " to " +
             std::to_string(options.targetOpset) +
             " failed: " + firstLine(e.what());
    }
  }
  try {
    onnx::ShapeInferenceOptions inference(/*check_type=*/true,
                                          /*error_mode=*/1,
                                          /*enable_data_propagation=*/true);
    onnx::shape_inference::InferShapes(
        model, onnx::OpSchemaRegistry::Instance(), inference);
  } catch (const std::exception &e) {
    return "ONNX shape inference failed: " + firstLine(e.what());
  }
  return "";
}

OwningOpRef<ModuleOp> mlir::qopt::importONNXBuffer(
    llvm::StringRef bytes, llvm::StringRef displayName,
    llvm::StringRef modelDir, MLIRContext *context,
    const ONNXImportOptions &options) {
  context->loadDialect<QOptDialect, func::FuncDialect, quant::QuantDialect>();
  auto error = [&](const llvm::Twine &msg) {
    emitError(UnknownLoc::get(context)) << displayName << ": " << msg;
    return OwningOpRef<ModuleOp>();
  };
  if (bytes.size() > INT_MAX)
    return error("the model is larger than 2 GiB; store its weights as "
                 "external data");
  onnx::ModelProto model;
  if (bytes.empty() || !model.ParseFromArray(bytes.data(), (int)bytes.size()))
    return error("not a valid ONNX model: the protobuf is malformed or "
                 "truncated");
  std::string problem = prepareModel(model, modelDir, options);
  if (!problem.empty())
    return error(problem);

  OwningOpRef<ModuleOp> module =
      ModuleOp::create(FileLineColLoc::get(context, displayName, 0, 0));
  GraphImporter importer(context, displayName);
  LogicalResult result = failure();
  try {
    result = importer.importGraph(model, *module, options);
  } catch (const std::exception &e) {
    return error("import failed: " + firstLine(e.what()));
  }
  if (failed(result))
    return {};
  return module;
}

OwningOpRef<ModuleOp>
mlir::qopt::importONNXFile(llvm::StringRef path, MLIRContext *context,
                           const ONNXImportOptions &options) {
  if (llvm::sys::fs::is_directory(path)) {
    emitError(UnknownLoc::get(context))
        << path << ": is a directory, not an ONNX model";
    return {};
  }
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    emitError(UnknownLoc::get(context))
        << path << ": cannot read the file: " << buffer.getError().message();
    return {};
  }
  llvm::SmallString<256> dir(path);
  llvm::sys::path::remove_filename(dir);
  if (dir.empty())
    dir = ".";
  return importONNXBuffer((*buffer)->getBuffer(), path, dir, context, options);
}
