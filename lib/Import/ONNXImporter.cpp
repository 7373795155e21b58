//===- ONNXImporter.cpp - load, check, convert and infer an ONNX model ----===//
//
// This file and the converters are compiled with C++ exceptions: libonnx's
// checker, version converter and shape inference report errors by throwing.
// Every exception is caught here and becomes one diagnostic.
//
//===----------------------------------------------------------------------===//

#include "qopt/Import/ONNXImporter.h"
#include "GraphImporter.h"
#include "MicrosoftQuantOps.h"

#include "qopt/Dialect/QOpt/IR/QOpt.h"

#include "onnx/checker.h"
#include "onnx/shape_inference/implementation.h"
#include "onnx/version_converter/convert.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cstring>
#include <optional>

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

/// An exception message on one line: libonnx's span several (the checker
/// names the offending node on the second), so line breaks and runs of
/// spaces become single spaces, and very long messages are cut.
std::string oneLine(const char *what) {
  llvm::SmallVector<llvm::StringRef> words;
  llvm::SplitString(what, words);
  std::string line = llvm::join(words, " ");
  if (line.size() > 400)
    line = line.substr(0, 400) + "...";
  return line;
}
} // namespace

/// The float values of the initializer or Constant node output `name`, or
/// nothing if it is neither or not a float tensor.
static std::optional<std::vector<float>>
constantFloats(const onnx::GraphProto &g, const std::string &name) {
  const onnx::TensorProto *tensor = nullptr;
  for (const auto &init : g.initializer())
    if (init.name() == name)
      tensor = &init;
  for (const auto &node : g.node())
    if (node.op_type() == "Constant" && node.output_size() == 1 &&
        node.output(0) == name)
      for (const auto &a : node.attribute())
        if (a.name() == "value" && a.has_t())
          tensor = &a.t();
  if (!tensor || tensor->data_type() != onnx::TensorProto::FLOAT)
    return std::nullopt;
  if (!tensor->has_raw_data())
    return std::vector<float>(tensor->float_data().begin(),
                              tensor->float_data().end());
  std::vector<float> values(tensor->raw_data().size() / sizeof(float));
  std::memcpy(values.data(), tensor->raw_data().data(),
              values.size() * sizeof(float));
  return values;
}

/// Resize-10 and Upsample sample asymmetrically (x_in = x_out / scale), and
/// pick nearest neighbours as ONNX Runtime does: rounding down when
/// upsampling, up when downsampling. The version converter turns them into
/// Resize-11 without attributes, which would default to half_pixel; this
/// spells the old semantics out. Returns an error message, or "".
static std::string keepLegacyResizeSemantics(onnx::GraphProto &g) {
  for (auto &node : *g.mutable_node()) {
    if (node.op_type() != "Resize")
      continue;
    auto setString = [&](const char *name, const char *value) {
      for (const auto &a : node.attribute())
        if (a.name() == name)
          return;
      auto *a = node.add_attribute();
      a->set_name(name);
      a->set_type(onnx::AttributeProto::STRING);
      a->set_s(value);
    };
    setString("coordinate_transformation_mode", "asymmetric");
    std::string mode = "nearest";
    for (const auto &a : node.attribute())
      if (a.name() == "mode")
        mode = a.s();
    if (mode != "nearest")
      continue;
    bool up = false, down = false;
    if (node.input_size() > 2)
      if (auto scales = constantFloats(g, node.input(2)))
        for (float s : *scales) {
          up |= s > 1.0f;
          down |= s < 1.0f;
        }
    if (up && down)
      return "Resize node '" + node.name() + "' of an opset below 11 both " +
             "up- and downsamples in nearest mode, which cannot be expressed "
             "as one nearest_mode";
    setString("nearest_mode", down ? "ceil" : "floor");
  }
  return "";
}

