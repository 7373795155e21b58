//===- Npy.h - read and write NumPy .npy files ------------------*- C++ -*-===//
//
// The subset of the .npy format (versions 1-3) that model inputs and outputs
// need: little-endian (or byte-sized) f16/f32/f64, i8/u8/i16/i32/i64 and
// bool, C order. Anything else is refused with a message that says why.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_SUPPORT_NPY_H
#define QOPT_SUPPORT_NPY_H

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::qopt {

struct NpyArray {
  /// qopt's dtype names: "f16", "f32", "f64", "i8", "u8", "i16", "i32",
  /// "i64", "i1" (bool, one byte per element).
  std::string dtype;
  std::vector<int64_t> shape;
  /// numElements() * elementSize() bytes, row-major.
  std::vector<char> data;

  int64_t numElements() const;
  int64_t elementSize() const { return npyElementSize(dtype); }
  /// "2000x1x28x28" ("scalar" for rank 0).
  std::string shapeString() const;
  static int64_t npyElementSize(const std::string &dtype);
  /// The elements converted to float (f16 widened exactly; integers and
  /// bools by value), e.g. for calibration data.
  std::vector<float> toFloat() const;
};

/// Reads `path` into `array`. Returns an error message (naming the file), or
/// "" on success.
std::string readNpy(const std::string &path, NpyArray &array);

/// Parses the bytes of a .npy file; `name` is used in messages.
std::string parseNpy(const std::string &name, const std::string &bytes,
                     NpyArray &array);

/// Writes `array` to `path` (format version 1.0). Returns an error message or
/// "".
std::string writeNpy(const std::string &path, const NpyArray &array);

} // namespace mlir::qopt

#endif // QOPT_SUPPORT_NPY_H
