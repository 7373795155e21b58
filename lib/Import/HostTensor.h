//===- HostTensor.h - constant tensors held by the importer -------*- C++ -*-===//
//
// Initializers, Constant nodes and folded shape computations live on the host
// as packed little-endian bytes of their ONNX data type until an op needs
// them as an MLIR value.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_IMPORT_HOSTTENSOR_H
#define QOPT_LIB_IMPORT_HOSTTENSOR_H

#include "onnx/onnx_pb.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallVector.h"

#include <string>
#include <vector>

namespace mlir::qopt::onnx_import {

struct HostTensor {
  int32_t dtype = onnx::TensorProto_DataType_UNDEFINED;
  llvm::SmallVector<int64_t> dims;
  std::string raw; // numElements() * elementSize(dtype) bytes

  int64_t numElements() const;
  bool isFloat() const;   // float, float16, bfloat16, double
  bool isInteger() const; // signed/unsigned ints and bool

  /// Every element as int64 (floats truncate towards zero).
  std::vector<int64_t> ints() const;
  /// Every element as double.
  std::vector<double> doubles() const;

  static HostTensor fromInts(int32_t dtype, llvm::ArrayRef<int64_t> dims,
                             llvm::ArrayRef<int64_t> values);
  static HostTensor fromDoubles(int32_t dtype, llvm::ArrayRef<int64_t> dims,
                                llvm::ArrayRef<double> values);
};

/// Bytes per element of an ONNX data type; 0 for unsupported types
/// (string, complex).
size_t elementSize(int32_t dtype);

/// "float", "int64", ... for diagnostics.
std::string dtypeName(int32_t dtype);

/// The MLIR element type for an ONNX data type, or null. Unsigned integers
/// map to signless integers of the same width (their bits are kept; quantized
/// types carry the signedness).
Type elementTypeFor(int32_t dtype, MLIRContext *context);

/// Reads a TensorProto's data (raw_data or the typed fields; external data
/// must already be loaded) and checks that its byte size matches its shape.
/// On failure returns false and sets `error`.
bool readTensorProto(const onnx::TensorProto &proto, HostTensor &out,
                     std::string &error);

/// As readTensorProto, but moves raw_data out of `proto` rather than copying
/// it: the initializers' bytes are most of a model (ResNet-50: 100 MB).
bool takeTensorProto(onnx::TensorProto &proto, HostTensor &out,
                     std::string &error);

/// An ElementsAttr holding the tensor: a dense_resource blob for large
/// tensors, a dense literal for small ones. `type` must have the tensor's
/// shape and an element type of the tensor's width.
ElementsAttr toElementsAttr(const HostTensor &tensor, RankedTensorType type,
                            llvm::StringRef nameHint);

} // namespace mlir::qopt::onnx_import

#endif // QOPT_LIB_IMPORT_HOSTTENSOR_H
