//===- ShapeUtilsTest.cpp - shape arithmetic of qopt ops ------------------===//

#include "qopt/Dialect/QOpt/IR/ShapeUtils.h"

#include <gtest/gtest.h>

using namespace mlir::qopt;

TEST(BroadcastShapes, NumpyRules) {
  using V = llvm::SmallVector<int64_t>;
  EXPECT_EQ(*broadcastShapes({2, 3, 4}, {4}), (V{2, 3, 4}));
  EXPECT_EQ(*broadcastShapes({2, 1, 4}, {3, 1}), (V{2, 3, 4}));
  EXPECT_EQ(*broadcastShapes({}, {5, 6}), (V{5, 6}));
  EXPECT_EQ(*broadcastShapes({1}, {0}), (V{0}));
  EXPECT_FALSE(broadcastShapes({2, 3}, {4}).has_value());
  EXPECT_FALSE(broadcastShapes({0}, {2}).has_value());
}

TEST(ConvOutputSize, FloorAndCeilModes) {
  // 224 input, 7x7 kernel, stride 2, pad 3: ResNet's stem gives 112.
  EXPECT_EQ(convOutputSize(224, 7, 2, 3, 3, 1), 112);
  // 3x3 max pool, stride 2, pad 1 on 112 gives 56.
  EXPECT_EQ(convOutputSize(112, 3, 2, 1, 1, 1), 56);
  // Dilation 2 makes a 3-wide kernel span 5.
  EXPECT_EQ(convOutputSize(7, 3, 1, 0, 0, 2), 3);
  // Ceil mode: 5 wide, kernel 2, stride 2 -> floor 2, ceil 3.
  EXPECT_EQ(convOutputSize(5, 2, 2, 0, 0, 1, false), 2);
  EXPECT_EQ(convOutputSize(5, 2, 2, 0, 0, 1, true), 3);
  // Ceil mode never starts a window inside the end padding.
  EXPECT_EQ(convOutputSize(4, 2, 2, 1, 1, 1, true), 3);
  // Kernel larger than the padded input.
  EXPECT_LE(convOutputSize(2, 5, 1, 0, 0, 1), 0);
}

TEST(ConvTransposeOutputSize, OnnxFormula) {
  EXPECT_EQ(convTransposeOutputSize(3, 3, 2, 0, 0, 1, 0), 7);
  EXPECT_EQ(convTransposeOutputSize(3, 3, 2, 1, 1, 1, 1), 6);
}

TEST(SliceSize, PositiveAndNegativeSteps) {
  EXPECT_EQ(sliceSize(0, 10, 1), 10);
  EXPECT_EQ(sliceSize(1, 10, 3), 3); // 1, 4, 7
  EXPECT_EQ(sliceSize(5, 2, 1), 0);
  EXPECT_EQ(sliceSize(9, -1, -1), 10);
  EXPECT_EQ(sliceSize(9, 0, -4), 3); // 9, 5, 1
  EXPECT_EQ(sliceSize(2, 5, -1), 0);
}
