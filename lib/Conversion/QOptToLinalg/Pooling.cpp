//===- Pooling.cpp - max/avg/global-avg pooling to linalg -----------------===//
//
// The input is padded with tensor.pad: by `pads`, plus, with `ceil_mode`,
// enough at the end for the last window to fit. max_pool2d pads with -inf
// (or the storage minimum of quantized tensors). On floats it is
// linalg.pooling_nchw_max, which the CPU lowering turns into the runtime's
// max-pool kernel (convert-linalg-to-qopt-runtime: vectorized, no padded
// copy). On quantized storage integers, windows of up to
// kMaxUnrolledWindow elements become one elementwise linalg.generic with
// an input per window element (the strided slice of the padded tensor that
// holds element (ky, kx) of every window) and a chain of arith.maxsi over
// them: all its loops are parallel, so the innermost is the output column
// (linalg.pooling_nchw_max reduces over the window in its innermost loops,
// a load-max-store of the output per window element); larger windows keep
// linalg.pooling_nchw_max. (Floats took the unrolled form too, until the
// runtime kernel: LLVM left it scalar.) Every form gives the same bits:
// the maximum is commutative and associative, NaN included
// (docs/Numerics.md).
// avg_pool2d pads with 0, sums with
// linalg.pooling_nchw_sum and divides by the number of window positions
// that count, as ONNX Runtime does: the positions inside the input, plus,
// with `count_include_pad`, those in the explicit pads, never those added
// for `ceil_mode`. Where every window has the full count the divisor is a
// constant; elsewhere a linalg.generic computes it from linalg.index.
// global_avg_pool2d is a mean over dims 2 and 3 (linalg.reduce).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "qopt/Conversion/QOptToLinalg/QOptToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::linalg_lowering;

namespace {

/// The geometry of one spatial dim of a pooling window.
struct WindowDim {
  int64_t in, out, kernel, stride, dilation, padBegin, padEnd;

  /// Padding needed past `padEnd` for the last window to fit (ceil_mode).
  int64_t extraEnd() const {
    int64_t needed = (out - 1) * stride + dilation * (kernel - 1) + 1;
    return std::max<int64_t>(0, needed - (in + padBegin + padEnd));
  }
};

SmallVector<WindowDim, 2> getWindow(RankedTensorType input,
                                    RankedTensorType result,
                                    ArrayRef<int64_t> kernel,
                                    ArrayRef<int64_t> strides,
                                    ArrayRef<int64_t> pads,
                                    ArrayRef<int64_t> dilations) {
  SmallVector<WindowDim, 2> dims;
  for (int i = 0; i < 2; ++i)
    dims.push_back({input.getDimSize(2 + i), result.getDimSize(2 + i),
                    kernel[i], strides[i], dilations[i], pads[i],
                    pads[2 + i]});
  return dims;
}

/// `input` padded with `value` for `window`, then pooled by `PoolOp` into a
/// tensor of `resultType` initialised with `value`.
template <typename PoolOp>
Value pool(OpBuilder &b, Location loc, Value input, RankedTensorType resultType,
           ArrayRef<WindowDim> window, Value padValue) {
  Type elementType = resultType.getElementType();
  Value padded = padSpatial(
      b, loc, input,
      {window[0].padBegin, window[1].padBegin, window[0].padEnd,
       window[1].padEnd},
      {window[0].extraEnd(), window[1].extraEnd()}, padValue);
  Value init = createFilled(b, loc, resultType, padValue);
  Value windowShape = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{window[0].kernel, window[1].kernel},
      elementType);
  auto strides = b.getI64TensorAttr({window[0].stride, window[1].stride});
  auto dilations = b.getI64TensorAttr({window[0].dilation, window[1].dilation});
  return PoolOp::create(b, loc, TypeRange{resultType},
                        ValueRange{padded, windowShape}, ValueRange{init},
                        strides, dilations)
      .getResult(0);
}

/// The largest window (KH·KW) that max_pool2d unrolls.
constexpr int64_t kMaxUnrolledWindow = 16;

