//===- Npy.h - read NumPy .npy files ------------------------------*- C++ -*-===//
//
// A reader for the .npy format (versions 1-3): little-endian or
// byte-order-free numeric dtypes, C order. Enough for calibration data and
// model inputs; object arrays, Fortran order and big-endian data are
// refused with a message.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_SUPPORT_NPY_H
#define QOPT_SUPPORT_NPY_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::qopt {

struct NpyArray {
  /// "f16", "f32", "f64", "i8", "u8", "i16", "u16", "i32", "u32", "i64",
  /// "u64" or "b1".
  std::string dtype;
  std::vector<int64_t> shape;
  /// The elements, row-major, in the file's dtype.
  std::vector<char> data;

  int64_t numElements() const;
  /// The elements converted to float (f16 is widened exactly).
  std::vector<float> toFloat() const;
};

/// Parses a .npy image; returns an error message, or "" on success.
std::string parseNpy(llvm::StringRef bytes, NpyArray &array);
/// Reads and parses `path`; messages name the file.
std::string readNpyFile(llvm::StringRef path, NpyArray &array);

} // namespace mlir::qopt

#endif // QOPT_SUPPORT_NPY_H
