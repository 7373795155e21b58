//===- QuantOps.cpp - quantize, dequantize, requantize to linalg ----------===//
//
// Each op becomes one elementwise linalg.generic computing exactly what
// docs/Numerics.md specifies:
//   - quantize: divide, round half to even (math.roundeven), add the zero
//     point and saturate in the expressed float type, then convert to the
//     storage integer;
//   - dequantize: (q - zp) in i32, to float, times the scale;
//   - requantize: integer-only, the dyadic multiplier/shift of
//     scale_in/scale_out applied in i64 with half-to-even rounding;
//   - dynamic_quantize (ONNX DynamicQuantizeLinear): two linalg.reduce ops
//     (min and max over all elements), the scale and zero point computed on
//     scalars, then one elementwise quantize to uint8 bits.
// Per-axis scales and zero points are rank-1 constants read at the element's
// index along the quantized dimension. Quantized tensors are represented by
// their storage tensors (signless iN, unsigned values as their bits); the
// two views meet through `quant.scast`, which folds away in pairs.
//
//===----------------------------------------------------------------------===//

#include "IntegerArith.h"
#include "LoweringUtils.h"
#include "qopt/Conversion/QOptToLinalg/QOptToLinalg.h"
#include "qopt/Dialect/QOpt/Utils/Dyadic.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::linalg_lowering;

namespace {

/// The parameters of a uniform quantized element type, per tensor (one
/// scale) or per axis.
struct QuantParams {
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  std::optional<int64_t> axis;
  int64_t storageMin, storageMax;
  bool isSigned;
  IntegerType storageType; // signless

  static QuantParams get(Type elementType) {
    auto q = cast<quant::QuantizedType>(elementType);
    QuantParams p;
    p.storageMin = q.getStorageTypeMin();
    p.storageMax = q.getStorageTypeMax();
    p.isSigned = q.isSigned();
    p.storageType = IntegerType::get(elementType.getContext(),
                                     q.getStorageTypeIntegralWidth());
    if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(q)) {
      p.scales.assign(perAxis.getScales().begin(), perAxis.getScales().end());
      p.zeroPoints.assign(perAxis.getZeroPoints().begin(),
                          perAxis.getZeroPoints().end());
      p.axis = perAxis.getQuantizedDimension();
    } else {
      auto uniform = cast<quant::UniformQuantizedType>(q);
      p.scales = {uniform.getScale()};
      p.zeroPoints = {uniform.getZeroPoint()};
    }
    return p;
  }

  double scale(int64_t c) const { return scales[axis ? c : 0]; }
  int64_t zeroPoint(int64_t c) const { return zeroPoints[axis ? c : 0]; }
};

RankedTensorType storageTensorType(RankedTensorType type,
                                   const QuantParams &params) {
  return RankedTensorType::get(type.getShape(), params.storageType);
}

/// The storage view of the quantized tensor `value`.
Value toStorage(OpBuilder &b, Location loc, Value value,
                const QuantParams &params) {
  auto type = cast<RankedTensorType>(value.getType());
  return quant::StorageCastOp::create(b, loc, storageTensorType(type, params),
                                      value);
}

Value floatConstant(OpBuilder &b, Location loc, Type type, double value) {
  return createFloatConstant(b, loc, type, value);
}

struct QuantizeLowering : OpConversionPattern<QuantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(QuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = op.getOutput().getType();
    QuantParams params = QuantParams::get(resultType.getElementType());
    Type floatType = op.getInput().getType().getElementType();
    SmallVector<Value> vectors;
    if (params.axis) {
      SmallVector<double> zps(params.zeroPoints.begin(),
                              params.zeroPoints.end());
      vectors = {createVectorConstant(rewriter, loc, params.scales, floatType),
                 createVectorConstant(rewriter, loc, zps, floatType)};
    }
    Value storage = createChannelwise(
        rewriter, loc, storageTensorType(resultType, params),
        adaptor.getInput(), params.axis, vectors,
        [&](OpBuilder &b, Location l, Value x, ValueRange channel) -> Value {
          Value scale = params.axis
                            ? channel[0]
                            : floatConstant(b, l, floatType, params.scales[0]);
          Value zp = params.axis ? channel[1]
                                 : floatConstant(b, l, floatType,
                                                 params.zeroPoints[0]);
          Value t = arith::DivFOp::create(b, l, x, scale);
          t = math::RoundEvenOp::create(b, l, t);
          t = arith::AddFOp::create(b, l, t, zp);
          // maxnumf returns the non-NaN operand: NaN saturates to the min.
          t = arith::MaxNumFOp::create(
              b, l, t, floatConstant(b, l, floatType, params.storageMin));
          t = arith::MinNumFOp::create(
              b, l, t, floatConstant(b, l, floatType, params.storageMax));
          if (params.isSigned)
            return arith::FPToSIOp::create(b, l, params.storageType, t);
          return arith::FPToUIOp::create(b, l, params.storageType, t);
        });
    rewriter.replaceOp(op, quant::StorageCastOp::create(rewriter, loc,
                                                        resultType, storage));
    return success();
  }
};

