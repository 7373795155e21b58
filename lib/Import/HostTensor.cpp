//===- HostTensor.cpp - constant tensors held by the importer -------------===//

#include "HostTensor.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/APFloat.h"

#include <cstring>

using namespace mlir;
using namespace mlir::qopt::onnx_import;
using TP = onnx::TensorProto;

size_t mlir::qopt::onnx_import::elementSize(int32_t dtype) {
  switch (dtype) {
  case TP::FLOAT: case TP::INT32: case TP::UINT32: return 4;
  case TP::DOUBLE: case TP::INT64: case TP::UINT64: return 8;
  case TP::FLOAT16: case TP::BFLOAT16: case TP::INT16: case TP::UINT16: return 2;
  case TP::INT8: case TP::UINT8: case TP::BOOL: return 1;
  default: return 0;
  }
}

std::string mlir::qopt::onnx_import::dtypeName(int32_t dtype) {
  if (onnx::TensorProto_DataType_IsValid(dtype)) {
    std::string name = onnx::TensorProto_DataType_Name(
        static_cast<onnx::TensorProto_DataType>(dtype));
    for (char &c : name)
      c = std::tolower(c);
    return name;
  }
  return "unknown data type " + std::to_string(dtype);
}

Type mlir::qopt::onnx_import::elementTypeFor(int32_t dtype, MLIRContext *ctx) {
  Builder b(ctx);
  switch (dtype) {
  case TP::FLOAT: return b.getF32Type();
  case TP::DOUBLE: return b.getF64Type();
  case TP::FLOAT16: return b.getF16Type();
  case TP::BFLOAT16: return b.getBF16Type();
  case TP::INT8: case TP::UINT8: return b.getIntegerType(8);
  case TP::INT16: case TP::UINT16: return b.getIntegerType(16);
  case TP::INT32: case TP::UINT32: return b.getIntegerType(32);
  case TP::INT64: case TP::UINT64: return b.getIntegerType(64);
  case TP::BOOL: return b.getIntegerType(1);
  default: return {};
  }
}

int64_t HostTensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

bool HostTensor::isFloat() const {
  return dtype == TP::FLOAT || dtype == TP::DOUBLE || dtype == TP::FLOAT16 ||
         dtype == TP::BFLOAT16;
}

bool HostTensor::isInteger() const {
  return elementSize(dtype) != 0 && !isFloat();
}

static double halfToDouble(uint16_t bits, bool bf16) {
  const llvm::fltSemantics &sem =
      bf16 ? llvm::APFloat::BFloat() : llvm::APFloat::IEEEhalf();
  llvm::APFloat v(sem, llvm::APInt(16, bits));
  bool loses;
  v.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven,
            &loses);
  return v.convertToDouble();
}

static uint16_t doubleToHalf(double value, bool bf16) {
  llvm::APFloat v(value);
  bool loses;
  v.convert(bf16 ? llvm::APFloat::BFloat() : llvm::APFloat::IEEEhalf(),
            llvm::APFloat::rmNearestTiesToEven, &loses);
  return v.bitcastToAPInt().getZExtValue();
}

template <typename T> static T load(const char *p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}
template <typename T> static void store(char *p, T v) {
  std::memcpy(p, &v, sizeof(T));
}

std::vector<double> HostTensor::doubles() const {
  std::vector<double> out(numElements());
  size_t size = elementSize(dtype);
  for (int64_t i = 0, e = numElements(); i < e; ++i) {
    const char *p = raw.data() + i * size;
    switch (dtype) {
    case TP::FLOAT: out[i] = load<float>(p); break;
    case TP::DOUBLE: out[i] = load<double>(p); break;
    case TP::FLOAT16: out[i] = halfToDouble(load<uint16_t>(p), false); break;
    case TP::BFLOAT16: out[i] = halfToDouble(load<uint16_t>(p), true); break;
    case TP::INT8: out[i] = load<int8_t>(p); break;
    case TP::UINT8: case TP::BOOL: out[i] = load<uint8_t>(p); break;
    case TP::INT16: out[i] = load<int16_t>(p); break;
    case TP::UINT16: out[i] = load<uint16_t>(p); break;
    case TP::INT32: out[i] = load<int32_t>(p); break;
    case TP::UINT32: out[i] = load<uint32_t>(p); break;
    case TP::INT64: out[i] = (double)load<int64_t>(p); break;
    case TP::UINT64: out[i] = (double)load<uint64_t>(p); break;
    default: out[i] = 0; break;
    }
  }
  return out;
}

