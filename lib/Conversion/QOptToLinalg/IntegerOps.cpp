//===- IntegerOps.cpp - the integer-only qopt ops to linalg ---------------===//
//
// The exact arithmetic of docs/Numerics.md as linalg ops on signless
// integer tensors:
//   - rescale, int_add: one elementwise linalg.generic in i64 (products of
//     up to 33 × 31 bits, rounding shifts without overflow, saturation);
//   - int_matmul, int_conv2d on 8-bit operands: linalg's quantized named
//     ops (quantized_matmul, quantized_batch_matmul, conv_2d_nchw_fchw_q),
//     whose i32 sum of sign-extended differences is the spec's, so that
//     convert-linalg-to-qopt-runtime can call the runtime's int8 kernels;
//     other widths, broadcast batch dims and grouped convolutions: a
//     linalg.generic reduction accumulating in i32 (wrapping, as the spec
//     says), zero points subtracted from the sign-extended operands;
//     padding is filled with the input zero point;
//   - int_avg_pool2d: a window sum in i64 (padding holds the input zero
//     point), then the rounded division by the per-position count;
//   - shiftmax, shift_gelu, int_layernorm: integer linalg.reduce ops (max,
//     saturating sum, sum, sum of squares) over the normalised axis and
//     elementwise generics for I-ViT's ShiftExp, normalisation and Newton
//     square root (unrolled: the iteration count is an attribute).
//
//===----------------------------------------------------------------------===//

#include "IntegerArith.h"
#include "LoweringUtils.h"
#include "qopt/Conversion/QOptToLinalg/QOptToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::linalg_lowering;

static constexpr int64_t kInt31Max = (int64_t(1) << 31) - 1;

namespace {

//===----------------------------------------------------------------------===//
// rescale, int_add
//===----------------------------------------------------------------------===//

struct RescaleLowering : OpConversionPattern<RescaleOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(RescaleOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = op.getOutput().getType();
    Type elementType = resultType.getElementType();
    SmallVector<int64_t> multipliers(op.getMultiplier().begin(),
                                     op.getMultiplier().end());
    SmallVector<int64_t> shifts(op.getShift().begin(), op.getShift().end());
    // One pair applies to every element, whatever `axis` says.
    std::optional<int64_t> axis;
    SmallVector<Value> vectors;
    if (multipliers.size() > 1) {
      axis = op.getAxis();
      Type i64 = rewriter.getI64Type();
      vectors = {createVectorConstant(rewriter, loc, multipliers, i64),
                 createVectorConstant(rewriter, loc, shifts, i64)};
    }
    int64_t inputZp = op.getInputZp(), outputZp = op.getOutputZp();
    int64_t qmin = op.getEffectiveQmin(), qmax = op.getEffectiveQmax();
    RoundingMode rounding = op.getRounding();
    rewriter.replaceOp(
        op, createChannelwise(
                rewriter, loc, resultType, adaptor.getInput(), axis, vectors,
                [&](OpBuilder &b, Location l, Value x, ValueRange channel) {
                  Value m = axis ? channel[0] : createI64(b, l, multipliers[0]);
                  Value s = axis ? channel[1] : createI64(b, l, shifts[0]);
                  Value v = arith::SubIOp::create(b, l, extendToI64(b, l, x),
                                                  createI64(b, l, inputZp));
                  v = arith::MulIOp::create(b, l, v, m);
                  Value y = roundingShift(b, l, v, s, rounding);
                  y = arith::AddIOp::create(b, l, y, createI64(b, l, outputZp));
                  y = clampI64(b, l, y, qmin, qmax);
                  return truncateFromI64(b, l, y, elementType);
                }));
    return success();
  }
};

