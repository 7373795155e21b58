//===- MicrosoftQuantOps.cpp - ORT's com.microsoft quantized ops ----------===//
//
// Each com.microsoft QLinear* node becomes the standard ONNX nodes ORT's
// operator documentation defines it by:
//
//   QLinearAdd/Mul(A, sa, za, B, sb, zb, sc, zc)
//       → Q(Add/Mul(DQ(A, sa, za), DQ(B, sb, zb)), sc, zc)
//   QLinearSigmoid/LeakyRelu/GlobalAveragePool/AveragePool(X, sx, zx, sy, zy)
//       → Q(op(DQ(X, sx, zx)), sy, zy)
//   QLinearConcat(sy, zy, X0, s0, z0, X1, ...)
//       → Q(Concat(DQ(X0, s0, z0), ...), sy, zy)
//   QGemm(A, sa, za, B, sb, zb, C, sy, zy)
//       → Q(Gemm(DQ(A), DQ(B, per column), DQ(C, sa·sb, 0)), sy, zy)
//         (no Q when sy is absent: QGemm then returns float)
//
// A missing zero point is 0 of the data's type (ORT's rule). That type is
// read from the initializers, the graph's declared types and the nodes
// before this one (quantize ops fix it; data movement ops pass it on); the
// importer's converters then take these nodes as any QDQ model's.
//
//===----------------------------------------------------------------------===//

#include "MicrosoftQuantOps.h"

#include "HostTensor.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <functional>
#include <map>

using namespace mlir::qopt::onnx_import;
using TP = onnx::TensorProto;

namespace {

constexpr const char *kDomain = "com.microsoft";

/// Ops that pass their first input's element type on to their output.
bool keepsElementType(const std::string &op) {
  static const llvm::StringSet<> ops = {
      "MaxPool", "Relu",  "Reshape", "Flatten", "Transpose", "Squeeze",
      "Unsqueeze", "Identity", "Slice", "Gather", "Split", "Concat",
      "Pad", "Expand", "Tile", "Resize", "DepthToSpace", "SpaceToDepth"};
  return ops.contains(op);
}

class Expander {
public:
  explicit Expander(onnx::ModelProto &model) : model(model) {}

  std::string run();

private:
  using Node = onnx::NodeProto;

  // What one node's expansion needs and produces.
  std::string expand(const Node &node);
  std::string unary(const Node &node, const std::string &op,
                    bool copyAttributes);
  std::string binary(const Node &node, const std::string &op);
  std::string concat(const Node &node);
  std::string gemm(const Node &node);

  /// The element type of tensor `name`, or UNDEFINED when it is not known.
  int32_t dtypeOf(const std::string &name) const {
    auto it = dtypes.find(name);
    return it == dtypes.end() ? (int32_t)TP::UNDEFINED : it->second;
  }
  void recordOutputs(const Node &node);

  std::string input(const Node &node, int i) const {
    return i < node.input_size() ? node.input(i) : std::string();
  }
  std::string fresh(const Node &node, const std::string &what);
  Node &emit(const Node &from, const std::string &op,
             std::vector<std::string> inputs, std::vector<std::string> outputs);

  /// The zero point input `zp`, or a scalar 0 of the quantized type
  /// (created once per type) when it is missing. "" if the type is unknown.
  std::string zeroPoint(const std::string &zp, int32_t dtype);
  /// DequantizeLinear(x, scale, zp) with an optional axis; returns its output.
  std::string dequantize(const Node &node, const std::string &x,
                         const std::string &scale, const std::string &zp,
                         int64_t axis = -1);
  /// QuantizeLinear(x, scale, zp) into `output`; the type comes from the
  /// zero point, or from `dtype` when there is none.
  std::string quantize(const Node &node, const std::string &x,
                       const std::string &scale, const std::string &zp,
                       int32_t dtype, const std::string &output);
  const onnx::TensorProto *initializer(const std::string &name) const {
    auto it = initializers.find(name);
    return it == initializers.end() ? nullptr : it->second;
  }
  std::string fail(const Node &node, const std::string &msg) const {
    return "com.microsoft " + node.op_type() + " node '" + node.name() +
           "': " + msg;
  }