/// max over the window of each output of `resultType`, of `input` padded
/// with `padValue`: one elementwise linalg.generic over a strided slice of
/// the padded input per window element (rows ky·dh, ky·dh + sh, ..., columns
/// kx·dw, kx·dw + sw, ...; views after bufferization, no copies), combined
/// with `maxsi` in window order. (Slices
/// rather than strided indexing maps of the whole input: linalg takes a
/// loop's range from the first operand indexed by it alone, which would be
/// the input's size where the stride is 1.)
Value unrolledMaxPool(OpBuilder &b, Location loc, Value input,
                      RankedTensorType resultType, ArrayRef<WindowDim> window,
                      Value padValue) {
  Value padded = padSpatial(
      b, loc, input,
      {window[0].padBegin, window[1].padBegin, window[0].padEnd,
       window[1].padEnd},
      {window[0].extraEnd(), window[1].extraEnd()}, padValue);
  ArrayRef<int64_t> shape = resultType.getShape();
  SmallVector<OpFoldResult> sizes = getAsIndexOpFoldResult(b.getContext(), shape);
  SmallVector<OpFoldResult> strides = getAsIndexOpFoldResult(
      b.getContext(), {1, 1, window[0].stride, window[1].stride});
  SmallVector<Value> slices;
  for (int64_t ky = 0; ky < window[0].kernel; ++ky)
    for (int64_t kx = 0; kx < window[1].kernel; ++kx) {
      SmallVector<OpFoldResult> offsets = getAsIndexOpFoldResult(
          b.getContext(),
          {0, 0, ky * window[0].dilation, kx * window[1].dilation});
      slices.push_back(tensor::ExtractSliceOp::create(b, loc, resultType,
                                                      padded, offsets, sizes,
                                                      strides));
    }
  SmallVector<AffineMap> maps(slices.size() + 1,
                              b.getMultiDimIdentityMap(shape.size()));
  return linalg::GenericOp::create(
             b, loc, TypeRange{resultType}, slices,
             ValueRange{createEmpty(b, loc, resultType)}, maps,
             parallelIterators(shape.size()),
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               Value m = args[0];
               for (Value v : args.drop_front().drop_back())
                 m = arith::MaxSIOp::create(nb, nloc, m, v);
               linalg::YieldOp::create(nb, nloc, m);
             })
      .getResult(0);
}

/// Max pooling: linalg.pooling_nchw_max on floats; on integers unrolled
/// windows where they are small, else linalg.pooling_nchw_max.
Value maxPool(OpBuilder &b, Location loc, Value input,
              RankedTensorType resultType, ArrayRef<WindowDim> window,
              Value padValue) {
  if (!isa<FloatType>(resultType.getElementType()) &&
      window[0].kernel * window[1].kernel <= kMaxUnrolledWindow)
    return unrolledMaxPool(b, loc, input, resultType, window, padValue);
  return pool<linalg::PoolingNchwMaxOp>(b, loc, input, resultType, window,
                                        padValue);
}

struct MaxPool2DLowering : OpConversionPattern<MaxPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MaxPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    auto window = getWindow(inputType, resultType, op.getKernel(),
                            op.getStrides(), op.getPads(), op.getDilations());
    Location loc = op.getLoc();
    // Max pooling commutes with a monotonic affine map: on quantized tensors
    // of one signed per-tensor type it pools the storage integers exactly,
    // padding with the storage minimum.
    auto quantized =
        dyn_cast<quant::UniformQuantizedType>(inputType.getElementType());
    if (quantized && quantized == resultType.getElementType() &&
        quantized.isSigned()) {
      auto storage = IntegerType::get(
          op.getContext(), quantized.getStorageTypeIntegralWidth());
      Value input = quant::StorageCastOp::create(
          rewriter, loc, RankedTensorType::get(inputType.getShape(), storage),
          adaptor.getInput());
      Value padValue = arith::ConstantOp::create(
          rewriter, loc,
          rewriter.getIntegerAttr(storage, quantized.getStorageTypeMin()));
      Value pooled = maxPool(
          rewriter, loc, input,
          RankedTensorType::get(resultType.getShape(), storage), window,
          padValue);
      rewriter.replaceOp(
          op, quant::StorageCastOp::create(rewriter, loc, resultType, pooled));
      return success();
    }
    if (!isFloatComputeOp(op))
      return rewriter.notifyMatchFailure(op, "not a float tensor op");
    Value padValue =
        createFloatConstant(rewriter, loc, resultType.getElementType(),
                            -std::numeric_limits<double>::infinity());
    rewriter.replaceOp(op, maxPool(rewriter, loc, adaptor.getInput(),
                                   resultType, window, padValue));
    return success();
  }
};