/// float_rescale: every step one f32 operation, in ONNX Runtime's order
/// (docs/Numerics.md). The f32 multiply and divide keep it structurally
/// apart from the dyadic rescale, which the int8 kernels' epilogue fuses.
struct FloatRescaleLowering : OpConversionPattern<FloatRescaleOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(FloatRescaleOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = op.getOutput().getType();
    Type elementType = resultType.getElementType();
    Type f32 = rewriter.getF32Type();
    SmallVector<double> multipliers(op.getMultiplier().begin(),
                                    op.getMultiplier().end());
    std::optional<int64_t> axis;
    SmallVector<Value> vectors;
    if (multipliers.size() > 1) {
      axis = op.getAxis();
      vectors = {createVectorConstant(rewriter, loc, multipliers, f32)};
    }
    std::optional<float> divisor;
    if (auto d = op.getDivisor())
      divisor = d->convertToFloat();
    int64_t inputZp = op.getInputZp(), outputZp = op.getOutputZp();
    int64_t qmin = op.getEffectiveQmin(), qmax = op.getEffectiveQmax();
    auto f32Constant = [&](OpBuilder &b, Location l, double v) -> Value {
      return arith::ConstantOp::create(b, l, f32, b.getF32FloatAttr(v));
    };
    rewriter.replaceOp(
        op, createChannelwise(
                rewriter, loc, resultType, adaptor.getInput(), axis, vectors,
                [&](OpBuilder &b, Location l, Value x, ValueRange channel) {
                  Value m = axis ? channel[0] : f32Constant(b, l, multipliers[0]);
                  // The difference is exact in i64; its conversion rounds
                  // to nearest even, as a C++ int -> float cast does.
                  Value v = arith::SubIOp::create(b, l, extendToI64(b, l, x),
                                                  createI64(b, l, inputZp));
                  Value t = arith::SIToFPOp::create(b, l, f32, v);
                  t = arith::MulFOp::create(b, l, t, m);
                  if (divisor)
                    t = arith::DivFOp::create(b, l, t,
                                              f32Constant(b, l, *divisor));
                  t = math::RoundEvenOp::create(b, l, t);
                  t = arith::AddFOp::create(b, l, t,
                                            f32Constant(b, l, outputZp));
                  // Clamp in f32 first (|t| may exceed i64), then exactly.
                  t = arith::MaxNumFOp::create(b, l, t,
                                               f32Constant(b, l, qmin));
                  t = arith::MinNumFOp::create(b, l, t,
                                               f32Constant(b, l, qmax));
                  Value y = arith::FPToSIOp::create(b, l, b.getI64Type(), t);
                  y = clampI64(b, l, y, qmin, qmax);
                  return truncateFromI64(b, l, y, elementType);
                }));
    return success();
  }
};

struct IntAddLowering : OpConversionPattern<IntAddOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(IntAddOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = op.getOutput().getType();
    Type elementType = resultType.getElementType();
    // Read the I32Attrs signed (their getters zero-extend).
    int64_t lhsM = op.getLhsMultiplierAttr().getInt();
    int64_t lhsS = op.getLhsShiftAttr().getInt();
    int64_t rhsM = op.getRhsMultiplierAttr().getInt();
    int64_t rhsS = op.getRhsShiftAttr().getInt();
    int64_t lhsZp = op.getLhsZp(), rhsZp = op.getRhsZp();
    int64_t outputZp = op.getOutputZp();
    RoundingMode rounding = op.getRounding();
    rewriter.replaceOp(
        op, createElementwise(
                rewriter, op.getLoc(), resultType,
                ValueRange{adaptor.getLhs(), adaptor.getRhs()},
                [&](OpBuilder &b, Location l, ValueRange args) {
                  auto term = [&](Value x, int64_t zp, int64_t m, int64_t s) {
                    Value v = arith::SubIOp::create(
                        b, l, extendToI64(b, l, x), createI64(b, l, zp));
                    v = arith::MulIOp::create(b, l, v, createI64(b, l, m));
                    return roundingShift(b, l, v, createI64(b, l, s),
                                         rounding);
                  };
                  Value y = arith::AddIOp::create(
                      b, l, term(args[0], lhsZp, lhsM, lhsS),
                      term(args[1], rhsZp, rhsM, rhsS));
                  y = arith::AddIOp::create(b, l, y, createI64(b, l, outputZp));
                  y = clampI64(b, l, y, signedMin(elementType),
                               signedMax(elementType));
                  return truncateFromI64(b, l, y, elementType);
                }));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// int_matmul, int_conv2d
//===----------------------------------------------------------------------===//

/// acc + (x - xZp)·(w - wZp) in i32; x and w have at most 16 bits, so the
/// differences are exact and the product wraps as the spec says.
Value multiplyAccumulate(OpBuilder &b, Location l, Value x, int64_t xZp,
                         Value w, int64_t wZp, Value acc) {
  Type i32 = b.getI32Type();
  auto centred = [&](Value v, int64_t zp) -> Value {
    if (v.getType() != i32)
      v = arith::ExtSIOp::create(b, l, i32, v);
    return arith::SubIOp::create(
        b, l, v, arith::ConstantOp::create(b, l, b.getI32IntegerAttr(zp)));
  };
  Value product =
      arith::MulIOp::create(b, l, centred(x, xZp), centred(w, wZp));
  return arith::AddIOp::create(b, l, acc, product);
}

/// An i32 scalar constant, the zero-point operand of linalg's quantized ops.
Value createI32(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(v));
}