std::vector<int64_t> HostTensor::ints() const {
  if (isFloat()) {
    std::vector<int64_t> out;
    for (double d : doubles())
      out.push_back(std::isfinite(d) ? (int64_t)d : 0);
    return out;
  }
  std::vector<int64_t> out(numElements());
  size_t size = elementSize(dtype);
  for (int64_t i = 0, e = numElements(); i < e; ++i) {
    const char *p = raw.data() + i * size;
    switch (dtype) {
    case TP::INT8: out[i] = load<int8_t>(p); break;
    case TP::UINT8: case TP::BOOL: out[i] = load<uint8_t>(p); break;
    case TP::INT16: out[i] = load<int16_t>(p); break;
    case TP::UINT16: out[i] = load<uint16_t>(p); break;
    case TP::INT32: out[i] = load<int32_t>(p); break;
    case TP::UINT32: out[i] = load<uint32_t>(p); break;
    case TP::INT64: out[i] = load<int64_t>(p); break;
    case TP::UINT64: out[i] = (int64_t)load<uint64_t>(p); break;
    default: out[i] = 0; break;
    }
  }
  return out;
}

HostTensor HostTensor::fromInts(int32_t dtype, llvm::ArrayRef<int64_t> dims,
                                llvm::ArrayRef<int64_t> values) {
  HostTensor t;
  t.dtype = dtype;
  t.dims.assign(dims.begin(), dims.end());
  if (t.isFloat()) {
    std::vector<double> d(values.begin(), values.end());
    return fromDoubles(dtype, dims, d);
  }
  size_t size = elementSize(dtype);
  t.raw.assign(values.size() * size, '\0');
  for (size_t i = 0; i < values.size(); ++i) {
    char *p = t.raw.data() + i * size;
    switch (size) {
    case 1: store<uint8_t>(p, (uint8_t)(dtype == TP::BOOL ? values[i] != 0 : values[i])); break;
    case 2: store<uint16_t>(p, (uint16_t)values[i]); break;
    case 4: store<uint32_t>(p, (uint32_t)values[i]); break;
    default: store<int64_t>(p, values[i]); break;
    }
  }
  return t;
}

HostTensor HostTensor::fromDoubles(int32_t dtype, llvm::ArrayRef<int64_t> dims,
                                   llvm::ArrayRef<double> values) {
  HostTensor t;
  t.dtype = dtype;
  t.dims.assign(dims.begin(), dims.end());
  if (!t.isFloat()) {
    // Floats convert to bool as `x != 0` (NaN included), to integers by
    // truncation.
    std::vector<int64_t> ints;
    for (double d : values)
      ints.push_back(dtype == TP::BOOL ? d != 0
                     : std::isfinite(d) ? (int64_t)d
                                        : 0);
    return fromInts(dtype, dims, ints);
  }
  size_t size = elementSize(dtype);
  t.raw.assign(values.size() * size, '\0');
  for (size_t i = 0; i < values.size(); ++i) {
    char *p = t.raw.data() + i * size;
    switch (dtype) {
    case TP::FLOAT: store<float>(p, (float)values[i]); break;
    case TP::DOUBLE: store<double>(p, values[i]); break;
    case TP::FLOAT16: store<uint16_t>(p, doubleToHalf(values[i], false)); break;
    default: store<uint16_t>(p, doubleToHalf(values[i], true)); break;
    }
  }
  return t;
}

/// Copies a typed repeated field into packed bytes of `dtype`.
template <typename Field>
static void packField(const Field &field, int32_t dtype, std::string &raw) {
  size_t size = elementSize(dtype);
  raw.assign(field.size() * size, '\0');
  for (int i = 0; i < field.size(); ++i) {
    char *p = raw.data() + i * size;
    auto v = field.Get(i);
    switch (dtype) {
    case TP::FLOAT: store<float>(p, (float)v); break;
    case TP::DOUBLE: store<double>(p, (double)v); break;
    case TP::INT64: store<int64_t>(p, (int64_t)v); break;
    case TP::UINT64: store<uint64_t>(p, (uint64_t)v); break;
    case TP::INT32: store<int32_t>(p, (int32_t)v); break;
    case TP::UINT32: store<uint32_t>(p, (uint32_t)v); break;
    // int32_data holds 16- and 8-bit types and float16/bfloat16 bits.
    case TP::INT16: case TP::UINT16: case TP::FLOAT16: case TP::BFLOAT16:
      store<uint16_t>(p, (uint16_t)v); break;
    default: store<uint8_t>(p, (uint8_t)v); break;
    }
  }
}

