//===- ElementsUtilsTest.cpp - constant values through resource blobs -----===//

#include "qopt/Dialect/QOpt/IR/ElementsUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

using namespace mlir;

namespace {
std::vector<double> roundTrip(MLIRContext &ctx, Type elementType,
                              const std::vector<double> &values) {
  auto type = RankedTensorType::get({(int64_t)values.size()}, elementType);
  ElementsAttr attr = qopt::makeFloatResource(type, "test", values);
  auto read = qopt::readFloatElements(attr);
  EXPECT_TRUE(read.has_value());
  return read.value_or(std::vector<double>{});
}
} // namespace

TEST(ElementsUtils, F32BlobRoundTripsExactly) {
  MLIRContext ctx;
  std::vector<double> values{0.0, -1.5, 3.25, 1.0e-3};
  auto read = roundTrip(ctx, Float32Type::get(&ctx), values);
  ASSERT_EQ(read.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i)
    EXPECT_EQ(read[i], (double)(float)values[i]);
}

TEST(ElementsUtils, F16RoundsToNearestEven) {
  MLIRContext ctx;
  // 1 + 2^-11 is halfway between two f16 values: rounds to even (1.0).
  // 1 + 3·2^-11 is halfway too and rounds up to 1 + 2^-9.
  std::vector<double> values{1.0 + 0x1p-11, 1.0 + 3 * 0x1p-11, 65504.0};
  auto read = roundTrip(ctx, Float16Type::get(&ctx), values);
  ASSERT_EQ(read.size(), 3u);
  EXPECT_EQ(read[0], 1.0);
  EXPECT_EQ(read[1], 1.0 + 0x1p-9);
  EXPECT_EQ(read[2], 65504.0);
}

TEST(ElementsUtils, BF16AndF64) {
  MLIRContext ctx;
  auto bf = roundTrip(ctx, BFloat16Type::get(&ctx), {1.0, -2.0, 0.5});
  EXPECT_EQ(bf, (std::vector<double>{1.0, -2.0, 0.5}));
  auto f64 = roundTrip(ctx, Float64Type::get(&ctx), {0.1, -1e300});
  EXPECT_EQ(f64, (std::vector<double>{0.1, -1e300}));
}

TEST(ElementsUtils, DenseAttrIsRead) {
  MLIRContext ctx;
  auto type = RankedTensorType::get({2}, Float32Type::get(&ctx));
  auto attr = DenseElementsAttr::get(type, llvm::ArrayRef<float>{2.5f, -4.0f});
  auto read = qopt::readFloatElements(attr);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(*read, (std::vector<double>{2.5, -4.0}));
}

TEST(ElementsUtils, IntegerAttrIsNotFloat) {
  MLIRContext ctx;
  auto type = RankedTensorType::get({1}, IntegerType::get(&ctx, 32));
  auto attr = DenseElementsAttr::get(type, llvm::ArrayRef<int32_t>{7});
  EXPECT_FALSE(qopt::readFloatElements(attr).has_value());
}