bool isI8(Value v) {
  return cast<RankedTensorType>(v.getType()).getElementType().isInteger(8);
}

/// Zero points that linalg's quantized ops take as i32 scalars and the
/// runtime's int8 kernels accept (every x - zp of an i8 x fits i16).
bool isByteZeroPoint(int64_t zp) { return zp >= -32640 && zp <= 32639; }

int64_t product(ArrayRef<int64_t> dims) {
  int64_t p = 1;
  for (int64_t d : dims)
    p *= d;
  return p;
}

/// int_matmul of i8 operands as linalg.quantized_matmul (2-D, or a rhs
/// without batch dims whose lhs batch folds into its rows) or
/// linalg.quantized_batch_matmul (equal batch dims, collapsed into one);
/// null when the shapes need broadcasting.
Value createNamedIntMatMul(OpBuilder &b, Location loc, Value lhs, Value rhs,
                           int64_t lhsZp, int64_t rhsZp,
                           RankedTensorType resultType) {
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  ArrayRef<int64_t> lhsShape = lhsType.getShape(), rhsShape = rhsType.getShape(),
                    resultShape = resultType.getShape();
  Type i8 = lhsType.getElementType(), i32 = resultType.getElementType();
  int64_t m = lhsShape[lhsShape.size() - 2], k = lhsShape.back(),
          n = rhsShape.back();
  Value zero = createI32(b, loc, 0);
  SmallVector<Value> zps = {createI32(b, loc, lhsZp), createI32(b, loc, rhsZp)};
  if (rhsType.getRank() == 2 || product(rhsShape.drop_back(2)) == 1) {
    int64_t rows = product(lhsShape.drop_back(1));
    auto outType = RankedTensorType::get({rows, n}, i32);
    Value lhs2 = reshapeTo(b, loc, lhs, RankedTensorType::get({rows, k}, i8));
    Value rhs2 = reshapeTo(b, loc, rhs, RankedTensorType::get({k, n}, i8));
    Value product2 =
        linalg::QuantizedMatmulOp::create(
            b, loc, TypeRange{outType}, ValueRange{lhs2, rhs2, zps[0], zps[1]},
            ValueRange{createFilled(b, loc, outType, zero)})
            .getResult(0);
    return reshapeTo(b, loc, product2, resultType);
  }
  ArrayRef<int64_t> batch = resultShape.drop_back(2);
  if (lhsShape.drop_back(2) != batch || rhsShape.drop_back(2) != batch)
    return {};
  int64_t batchSize = product(batch);
  auto outType = RankedTensorType::get({batchSize, m, n}, i32);
  Value lhs3 =
      reshapeTo(b, loc, lhs, RankedTensorType::get({batchSize, m, k}, i8));
  Value rhs3 =
      reshapeTo(b, loc, rhs, RankedTensorType::get({batchSize, k, n}, i8));
  Value product3 =
      linalg::QuantizedBatchMatmulOp::create(
          b, loc, TypeRange{outType}, ValueRange{lhs3, rhs3, zps[0], zps[1]},
          ValueRange{createFilled(b, loc, outType, zero)})
          .getResult(0);
  return reshapeTo(b, loc, product3, resultType);
}