/// Rewrites the value_int(s) and value_float(s) forms of Constant nodes as
/// `value` tensors: ONNX shape inference only reads the latter, and shapes
/// built from the former would otherwise stay unknown.
static void normalizeConstantNodes(onnx::GraphProto &g) {
  for (auto &node : *g.mutable_node()) {
    if (node.op_type() != "Constant" || node.attribute_size() != 1)
      continue;
    onnx::AttributeProto &a = *node.mutable_attribute(0);
    onnx::TensorProto t;
    if (a.name() == "value_int") {
      t.set_data_type(onnx::TensorProto::INT64);
      t.add_int64_data(a.i());
    } else if (a.name() == "value_ints") {
      t.set_data_type(onnx::TensorProto::INT64);
      t.add_dims(a.ints_size());
      *t.mutable_int64_data() = a.ints();
    } else if (a.name() == "value_float") {
      t.set_data_type(onnx::TensorProto::FLOAT);
      t.add_float_data(a.f());
    } else if (a.name() == "value_floats") {
      t.set_data_type(onnx::TensorProto::FLOAT);
      t.add_dims(a.floats_size());
      *t.mutable_float_data() = a.floats();
    } else {
      continue;
    }
    a.Clear();
    a.set_name("value");
    a.set_type(onnx::AttributeProto::TENSOR);
    *a.mutable_t() = std::move(t);
  }
}

/// The structural rules libonnx's version converter and shape inference
/// assume without checking (they crash on graphs that break them): every
/// edge has one producer that comes earlier, every graph output is produced,
/// and there are no subgraphs. Returns an error message or "".
static std::string validateStructure(const onnx::GraphProto &g,
                                     int64_t opset) {
  llvm::StringSet<> available, producedLater;
  for (const auto &vi : g.input())
    available.insert(vi.name());
  for (const auto &init : g.initializer())
    available.insert(init.name());
  for (const auto &node : g.node())
    for (const auto &out : node.output())
      if (!out.empty())
        producedLater.insert(out);
  auto nodeError = [&](const onnx::NodeProto &node, int index,
                       const std::string &msg) {
    return "node '" + node.name() + "' (#" + std::to_string(index) + ", " +
           node.op_type() + ", opset " + std::to_string(opset) + "): " + msg;
  };
  for (int index = 0; index < g.node_size(); ++index) {
    const onnx::NodeProto &node = g.node(index);
    for (const auto &attr : node.attribute())
      if (attr.has_g() || attr.graphs_size() > 0)
        return nodeError(node, index,
                         "ops with subgraphs (control flow) are not supported");
    for (const auto &in : node.input()) {
      if (in.empty() || available.contains(in))
        continue;
      if (producedLater.contains(in))
        return nodeError(node, index,
                         "input '" + in + "' is used before it is produced "
                         "(a graph cycle, or nodes out of topological order)");
      return nodeError(node, index,
                       "input '" + in + "' is not produced by any node, "
                       "initializer or graph input (a dangling edge)");
    }
    for (const auto &out : node.output()) {
      if (out.empty())
        continue;
      if (available.contains(out))
        return nodeError(node, index,
                         "output '" + out + "' is produced more than once");
      available.insert(out);
    }
  }
  for (const auto &vi : g.output())
    if (!available.contains(vi.name()))
      return "graph output '" + vi.name() +
             "' is not produced by any node, initializer or graph input";
  return "";
}

/// libonnx's checker, version converter (to the target opset) and shape
/// inference, in place. Returns an error message, or "".
static std::string runLibONNX(onnx::ModelProto &model, int64_t opset,
                              const ONNXImportOptions &options) {
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception &e) {
    return "the ONNX checker rejected the model: " + oneLine(e.what());
  }
  if (opset != options.targetOpset) {
    try {
      model = onnx::version_conversion::ConvertVersion(model,
                                                       options.targetOpset);
    } catch (const std::exception &e) {
      return "converting from opset " + std::to_string(opset) + " to " +
             std::to_string(options.targetOpset) +
             " failed: " + oneLine(e.what());
    }
    if (opset < 11) {
      std::string problem = keepLegacyResizeSemantics(*model.mutable_graph());
      if (!problem.empty())
        return problem;
    }
  }
  normalizeConstantNodes(*model.mutable_graph());
  try {
    onnx::ShapeInferenceOptions inference(/*check_type=*/true,
                                          /*error_mode=*/1,
                                          /*enable_data_propagation=*/true);
    onnx::shape_inference::InferShapes(
        model, onnx::OpSchemaRegistry::Instance(), inference);
  } catch (const std::exception &e) {
    return "ONNX shape inference failed: " + oneLine(e.what());
  }
  return "";
}

static bool writeAll(int fd, const std::string &data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    done += n;
  }
  return true;
}

