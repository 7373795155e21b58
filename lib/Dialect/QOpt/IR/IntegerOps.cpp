//===- IntegerOps.cpp - verifiers of the integer-only qopt ops ------------===//

#include "qopt/Dialect/QOpt/IR/QOpt.h"
#include "qopt/Dialect/QOpt/IR/ShapeUtils.h"
#include "qopt/Dialect/QOpt/IR/Verification.h"

#include "mlir/IR/TypeUtilities.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qopt;

static unsigned widthOf(Value v) {
  return getElementTypeOrSelf(v.getType()).getIntOrFloatBitWidth();
}

static LogicalResult verifyMaxWidth(Operation *op, StringRef what, Value v,
                                    unsigned maxWidth) {
  if (widthOf(v) > maxWidth)
    return op->emitOpError() << what << " elements have " << widthOf(v)
                             << " bits; at most " << maxWidth
                             << " are supported";
  return success();
}

static LogicalResult verifyMultiplierShift(Operation *op, StringRef prefix,
                                           int64_t multiplier, int64_t shift) {
  if (multiplier < 0)
    return op->emitOpError() << "'" << prefix << "multiplier' must be >= 0, got "
                             << multiplier;
  if (shift < 0 || shift > 62)
    return op->emitOpError() << "'" << prefix
                             << "shift' must be in [0, 62], got " << shift;
  return success();
}

//===----------------------------------------------------------------------===//
// rescale
//===----------------------------------------------------------------------===//

int64_t RescaleOp::getEffectiveQmin() {
  if (auto qmin = getQmin())
    return *qmin;
  unsigned width = widthOf(getOutput());
  return width == 0 ? 0 : -(int64_t(1) << (width - 1));
}

int64_t RescaleOp::getEffectiveQmax() {
  if (auto qmax = getQmax())
    return *qmax;
  unsigned width = widthOf(getOutput());
  return width == 0 ? 0 : (int64_t(1) << (width - 1)) - 1;
}

/// What rescale and float_rescale share: `count` multipliers fit the
/// input's `axis` (one, or one per channel), the zero points fit their
/// types, and the clamp bounds fit the result and are ordered.
template <typename OpTy>
static LogicalResult verifyRescaleLayout(OpTy op, size_t count) {
  auto inputType = op.getInput().getType();
  if (op.getAxis()) {
    int64_t axis = *op.getAxis();
    if (axis < 0 || axis >= inputType.getRank())
      return op.emitOpError() << "'axis' = " << axis << " is out of range";
    if (count != 1 && (int64_t)count != inputType.getDimSize(axis))
      return op.emitOpError() << "has " << count << " multipliers for dim "
                              << axis << " of size "
                              << inputType.getDimSize(axis);
  } else if (count != 1) {
    return op.emitOpError("per-channel multipliers need an 'axis'");
  }
  Type inElem = inputType.getElementType();
  Type outElem = op.getOutput().getType().getElementType();
  if (failed(verifyFitsInteger(op, "input_zp", op.getInputZp(), inElem)) ||
      failed(verifyFitsInteger(op, "output_zp", op.getOutputZp(), outElem)))
    return failure();
  if (op.getQmin() &&
      failed(verifyFitsInteger(op, "qmin", *op.getQmin(), outElem)))
    return failure();
  if (op.getQmax() &&
      failed(verifyFitsInteger(op, "qmax", *op.getQmax(), outElem)))
    return failure();
  if (op.getEffectiveQmin() > op.getEffectiveQmax())
    return op.emitOpError() << "'qmin' (" << op.getEffectiveQmin()
                            << ") exceeds 'qmax' (" << op.getEffectiveQmax()
                            << ")";
  return success();
}

LogicalResult RescaleOp::verify() {
  // |x - zp| < 2^32 and m < 2^31 keep the product inside 64 bits.
  if (failed(verifyMaxWidth(*this, "input", getInput(), 32)) ||
      failed(verifyMaxWidth(*this, "result", getOutput(), 32)))
    return failure();
  auto multipliers = getMultiplier();
  auto shifts = getShift();
  if (multipliers.empty() || multipliers.size() != shifts.size())
    return emitOpError() << "needs one shift per multiplier and at least one, "
                            "got "
                         << multipliers.size() << " multipliers and "
                         << shifts.size() << " shifts";
  for (auto [m, s] : llvm::zip(multipliers, shifts))
    if (failed(verifyMultiplierShift(*this, "", m, s)))
      return failure();
  return verifyRescaleLayout(*this, multipliers.size());
}