/// The map reading one matmul operand of shape `shape` (batch dims, then
/// `rows`, `cols` as loop dims) in a loop nest over the result's `rank` dims
/// plus the reduction dim, broadcasting batch dims as numpy does.
AffineMap matmulOperandMap(ArrayRef<int64_t> shape, ArrayRef<int64_t> result,
                           unsigned rows, unsigned cols,
                           MLIRContext *context) {
  unsigned batchRank = result.size() - 2;
  unsigned operandBatch = shape.size() - 2;
  SmallVector<AffineExpr> exprs;
  for (unsigned i = 0; i < operandBatch; ++i) {
    unsigned dim = batchRank - operandBatch + i;
    exprs.push_back(shape[i] == 1 && result[dim] != 1
                        ? getAffineConstantExpr(0, context)
                        : getAffineDimExpr(dim, context));
  }
  exprs.push_back(getAffineDimExpr(rows, context));
  exprs.push_back(getAffineDimExpr(cols, context));
  return AffineMap::get(result.size() + 1, 0, exprs, context);
}

struct IntMatMulLowering : OpConversionPattern<IntMatMulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(IntMatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    auto resultType = op.getOutput().getType();
    ArrayRef<int64_t> result = resultType.getShape();
    unsigned rank = result.size();
    // Loop dims: the result's (…, i, j), then k.
    SmallVector<AffineMap> maps = {
        matmulOperandMap(op.getLhs().getType().getShape(), result, rank - 2,
                         rank, context),
        matmulOperandMap(op.getRhs().getType().getShape(), result, rank,
                         rank - 1, context),
        AffineMap::getMultiDimIdentityMap(rank + 1, context).getMajorSubMap(
            rank)};
    SmallVector<utils::IteratorType> iterators = parallelIterators(rank);
    iterators.push_back(utils::IteratorType::reduction);
    int64_t lhsZp = op.getLhsZp(), rhsZp = op.getRhsZp();
    if (isI8(adaptor.getLhs()) && isI8(adaptor.getRhs()) &&
        isByteZeroPoint(lhsZp) && isByteZeroPoint(rhsZp)) {
      if (Value named =
              createNamedIntMatMul(rewriter, loc, adaptor.getLhs(),
                                   adaptor.getRhs(), lhsZp, rhsZp, resultType)) {
        rewriter.replaceOp(op, named);
        return success();
      }
    }
    Value init = createFilled(
        rewriter, loc, resultType,
        arith::ConstantOp::create(rewriter, loc, rewriter.getI32IntegerAttr(0)));
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType},
        ValueRange{adaptor.getLhs(), adaptor.getRhs()}, ValueRange{init}, maps,
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(
              b, l,
              multiplyAccumulate(b, l, args[0], lhsZp, args[1], rhsZp,
                                 args[2]));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct IntConv2DLowering : OpConversionPattern<IntConv2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(IntConv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    auto inputType = op.getInput().getType();
    auto weightType = op.getWeight().getType();
    auto resultType = op.getOutput().getType();
    int64_t group = op.getGroup();
    int64_t filtersPerGroup = weightType.getDimSize(0) / group;
    int64_t channelsPerGroup = weightType.getDimSize(1);
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations();

    // The accumulator starts at the bias (or 0).
    Value init;
    if (Value bias = adaptor.getBias()) {
      init = createParallelGeneric(
          rewriter, loc, resultType, ValueRange{bias},
          {AffineMap::get(4, 0, getAffineDimExpr(1, context), context)},
          [](OpBuilder &, Location, ValueRange args) { return args[0]; });
    } else {
      init = createFilled(rewriter, loc, resultType,
                          arith::ConstantOp::create(
                              rewriter, loc, rewriter.getI32IntegerAttr(0)));
    }

    // Padded positions hold the input zero point: they contribute zero.
    // (Built after the accumulator, so that the padded copy lies right
    // before the convolution once bufferized, where the runtime rewrite
    // looks for it.)
    Value zp = arith::ConstantOp::create(
        rewriter, loc,
        rewriter.getIntegerAttr(inputType.getElementType(), op.getInputZp()));
    Value input = padSpatial(rewriter, loc, adaptor.getInput(), op.getPads(),
                             {0, 0}, zp);

    // Loop dims: n, f, oh, ow, then the reductions c, kh, kw.
    AffineExpr n, f, oh, ow, c, kh, kw;
    bindDims(context, n, f, oh, ow, c, kh, kw);
    SmallVector<AffineMap> maps = {
        AffineMap::get(7, 0,
                       {n, f.floorDiv(filtersPerGroup) * channelsPerGroup + c,
                        oh * strides[0] + kh * dilations[0],
                        ow * strides[1] + kw * dilations[1]},
                       context),
        AffineMap::get(7, 0, {f, c, kh, kw}, context),
        AffineMap::get(7, 0, {n, f, oh, ow}, context)};
    SmallVector<utils::IteratorType> iterators = parallelIterators(4);
    iterators.append(3, utils::IteratorType::reduction);
    int64_t inputZp = op.getInputZp(), weightZp = op.getWeightZp();
    if (group == 1 && isI8(input) && isI8(adaptor.getWeight()) &&
        isByteZeroPoint(weightZp)) {
      // (The input zero point is an i8 padding value, so it fits.)
      Value conv =
          linalg::Conv2DNchwFchwQOp::create(
              rewriter, loc, TypeRange{resultType},
              ValueRange{input, adaptor.getWeight(),
                         createI32(rewriter, loc, inputZp),
                         createI32(rewriter, loc, weightZp)},
              ValueRange{init}, rewriter.getI64TensorAttr(strides),
              rewriter.getI64TensorAttr(dilations))
              .getResult(0);
      rewriter.replaceOp(op, conv);
      return success();
    }
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType},
        ValueRange{input, adaptor.getWeight()}, ValueRange{init}, maps,
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(
              b, l,
              multiplyAccumulate(b, l, args[0], inputZp, args[1], weightZp,
                                 args[2]));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// I-ViT: shiftmax, shift_gelu, int_layernorm
