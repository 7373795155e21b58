//===- IntegerArith.cpp - scalar integer arithmetic of docs/Numerics.md ---===//

#include "IntegerArith.h"
#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::linalg_lowering;

Value linalg_lowering::createI64(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(value));
}

Value linalg_lowering::extendToI64(OpBuilder &b, Location loc, Value value,
                                   bool isUnsigned) {
  Type i64 = b.getI64Type();
  if (value.getType() == i64)
    return value;
  if (isUnsigned)
    return arith::ExtUIOp::create(b, loc, i64, value);
  return arith::ExtSIOp::create(b, loc, i64, value);
}

Value linalg_lowering::truncateFromI64(OpBuilder &b, Location loc, Value value,
                                       Type type) {
  if (type == value.getType())
    return value;
  return arith::TruncIOp::create(b, loc, type, value);
}

Value linalg_lowering::clampI64(OpBuilder &b, Location loc, Value value,
                                int64_t lo, int64_t hi) {
  Value clamped = arith::MaxSIOp::create(b, loc, value, createI64(b, loc, lo));
  return arith::MinSIOp::create(b, loc, clamped, createI64(b, loc, hi));
}

Value linalg_lowering::roundingShift(OpBuilder &b, Location loc, Value v,
                                     Value s, RoundingMode mode) {
  Value zero = createI64(b, loc, 0), one = createI64(b, loc, 1);
  Value floor = arith::ShRSIOp::create(b, loc, v, s);
  if (mode == RoundingMode::floor)
    return floor;
  // The bit worth one half (bit s-1), read without shifting by -1 when s is 0
  // (then nothing is rounded). Adding it to the floor is `(v + 2^(s-1)) >> s`
  // without the addition, which could overflow for v near 2^63.
  Value sMinusOne =
      arith::MaxSIOp::create(b, loc, arith::SubIOp::create(b, loc, s, one),
                             zero);
  Value halfBit = arith::AndIOp::create(
      b, loc, arith::ShRSIOp::create(b, loc, v, sMinusOne), one);
  Value sIsZero =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, s, zero);
  halfBit = arith::SelectOp::create(b, loc, sIsZero, zero, halfBit);
  if (mode == RoundingMode::half_up)
    return arith::AddIOp::create(b, loc, floor, halfBit);

  // half_even: round up above the half, and at the half only from odd.
  Value lowMask = arith::SubIOp::create(
      b, loc, arith::ShLIOp::create(b, loc, one, sMinusOne), one);
  Value lowBits = arith::AndIOp::create(b, loc, v, lowMask);
  Value aboveHalf =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, lowBits, zero);
  Value odd = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                    arith::AndIOp::create(b, loc, floor, one),
                                    zero);
  Value atLeastHalf =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, halfBit, zero);
  Value up = arith::AndIOp::create(
      b, loc, atLeastHalf, arith::OrIOp::create(b, loc, aboveHalf, odd));
  return arith::AddIOp::create(
      b, loc, floor, arith::ExtUIOp::create(b, loc, b.getI64Type(), up));
}

Value linalg_lowering::shiftExp(OpBuilder &b, Location loc, Value x,
                                int64_t x0, int64_t n) {
  // t = x + (x >> 1) - (x >> 4), i.e. x·log2(e) with shifts.
  Value t = arith::AddIOp::create(
      b, loc, x, arith::ShRSIOp::create(b, loc, x, createI64(b, loc, 1)));
  t = arith::SubIOp::create(
      b, loc, t, arith::ShRSIOp::create(b, loc, x, createI64(b, loc, 4)));
  t = arith::MaxSIOp::create(b, loc, t, createI64(b, loc, n * x0));
  // q = ⌊t / x0⌋ with t <= 0 and x0 < 0: a division of non-negatives, where
  // truncation is the floor.
  Value q = arith::DivSIOp::create(
      b, loc, arith::SubIOp::create(b, loc, createI64(b, loc, 0), t),
      createI64(b, loc, -x0));
  Value r = arith::SubIOp::create(
      b, loc, t, arith::MulIOp::create(b, loc, q, createI64(b, loc, x0)));
  // e = ((r - 2·x0) << (n - q)) >> 1 = ⌊(r/2 - x0)·2^(n-q)⌋.
  Value e = arith::SubIOp::create(b, loc, r, createI64(b, loc, 2 * x0));
  e = arith::ShLIOp::create(
      b, loc, e, arith::SubIOp::create(b, loc, createI64(b, loc, n), q));
  return arith::ShRSIOp::create(b, loc, e, createI64(b, loc, 1));
}

int64_t linalg_lowering::signedMin(Type type) {
  unsigned width = type.getIntOrFloatBitWidth();
  return width >= 64 ? std::numeric_limits<int64_t>::min()
                     : -(int64_t(1) << (width - 1));
}

