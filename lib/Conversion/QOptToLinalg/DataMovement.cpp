//===- DataMovement.cpp - reshapes, slices, pads, gather, cast, constant --===//
//
// These ops lower on float and signless integer tensors (never quantized
// ones):
//   reshape, flatten: tensor.collapse_shape / expand_shape (see reshapeTo);
//   transpose: linalg.transpose;
//   concat: tensor.concat;
//   split, slice with positive steps: tensor.extract_slice;
//   slice with a negative step: a linalg.generic reading
//     input[start + i·step] with tensor.extract;
//   pad, constant mode: tensor.extract_slice for negative (cropping) pads,
//     then tensor.pad with `value`; reflect and edge modes: a linalg.generic
//     reading the reflected (x[-i] = x[i]) or clamped source index;
//   gather: a linalg.generic over the result that reads the index, wraps a
//     negative one by the axis size and extracts from `data`;
//   cast: arith extf/truncf/fptosi/sitofp/extsi/trunci in a linalg.generic
//     (i1 is a bool: it converts as unsigned, and to i1 means "!= 0");
//   constant: arith.constant with the same attribute (dense_resource blobs
//     stay blobs).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "qopt/Conversion/QOptToLinalg/QOptToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::linalg_lowering;

namespace {

template <typename OpTy>
struct ReshapeLikeLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isPlainDataOp(op))
      return rewriter.notifyMatchFailure(op, "quantized or unsupported type");
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), adaptor.getInput(),
                                     cast<RankedTensorType>(op.getType())));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isPlainDataOp(op))
      return rewriter.notifyMatchFailure(op, "quantized or unsupported type");
    Value init = createEmpty(rewriter, op.getLoc(),
                             cast<RankedTensorType>(op.getType()));
    auto transpose = linalg::TransposeOp::create(
        rewriter, op.getLoc(), adaptor.getInput(), init, op.getPerm());
    rewriter.replaceOp(op, transpose->getResult(0));
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isPlainDataOp(op))
      return rewriter.notifyMatchFailure(op, "quantized or unsupported type");
    if (adaptor.getInputs().size() == 1) {
      rewriter.replaceOp(op, adaptor.getInputs()[0]);
      return success();
    }
    rewriter.replaceOpWithNewOp<tensor::ConcatOp>(
        op, op.getType(), op.getAxis(), adaptor.getInputs());
    return success();
  }
};