static std::string readAll(int fd) {
  std::string data;
  char buffer[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return data;
    data.append(buffer, n);
  }
}

/// runLibONNX in a child process. libonnx 1.12's shape inference trusts
/// input ranks it never checks (ConvTranspose with a rank-0 weight
/// dereferences a missing dim, for one) and crashes on such malformed
/// models; in a child, the crash becomes an error line and a hang a
/// time-out. The child returns the converted model serialized over a pipe.
static std::string runLibONNXIsolated(onnx::ModelProto &model, int64_t opset,
                                      const ONNXImportOptions &options) {
  constexpr unsigned timeoutSeconds = 300;
  int fds[2];
  if (::pipe(fds) != 0)
    return runLibONNX(model, opset, options);
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return runLibONNX(model, opset, options);
  }
  if (pid == 0) {
    ::close(fds[0]);
    // A crash here must not print a stack dump (LLVM's handlers) or anything
    // else: the parent reports it in one line.
    for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGALRM})
      std::signal(sig, SIG_DFL);
    int devNull = ::open("/dev/null", O_WRONLY);
    if (devNull >= 0)
      ::dup2(devNull, STDERR_FILENO);
    ::alarm(timeoutSeconds);
    std::string problem = runLibONNX(model, opset, options);
    std::string payload = problem.empty() ? "M" : "E" + problem;
    if (problem.empty())
      model.AppendToString(&payload);
    bool ok = writeAll(fds[1], payload);
    ::_exit(ok ? 0 : 1);
  }
  ::close(fds[1]);
  // The child sends the whole model back: free the parent's copy (with its
  // weights) before reading it.
  {
    onnx::ModelProto empty;
    model.Swap(&empty);
  }
  std::string data = readAll(fds[0]);
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (WIFSIGNALED(status)) {
    if (WTERMSIG(status) == SIGALRM)
      return "libonnx's checker, version converter and shape inference did "
             "not finish within " +
             std::to_string(timeoutSeconds) + " s";
    return std::string("libonnx crashed (") + ::strsignal(WTERMSIG(status)) +
           ") while checking, converting or inferring shapes: the model is "
           "malformed in a way libonnx 1.12 does not check";
  }
  if (data.empty() || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return "libonnx's checker and shape inference ended without a result";
  if (data[0] == 'E')
    return data.substr(1);
  onnx::ModelProto result;
  if (!result.ParseFromArray(data.data() + 1, (int)data.size() - 1))
    return "the shape-inferred model could not be read back";
  model = std::move(result);
  return "";
}

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
  // Bad initializers (negative dims, data that does not fill the shape) are
  // reported by name here, before the checker and shape inference trip over
  // them with less clear messages.
  for (const auto &init : g->initializer()) {
    HostTensor scratch;
    std::string why;
    if (!readTensorProto(init, scratch, why))
      return "initializer '" + init.name() + "' " + why;
  }

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
    // Stale intermediate shapes would contradict the new ones. Outputs keep
    // their rank with every dim unknown: the checker requires a shape.
    g->clear_value_info();
    for (auto &out : *g->mutable_output())
      if (out.type().has_tensor_type() && out.type().tensor_type().has_shape())
        for (auto &dim : *out.mutable_type()
                              ->mutable_tensor_type()
                              ->mutable_shape()
                              ->mutable_dim())
          dim.clear_value();
  }

  // ORT's com.microsoft quantized ops become standard QDQ nodes first, so
  // that the checker, the version converter and shape inference cover them.
  if (std::string problem = expandMicrosoftQuantOps(model); !problem.empty())
    return problem;

  int64_t opset = -1;
  for (const auto &imp : model.opset_import())
    if (imp.domain().empty() || imp.domain() == "ai.onnx")
      opset = imp.version();
  if (opset < 0)
    return "the model imports no version of the default ONNX domain";
  // ONNX's version converter adapts every opset from 1 up (and throws, which
  // becomes an error below, where it has no adapter for an op).
  if (opset < 1 || opset > options.targetOpset)
    return "opset " + std::to_string(opset) + " is outside the supported " +
           "range 1-" + std::to_string(options.targetOpset);

  std::string structural = validateStructure(*g, opset);
  if (!structural.empty())
    return structural;
  return runLibONNXIsolated(model, opset, options);
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
    return error("import failed: " + oneLine(e.what()));
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