struct AvgPool2DLowering : OpConversionPattern<AvgPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isFloatComputeOp(op))
      return rewriter.notifyMatchFailure(op, "not a float tensor op");
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();
    auto window = getWindow(cast<RankedTensorType>(op.getInput().getType()),
                            resultType, op.getKernel(), op.getStrides(),
                            op.getPads(), {1, 1});
    Value sum = pool<linalg::PoolingNchwSumOp>(
        rewriter, loc, adaptor.getInput(), resultType, window,
        createFloatConstant(rewriter, loc, elementType, 0.0));

    // The counted positions of dim i are [lo, hi) in input coordinates; the
    // window of output o covers [o·stride - padBegin, … + kernel).
    bool includePad = op.getCountIncludePad();
    struct Counted {
      int64_t lo, hi;
      bool full; // Every window lies inside [lo, hi).
    };
    SmallVector<Counted, 2> counted;
    for (const WindowDim &d : window) {
      int64_t lo = includePad ? -d.padBegin : 0;
      int64_t hi = includePad ? d.in + d.padEnd : d.in;
      int64_t lastEnd = (d.out - 1) * d.stride - d.padBegin + d.kernel;
      counted.push_back({lo, hi, -d.padBegin >= lo && lastEnd <= hi});
    }
    if (counted[0].full && counted[1].full) {
      rewriter.replaceOp(op, divideBy(rewriter, loc, sum,
                                      double(window[0].kernel *
                                             window[1].kernel)));
      return success();
    }

    // Per-position divisor: count = Π_i (min(end_i, hi_i) - max(start_i,
    // lo_i)) over the two spatial dims.
    Value average =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{resultType}, ValueRange{}, ValueRange{sum},
            ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(4)},
            parallelIterators(4),
            [&](OpBuilder &b, Location nloc, ValueRange args) {
              Value count;
              for (int i = 0; i < 2; ++i) {
                const WindowDim &d = window[i];
                Value extent;
                if (counted[i].full) {
                  extent = createIndexConstant(b, nloc, d.kernel);
                } else {
                  Value o = linalg::IndexOp::create(b, nloc, 2 + i);
                  Value start = arith::SubIOp::create(
                      b, nloc,
                      arith::MulIOp::create(
                          b, nloc, o, createIndexConstant(b, nloc, d.stride)),
                      createIndexConstant(b, nloc, d.padBegin));
                  Value end = arith::AddIOp::create(
                      b, nloc, start, createIndexConstant(b, nloc, d.kernel));
                  Value first = arith::MaxSIOp::create(
                      b, nloc, start,
                      createIndexConstant(b, nloc, counted[i].lo));
                  Value last = arith::MinSIOp::create(
                      b, nloc, end, createIndexConstant(b, nloc, counted[i].hi));
                  extent = arith::SubIOp::create(b, nloc, last, first);
                }
                count = count ? arith::MulIOp::create(b, nloc, count, extent)
                                    .getResult()
                              : extent;
              }
              Value count64 = arith::IndexCastOp::create(
                  b, nloc, b.getI64Type(), count);
              Value divisor =
                  arith::SIToFPOp::create(b, nloc, elementType, count64);
              Value avg = arith::DivFOp::create(b, nloc, args[0], divisor);
              linalg::YieldOp::create(b, nloc, avg);
            })
            .getResult(0);
    rewriter.replaceOp(op, average);
    return success();
  }
};

struct GlobalAvgPool2DLowering : OpConversionPattern<GlobalAvgPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GlobalAvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isFloatComputeOp(op))
      return rewriter.notifyMatchFailure(op, "not a float tensor op");
    Value mean = createMean(rewriter, op.getLoc(), adaptor.getInput(), {2, 3});
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), mean,
                                     cast<RankedTensorType>(op.getType())));
    return success();
  }
};

} // namespace

void linalg_lowering::populatePoolingPatterns(RewritePatternSet &patterns) {
  patterns.add<MaxPool2DLowering, AvgPool2DLowering, GlobalAvgPool2DLowering>(
      patterns.getContext());
}