  onnx::ModelProto &model;
  int64_t opset = 0;
  std::map<std::string, int32_t> dtypes;
  std::map<std::string, const onnx::TensorProto *> initializers;
  llvm::StringSet<> names;
  std::map<int32_t, std::string> zeros;
  std::vector<onnx::TensorProto> newInitializers;
  std::vector<Node> out;
};

std::string Expander::fresh(const Node &node, const std::string &what) {
  std::string base =
      (node.name().empty() ? node.op_type() : node.name()) + "/" + what;
  std::string name = base;
  for (int i = 1; names.contains(name); ++i)
    name = base + "_" + std::to_string(i);
  names.insert(name);
  return name;
}

onnx::NodeProto &Expander::emit(const Node &from, const std::string &op,
                                std::vector<std::string> inputs,
                                std::vector<std::string> outputs) {
  Node &n = out.emplace_back();
  n.set_op_type(op);
  n.set_name(fresh(from, op));
  for (auto &i : inputs)
    n.add_input(i);
  for (auto &o : outputs)
    n.add_output(o);
  return n;
}

std::string Expander::zeroPoint(const std::string &zp, int32_t dtype) {
  if (!zp.empty())
    return zp;
  if (dtype != TP::INT8 && dtype != TP::UINT8)
    return "";
  auto [it, inserted] = zeros.try_emplace(dtype);
  if (inserted) {
    onnx::TensorProto t;
    it->second = "qopt_com_microsoft_zero_" +
                 std::string(dtype == TP::INT8 ? "i8" : "u8");
    names.insert(it->second);
    t.set_name(it->second);
    t.set_data_type(dtype);
    t.set_raw_data(std::string(1, '\0'));
    newInitializers.push_back(std::move(t));
    dtypes[it->second] = dtype;
  }
  return it->second;
}

std::string Expander::dequantize(const Node &node, const std::string &x,
                                 const std::string &scale,
                                 const std::string &zp, int64_t axis) {
  std::string y = fresh(node, x + "_dequantized");
  std::vector<std::string> inputs = {x, scale};
  if (!zp.empty())
    inputs.push_back(zp);
  Node &dq = emit(node, "DequantizeLinear", inputs, {y});
  if (axis >= 0) {
    auto *a = dq.add_attribute();
    a->set_name("axis");
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(axis);
  }
  dtypes[y] = TP::FLOAT;
  return y;
}

std::string Expander::quantize(const Node &node, const std::string &x,
                               const std::string &scale, const std::string &zp,
                               int32_t dtype, const std::string &output) {
  int32_t zpType = zp.empty() ? dtype : dtypeOf(zp);
  std::string z = zeroPoint(zp, zpType);
  if (z.empty())
    return fail(node, "the output zero point is missing and the input's "
                      "element type is not known, so the output type "
                      "(int8 or uint8) is undecided: give the zero point");
  emit(node, "QuantizeLinear", {x, scale, z}, {output});
  dtypes[output] = zpType;
  return "";
}

std::string Expander::unary(const Node &node, const std::string &op,
                            bool copyAttributes) {
  if (node.input_size() < 4 || node.output_size() != 1)
    return fail(node, "expects inputs (X, X_scale, X_zero_point, Y_scale, "
                      "Y_zero_point) and one output");
  Node float_op;
  for (const auto &a : node.attribute()) {
    if (a.name() == "channels_last") {
      if (a.i() != 0)
        return fail(node, "channels_last=1 (NHWC) is not supported");
      continue;
    }
    if (copyAttributes)
      *float_op.add_attribute() = a;
  }
  std::string x = dequantize(node, node.input(0), node.input(1), input(node, 2));
  std::string y = fresh(node, op + "_output");
  Node &n = emit(node, op, {x}, {y});
  *n.mutable_attribute() = float_op.attribute();
  return quantize(node, y, node.input(3), input(node, 4),
                  dtypeOf(node.input(0)), node.output(0));
}

std::string Expander::binary(const Node &node, const std::string &op) {
  if (node.input_size() < 7 || node.output_size() != 1)
    return fail(node, "expects inputs (A, A_scale, A_zero_point, B, B_scale, "
                      "B_zero_point, C_scale, C_zero_point) and one output");
  std::string a = dequantize(node, node.input(0), node.input(1), input(node, 2));
  std::string b = dequantize(node, node.input(3), node.input(4), input(node, 5));
  std::string y = fresh(node, op + "_output");
  emit(node, op, {a, b}, {y});
  return quantize(node, y, node.input(6), input(node, 7),
                  dtypeOf(node.input(0)), node.output(0));
}

std::string Expander::concat(const Node &node) {
  if (node.input_size() < 5 || (node.input_size() - 2) % 3 != 0 ||
      node.output_size() != 1)
    return fail(node, "expects inputs (Y_scale, Y_zero_point, then X, "
                      "X_scale, X_zero_point for each tensor) and one output");
  std::vector<std::string> parts;
  for (int i = 2; i < node.input_size(); i += 3)
    parts.push_back(
        dequantize(node, node.input(i), node.input(i + 1), node.input(i + 2)));
  std::string y = fresh(node, "Concat_output");
  Node &n = emit(node, "Concat", parts, {y});
  for (const auto &a : node.attribute())
    *n.add_attribute() = a;
  return quantize(node, y, node.input(0), node.input(1),
                  dtypeOf(node.input(2)), node.output(0));
}

/// QGemm's bias is int32 at scale sa·sb (per column when B's scale is):
/// its DequantizeLinear needs that product as a constant.
std::string Expander::gemm(const Node &node) {
  if (node.input_size() < 6 || node.output_size() != 1)
    return fail(node, "expects inputs (A, a_scale, a_zero_point, B, b_scale, "
                      "b_zero_point, C, y_scale, y_zero_point) and one output");
  int64_t transB = 0;
  for (const auto &a : node.attribute())
    if (a.name() == "transB")
      transB = a.i();
  const onnx::TensorProto *sa = initializer(node.input(1));
  const onnx::TensorProto *sb = initializer(node.input(4));
  HostTensor sat, sbt;
  std::string why;
  if (!sa || !sb || !readTensorProto(*sa, sat, why) ||
      !readTensorProto(*sb, sbt, why) || sat.dtype != TP::FLOAT ||
      sbt.dtype != TP::FLOAT)
    return fail(node, "a_scale and b_scale must be float initializers");
  if (sat.numElements() != 1)
    return fail(node, "a_scale must be a scalar");
  int64_t axisB = -1;
  if (sbt.numElements() > 1) {
    if (opset < 13)
      return fail(node, "per-column b_scale needs DequantizeLinear's axis "
                        "(opset 13 or newer; the model imports opset " +
                        std::to_string(opset) + ")");
    axisB = transB ? 0 : 1;
  }
  std::string a = dequantize(node, node.input(0), node.input(1), input(node, 2));
  std::string b =
      dequantize(node, node.input(3), node.input(4), input(node, 5), axisB);
  std::vector<std::string> gemmInputs = {a, b};
  if (!input(node, 6).empty()) {
    onnx::TensorProto scale;
    scale.set_name(fresh(node, "bias_scale"));
    scale.set_data_type(TP::FLOAT);
    std::vector<double> bs = sbt.doubles();
    float s = (float)sat.doubles()[0];
    if (bs.size() > 1)
      scale.add_dims((int64_t)bs.size());
    for (double v : bs)
      scale.add_float_data(s * (float)v);
    gemmInputs.push_back(dequantize(node, node.input(6), scale.name(), "",
                                    bs.size() > 1 ? 0 : -1));
    dtypes[scale.name()] = TP::FLOAT;
    newInitializers.push_back(std::move(scale));
  }
  bool quantized = !input(node, 7).empty();
  std::string y = quantized ? fresh(node, "Gemm_output") : node.output(0);
  Node &g = emit(node, "Gemm", gemmInputs, {y});
  for (const auto &attr : node.attribute())
    if (attr.name() == "alpha" || attr.name() == "transA" ||
        attr.name() == "transB")
      *g.add_attribute() = attr;
  dtypes[y] = TP::FLOAT;
  if (!quantized)
    return "";
  return quantize(node, y, node.input(7), input(node, 8),
                  dtypeOf(node.input(0)), node.output(0));
}

std::string Expander::expand(const Node &node) {
  const std::string &op = node.op_type();
  if (op == "QLinearAdd")
    return binary(node, "Add");
  if (op == "QLinearMul")
    return binary(node, "Mul");
  if (op == "QLinearSigmoid")
    return unary(node, "Sigmoid", false);
  if (op == "QLinearLeakyRelu")
    return unary(node, "LeakyRelu", true);
  if (op == "QLinearGlobalAveragePool")
    return unary(node, "GlobalAveragePool", false);
  if (op == "QLinearAveragePool")
    return unary(node, "AveragePool", true);
  if (op == "QLinearConcat")
    return concat(node);
  if (op == "QGemm")
    return gemm(node);
  return "com.microsoft op '" + op + "' (node '" + node.name() +
         "') is not supported; qopt imports these com.microsoft ops: " +
         supportedMicrosoftQuantOps();
}

void Expander::recordOutputs(const Node &node) {
  const std::string &op = node.op_type();
  int32_t t = TP::UNDEFINED;
  if (op == "QuantizeLinear")
    t = node.input_size() > 2 && !node.input(2).empty() ? dtypeOf(node.input(2))
                                                        : (int32_t)TP::UINT8;
  else if (op == "QLinearConv" || op == "QLinearMatMul")
    t = dtypeOf(input(node, 7));
  else if (op == "DequantizeLinear")
    t = TP::FLOAT;
  else if (keepsElementType(op) && node.input_size() > 0)
    t = dtypeOf(node.input(0));
  if (t == TP::UNDEFINED)
    return;
  for (const auto &o : node.output())
    if (!o.empty() && !dtypes.count(o))
      dtypes[o] = t;
}

std::string Expander::run() {
  onnx::GraphProto *g = model.mutable_graph();
  bool any = false;
  for (const auto &n : g->node())
    any |= n.domain() == kDomain;
  if (!any)
    return "";
  for (const auto &imp : model.opset_import())
    if (imp.domain().empty() || imp.domain() == "ai.onnx")
      opset = imp.version();
  if (opset < 10)
    return "the model uses com.microsoft quantized ops but imports opset " +
           std::to_string(opset) +
           " of the default domain: QuantizeLinear needs opset 10 or newer";

  for (const auto &t : g->initializer()) {
    dtypes[t.name()] = t.data_type();
    initializers[t.name()] = &t;
    names.insert(t.name());
  }
  auto declare = [&](const onnx::ValueInfoProto &vi) {
    names.insert(vi.name());
    if (vi.type().has_tensor_type())
      dtypes.emplace(vi.name(), vi.type().tensor_type().elem_type());
  };
  for (const auto &vi : g->input())
    declare(vi);
  for (const auto &vi : g->value_info())
    declare(vi);
  for (const auto &vi : g->output())
    declare(vi);
  for (const auto &n : g->node()) {
    names.insert(n.name());
    for (const auto &o : n.output())
      names.insert(o);
  }

  for (const auto &node : g->node()) {
    if (node.domain() != kDomain) {
      out.push_back(node);
      recordOutputs(node);
      continue;
    }
    std::string problem = expand(node);
    if (!problem.empty())
      return problem;
  }
  g->clear_node();
  for (auto &n : out)
    *g->add_node() = std::move(n);
  for (auto &t : newInitializers)
    *g->add_initializer() = std::move(t);
  // No node uses the domain any more (the version converter would warn
  // about a domain it does not know).
  auto *imports = model.mutable_opset_import();
  for (int i = imports->size() - 1; i >= 0; --i)
    if (imports->Get(i).domain() == kDomain)
      imports->DeleteSubrange(i, 1);
  return "";
}

} // namespace

std::string mlir::qopt::onnx_import::supportedMicrosoftQuantOps() {
  return "QGemm, QLinearAdd, QLinearAveragePool, QLinearConcat, "
         "QLinearGlobalAveragePool, QLinearLeakyRelu, QLinearMul, "
         "QLinearSigmoid";
}

std::string mlir::qopt::onnx_import::expandMicrosoftQuantOps(
    onnx::ModelProto &model) {
  return Expander(model).run();
}