//===----------------------------------------------------------------------===//

RankedTensorType withElementType(RankedTensorType type, Type elementType) {
  return RankedTensorType::get(type.getShape(), elementType);
}

/// min((e·⌊(2^31-1)/Σ⌋) >> (32 - bits), 2^(bits-1) - 1): I-ViT's integer
/// normalisation of the i64 `e` by the i64 sum `sum` (1 <= Σ <= 2^31-1).
Value normalise(OpBuilder &b, Location l, Value e, Value sum, int64_t bits) {
  Value factor = arith::DivSIOp::create(b, l, createI64(b, l, kInt31Max), sum);
  Value y = arith::ShRSIOp::create(b, l, arith::MulIOp::create(b, l, e, factor),
                                   createI64(b, l, 32 - bits));
  return arith::MinSIOp::create(b, l, y,
                                createI64(b, l, (int64_t(1) << (bits - 1)) - 1));
}

struct ShiftmaxLowering : OpConversionPattern<ShiftmaxOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ShiftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    auto resultType = op.getOutput().getType();
    unsigned rank = resultType.getRank();
    int64_t axis = op.getAxis(), x0 = op.getX0(), n = op.getN();
    int64_t bits = op.getOutputBits();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, context);
    AffineMap reduced = getDropDimsMap(rank, {axis}, context);
    Value input = adaptor.getInput();

    Value max = createIntReduction(rewriter, loc, input, {axis},
                                   IntCombiner::max);
    Value exp = createParallelGeneric(
        rewriter, loc, withElementType(resultType, rewriter.getI64Type()),
        ValueRange{input, max}, {identity, reduced},
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value d = arith::SubIOp::create(b, l, extendToI64(b, l, args[0]),
                                          args[1]);
          return shiftExp(b, l, d, x0, n);
        });
    Value sum = createIntReduction(rewriter, loc, exp, {axis},
                                   IntCombiner::saturatingAdd);
    Type elementType = resultType.getElementType();
    rewriter.replaceOp(
        op, createParallelGeneric(
                rewriter, loc, resultType, ValueRange{exp, sum},
                {identity, reduced},
                [&](OpBuilder &b, Location l, ValueRange args) {
                  return truncateFromI64(
                      b, l, normalise(b, l, args[0], args[1], bits),
                      elementType);
                }));
    return success();
  }
};