struct SplitLowering : OpConversionPattern<SplitOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SplitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isPlainDataOp(op))
      return rewriter.notifyMatchFailure(op, "quantized or unsupported type");
    int64_t axis = op.getAxis(), offset = 0;
    int64_t rank = cast<RankedTensorType>(op.getInput().getType()).getRank();
    SmallVector<Value> results;
    for (Value result : op.getOutputs()) {
      auto type = cast<RankedTensorType>(result.getType());
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0)),
          sizes, strides(rank, rewriter.getIndexAttr(1));
      offsets[axis] = rewriter.getIndexAttr(offset);
      for (int64_t size : type.getShape())
        sizes.push_back(rewriter.getIndexAttr(size));
      results.push_back(tensor::ExtractSliceOp::create(
          rewriter, op.getLoc(), type, adaptor.getInput(), offsets, sizes,
          strides));
      offset += type.getDimSize(axis);
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct SliceLowering : OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isPlainDataOp(op))
      return rewriter.notifyMatchFailure(op, "quantized or unsupported type");
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Value input = adaptor.getInput();
    ArrayRef<int64_t> starts = op.getStarts(), steps = op.getSteps();
    if (llvm::all_of(steps, [](int64_t s) { return s > 0; })) {
      SmallVector<OpFoldResult> offsets, sizes, strides;
      for (int64_t d = 0; d < type.getRank(); ++d) {
        offsets.push_back(rewriter.getIndexAttr(starts[d]));
        sizes.push_back(rewriter.getIndexAttr(type.getDimSize(d)));
        strides.push_back(rewriter.getIndexAttr(steps[d]));
      }
      rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
          op, type, input, offsets, sizes, strides);
      return success();
    }
    // result[i...] = input[starts + i·steps ...].
    Value result = createIndexed(
        rewriter, loc, type,
        [&](OpBuilder &b, Location nloc, ArrayRef<Value> indices) {
          SmallVector<Value> source;
          for (auto [d, index] : llvm::enumerate(indices)) {
            Value scaled = index;
            if (steps[d] != 1)
              scaled = arith::MulIOp::create(
                  b, nloc, index, createIndexConstant(b, nloc, steps[d]));
            source.push_back(
                starts[d] == 0
                    ? scaled
                    : arith::AddIOp::create(
                          b, nloc, scaled,
                          createIndexConstant(b, nloc, starts[d]))
                          .getResult());
          }
          return tensor::ExtractOp::create(b, nloc, input, source).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct PadLowering : OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isPlainDataOp(op))
      return rewriter.notifyMatchFailure(op, "quantized or unsupported type");
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Type elementType = type.getElementType();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    ArrayRef<int64_t> pads = op.getPads(), shape = inputType.getShape();
    int64_t rank = inputType.getRank();

    if (op.getMode() == PadMode::constant) {
      // Crop by the negative pads, then pad by the positive ones.
      bool crops = llvm::any_of(pads, [](int64_t p) { return p < 0; });
      if (crops) {
        SmallVector<OpFoldResult> offsets, sizes,
            strides(rank, rewriter.getIndexAttr(1));
        SmallVector<int64_t> croppedShape;
        for (int64_t d = 0; d < rank; ++d) {
          int64_t begin = std::min<int64_t>(pads[d], 0),
                  end = std::min<int64_t>(pads[rank + d], 0);
          croppedShape.push_back(shape[d] + begin + end);
          offsets.push_back(rewriter.getIndexAttr(-begin));
          sizes.push_back(rewriter.getIndexAttr(croppedShape.back()));
        }
        input = tensor::ExtractSliceOp::create(
            rewriter, loc, RankedTensorType::get(croppedShape, elementType),
            input, offsets, sizes, strides);
      }
      SmallVector<OpFoldResult> low, high;
      bool anyPadding = false;
      for (int64_t d = 0; d < rank; ++d) {
        int64_t begin = std::max<int64_t>(pads[d], 0),
                end = std::max<int64_t>(pads[rank + d], 0);
        anyPadding |= begin > 0 || end > 0;
        low.push_back(rewriter.getIndexAttr(begin));
        high.push_back(rewriter.getIndexAttr(end));
      }
      if (!anyPadding) {
        rewriter.replaceOp(op, input);
        return success();
      }
      // The value converted to the element type; integers wrap.
      double v = op.getValue().convertToDouble();
      TypedAttr valueAttr;
      if (isa<FloatType>(elementType))
        valueAttr = rewriter.getFloatAttr(elementType, v);
      else if (elementType.isIndex())
        valueAttr = rewriter.getIndexAttr((int64_t)v);
      else
        valueAttr = rewriter.getIntegerAttr(
            elementType, APInt(elementType.getIntOrFloatBitWidth(),
                               (uint64_t)(int64_t)v, /*isSigned=*/false,
                               /*implicitTrunc=*/true));
      Value value = arith::ConstantOp::create(rewriter, loc, valueAttr);
      rewriter.replaceOpWithNewOp<tensor::PadOp>(op, type, input, low, high,
                                                 value);
      return success();
    }

    // reflect / edge: result[i] = input[f(i - padBegin)], where f reflects
    // (n-1 - |n-1 - |s||) or clamps (min(max(s, 0), n-1)) the source index.
    bool reflect = op.getMode() == PadMode::reflect;
    Value result = createIndexed(
        rewriter, loc, type,
        [&](OpBuilder &b, Location nloc, ArrayRef<Value> indices) {
          SmallVector<Value> source;
          for (auto [d, index] : llvm::enumerate(indices)) {
            int64_t begin = pads[d], size = shape[d];
            if (begin == 0 && pads[rank + d] <= 0) {
              source.push_back(index); // Never outside the input.
              continue;
            }
            Value s = arith::SubIOp::create(
                b, nloc, index, createIndexConstant(b, nloc, begin));
            Value zero = createIndexConstant(b, nloc, 0);
            Value last = createIndexConstant(b, nloc, size - 1);
            if (reflect) {
              auto abs = [&](Value v) {
                Value negated = arith::SubIOp::create(b, nloc, zero, v);
                return arith::MaxSIOp::create(b, nloc, v, negated).getResult();
              };
              Value fromLast =
                  abs(arith::SubIOp::create(b, nloc, last, abs(s)));
              source.push_back(arith::SubIOp::create(b, nloc, last, fromLast));
            } else {
              Value clamped = arith::MaxSIOp::create(b, nloc, s, zero);
              source.push_back(arith::MinSIOp::create(b, nloc, clamped, last));
            }
          }
          return tensor::ExtractOp::create(b, nloc, input, source).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct GatherLowering : OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isPlainDataOp(op))
      return rewriter.notifyMatchFailure(op, "quantized or unsupported type");
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    auto type = cast<RankedTensorType>(op.getType());
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto dataType = cast<RankedTensorType>(data.getType());
    int64_t rank = type.getRank(), axis = op.getAxis();
    int64_t indicesRank = cast<RankedTensorType>(indices.getType()).getRank();
    int64_t axisSize = dataType.getDimSize(axis);

    // result[p..., q..., s...] = data[p..., wrap(indices[q...]), s...].
    SmallVector<AffineExpr> indexExprs;
    for (int64_t d = axis; d < axis + indicesRank; ++d)
      indexExprs.push_back(getAffineDimExpr(d, context));
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank, 0, indexExprs, context),
        rewriter.getMultiDimIdentityMap(rank)};
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{type}, ValueRange{indices},
            ValueRange{createEmpty(rewriter, loc, type)}, maps,
            parallelIterators(rank),
            [&](OpBuilder &b, Location nloc, ValueRange args) {
              Value index = arith::IndexCastOp::create(
                  b, nloc, b.getIndexType(), args[0]);
              Value zero = createIndexConstant(b, nloc, 0);
              Value negative = arith::CmpIOp::create(
                  b, nloc, arith::CmpIPredicate::slt, index, zero);
              Value wrapped = arith::AddIOp::create(
                  b, nloc, index, createIndexConstant(b, nloc, axisSize));
              index =
                  arith::SelectOp::create(b, nloc, negative, wrapped, index);
              SmallVector<Value> source;
              for (int64_t d = 0; d < axis; ++d)
                source.push_back(linalg::IndexOp::create(b, nloc, d));
              source.push_back(index);
              for (int64_t d = axis + indicesRank; d < rank; ++d)
                source.push_back(linalg::IndexOp::create(b, nloc, d));
              Value element = tensor::ExtractOp::create(b, nloc, data, source);
              linalg::YieldOp::create(b, nloc, element);
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// `x` of type `from` converted to `to` as ONNX Cast does.
static Value castScalar(OpBuilder &b, Location loc, Value x, Type from,
                        Type to) {
  if (from == to)
    return x;
  auto fromFloat = dyn_cast<FloatType>(from);
  auto toFloat = dyn_cast<FloatType>(to);
  auto fromInt = dyn_cast<IntegerType>(from);
  auto toInt = dyn_cast<IntegerType>(to);
  if (fromFloat && toFloat) {
    if (fromFloat.getWidth() < toFloat.getWidth())
      return arith::ExtFOp::create(b, loc, to, x);
    if (fromFloat.getWidth() > toFloat.getWidth())
      return arith::TruncFOp::create(b, loc, to, x);
    // Same width, other format (f16 <-> bf16): through f32.
    Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), x);
    return arith::TruncFOp::create(b, loc, to, wide);
  }
  if (fromFloat && toInt) {
    if (toInt.getWidth() == 1)
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x,
                                   createFloatConstant(b, loc, from, 0.0));
    return arith::FPToSIOp::create(b, loc, to, x);
  }
  if (fromInt && toFloat) {
    if (fromInt.getWidth() == 1)
      return arith::UIToFPOp::create(b, loc, to, x);
    return arith::SIToFPOp::create(b, loc, to, x);
  }
  // Integer to integer.
  if (toInt.getWidth() == 1)
    return arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::ne, x,
        arith::ConstantOp::create(b, loc, b.getIntegerAttr(from, 0)));
  if (fromInt.getWidth() < toInt.getWidth())
    return fromInt.getWidth() == 1
               ? arith::ExtUIOp::create(b, loc, to, x).getResult()
               : arith::ExtSIOp::create(b, loc, to, x).getResult();
  return arith::TruncIOp::create(b, loc, to, x);
}

