//===- GraphImporter.cpp - one ONNX graph to one func.func ----------------===//

#include "GraphImporter.h"

#include "qopt/Dialect/QOpt/IR/QOpt.h"
#include "qopt/Dialect/QOpt/IR/Verification.h"

#include "onnx/shape_inference/implementation.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::onnx_import;

//===----------------------------------------------------------------------===//
// NodeImporter
//===----------------------------------------------------------------------===//

std::string NodeImporter::name() const {
  return node.name().empty() ? node.op_type() + "_" + std::to_string(index)
                             : node.name();
}

LogicalResult NodeImporter::fail(const llvm::Twine &message) {
  if (reported)
    return failure();
  reported = true;
  emitError(UnknownLoc::get(b.getContext()))
      << graph.fileName << ": node '" << node.name() << "' (#" << index << ", "
      << node.op_type() << ", opset " << opset << "): " << message;
  return failure();
}

FailureOr<Value> NodeImporter::input(unsigned i) {
  if (!hasInput(i))
    return fail("input #" + llvm::Twine(i) + " is missing");
  llvm::StringRef name = node.input(i);
  if (Value v = graph.values.lookup(name))
    return v;
  if (graph.constants.count(name))
    return graph.materialize(name, b);
  return fail("input '" + name + "' is not produced by any earlier node, "
              "initializer or graph input");
}

const HostTensor *NodeImporter::constInput(unsigned i) {
  if (!hasInput(i))
    return nullptr;
  auto it = graph.constants.find(node.input(i));
  return it == graph.constants.end() ? nullptr : &it->second;
}

FailureOr<std::vector<int64_t>> NodeImporter::constInts(unsigned i,
                                                        llvm::StringRef what) {
  const HostTensor *t = constInput(i);
  if (!t) {
    (void)fail("input '" + what + "' must be a constant (static shapes only)");
    return failure();
  }
  if (!t->isInteger()) {
    (void)fail("input '" + what + "' must be an integer tensor, got " +
               dtypeName(t->dtype));
    return failure();
  }
  return t->ints();
}

FailureOr<RankedTensorType> NodeImporter::inputType(unsigned i) {
  if (!hasInput(i)) {
    (void)fail("input #" + llvm::Twine(i) + " is missing");
    return failure();
  }
  llvm::StringRef name = node.input(i);
  if (Value v = graph.values.lookup(name))
    return cast<RankedTensorType>(v.getType());
  if (const HostTensor *t = constInput(i)) {
    Type elem = elementTypeFor(t->dtype, b.getContext());
    if (!elem) {
      (void)fail("input '" + name + "' has unsupported data type " +
                 dtypeName(t->dtype));
      return failure();
    }
    return RankedTensorType::get(t->dims, elem);
  }
  (void)fail("input '" + name + "' is not produced by any earlier node, "
             "initializer or graph input");
  return failure();
}

bool NodeImporter::allInputsConstant() {
  for (int i = 0; i < node.input_size(); ++i)
    if (hasInput(i) && !constInput(i))
      return false;
  return true;
}

