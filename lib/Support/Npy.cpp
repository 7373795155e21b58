//===- Npy.cpp - read and write NumPy .npy files --------------------------===//
//
// Format: "\x93NUMPY", major and minor version bytes, the header length
// (uint16 in version 1, uint32 in 2 and 3, little-endian), then an ASCII
// Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (2,),}
// padded with spaces and a newline so that the data starts 64-byte aligned,
// then the raw data.
//
//===----------------------------------------------------------------------===//

#include "qopt/Support/Npy.h"

#include <cctype>
#include <cstring>
#include <fstream>
#include <sstream>

using namespace mlir::qopt;

namespace {
struct Descr {
  const char *descr; // as NumPy writes it on a little-endian machine
  const char *dtype;
};
} // namespace

// '|' marks byte-sized types; '<' and '=' (native, little-endian here) are
// accepted on read, '<' is written.
static const Descr kDescrs[] = {
    {"f2", "f16"}, {"f4", "f32"}, {"f8", "f64"}, {"i1", "i8"},
    {"u1", "u8"},  {"i2", "i16"}, {"i4", "i32"}, {"i8", "i64"},
    {"b1", "i1"}};

int64_t NpyArray::npyElementSize(const std::string &dtype) {
  if (dtype == "f64" || dtype == "i64")
    return 8;
  if (dtype == "f32" || dtype == "i32")
    return 4;
  if (dtype == "f16" || dtype == "i16")
    return 2;
  return 1;
}

int64_t NpyArray::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string NpyArray::shapeString() const {
  if (shape.empty())
    return "scalar";
  std::string s;
  for (int64_t d : shape)
    s += (s.empty() ? "" : "x") + std::to_string(d);
  return s;
}

/// The value text after 'key': in the header dict, or "".
static std::string valueOf(const std::string &header, const std::string &key) {
  size_t at = header.find("'" + key + "'");
  if (at == std::string::npos)
    return "";
  at = header.find(':', at);
  if (at == std::string::npos)
    return "";
  ++at;
  while (at < header.size() && header[at] == ' ')
    ++at;
  if (at >= header.size())
    return "";
  if (header[at] == '\'') {
    size_t end = header.find('\'', at + 1);
    return end == std::string::npos ? "" : header.substr(at, end - at + 1);
  }
  if (header[at] == '(') {
    size_t end = header.find(')', at);
    return end == std::string::npos ? "" : header.substr(at, end - at + 1);
  }
  size_t end = header.find_first_of(",}", at);
  std::string v = header.substr(at, end == std::string::npos ? std::string::npos
                                                              : end - at);
  while (!v.empty() && v.back() == ' ')
    v.pop_back();
  return v;
}

/// Parses "(2, 3)", "(5,)" or "()".
static bool parseShape(const std::string &text, std::vector<int64_t> &shape) {
  if (text.size() < 2 || text.front() != '(' || text.back() != ')')
    return false;
  std::string body = text.substr(1, text.size() - 2);
  size_t i = 0;
  while (true) {
    while (i < body.size() && (body[i] == ' ' || body[i] == ','))
      ++i;
    if (i >= body.size())
      return true;
    if (!std::isdigit(static_cast<unsigned char>(body[i])))
      return false;
    int64_t d = 0;
    while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) {
      d = d * 10 + (body[i] - '0');
      if (d > (int64_t(1) << 48))
        return false;
      ++i;
    }
    shape.push_back(d);
    if (i < body.size() && body[i] != ',' && body[i] != ' ')
      return false;
  }
}

std::string mlir::qopt::parseNpy(const std::string &name,
                                 const std::string &bytes, NpyArray &array) {
  auto fail = [&](const std::string &why) { return name + ": " + why; };
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0)
    return fail("not a .npy file (bad magic)");
  unsigned major = static_cast<unsigned char>(bytes[6]);
  size_t headerLen, headerStart;
  auto byte = [&](size_t i) {
    return static_cast<size_t>(static_cast<unsigned char>(bytes[i]));
  };
  if (major == 1) {
    headerLen = byte(8) | byte(9) << 8;
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return fail("truncated .npy header");
    headerLen = byte(8) | byte(9) << 8 | byte(10) << 16 | byte(11) << 24;
    headerStart = 12;
  } else {
    return fail("unsupported .npy format version " + std::to_string(major));
  }
  if (bytes.size() < headerStart + headerLen)
    return fail("truncated .npy header");
  std::string header = bytes.substr(headerStart, headerLen);

  std::string descr = valueOf(header, "descr");
  std::string fortran = valueOf(header, "fortran_order");
  std::string shapeText = valueOf(header, "shape");
  if (descr.size() < 3 || fortran.empty() || shapeText.empty())
    return fail("malformed .npy header: " + header);
  descr = descr.substr(1, descr.size() - 2);
  if (fortran == "True")
    return fail("Fortran-order arrays are not supported (save a C-order "
                "array, e.g. np.ascontiguousarray)");
  if (fortran != "False")
    return fail("malformed fortran_order in .npy header");
  char order = descr[0];
  std::string kind = descr.substr(1);
  array.dtype.clear();
  for (const Descr &d : kDescrs)
    if (kind == d.descr)
      array.dtype = d.dtype;
  bool byteSized = NpyArray::npyElementSize(array.dtype) == 1;
  if (array.dtype.empty() ||
      !(order == '<' || order == '=' || (order == '|' && byteSized)))
    return fail("unsupported dtype '" + descr +
                "' (supported: little-endian float16/32/64, int8/16/32/64, "
                "uint8, bool)");
  array.shape.clear();
  if (!parseShape(shapeText, array.shape))
    return fail("malformed shape " + shapeText + " in .npy header");

  // Guard the byte count against overflow before trusting it.
  int64_t elements = 1;
  for (int64_t d : array.shape) {
    if (d != 0 && elements > (int64_t(1) << 56) / d)
      return fail("shape " + shapeText + " is too large");
    elements *= d;
  }
  size_t dataStart = headerStart + headerLen;
  size_t need = static_cast<size_t>(array.numElements() * array.elementSize());
  if (bytes.size() - dataStart < need)
    return fail("truncated data: the header promises " + std::to_string(need) +
                " bytes, the file holds " +
                std::to_string(bytes.size() - dataStart));
  if (bytes.size() - dataStart > need)
    return fail("trailing bytes after the array data");
  array.data.assign(bytes.begin() + dataStart, bytes.end());
  return "";
}