//===----------------------------------------------------------------------===//
// float_rescale
//===----------------------------------------------------------------------===//

int64_t FloatRescaleOp::getEffectiveQmin() {
  if (auto qmin = getQmin())
    return *qmin;
  unsigned width = widthOf(getOutput());
  return width == 0 ? 0 : -(int64_t(1) << (width - 1));
}

int64_t FloatRescaleOp::getEffectiveQmax() {
  if (auto qmax = getQmax())
    return *qmax;
  unsigned width = widthOf(getOutput());
  return width == 0 ? 0 : (int64_t(1) << (width - 1)) - 1;
}

LogicalResult FloatRescaleOp::verify() {
  // x - input_zp is formed in i64 before the conversion to f32; results
  // are saturated to at most 32 bits (an f32 integer below 2^31 converts
  // exactly).
  if (failed(verifyMaxWidth(*this, "input", getInput(), 32)) ||
      failed(verifyMaxWidth(*this, "result", getOutput(), 32)))
    return failure();
  auto multipliers = getMultiplier();
  if (multipliers.empty())
    return emitOpError("needs at least one multiplier");
  for (float m : multipliers)
    if (!std::isfinite(m) || m <= 0.0f)
      return emitOpError() << "multipliers must be finite and > 0, got " << m;
  if (auto divisor = getDivisor())
    if (!std::isfinite(divisor->convertToFloat()) ||
        divisor->convertToFloat() <= 0.0f)
      return emitOpError() << "'divisor' must be finite and > 0, got "
                           << divisor->convertToFloat();
  return verifyRescaleLayout(*this, multipliers.size());
}

//===----------------------------------------------------------------------===//
// int_conv2d, int_matmul, int_add
//===----------------------------------------------------------------------===//

LogicalResult IntConv2DOp::verify() {
  if (failed(verifyMaxWidth(*this, "input", getInput(), 16)) ||
      failed(verifyMaxWidth(*this, "weight", getWeight(), 16)))
    return failure();
  if (failed(verifyFitsInteger(*this, "input_zp", getInputZp(),
                               getInput().getType().getElementType())) ||
      failed(verifyFitsInteger(*this, "weight_zp", getWeightZp(),
                               getWeight().getType().getElementType())))
    return failure();
  ShapedType bias = getBias() ? getBias().getType() : ShapedType();
  return verifyConv2DShapes(*this, getInput().getType(), getWeight().getType(),
                            bias, getOutput().getType(), getStrides(),
                            getPads(), getDilations(), getGroup());
}

LogicalResult IntMatMulOp::verify() {
  if (failed(verifyMaxWidth(*this, "lhs", getLhs(), 16)) ||
      failed(verifyMaxWidth(*this, "rhs", getRhs(), 16)))
    return failure();
  if (failed(verifyFitsInteger(*this, "lhs_zp", getLhsZp(),
                               getLhs().getType().getElementType())) ||
      failed(verifyFitsInteger(*this, "rhs_zp", getRhsZp(),
                               getRhs().getType().getElementType())))
    return failure();
  return verifyMatMulShapes(*this, getLhs().getType(), getRhs().getType(),
                            getOutput().getType());
}

LogicalResult IntAddOp::verify() {
  if (failed(verifyMaxWidth(*this, "lhs", getLhs(), 32)) ||
      failed(verifyMaxWidth(*this, "rhs", getRhs(), 32)) ||
      failed(verifyMaxWidth(*this, "result", getOutput(), 32)))
    return failure();
  // The I32Attr getters zero-extend (uint32_t): read the attributes signed so
  // that negative multipliers and shifts are caught and printed as written.
  if (failed(verifyMultiplierShift(*this, "lhs_",
                                   getLhsMultiplierAttr().getInt(),
                                   getLhsShiftAttr().getInt())) ||
      failed(verifyMultiplierShift(*this, "rhs_",
                                   getRhsMultiplierAttr().getInt(),
                                   getRhsShiftAttr().getInt())))
    return failure();
  if (failed(verifyFitsInteger(*this, "lhs_zp", getLhsZp(),
                               getLhs().getType().getElementType())) ||
      failed(verifyFitsInteger(*this, "rhs_zp", getRhsZp(),
                               getRhs().getType().getElementType())) ||
      failed(verifyFitsInteger(*this, "output_zp", getOutputZp(),
                               getOutput().getType().getElementType())))
    return failure();
  return detail::verifyBroadcastingBinary(*this);
}