/// readTensorProto and takeTensorProto: with `raw` (proto's raw_data),
/// the bytes are moved from there.
static bool readTensor(const onnx::TensorProto &proto, std::string *raw,
                       HostTensor &out, std::string &error) {
  out.dtype = proto.data_type();
  size_t size = elementSize(out.dtype);
  if (size == 0) {
    error = "has unsupported data type " + dtypeName(out.dtype);
    return false;
  }
  out.dims.clear();
  int64_t count = 1;
  for (int64_t d : proto.dims()) {
    if (d < 0 || d > (int64_t(1) << 40) || (d && count > (int64_t(1) << 40) / d)) {
      error = "has an invalid dimension " + std::to_string(d);
      return false;
    }
    out.dims.push_back(d);
    count *= d;
  }
  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    error = "has external data that was not loaded";
    return false;
  }
  int64_t stored;
  if (proto.has_raw_data()) {
    if (raw)
      out.raw = std::move(*raw);
    else
      out.raw = proto.raw_data();
    stored = out.raw.size();
  } else {
    switch (out.dtype) {
    case TP::FLOAT: packField(proto.float_data(), out.dtype, out.raw); break;
    case TP::DOUBLE: packField(proto.double_data(), out.dtype, out.raw); break;
    case TP::INT64: packField(proto.int64_data(), out.dtype, out.raw); break;
    case TP::UINT32: case TP::UINT64:
      packField(proto.uint64_data(), out.dtype, out.raw); break;
    default: packField(proto.int32_data(), out.dtype, out.raw); break;
    }
    stored = out.raw.size();
  }
  if (stored != count * (int64_t)size) {
    error = "holds " + std::to_string(stored) + " bytes but its shape needs " +
            std::to_string(count * size);
    return false;
  }
  return true;
}

bool mlir::qopt::onnx_import::readTensorProto(const onnx::TensorProto &proto,
                                              HostTensor &out,
                                              std::string &error) {
  return readTensor(proto, nullptr, out, error);
}

bool mlir::qopt::onnx_import::takeTensorProto(onnx::TensorProto &proto,
                                              HostTensor &out,
                                              std::string &error) {
  return readTensor(proto,
                    proto.has_raw_data() ? proto.mutable_raw_data() : nullptr,
                    out, error);
}

ElementsAttr mlir::qopt::onnx_import::toElementsAttr(const HostTensor &tensor,
                                                     RankedTensorType type,
                                                     llvm::StringRef nameHint) {
  // Small tensors print as literals, which keeps IR readable; weights go to
  // blobs. Bool tensors are always literals (i1 is not byte-packed in blobs).
  if (tensor.numElements() <= 16 || tensor.dtype == TP::BOOL) {
    Type elem = type.getElementType();
    if (isa<FloatType>(elem)) {
      llvm::SmallVector<llvm::APFloat> values;
      const auto &sem = cast<FloatType>(elem).getFloatSemantics();
      for (double d : tensor.doubles()) {
        llvm::APFloat v(d);
        bool loses;
        v.convert(sem, llvm::APFloat::rmNearestTiesToEven, &loses);
        values.push_back(v);
      }
      return DenseElementsAttr::get(type, values);
    }
    llvm::SmallVector<llvm::APInt> values;
    unsigned width = elem.getIntOrFloatBitWidth();
    for (int64_t v : tensor.ints())
      values.push_back(llvm::APInt(width, (uint64_t)v, /*isSigned=*/true,
                                   /*implicitTrunc=*/true));
    return DenseElementsAttr::get(type, values);
  }
  size_t align = std::max<size_t>(elementSize(tensor.dtype), 8);
  auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
      llvm::ArrayRef<char>(tensor.raw.data(), tensor.raw.size()), align);
  std::string name = nameHint.empty() ? "weight" : nameHint.str();
  for (char &c : name)
    if (!std::isalnum((unsigned char)c) && c != '_' && c != '.')
      c = '_';
  if (!std::isalpha((unsigned char)name[0]) && name[0] != '_')
    name = "w_" + name;
  return DenseResourceElementsAttr::get(type, name, std::move(blob));
}