struct DequantizeLowering : OpConversionPattern<DequantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = op.getOutput().getType();
    QuantParams params =
        QuantParams::get(op.getInput().getType().getElementType());
    Type floatType = resultType.getElementType();
    Type i32 = rewriter.getI32Type();
    SmallVector<Value> vectors;
    if (params.axis)
      vectors = {createVectorConstant(rewriter, loc, params.scales, floatType),
                 createVectorConstant(rewriter, loc, params.zeroPoints, i32)};
    Value storage = toStorage(rewriter, loc, adaptor.getInput(), params);
    rewriter.replaceOp(
        op,
        createChannelwise(
            rewriter, loc, resultType, storage, params.axis, vectors,
            [&](OpBuilder &b, Location l, Value q, ValueRange channel) {
              Value scale =
                  params.axis
                      ? channel[0]
                      : floatConstant(b, l, floatType, params.scales[0]);
              Value zp = params.axis
                             ? channel[1]
                             : arith::ConstantOp::create(
                                   b, l, b.getI32IntegerAttr(
                                             params.zeroPoints[0]));
              // Storage has at most 16 bits: q - zp is exact in i32.
              Value wide = params.isSigned
                               ? (Value)arith::ExtSIOp::create(b, l, i32, q)
                               : (Value)arith::ExtUIOp::create(b, l, i32, q);
              Value centred = arith::SubIOp::create(b, l, wide, zp);
              Value f = arith::SIToFPOp::create(b, l, floatType, centred);
              return (Value)arith::MulFOp::create(b, l, f, scale);
            }));
    return success();
  }
};

struct RequantizeLowering : OpConversionPattern<RequantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(RequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inputType = op.getInput().getType();
    auto resultType = op.getOutput().getType();
    QuantParams in = QuantParams::get(inputType.getElementType());
    QuantParams out = QuantParams::get(resultType.getElementType());
    if (in.axis && out.axis && *in.axis != *out.axis)
      return op.emitOpError()
             << "cannot be lowered: the input is quantized along dim "
             << *in.axis << " and the result along dim " << *out.axis;
    std::optional<int64_t> axis = out.axis ? out.axis : in.axis;
    int64_t channels = axis ? resultType.getDimSize(*axis) : 1;

    SmallVector<int64_t> zpIn, multipliers, shifts, zpOut;
    for (int64_t c = 0; c < channels; ++c) {
      double ratio = in.scale(c) / out.scale(c);
      std::optional<DyadicScale> dyadic = computeDyadicScale(ratio);
      if (!dyadic)
        return op.emitOpError()
               << "cannot be lowered: the scale ratio " << ratio
               << " has no dyadic form (it must be below 2^31)";
      zpIn.push_back(in.zeroPoint(c));
      zpOut.push_back(out.zeroPoint(c));
      multipliers.push_back(dyadic->multiplier);
      shifts.push_back(dyadic->shift);
    }
    Type i64 = rewriter.getI64Type();
    SmallVector<Value> vectors;
    if (axis)
      for (ArrayRef<int64_t> values : {zpIn, multipliers, shifts, zpOut})
        vectors.push_back(createVectorConstant(rewriter, loc, values, i64));

    Value storage = toStorage(rewriter, loc, adaptor.getInput(), in);
    Value result = createChannelwise(
        rewriter, loc, storageTensorType(resultType, out), storage, axis,
        vectors, [&](OpBuilder &b, Location l, Value q, ValueRange channel) {
          auto param = [&](unsigned i, int64_t value) {
            return axis ? channel[i] : createI64(b, l, value);
          };
          Value x = extendToI64(b, l, q, !in.isSigned);
          Value v = arith::MulIOp::create(
              b, l, arith::SubIOp::create(b, l, x, param(0, zpIn[0])),
              param(1, multipliers[0]));
          Value y = roundingShift(b, l, v, param(2, shifts[0]),
                                  RoundingMode::half_even);
          y = arith::AddIOp::create(b, l, y, param(3, zpOut[0]));
          y = clampI64(b, l, y, out.storageMin, out.storageMax);
          return truncateFromI64(b, l, y, out.storageType);
        });
    rewriter.replaceOp(
        op, quant::StorageCastOp::create(rewriter, loc, resultType, result));
    return success();
  }
};