struct CastLowering : OpConversionPattern<CastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isPlainDataOp(op))
      return rewriter.notifyMatchFailure(op, "quantized or unsupported type");
    auto type = cast<RankedTensorType>(op.getType());
    Type from = getElementTypeOrSelf(op.getInput().getType());
    Type to = type.getElementType();
    if (!isa<FloatType, IntegerType>(from) || !isa<FloatType, IntegerType>(to))
      return rewriter.notifyMatchFailure(op, "index casts are not ONNX casts");
    rewriter.replaceOp(
        op, createElementwise(rewriter, op.getLoc(), type, adaptor.getInput(),
                              [&](OpBuilder &b, Location loc, ValueRange args) {
                                return castScalar(b, loc, args[0], from, to);
                              }));
    return success();
  }
};

struct ConstantLowering : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isPlainDataOp(op))
      return rewriter.notifyMatchFailure(op, "quantized constant");
    auto value = dyn_cast<TypedAttr>(op.getValue());
    if (!value || value.getType() != op.getType())
      return rewriter.notifyMatchFailure(op, "value type differs");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

} // namespace

void linalg_lowering::populateDataMovementPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ReshapeLikeLowering<ReshapeOp>, ReshapeLikeLowering<FlattenOp>,
               TransposeLowering, ConcatLowering, SplitLowering, SliceLowering,
               PadLowering, GatherLowering, CastLowering, ConstantLowering>(
      patterns.getContext());
}
