//===- Resize.cpp - qopt.resize to a linalg.generic -----------------------===//
//
// One linalg.generic over the result computes, per resized dim (input and
// result sizes differ; the others read the index as it is), the source
// coordinate in f32 as ONNX Resize and ONNX Runtime do, with
// scale = out / in:
//   half_pixel:         (x + 0.5) / scale - 0.5
//   pytorch_half_pixel: the same, or 0 where the result dim has size 1
//   align_corners:      x · (in - 1) / (out - 1), or 0 for size 1
//   asymmetric:         x / scale
// nearest rounds it (round_prefer_floor: ceil(x - 0.5), round_prefer_ceil:
// floor(x + 0.5), floor, ceil), clamps it to [0, in-1] and extracts one
// element; linear clamps it to [0, in-1] and blends the 2^k neighbours of
// the k resized dims with the (1 - t, t) weights (t = x - floor(x)).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "qopt/Conversion/QOptToLinalg/QOptToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::linalg_lowering;

namespace {

struct ResizeLowering : OpConversionPattern<ResizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isFloatComputeOp(op))
      return rewriter.notifyMatchFailure(op, "not a float tensor op");
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();
    ArrayRef<int64_t> in = inputType.getShape(), out = resultType.getShape();
    CoordinateTransform transform = op.getCoordinateTransform();
    NearestMode nearestMode = op.getNearestMode();
    bool linear = op.getMode() == ResizeMode::linear;

    Value result = createIndexed(
        rewriter, loc, resultType,
        [&](OpBuilder &b, Location nloc, ArrayRef<Value> indices) {
          Type f32 = b.getF32Type();
          auto cst = [&](double v) {
            return createFloatConstant(b, nloc, f32, v);
          };
          auto toIndex = [&](Value v) { // f32 holding an integer -> index
            Value i = arith::FPToSIOp::create(b, nloc, b.getI64Type(), v);
            return arith::IndexCastOp::create(b, nloc, b.getIndexType(), i)
                .getResult();
          };
          // The source coordinate of the result index along dim d.
          auto sourceCoordinate = [&](int64_t d) -> Value {
            bool unit = out[d] == 1;
            if ((transform == CoordinateTransform::pytorch_half_pixel ||
                 transform == CoordinateTransform::align_corners) &&
                unit)
              return cst(0.0);
            Value i64 = arith::IndexCastOp::create(b, nloc, b.getI64Type(),
                                                   indices[d]);
            Value x = arith::SIToFPOp::create(b, nloc, f32, i64);
            // ONNX Runtime's scale for given sizes: float(out) / float(in).
            auto scale = [&] {
              return cst((double)((float)out[d] / (float)in[d]));
            };
            switch (transform) {
            case CoordinateTransform::half_pixel:
            case CoordinateTransform::pytorch_half_pixel: {
              Value shifted = arith::AddFOp::create(b, nloc, x, cst(0.5));
              Value scaled = arith::DivFOp::create(b, nloc, shifted, scale());
              return arith::SubFOp::create(b, nloc, scaled, cst(0.5));
            }
            case CoordinateTransform::align_corners: {
              Value scaled =
                  arith::MulFOp::create(b, nloc, x, cst((double)(in[d] - 1)));
              return arith::DivFOp::create(b, nloc, scaled,
                                           cst((double)(out[d] - 1)));
            }
            case CoordinateTransform::asymmetric:
              return arith::DivFOp::create(b, nloc, x, scale());
            }
            llvm_unreachable("unknown coordinate transform");
          };

          if (!linear) {
            SmallVector<Value> source;
            for (int64_t d = 0; d < resultType.getRank(); ++d) {
              if (in[d] == out[d]) {
                source.push_back(indices[d]);
                continue;
              }
              Value x = sourceCoordinate(d), rounded;
              switch (nearestMode) {
              case NearestMode::round_prefer_floor:
                rounded = math::CeilOp::create(
                    b, nloc, arith::SubFOp::create(b, nloc, x, cst(0.5)));
                break;
              case NearestMode::round_prefer_ceil:
                rounded = math::FloorOp::create(
                    b, nloc, arith::AddFOp::create(b, nloc, x, cst(0.5)));
                break;
              case NearestMode::floor:
                rounded = math::FloorOp::create(b, nloc, x);
                break;
              case NearestMode::ceil:
                rounded = math::CeilOp::create(b, nloc, x);
                break;
              }
              Value i = toIndex(rounded);
              i = arith::MaxSIOp::create(b, nloc, i,
                                         createIndexConstant(b, nloc, 0));
              i = arith::MinSIOp::create(b, nloc, i,
                                         createIndexConstant(b, nloc, in[d] - 1));
              source.push_back(i);
            }
            return tensor::ExtractOp::create(b, nloc, input, source)
                .getResult();
          }

          // Linear: per resized dim, the two neighbours and their weights.
          struct Neighbours {
            int64_t dim;
            Value lo, hi, wLo, wHi;
          };
          SmallVector<Neighbours> resized;
          for (int64_t d = 0; d < resultType.getRank(); ++d) {
            if (in[d] == out[d])
              continue;
            Value x = sourceCoordinate(d);
            x = arith::MaximumFOp::create(b, nloc, x, cst(0.0));
            x = arith::MinimumFOp::create(b, nloc, x, cst((double)(in[d] - 1)));
            Value floor = math::FloorOp::create(b, nloc, x);
            Value t = arith::SubFOp::create(b, nloc, x, floor);
            Value lo = toIndex(floor);
            Value hi = arith::MinSIOp::create(
                b, nloc,
                arith::AddIOp::create(b, nloc, lo,
                                      createIndexConstant(b, nloc, 1)),
                createIndexConstant(b, nloc, in[d] - 1));
            Value oneMinusT = arith::SubFOp::create(b, nloc, cst(1.0), t);
            resized.push_back({d, lo, hi, oneMinusT, t});
          }
          auto toElement = [&](Value v) -> Value {
            unsigned width = cast<FloatType>(elementType).getWidth();
            if (elementType == f32)
              return v;
            if (width > 32)
              return arith::ExtFOp::create(b, nloc, elementType, v);
            return arith::TruncFOp::create(b, nloc, elementType, v);
          };
          Value sum;
          for (unsigned corner = 0; corner < (1u << resized.size());
               ++corner) {
            SmallVector<Value> source(indices.begin(), indices.end());
            Value weight;
            for (auto [k, n] : llvm::enumerate(resized)) {
              bool high = corner & (1u << k);
              source[n.dim] = high ? n.hi : n.lo;
              Value w = high ? n.wHi : n.wLo;
              weight = weight ? arith::MulFOp::create(b, nloc, weight, w)
                                    .getResult()
                              : w;
            }
            Value element = tensor::ExtractOp::create(b, nloc, input, source);
            if (weight)
              element = arith::MulFOp::create(b, nloc, toElement(weight),
                                              element);
            sum = sum ? arith::AddFOp::create(b, nloc, sum, element).getResult()
                      : element;
          }
          return sum;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void linalg_lowering::populateResizePatterns(RewritePatternSet &patterns) {
  patterns.add<ResizeLowering>(patterns.getContext());
}