//===----------------------------------------------------------------------===//
// I-ViT non-linearities
//===----------------------------------------------------------------------===//

static LogicalResult verifyShiftExpParams(Operation *op, int64_t x0, int64_t n,
                                          int64_t outputBits) {
  if (x0 >= 0)
    return op->emitOpError() << "'x0' = floor(-1/s) must be negative, got "
                             << x0;
  // |x0| <= 2^31 and n <= 30 keep ShiftExp's values below 2^62
  // (docs/Numerics.md).
  if (x0 < -(int64_t(1) << 31))
    return op->emitOpError() << "'x0' must be at least -2^31, got " << x0;
  if (n < 1 || n > 30)
    return op->emitOpError() << "'n' must be in [1, 30], got " << n;
  if (outputBits < 2 || outputBits > 16)
    return op->emitOpError() << "'output_bits' must be in [2, 16], got "
                             << outputBits;
  return success();
}

LogicalResult ShiftmaxOp::verify() {
  if (failed(verifyShiftExpParams(*this, getX0(), getN(), getOutputBits())) ||
      failed(verifyMaxWidth(*this, "input", getInput(), 32)))
    return failure();
  int64_t rank = getInput().getType().getRank(), axis = getAxis();
  if (axis < 0 || axis >= rank)
    return emitOpError() << "'axis' = " << axis << " is out of range";
  // The result is in [0, 2^(output_bits-1) - 1] (docs/Numerics.md).
  if (widthOf(getOutput()) < (unsigned)getOutputBits())
    return emitOpError() << "result type must hold 2^(output_bits-1)-1: it "
                            "needs "
                         << getOutputBits() << " bits, has "
                         << widthOf(getOutput());
  return success();
}

LogicalResult ShiftGeluOp::verify() {
  if (failed(verifyShiftExpParams(*this, getX0(), getN(), getOutputBits())))
    return failure();
  // x·σ with σ < 2^(output_bits-1) must fit in int32.
  if (widthOf(getInput()) + getOutputBits() - 1 > 31)
    return emitOpError() << "input width " << widthOf(getInput())
                         << " plus output_bits-1 must not exceed 31";
  if (getInput().getType().getRank() < 1)
    return emitOpError("input must have rank >= 1");
  return success();
}

LogicalResult IntLayerNormOp::verify() {
  // 16-bit inputs keep the variance sum inside 64 bits (docs/Numerics.md).
  if (failed(verifyMaxWidth(*this, "input", getInput(), 16)))
    return failure();
  if (getInput().getType().getRank() < 1)
    return emitOpError("input must have rank >= 1");
  // The I64Attr getter returns uint64_t: compare and print it signed.
  int64_t iterations = getSqrtIterations();
  if (iterations < 1 || iterations > 64)
    return emitOpError() << "'sqrt_iterations' must be in [1, 64], got "
                         << iterations;
  return success();
}

LogicalResult IntAvgPool2DOp::verify() {
  if (failed(verifyMaxWidth(*this, "input", getInput(), 32)) ||
      failed(verifyMaxWidth(*this, "result", getOutput(), 32)))
    return failure();
  if (failed(verifyFitsInteger(*this, "input_zp", getInputZp(),
                               getInput().getType().getElementType())) ||
      failed(verifyFitsInteger(*this, "output_zp", getOutputZp(),
                               getOutput().getType().getElementType())))
    return failure();
  return verifyPool2DShapes(*this, getInput().getType(), getOutput().getType(),
                            getKernel(), getStrides(), getPads(), {1, 1},
                            getCeilMode());
}