const onnx::AttributeProto *NodeImporter::attr(llvm::StringRef name) const {
  for (const auto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t NodeImporter::attrInt(llvm::StringRef name, int64_t dflt) const {
  const auto *a = attr(name);
  return a ? a->i() : dflt;
}

float NodeImporter::attrFloat(llvm::StringRef name, float dflt) const {
  const auto *a = attr(name);
  return a ? a->f() : dflt;
}

std::string NodeImporter::attrString(llvm::StringRef name,
                                     llvm::StringRef dflt) const {
  const auto *a = attr(name);
  return a ? a->s() : dflt.str();
}

std::optional<llvm::SmallVector<int64_t>>
NodeImporter::attrInts(llvm::StringRef name) const {
  const auto *a = attr(name);
  if (!a)
    return std::nullopt;
  return llvm::SmallVector<int64_t>(a->ints().begin(), a->ints().end());
}

FailureOr<RankedTensorType> NodeImporter::outputType(unsigned i) {
  if (!hasOutput(i)) {
    (void)fail("output #" + llvm::Twine(i) + " is missing");
    return failure();
  }
  std::string why;
  auto type = graph.typeOf(node.output(i), why);
  if (failed(type) && succeeded(graph.reinferNode(node))) {
    std::string ignored;
    type = graph.typeOf(node.output(i), ignored);
  }
  if (failed(type))
    (void)fail("output '" + node.output(i) + "' " + why);
  return type;
}

void NodeImporter::setOutput(unsigned i, Value value) {
  if (hasOutput(i))
    graph.values[node.output(i)] = value;
}

void NodeImporter::setConstOutput(unsigned i, HostTensor tensor) {
  if (hasOutput(i))
    graph.constants[node.output(i)] = std::move(tensor);
}

//===----------------------------------------------------------------------===//
// GraphImporter
//===----------------------------------------------------------------------===//

FailureOr<RankedTensorType> GraphImporter::typeOf(llvm::StringRef name,
                                                  std::string &why) {
  const onnx::TypeProto *type = types.lookup(name);
  if (!type || !type->has_tensor_type()) {
    why = "has no inferred tensor type";
    return failure();
  }
  const auto &tensor = type->tensor_type();
  Type elem = elementTypeFor(tensor.elem_type(), context);
  if (!elem) {
    why = "has unsupported data type " + dtypeName(tensor.elem_type());
    return failure();
  }
  if (!tensor.has_shape()) {
    why = "has no inferred shape";
    return failure();
  }
  llvm::SmallVector<int64_t> dims;
  for (const auto &d : tensor.shape().dim()) {
    if (d.has_dim_value()) {
      if (d.dim_value() < 0 || d.dim_value() > (int64_t(1) << 40)) {
        why = "has an invalid dimension " + std::to_string(d.dim_value());
        return failure();
      }
      dims.push_back(d.dim_value());
    } else {
      why = d.has_dim_param() ? "has the symbolic dimension '" +
                                    d.dim_param() + "'"
                              : "has a dimension of unknown size";
      return failure();
    }
  }
  return RankedTensorType::get(dims, elem);
}

/// The ONNX data type of an MLIR element type (signless integers read as
/// signed; quantized types as their storage).
static int32_t onnxTypeOf(Type type) {
  if (auto q = dyn_cast<quant::QuantizedType>(type))
    return q.getStorageTypeIntegralWidth() == 32 ? onnx::TensorProto::INT32
           : q.isSigned()                       ? onnx::TensorProto::INT8
                                                : onnx::TensorProto::UINT8;
  if (type.isF32()) return onnx::TensorProto::FLOAT;
  if (type.isF64()) return onnx::TensorProto::DOUBLE;
  if (type.isF16()) return onnx::TensorProto::FLOAT16;
  if (type.isBF16()) return onnx::TensorProto::BFLOAT16;
  if (type.isInteger(1)) return onnx::TensorProto::BOOL;
  if (type.isInteger(8)) return onnx::TensorProto::INT8;
  if (type.isInteger(16)) return onnx::TensorProto::INT16;
  if (type.isInteger(32)) return onnx::TensorProto::INT32;
  if (type.isInteger(64)) return onnx::TensorProto::INT64;
  return onnx::TensorProto::UNDEFINED;
}

LogicalResult GraphImporter::reinferNode(const onnx::NodeProto &node) {
  if (!model || !reinferAttempted.insert(&node).second)
    return failure();
  onnx::ModelProto single;
  single.set_ir_version(model->ir_version());
  *single.mutable_opset_import() = model->opset_import();
  onnx::GraphProto *g = single.mutable_graph();
  *g->add_node() = node;
  llvm::StringSet<> seen;
  for (const std::string &name : node.input()) {
    if (name.empty() || !seen.insert(name).second)
      continue;
    if (auto it = constants.find(name); it != constants.end()) {
      onnx::TensorProto *t = g->add_initializer();
      t->set_name(name);
      t->set_data_type(it->second.dtype);
      for (int64_t d : it->second.dims)
        t->add_dims(d);
      t->set_raw_data(it->second.raw);
      continue;
    }
    Value v = values.lookup(name);
    if (!v)
      return failure();
    auto type = cast<RankedTensorType>(v.getType());
    // The recorded ONNX type tells int8 from uint8; the value its shape.
    int32_t elemType = onnxTypeOf(type.getElementType());
    if (const onnx::TypeProto *t = types.lookup(name); t && t->has_tensor_type())
      elemType = t->tensor_type().elem_type();
    onnx::ValueInfoProto *in = g->add_input();
    in->set_name(name);
    auto *tensorType = in->mutable_type()->mutable_tensor_type();
    tensorType->set_elem_type(elemType);
    auto *shape = tensorType->mutable_shape();
    for (int64_t d : type.getShape())
      shape->add_dim()->set_dim_value(d);
  }
  try {
    onnx::ShapeInferenceOptions options(/*check_type=*/false, /*error_mode=*/1,
                                        /*enable_data_propagation=*/true);
    onnx::shape_inference::InferShapes(
        single, onnx::OpSchemaRegistry::Instance(), options);
  } catch (const std::exception &) {
    return failure();
  }
  for (const auto &vi : g->value_info()) {
    onnx::TypeProto &stored = reinferred[vi.name()];
    stored = vi.type();
    types[vi.name()] = &stored;
  }
  return success();
}

Value GraphImporter::materialize(llvm::StringRef name, OpBuilder &b) {
  if (Value v = materialized.lookup(name))
    return v;
  const HostTensor &t = constants.find(name)->second;
  auto type = RankedTensorType::get(t.dims, elementTypeFor(t.dtype, context));
  // Constants go to the top of the function so that every user sees them.
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(entry);
  Value v = ConstantOp::create(b, NameLoc::get(b.getStringAttr(name)), type,
                               toElementsAttr(t, type, name))
                .getResult();
  materialized[name] = v;
  return v;
}

static ConverterMap buildConverters() {
  ConverterMap map;
  addElementwiseConverters(map);
  addNeuralNetConverters(map);
  addReductionConverters(map);
  addLogicalConverters(map);
  addSelectionConverters(map);
  addNormalizationConverters(map);
  addDataMovementConverters(map);
  addQuantizationConverters(map);
  return map;
}

static const ConverterMap &getConverters() {
  static const ConverterMap converters = buildConverters();
  return converters;
}

std::vector<SupportedONNXOp> mlir::qopt::getSupportedONNXOps() {
  std::vector<SupportedONNXOp> ops;
  for (const auto &entry : getConverters())
    ops.push_back({entry.getKey().str(), isFoldableOpType(entry.getKey())
                                             ? "converted,folded"
                                             : "converted"});
  for (llvm::StringRef op : {"Constant", "Shape", "Size", "ConstantOfShape",
                             "Range", "Expand", "Where", "Equal", "Less",
                             "Greater", "Mod"})
    if (!getConverters().count(op))
      ops.push_back({op.str(), "folded"});
  llvm::sort(ops, [](const SupportedONNXOp &a, const SupportedONNXOp &b) {
    return a.opType < b.opType;
  });
  return ops;
}

LogicalResult GraphImporter::importGraph(onnx::ModelProto &model,
                                         ModuleOp module,
                                         const ONNXImportOptions &options) {
  const ConverterMap &converters = getConverters();
  this->model = &model;
  const onnx::GraphProto &g = model.graph();
  auto error = [&](const llvm::Twine &msg) {
    emitError(UnknownLoc::get(context)) << fileName << ": " << msg;
    return failure();
  };

  int64_t opset = 0;
  for (const auto &imp : model.opset_import())
    if (imp.domain().empty() || imp.domain() == "ai.onnx")
      opset = imp.version();

  for (const auto &vi : g.input())
    types[vi.name()] = &vi.type();
  for (const auto &vi : g.value_info())
    types[vi.name()] = &vi.type();
  for (const auto &vi : g.output())
    types[vi.name()] = &vi.type();

  for (auto &init : *model.mutable_graph()->mutable_initializer()) {
    HostTensor t;
    std::string why;
    if (!takeTensorProto(init, t, why))
      return error("initializer '" + init.name() + "' " + why);
    constants[init.name()] = std::move(t);
  }

  // Graph inputs that are not initializers become function arguments.
  llvm::SmallVector<Type> argTypes;
  llvm::SmallVector<std::string> argNames;
  for (const auto &vi : g.input()) {
    if (constants.count(vi.name()))
      continue;
    std::string why;
    auto type = typeOf(vi.name(), why);
    if (failed(type)) {
      if (why.find("symbolic") != std::string::npos ||
          why.find("unknown") != std::string::npos)
        return error("graph input '" + vi.name() + "' " + why +
                     ": give a static shape with --input-shape=" + vi.name() +
                     ":DIMS (e.g. 1x3x224x224)");
      return error("graph input '" + vi.name() + "' " + why);
    }
    argTypes.push_back(*type);
    argNames.push_back(vi.name());
  }

  OpBuilder b(context);
  b.setInsertionPointToEnd(module.getBody());
  auto func = func::FuncOp::create(
      b, FileLineColLoc::get(b.getStringAttr(fileName), 0, 0),
      options.functionName, b.getFunctionType(argTypes, {}));
  entry = func.addEntryBlock();
  for (auto [i, name] : llvm::enumerate(argNames)) {
    values[name] = entry->getArgument(i);
    func.setArgAttr(i, "qopt.name", b.getStringAttr(name));
  }
  b.setInsertionPointToEnd(entry);

  for (int index = 0; index < g.node_size(); ++index) {
    const onnx::NodeProto &node = g.node(index);
    Location loc = NameLoc::get(
        b.getStringAttr(node.name().empty()
                            ? node.op_type() + "_" + std::to_string(index)
                            : node.name()),
        FileLineColLoc::get(b.getStringAttr(fileName), index + 1, 0));
    NodeImporter ni(*this, node, index, opset, b, loc);
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      return ni.fail("op domain '" + node.domain() + "' is not supported");

    FailureOr<bool> folded = tryFoldNode(ni);
    if (failed(folded))
      return failure();
    if (*folded)
      continue;

    auto it = converters.find(node.op_type());
    if (it == converters.end())
      return ni.fail("unsupported op type '" + node.op_type() + "'" +
                     (isFoldableOpType(node.op_type())
                          ? " (supported only when its inputs are constant)"
                          : ""));

    // Verify the ops this node created, reporting their errors as the node's.
    Operation *before = entry->empty() ? nullptr : &entry->back();
    if (failed(it->second(ni)))
      return failure();
    std::string captured;
    {
      ScopedDiagnosticHandler capture(context, [&](Diagnostic &diag) {
        if (captured.empty())
          captured = diag.str();
        return success();
      });
      Operation *first = before ? before->getNextNode()
                                : (entry->empty() ? nullptr : &entry->front());
      for (Operation *op = first; op; op = op->getNextNode())
        if (failed(mlir::verify(op)))
          break;
    }
    if (!captured.empty())
      return ni.fail("produced an invalid op: " + captured);
    for (int i = 0; i < node.output_size(); ++i)
      if (ni.hasOutput(i) && !values.count(node.output(i)) &&
          !constants.count(node.output(i)))
        return ni.fail("output '" + node.output(i) + "' was not produced");
  }

  llvm::SmallVector<Value> results;
  for (const auto &vi : g.output()) {
    Value v = values.lookup(vi.name());
    if (!v && constants.count(vi.name()))
      v = materialize(vi.name(), b);
    if (!v)
      return error("graph output '" + vi.name() +
                   "' is not produced by any node");
    results.push_back(v);
  }
  func::ReturnOp::create(b, func.getLoc(), results);
  func.setFunctionType(
      b.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [i, vi] : llvm::enumerate(g.output()))
    func.setResultAttr(i, "qopt.name", b.getStringAttr(vi.name()));
  return success();
}
