//===- NpyTest.cpp - the .npy reader and writer ---------------------------===//
//
// Round trips through the writer and reader for every dtype, the exact
// header layout NumPy expects (64-byte aligned data, '|' for byte types,
// "(n,)" for rank 1), and the reader's refusals. Files written by NumPy
// itself are read in test/Tools/qopt-run.
//
//===----------------------------------------------------------------------===//

#include "qopt/Support/Npy.h"

#include "gtest/gtest.h"

#include <cstdio>
#include <fstream>
#include <sstream>

using namespace mlir::qopt;

static std::string tempPath(const std::string &name) {
  return ::testing::TempDir() + "/qopt-npy-" + name + ".npy";
}

static std::string slurp(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Npy, RoundTripEveryDType) {
  for (std::string dtype :
       {"f16", "f32", "f64", "i8", "u8", "i16", "i32", "i64", "i1"}) {
    NpyArray a;
    a.dtype = dtype;
    a.shape = {2, 3, 1};
    a.data.resize(a.numElements() * a.elementSize());
    for (size_t i = 0; i < a.data.size(); ++i)
      a.data[i] = static_cast<char>(i * 7 + 1);
    std::string path = tempPath(dtype);
    ASSERT_EQ(writeNpy(path, a), "");
    NpyArray b;
    ASSERT_EQ(readNpy(path, b), "") << dtype;
    EXPECT_EQ(b.dtype, dtype);
    EXPECT_EQ(b.shape, a.shape);
    EXPECT_EQ(b.data, a.data);
    std::remove(path.c_str());
  }
}

TEST(Npy, HeaderLayout) {
  NpyArray a;
  a.dtype = "u8";
  a.shape = {5};
  a.data.assign(5, 0);
  std::string path = tempPath("layout");
  ASSERT_EQ(writeNpy(path, a), "");
  std::string bytes = slurp(path);
  std::remove(path.c_str());
  ASSERT_EQ(bytes.size() % 64, 5u); // data starts 64-byte aligned
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  EXPECT_NE(bytes.find("{'descr': '|u1', 'fortran_order': False, 'shape': (5,), }"),
            std::string::npos);
  EXPECT_EQ(bytes[bytes.size() - 6], '\n');
}

TEST(Npy, ScalarShape) {
  NpyArray a;
  a.dtype = "f32";
  a.data.assign(4, 0);
  std::string path = tempPath("scalar");
  ASSERT_EQ(writeNpy(path, a), "");
  NpyArray b;
  ASSERT_EQ(readNpy(path, b), "");
  std::remove(path.c_str());
  EXPECT_TRUE(b.shape.empty());
  EXPECT_EQ(b.shapeString(), "scalar");
}

static std::string withHeader(const std::string &dict, size_t dataBytes) {
  std::string header = dict;
  header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string bytes("\x93NUMPY\x01\x00", 8);
  bytes += static_cast<char>(header.size() & 0xff);
  bytes += static_cast<char>(header.size() >> 8);
  return bytes + header + std::string(dataBytes, '\0');
}

TEST(Npy, Refusals) {
  NpyArray a;
  EXPECT_NE(parseNpy("f", withHeader("{'descr': '<f4', 'fortran_order': True, "
                                     "'shape': (2, 2), }", 16), a)
                .find("Fortran-order"),
            std::string::npos);
  EXPECT_NE(parseNpy("f", withHeader("{'descr': '>i4', 'fortran_order': False, "
                                     "'shape': (2,), }", 8), a)
                .find("unsupported dtype '>i4'"),
            std::string::npos);
  EXPECT_NE(parseNpy("f", withHeader("{'descr': '<f4', 'fortran_order': False, "
                                     "'shape': (2, x), }", 8), a)
                .find("malformed shape"),
            std::string::npos);
  EXPECT_NE(parseNpy("f", withHeader("{'descr': '<f4', 'fortran_order': False, "
                                     "'shape': (3,), }", 8), a)
                .find("truncated data"),
            std::string::npos);
  EXPECT_NE(parseNpy("f", withHeader("{'fortran_order': False, 'shape': (3,), }",
                                     12), a)
                .find("malformed .npy header"),
            std::string::npos);
  std::string v9 = withHeader("{'descr': '<f4', 'fortran_order': False, "
                              "'shape': (1,), }", 4);
  v9[6] = 9;
  EXPECT_NE(parseNpy("f", v9, a).find("unsupported .npy format version 9"),
            std::string::npos);
  EXPECT_NE(parseNpy("f", withHeader("{'descr': '<f8', 'fortran_order': False, "
                                     "'shape': (4294967296, 4294967296), }", 8), a)
                .find("too large"),
            std::string::npos);
  // A dimension too large to be real is refused, not allocated.
  EXPECT_NE(parseNpy("f", withHeader("{'descr': '<f8', 'fortran_order': False, "
                                     "'shape': (99999999999999999999,), }", 8), a),
            "");
}
