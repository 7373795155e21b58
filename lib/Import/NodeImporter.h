//===- NodeImporter.h - what an op converter sees of one ONNX node -*- C++ -*-===//
//
// Each ONNX op type has one converter function taking a NodeImporter: it reads
// the node's inputs (as MLIR values or, for shape-like inputs, as host
// constants), its attributes with their ONNX defaults, and the inferred output
// types, then creates qopt ops and binds the node's outputs.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_IMPORT_NODEIMPORTER_H
#define QOPT_LIB_IMPORT_NODEIMPORTER_H

#include "HostTensor.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringMap.h"

#include <functional>
#include <optional>

namespace mlir::qopt::onnx_import {

class GraphImporter;

class NodeImporter {
public:
  NodeImporter(GraphImporter &graph, const onnx::NodeProto &node, int index,
               int64_t opset, OpBuilder &builder, Location loc)
      : graph(graph), node(node), index(index), opset(opset), b(builder),
        loc(loc) {}

  GraphImporter &graph;
  const onnx::NodeProto &node;
  const int index;
  const int64_t opset;
  OpBuilder &b;
  const Location loc;

  //===--- inputs ---------------------------------------------------------===//
  unsigned numInputs() const { return node.input_size(); }
  /// Input `i` exists and is not the empty name of an omitted optional input.
  bool hasInput(unsigned i) const {
    return (int)i < node.input_size() && !node.input(i).empty();
  }
  /// Input `i` as an MLIR value; host constants are materialised as
  /// qopt.constant ops. Emits an error and returns failure if missing.
  FailureOr<Value> input(unsigned i);
  /// Input `i` as a value, or a null Value when the optional input is absent.
  FailureOr<Value> optionalInput(unsigned i) {
    if (!hasInput(i))
      return Value();
    return input(i);
  }
  /// Input `i` as a host constant, or null if it is not a constant.
  const HostTensor *constInput(unsigned i);
  /// Input `i` as integers; emits an error naming `what` if not constant.
  FailureOr<std::vector<int64_t>> constInts(unsigned i, llvm::StringRef what);
  /// The ranked type of input `i` (from the value or the constant).
  FailureOr<RankedTensorType> inputType(unsigned i);
  /// True if every present input is a host constant.
  bool allInputsConstant();

  //===--- attributes -----------------------------------------------------===//
  const onnx::AttributeProto *attr(llvm::StringRef name) const;
  int64_t attrInt(llvm::StringRef name, int64_t dflt) const;
  float attrFloat(llvm::StringRef name, float dflt) const;
  std::string attrString(llvm::StringRef name, llvm::StringRef dflt) const;
  std::optional<llvm::SmallVector<int64_t>> attrInts(llvm::StringRef name) const;

  //===--- outputs --------------------------------------------------------===//
  unsigned numOutputs() const { return node.output_size(); }
  bool hasOutput(unsigned i) const {
    return (int)i < node.output_size() && !node.output(i).empty();
  }
  /// The statically shaped type ONNX shape inference gave output `i`.
  FailureOr<RankedTensorType> outputType(unsigned i);
  void setOutput(unsigned i, Value value);
  void setConstOutput(unsigned i, HostTensor tensor);

  //===--- errors ---------------------------------------------------------===//
  /// Emits "FILE: node 'NAME' (#INDEX, OP, opset N): MESSAGE" and fails.
  /// Only the first error of a node is emitted (converters may check several
  /// inputs before they return); later calls just fail.
  LogicalResult fail(const llvm::Twine &message);
  /// fail() for functions returning FailureOr<T>.
  LogicalResult error(const llvm::Twine &message) { return fail(message); }

  std::string name() const;

private:
  bool reported = false;
};

using Converter = std::function<LogicalResult(NodeImporter &)>;
using ConverterMap = llvm::StringMap<Converter>;

/// Each group of converters adds itself to the map.
void addElementwiseConverters(ConverterMap &map);
void addNeuralNetConverters(ConverterMap &map);
void addReductionConverters(ConverterMap &map);
void addLogicalConverters(ConverterMap &map);
void addSelectionConverters(ConverterMap &map);
void addNormalizationConverters(ConverterMap &map);
void addDataMovementConverters(ConverterMap &map);
void addQuantizationConverters(ConverterMap &map);

/// Folds a node whose inputs are all host constants (shape computations,
/// constant weight arithmetic). Returns true if it produced constant outputs,
/// false if the op is not foldable here; failure on a real error.
FailureOr<bool> tryFoldNode(NodeImporter &node);

/// The op types tryFoldNode can fold (for docs and tests).
bool isFoldableOpType(llvm::StringRef opType);

} // namespace mlir::qopt::onnx_import

#endif // QOPT_LIB_IMPORT_NODEIMPORTER_H