struct DynamicQuantizeLowering : OpConversionPattern<DynamicQuantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DynamicQuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(x.getType());
    Type f = inputType.getElementType();
    SmallVector<int64_t> all;
    for (int64_t d = 0; d < inputType.getRank(); ++d)
      all.push_back(d);
    // The range, widened to hold 0 (rank-0 reductions, then scalars).
    auto scalarOf = [&](Combiner combiner) -> Value {
      Value reduced = all.empty()
                          ? x
                          : createReduction(rewriter, loc, x, all, combiner);
      return tensor::ExtractOp::create(rewriter, loc, reduced, ValueRange{});
    };
    Value zero = floatConstant(rewriter, loc, f, 0.0);
    // minimumf/maximumf: a NaN anywhere makes the range, and so the scale,
    // NaN (as numpy's min/max in ONNX's reference).
    Value lo = arith::MinimumFOp::create(rewriter, loc,
                                         scalarOf(Combiner::min), zero);
    Value hi = arith::MaximumFOp::create(rewriter, loc,
                                         scalarOf(Combiner::max), zero);
    Value scale = arith::DivFOp::create(
        rewriter, loc, arith::SubFOp::create(rewriter, loc, hi, lo),
        floatConstant(rewriter, loc, f, 255.0));
    // Saturate to [0, 255] in float (maxnumf: NaN becomes 0), then to the
    // uint8 bits in i8.
    auto saturateToU8 = [&](OpBuilder &b, Location l, Value t) -> Value {
      t = arith::MaxNumFOp::create(b, l, t, floatConstant(b, l, f, 0.0));
      t = arith::MinNumFOp::create(b, l, t, floatConstant(b, l, f, 255.0));
      return arith::FPToUIOp::create(b, l, b.getI8Type(), t);
    };
    // zero_point = sat_u8(round_half_even(0 - lo / scale)).
    Value zpFloat = math::RoundEvenOp::create(
        rewriter, loc,
        arith::SubFOp::create(rewriter, loc, zero,
                              arith::DivFOp::create(rewriter, loc, lo, scale)));
    Value zp = saturateToU8(rewriter, loc, zpFloat);
    // The zero point as an exact float again (an integer in [0, 255]).
    Value zpExact = arith::UIToFPOp::create(rewriter, loc, f, zp);
    auto outputType = RankedTensorType::get(inputType.getShape(),
                                            rewriter.getI8Type());
    Value y = createElementwise(
        rewriter, loc, outputType, ValueRange{x},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value t = arith::DivFOp::create(b, l, args[0], scale);
          t = math::RoundEvenOp::create(b, l, t);
          t = arith::AddFOp::create(b, l, t, zpExact);
          return saturateToU8(b, l, t);
        });
    Value scaleTensor = tensor::FromElementsOp::create(
        rewriter, loc, RankedTensorType::get({}, f), ValueRange{scale});
    Value zpTensor = tensor::FromElementsOp::create(
        rewriter, loc, RankedTensorType::get({}, rewriter.getI8Type()),
        ValueRange{zp});
    rewriter.replaceOp(op, {y, scaleTensor, zpTensor});
    return success();
  }
};

} // namespace

void linalg_lowering::populateQuantOpsPatterns(RewritePatternSet &patterns) {
  patterns.add<QuantizeLowering, DequantizeLowering, RequantizeLowering,
               DynamicQuantizeLowering>(
      patterns.getContext());
}