std::string mlir::qopt::readNpy(const std::string &path, NpyArray &array) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return path + ": cannot open: " + std::strerror(errno);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad())
    return path + ": read error";
  return parseNpy(path, buffer.str(), array);
}

std::string mlir::qopt::writeNpy(const std::string &path,
                                 const NpyArray &array) {
  const char *descr = nullptr;
  for (const Descr &d : kDescrs)
    if (array.dtype == d.dtype)
      descr = d.descr;
  if (!descr)
    return path + ": cannot write dtype " + array.dtype + " to .npy";
  if (static_cast<int64_t>(array.data.size()) !=
      array.numElements() * array.elementSize())
    return path + ": data size does not match the shape";
  std::string shape = "(";
  for (size_t i = 0; i < array.shape.size(); ++i)
    shape += std::to_string(array.shape[i]) + (i + 1 < array.shape.size() ? ", " : "");
  if (array.shape.size() == 1)
    shape += ",";
  shape += ")";
  std::string header = std::string("{'descr': '") +
                       (array.elementSize() == 1 ? "|" : "<") + descr +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  // Pad with spaces and end in '\n' so that the data is 64-byte aligned.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  if (header.size() > 65535)
    return path + ": shape too long for a version 1.0 header";
  std::ofstream out(path, std::ios::binary);
  if (!out)
    return path + ": cannot write: " + std::strerror(errno);
  out.write("\x93NUMPY\x01\x00", 8);
  char len[2] = {static_cast<char>(header.size() & 0xff),
                 static_cast<char>(header.size() >> 8)};
  out.write(len, 2);
  out.write(header.data(), header.size());
  out.write(array.data.data(), array.data.size());
  out.close();
  if (!out)
    return path + ": write error";
  return "";
}

/// IEEE binary16 bits to float (exact: every half is a float).
static float halfToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000) << 16;
  int exponent = (h >> 10) & 0x1f;
  uint32_t mantissa = h & 0x3ff;
  uint32_t bits;
  if (exponent == 0x1f) { // inf or NaN
    bits = sign | 0x7f800000u | (mantissa << 13);
  } else if (exponent != 0) { // normal
    bits = sign | (uint32_t(exponent - 15 + 127) << 23) | (mantissa << 13);
  } else if (mantissa == 0) { // zero
    bits = sign;
  } else { // subnormal: normalise
    int shift = 0;
    while (!(mantissa & 0x400)) {
      mantissa <<= 1;
      ++shift;
    }
    mantissa &= 0x3ff;
    bits = sign | (uint32_t(127 - 15 + 1 - shift) << 23) | (mantissa << 13);
  }
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

template <typename T> static T loadAs(const char *p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

std::vector<float> NpyArray::toFloat() const {
  int64_t n = numElements(), size = elementSize();
  std::vector<float> out(n);
  for (int64_t i = 0; i < n; ++i) {
    const char *p = data.data() + i * size;
    double v = 0;
    if (dtype == "f32")
      v = loadAs<float>(p);
    else if (dtype == "f64")
      v = loadAs<double>(p);
    else if (dtype == "f16")
      v = halfToFloat(loadAs<uint16_t>(p));
    else if (dtype == "i8")
      v = loadAs<int8_t>(p);
    else if (dtype == "u8" || dtype == "i1")
      v = loadAs<uint8_t>(p);
    else if (dtype == "i16")
      v = loadAs<int16_t>(p);
    else if (dtype == "i32")
      v = loadAs<int32_t>(p);
    else if (dtype == "i64")
      v = double(loadAs<int64_t>(p));
    out[i] = float(v);
  }
  return out;
}
