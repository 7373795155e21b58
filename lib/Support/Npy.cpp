//===- Npy.cpp - read NumPy .npy files ------------------------------------===//

#include "qopt/Support/Npy.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstring>

using namespace mlir;
using namespace mlir::qopt;

int64_t NpyArray::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

static size_t elementBytes(llvm::StringRef dtype) {
  if (dtype == "b1" || dtype == "i8" || dtype == "u8")
    return 1;
  if (dtype == "f16" || dtype == "i16" || dtype == "u16")
    return 2;
  if (dtype == "f32" || dtype == "i32" || dtype == "u32")
    return 4;
  return 8;
}

template <typename T>
static T load(const char *p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

std::vector<float> NpyArray::toFloat() const {
  int64_t n = numElements();
  std::vector<float> out(n);
  size_t w = elementBytes(dtype);
  for (int64_t i = 0; i < n; ++i) {
    const char *p = data.data() + i * w;
    double v = 0;
    if (dtype == "f32") v = load<float>(p);
    else if (dtype == "f64") v = load<double>(p);
    else if (dtype == "f16") {
      llvm::APFloat h(llvm::APFloat::IEEEhalf(),
                      llvm::APInt(16, load<uint16_t>(p)));
      v = h.convertToFloat();
    }
    else if (dtype == "i8") v = load<int8_t>(p);
    else if (dtype == "u8" || dtype == "b1") v = load<uint8_t>(p);
    else if (dtype == "i16") v = load<int16_t>(p);
    else if (dtype == "u16") v = load<uint16_t>(p);
    else if (dtype == "i32") v = load<int32_t>(p);
    else if (dtype == "u32") v = load<uint32_t>(p);
    else if (dtype == "i64") v = double(load<int64_t>(p));
    else if (dtype == "u64") v = double(load<uint64_t>(p));
    out[i] = float(v);
  }
  return out;
}

/// The value of 'key': in the header's Python dict literal, trimmed.
static std::string dictValue(llvm::StringRef header, llvm::StringRef key) {
  std::string quoted = "'" + key.str() + "'";
  size_t at = header.find(quoted);
  if (at == llvm::StringRef::npos)
    return "";
  llvm::StringRef rest = header.drop_front(at + quoted.size()).ltrim();
  if (!rest.consume_front(":"))
    return "";
  rest = rest.ltrim();
  size_t end = rest.starts_with("(") ? rest.find(')') + 1 : rest.find_first_of(",}");
  return rest.take_front(end).trim().str();
}

std::string qopt::parseNpy(llvm::StringRef bytes, NpyArray &array) {
  if (!bytes.starts_with("\x93NUMPY") || bytes.size() < 10)
    return "not a .npy file (bad magic)";
  unsigned major = uint8_t(bytes[6]);
  size_t headerLen, offset;
  if (major == 1) {
    headerLen = uint8_t(bytes[8]) | (size_t(uint8_t(bytes[9])) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return "truncated .npy header";
    headerLen = load<uint32_t>(bytes.data() + 8);
    offset = 12;
  } else {
    return "unsupported .npy version " + std::to_string(major);
  }
  if (bytes.size() < offset + headerLen)
    return "truncated .npy header";
  llvm::StringRef header = bytes.substr(offset, headerLen);

  std::string descr = dictValue(header, "descr");
  if (descr.size() < 4 || descr.front() != '\'' || descr.back() != '\'')
    return "cannot read the dtype ('descr') in the .npy header";
  llvm::StringRef d = llvm::StringRef(descr).drop_front().drop_back();
  char order = d.front();
  llvm::StringRef kind = d.drop_front();
  if (order == '>' && kind != "i1" && kind != "u1" && kind != "b1")
    return "big-endian .npy data ('" + d.str() + "') is not supported";
  if (order != '<' && order != '|' && order != '=')
    return "unsupported dtype '" + d.str() + "'";
  static const std::pair<const char *, const char *> kinds[] = {
      {"f2", "f16"}, {"f4", "f32"}, {"f8", "f64"}, {"i1", "i8"},
      {"u1", "u8"},  {"i2", "i16"}, {"u2", "u16"}, {"i4", "i32"},
      {"u4", "u32"}, {"i8", "i64"}, {"u8", "u64"}, {"b1", "b1"}};
  array.dtype.clear();
  for (auto [npy, ours] : kinds)
    if (kind == npy)
      array.dtype = ours;
  if (array.dtype.empty())
    return "unsupported dtype '" + d.str() + "'";

  if (dictValue(header, "fortran_order") != "False")
    return "Fortran-ordered .npy arrays are not supported";

  std::string shape = dictValue(header, "shape");
  if (shape.size() < 2 || shape.front() != '(' || shape.back() != ')')
    return "cannot read the shape in the .npy header";
  array.shape.clear();
  llvm::SmallVector<llvm::StringRef> dims;
  llvm::StringRef(shape).drop_front().drop_back().split(dims, ',', -1, false);
  for (llvm::StringRef dim : dims) {
    dim = dim.trim();
    if (dim.empty())
      continue;
    int64_t v;
    if (dim.getAsInteger(10, v) || v < 0)
      return "bad dimension '" + dim.str() + "' in the .npy shape";
    array.shape.push_back(v);
  }

  size_t need = size_t(array.numElements()) * elementBytes(array.dtype);
  llvm::StringRef payload = bytes.drop_front(offset + headerLen);
  if (payload.size() < need)
    return "the .npy data is truncated: " + std::to_string(payload.size()) +
           " bytes for " + std::to_string(need);
  array.data.assign(payload.begin(), payload.begin() + need);
  return "";
}

std::string qopt::readNpyFile(llvm::StringRef path, NpyArray &array) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return path.str() + ": " + buffer.getError().message();
  std::string error = parseNpy((*buffer)->getBuffer(), array);
  return error.empty() ? "" : path.str() + ": " + error;
}