int64_t linalg_lowering::signedMax(Type type) {
  unsigned width = type.getIntOrFloatBitWidth();
  return width >= 64 ? std::numeric_limits<int64_t>::max()
                     : (int64_t(1) << (width - 1)) - 1;
}

Value linalg_lowering::createIntReduction(OpBuilder &b, Location loc,
                                          Value value, ArrayRef<int64_t> dims,
                                          IntCombiner combiner, bool square) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (!llvm::is_contained(dims, i))
      shape.push_back(type.getDimSize(i));
  Type i64 = b.getI64Type();
  int64_t neutral = combiner == IntCombiner::max
                        ? std::numeric_limits<int64_t>::min()
                        : 0;
  Value init = createFilled(b, loc, RankedTensorType::get(shape, i64),
                            createI64(b, loc, neutral));
  auto reduce = linalg::ReduceOp::create(
      b, loc, ValueRange{value}, ValueRange{init}, dims,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value x = extendToI64(nb, nloc, args[0]);
        if (square)
          x = arith::MulIOp::create(nb, nloc, x, x);
        Value acc = args[1], result;
        switch (combiner) {
        case IntCombiner::add:
          result = arith::AddIOp::create(nb, nloc, acc, x);
          break;
        case IntCombiner::max:
          result = arith::MaxSIOp::create(nb, nloc, acc, x);
          break;
        case IntCombiner::saturatingAdd: {
          // acc and the clamped term are both below 2^31: no overflow.
          Value limit = createI64(nb, nloc, (int64_t(1) << 31) - 1);
          Value term = arith::MinSIOp::create(nb, nloc, x, limit);
          result = arith::MinSIOp::create(
              nb, nloc, arith::AddIOp::create(nb, nloc, acc, term), limit);
          break;
        }
        }
        linalg::YieldOp::create(nb, nloc, result);
      });
  return reduce.getResult(0);
}

Value linalg_lowering::createVectorConstant(OpBuilder &b, Location loc,
                                            ArrayRef<int64_t> values,
                                            Type type) {
  unsigned width = type.getIntOrFloatBitWidth();
  SmallVector<APInt> ints;
  for (int64_t v : values)
    ints.push_back(APInt(width, v, /*isSigned=*/true, /*implicitTrunc=*/true));
  auto tensorType = RankedTensorType::get({(int64_t)values.size()}, type);
  return arith::ConstantOp::create(b, loc,
                                   DenseElementsAttr::get(tensorType, ints));
}

Value linalg_lowering::createVectorConstant(OpBuilder &b, Location loc,
                                            ArrayRef<double> values,
                                            Type type) {
  auto floatType = cast<FloatType>(type);
  SmallVector<APFloat> floats;
  for (double v : values) {
    APFloat f(v);
    bool losesInfo = false;
    f.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
              &losesInfo);
    floats.push_back(f);
  }
  auto tensorType = RankedTensorType::get({(int64_t)values.size()}, type);
  return arith::ConstantOp::create(b, loc,
                                   DenseElementsAttr::get(tensorType, floats));
}

Value linalg_lowering::createParallelGeneric(
    OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
    ArrayRef<AffineMap> inputMaps,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  unsigned rank = resultType.getRank();
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(rank));
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs,
      ValueRange{createEmpty(b, loc, resultType)}, maps,
      parallelIterators(rank),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc,
                                body(nb, nloc, args.drop_back()));
      });
  return generic.getResult(0);
}

AffineMap linalg_lowering::getAxisMap(unsigned rank, int64_t axis,
                                      MLIRContext *context) {
  return AffineMap::get(rank, 0, getAffineDimExpr(axis, context), context);
}

/// A generic over `resultType` reading `input` elementwise and, per axis,
/// the rank-1 `channelVectors` at the element's channel; `body` gets the
/// element and the channel values (empty when `axis` is unset).
Value linalg_lowering::createChannelwise(
    OpBuilder &b, Location loc, RankedTensorType resultType, Value input,
    std::optional<int64_t> axis, ArrayRef<Value> channelVectors,
    function_ref<Value(OpBuilder &, Location, Value, ValueRange)> body) {
  MLIRContext *context = b.getContext();
  unsigned rank = resultType.getRank();
  SmallVector<Value> inputs{input};
  SmallVector<AffineMap> maps{AffineMap::getMultiDimIdentityMap(rank, context)};
  if (axis)
    for (Value vector : channelVectors) {
      inputs.push_back(vector);
      maps.push_back(getAxisMap(rank, *axis, context));
    }
  return createParallelGeneric(
      b, loc, resultType, inputs, maps,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        return body(nb, nloc, args[0], args.drop_front());
      });
}