struct ShiftGeluLowering : OpConversionPattern<ShiftGeluOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ShiftGeluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    auto resultType = op.getOutput().getType();
    unsigned rank = resultType.getRank();
    int64_t x0 = op.getX0(), n = op.getN(), bits = op.getOutputBits();
    Value input = adaptor.getInput();
    Value max = createIntReduction(rewriter, loc, input, {rank - 1},
                                   IntCombiner::max);
    rewriter.replaceOp(
        op,
        createParallelGeneric(
            rewriter, loc, resultType, ValueRange{input, max},
            {AffineMap::getMultiDimIdentityMap(rank, context),
             getDropDimsMap(rank, {rank - 1}, context)},
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value x = extendToI64(b, l, args[0]);
              Value zero = createI64(b, l, 0);
              // M = max(0, max x) keeps both exponents <= 0.
              Value m = arith::MaxSIOp::create(b, l, args[1], zero);
              Value e = shiftExp(b, l, arith::SubIOp::create(b, l, x, m), x0, n);
              Value eM =
                  shiftExp(b, l, arith::SubIOp::create(b, l, zero, m), x0, n);
              Value sum = arith::MinSIOp::create(
                  b, l, arith::AddIOp::create(b, l, e, eM),
                  createI64(b, l, kInt31Max));
              Value sigma = normalise(b, l, e, sum, bits);
              return truncateFromI64(b, l, arith::MulIOp::create(b, l, x, sigma),
                                     b.getI32Type());
            }));
    return success();
  }
};

/// round_half_even(s / d) for the i64 `s` and a constant d > 0.
Value divideRoundHalfEven(OpBuilder &b, Location l, Value s, int64_t d) {
  Value divisor = createI64(b, l, d), zero = createI64(b, l, 0),
        one = createI64(b, l, 1);
  // Floor division from the truncating one: step down when the remainder is
  // negative.
  Value q = arith::DivSIOp::create(b, l, s, divisor);
  Value r = arith::SubIOp::create(b, l, s,
                                  arith::MulIOp::create(b, l, q, divisor));
  Value negative =
      arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, r, zero);
  q = arith::SelectOp::create(b, l, negative,
                              arith::SubIOp::create(b, l, q, one), q);
  r = arith::SelectOp::create(b, l, negative,
                              arith::AddIOp::create(b, l, r, divisor), r);
  // 0 <= r < d: round up above the half, and at the half from odd q.
  Value twice = arith::AddIOp::create(b, l, r, r);
  Value above =
      arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt, twice, divisor);
  Value tie =
      arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, twice, divisor);
  Value odd = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne,
                                    arith::AndIOp::create(b, l, q, one), zero);
  Value up = arith::OrIOp::create(b, l, above,
                                  arith::AndIOp::create(b, l, tie, odd));
  return arith::AddIOp::create(b, l, q,
                               arith::ExtUIOp::create(b, l, b.getI64Type(), up));
}

struct IntLayerNormLowering : OpConversionPattern<IntLayerNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(IntLayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    auto resultType = op.getOutput().getType();
    unsigned rank = resultType.getRank();
    int64_t size = resultType.getDimSize(rank - 1);
    int64_t iterations = op.getSqrtIterations();
    Type i64 = rewriter.getI64Type();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, context);
    AffineMap reduced = getDropDimsMap(rank, {rank - 1}, context);
    auto rowType = RankedTensorType::get(resultType.getShape().drop_back(), i64);
    AffineMap rowIdentity = AffineMap::getMultiDimIdentityMap(rank - 1, context);
    Value input = adaptor.getInput();

    Value sum = createIntReduction(rewriter, loc, input, {rank - 1},
                                   IntCombiner::add);
    Value mean = createParallelGeneric(
        rewriter, loc, rowType, ValueRange{sum}, {rowIdentity},
        [&](OpBuilder &b, Location l, ValueRange args) {
          return divideRoundHalfEven(b, l, args[0], size);
        });
    Value centred = createParallelGeneric(
        rewriter, loc, withElementType(resultType, i64),
        ValueRange{input, mean}, {identity, reduced},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          return arith::SubIOp::create(b, l, extendToI64(b, l, args[0]),
                                       args[1]);
        });
    Value variance = createIntReduction(rewriter, loc, centred, {rank - 1},
                                        IntCombiner::add, /*square=*/true);
    Value factor = createParallelGeneric(
        rewriter, loc, rowType, ValueRange{variance}, {rowIdentity},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value var = args[0], one = createI64(b, l, 1);
          // Newton's iteration for ⌊√var⌋ from 2^16, kept >= 1.
          Value k = createI64(b, l, int64_t(1) << 16);
          for (int64_t i = 0; i < iterations; ++i) {
            Value next = arith::AddIOp::create(
                b, l, k, arith::DivSIOp::create(b, l, var, k));
            next = arith::ShRSIOp::create(b, l, next, one);
            k = arith::MaxSIOp::create(b, l, next, one);
          }
          return arith::DivSIOp::create(b, l, createI64(b, l, kInt31Max), k);
        });
    rewriter.replaceOp(
        op, createParallelGeneric(
                rewriter, loc, resultType, ValueRange{centred, factor},
                {identity, reduced},
                [&](OpBuilder &b, Location l, ValueRange args) {
                  Value y = arith::ShRSIOp::create(
                      b, l, arith::MulIOp::create(b, l, args[0], args[1]),
                      createI64(b, l, 1));
                  Type i32 = b.getI32Type();
                  y = clampI64(b, l, y, signedMin(i32), signedMax(i32));
                  return truncateFromI64(b, l, y, i32);
                }));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// int_avg_pool2d
//===----------------------------------------------------------------------===//

/// ⌊a / b⌋ for i64 `a` and `b` > 0 (divsi truncates towards zero).
Value floorDivPositive(OpBuilder &b, Location l, Value a, Value divisor) {
  Value q = arith::DivSIOp::create(b, l, a, divisor);
  Value r = arith::SubIOp::create(b, l, a,
                                  arith::MulIOp::create(b, l, q, divisor));
  Value negative = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, r,
                                         createI64(b, l, 0));
  return arith::SubIOp::create(
      b, l, q, arith::ExtUIOp::create(b, l, b.getI64Type(), negative));
}

struct IntAvgPool2DLowering : OpConversionPattern<IntAvgPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(IntAvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    auto inputType = op.getInput().getType();
    auto resultType = op.getOutput().getType();
    ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(),
                      pads = op.getPads();
    // With ceil_mode the last window may run past the end padding: pad
    // further (with the zero point, contributing zero) so that it fits.
    SmallVector<int64_t, 2> extraEnd;
    for (int i = 0; i < 2; ++i) {
      int64_t needed =
          (resultType.getDimSize(2 + i) - 1) * strides[i] + kernel[i];
      int64_t have = inputType.getDimSize(2 + i) + pads[i] + pads[2 + i];
      extraEnd.push_back(std::max<int64_t>(0, needed - have));
    }
    int64_t inputZp = op.getInputZp(), outputZp = op.getOutputZp();
    Value zp = arith::ConstantOp::create(
        rewriter, loc,
        rewriter.getIntegerAttr(inputType.getElementType(), inputZp));
    Value padded =
        padSpatial(rewriter, loc, adaptor.getInput(), pads, extraEnd, zp);

    // S = Σ (x - input_zp) over each window, in i64. The window tensor only
    // gives the loop bounds of kh and kw.
    Type i64 = rewriter.getI64Type();
    auto sumType = RankedTensorType::get(resultType.getShape(), i64);
    Value window = tensor::EmptyOp::create(
        rewriter, loc, ArrayRef<int64_t>{kernel[0], kernel[1]}, i64);
    AffineExpr n, c, oh, ow, kh, kw;
    bindDims(context, n, c, oh, ow, kh, kw);
    SmallVector<AffineMap> maps = {
        AffineMap::get(6, 0,
                       {n, c, oh * strides[0] + kh, ow * strides[1] + kw},
                       context),
        AffineMap::get(6, 0, {kh, kw}, context),
        AffineMap::get(6, 0, {n, c, oh, ow}, context)};
    SmallVector<utils::IteratorType> iterators = parallelIterators(4);
    iterators.append(2, utils::IteratorType::reduction);
    Value sum =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{sumType}, ValueRange{padded, window},
            ValueRange{createFilled(rewriter, loc, sumType,
                                    createI64(rewriter, loc, 0))},
            maps, iterators,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value x = arith::SubIOp::create(b, l, extendToI64(b, l, args[0]),
                                              createI64(b, l, inputZp));
              linalg::YieldOp::create(b, l,
                                      arith::AddIOp::create(b, l, args[2], x)
                                          .getResult());
            })
            .getResult(0);

    // count: the window positions inside the input, or, with
    // count_include_pad, inside the input and its explicit pads.
    bool includePad = op.getCountIncludePad();
    Type elementType = resultType.getElementType();
    rewriter.replaceOp(
        op,
        createParallelGeneric(
            rewriter, loc, resultType, ValueRange{sum},
            {AffineMap::getMultiDimIdentityMap(4, context)},
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value count = createI64(b, l, 1);
              for (int i = 0; i < 2; ++i) {
                int64_t lo = includePad ? -pads[i] : 0;
                int64_t hi = inputType.getDimSize(2 + i) +
                             (includePad ? pads[2 + i] : 0);
                Value o = arith::IndexCastOp::create(
                    b, l, b.getI64Type(), linalg::IndexOp::create(b, l, 2 + i));
                Value start = arith::SubIOp::create(
                    b, l,
                    arith::MulIOp::create(b, l, o, createI64(b, l, strides[i])),
                    createI64(b, l, pads[i]));
                Value end = arith::AddIOp::create(b, l, start,
                                                  createI64(b, l, kernel[i]));
                Value size = arith::SubIOp::create(
                    b, l, arith::MinSIOp::create(b, l, end, createI64(b, l, hi)),
                    arith::MaxSIOp::create(b, l, start, createI64(b, l, lo)));
                count = arith::MulIOp::create(b, l, count, size);
              }
              // A window entirely in the padding counts 1 (its sum is 0).
              count = arith::MaxSIOp::create(b, l, count, createI64(b, l, 1));
              // ⌊(2S + count) / (2·count)⌋: S/count rounded half up.
              Value twice = arith::AddIOp::create(b, l, args[0], args[0]);
              Value q = floorDivPositive(
                  b, l, arith::AddIOp::create(b, l, twice, count),
                  arith::AddIOp::create(b, l, count, count));
              q = arith::AddIOp::create(b, l, q, createI64(b, l, outputZp));
              q = clampI64(b, l, q, signedMin(elementType),
                           signedMax(elementType));
              return truncateFromI64(b, l, q, elementType);
            }));
    return success();
  }
};

} // namespace

void linalg_lowering::populateIntegerOpsPatterns(RewritePatternSet &patterns) {
  patterns.add<RescaleLowering, FloatRescaleLowering, IntAddLowering, IntMatMulLowering,
               IntConv2DLowering, ShiftmaxLowering, ShiftGeluLowering,
               IntLayerNormLowering, IntAvgPool2DLowering>(
      patterns.getContext());
}
