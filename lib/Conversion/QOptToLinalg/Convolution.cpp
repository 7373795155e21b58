//===- Convolution.cpp - conv2d to linalg convolutions ---------------------===//
//
// conv2d (NCHW input, FCHW weights):
//   - the input is zero-padded with tensor.pad where `pads` are non-zero;
//   - one group: linalg.conv_2d_nchw_fchw;
//   - G groups (depthwise included): the input expands to N×G×(C/G)×H×W, the
//     weights to G×(F/G)×(C/G)×KH×KW, linalg.conv_2d_ngchw_gfchw computes
//     N×G×(F/G)×OH×OW, which collapses back to N×F×OH×OW;
//   - the bias is added by a linalg.generic that reads it along dim 1.
// conv_transpose2d: the same convolutions on the stride-spread, bordered
//   input with flipped, regrouped weights (see ConvTranspose2DLowering).
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

/// out[n, f, h, w] += bias[f], in place on `conv` (N×F×H×W).
static Value addBias(OpBuilder &b, Location loc, Value conv, Value bias) {
  MLIRContext *context = b.getContext();
  AffineMap biasMap = AffineMap::get(4, 0, getAffineDimExpr(1, context));
  return linalg::GenericOp::create(
             b, loc, TypeRange{conv.getType()}, ValueRange{bias},
             ValueRange{conv},
             ArrayRef<AffineMap>{biasMap, b.getMultiDimIdentityMap(4)},
             parallelIterators(4),
             [](OpBuilder &nb, Location nloc, ValueRange args) {
               Value sum = arith::AddFOp::create(nb, nloc, args[1], args[0]);
               linalg::YieldOp::create(nb, nloc, sum);
             })
      .getResult(0);
}

/// The convolution of `input` (N×C×H×W, already padded) with `weight` into
/// `resultType` (N×F×OH×OW) in `group` groups. `weight` is either F×(C/G)×
/// KH×KW (ONNX's layout) or already G×(F/G)×(C/G)×KH×KW. One group uses
/// linalg.conv_2d_nchw_fchw; several split the channels and filters into
/// (group, per-group) dims for linalg.conv_2d_ngchw_gfchw and collapse the
/// result back. `zero` is the accumulator's initial value.
static Value convolve(OpBuilder &b, Location loc, Value input, Value weight,
                      int64_t group, RankedTensorType resultType,
                      ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                      Value zero) {
  Type elementType = resultType.getElementType();
  auto stridesAttr = b.getI64TensorAttr(strides);
  auto dilationsAttr = b.getI64TensorAttr(dilations);
  auto weightType = cast<RankedTensorType>(weight.getType());
  ArrayRef<int64_t> w = weightType.getShape();
  SmallVector<ReassociationIndices> filtersSplit = {{0, 1}, {2}, {3}, {4}};
  SmallVector<ReassociationIndices> channelsSplit = {{0}, {1, 2}, {3}, {4}};

  if (group == 1) {
    if (weightType.getRank() == 5)
      weight = tensor::CollapseShapeOp::create(
          b, loc, RankedTensorType::get({w[1], w[2], w[3], w[4]}, elementType),
          weight, filtersSplit);
    Value init = createFilled(b, loc, resultType, zero);
    return linalg::Conv2DNchwFchwOp::create(
               b, loc, TypeRange{resultType}, ValueRange{input, weight},
               ValueRange{init}, stridesAttr, dilationsAttr)
        .getResult(0);
  }

  if (weightType.getRank() == 4)
    weight = tensor::ExpandShapeOp::create(
        b, loc,
        RankedTensorType::get({group, w[0] / group, w[1], w[2], w[3]},
                              elementType),
        weight, filtersSplit);
  ArrayRef<int64_t> in = cast<RankedTensorType>(input.getType()).getShape(),
                    out = resultType.getShape();
  auto groupedInputType = RankedTensorType::get(
      {in[0], group, in[1] / group, in[2], in[3]}, elementType);
  auto groupedResultType = RankedTensorType::get(
      {out[0], group, out[1] / group, out[2], out[3]}, elementType);
  Value groupedInput = tensor::ExpandShapeOp::create(
      b, loc, groupedInputType, input, channelsSplit);
  Value init = createFilled(b, loc, groupedResultType, zero);
  Value grouped = linalg::Conv2DNgchwGfchwOp::create(
                      b, loc, TypeRange{groupedResultType},
                      ValueRange{groupedInput, weight}, ValueRange{init},
                      stridesAttr, dilationsAttr)
                      .getResult(0);
  return tensor::CollapseShapeOp::create(b, loc, resultType, grouped,
                                         channelsSplit);
}

namespace {

struct Conv2DLowering : OpConversionPattern<Conv2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isFloatComputeOp(op))
      return rewriter.notifyMatchFailure(op, "not a float tensor op");
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Value zero =
        createFloatConstant(rewriter, loc, resultType.getElementType(), 0.0);
    Value input = padSpatial(rewriter, loc, adaptor.getInput(), op.getPads(),
                             {0, 0}, zero);
    Value conv = convolve(rewriter, loc, input, adaptor.getWeight(),
                          op.getGroup(), resultType, op.getStrides(),
                          op.getDilations(), zero);
    if (Value bias = adaptor.getBias())
      conv = addBias(rewriter, loc, conv, bias);
    rewriter.replaceOp(op, conv);
    return success();
  }
};

/// conv_transpose2d as a direct convolution: the input is spread out by the
/// stride (zeros in between, tensor.insert_slice with strides into a zero
/// tensor) with dilation·(k-1) zeros around it (plus output_padding at the
/// end), the pads crop that (tensor.extract_slice), and the weights are
/// flipped spatially and regrouped from C×(F/G)×KH×KW to G×(F/G)×(C/G)×KH×KW
/// by a linalg.generic; then a stride-1 convolution with the dilation.
struct ConvTranspose2DLowering : OpConversionPattern<ConvTranspose2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConvTranspose2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isFloatComputeOp(op))
      return rewriter.notifyMatchFailure(op, "not a float tensor op");
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();
    Value input = adaptor.getInput(), weight = adaptor.getWeight();
    ArrayRef<int64_t> in = cast<RankedTensorType>(input.getType()).getShape();
    ArrayRef<int64_t> w = cast<RankedTensorType>(weight.getType()).getShape();
    ArrayRef<int64_t> strides = op.getStrides(), pads = op.getPads(),
                      dilations = op.getDilations(),
                      outputPadding = op.getOutputPadding();
    int64_t group = op.getGroup();
    Value zero = createFloatConstant(rewriter, loc, elementType, 0.0);

    // Spread and surround: [N, C, (H-1)·s + 1 + 2·d·(k-1) + op, ...].
    SmallVector<int64_t> fullShape = {in[0], in[1]};
    SmallVector<OpFoldResult> offsets = {rewriter.getIndexAttr(0),
                                         rewriter.getIndexAttr(0)},
                              sizes, insertStrides;
    for (int i = 0; i < 2; ++i) {
      int64_t border = dilations[i] * (w[2 + i] - 1);
      fullShape.push_back((in[2 + i] - 1) * strides[i] + 1 + 2 * border +
                          outputPadding[i]);
      offsets.push_back(rewriter.getIndexAttr(border));
    }
    for (int64_t size : in)
      sizes.push_back(rewriter.getIndexAttr(size));
    insertStrides = {rewriter.getIndexAttr(1), rewriter.getIndexAttr(1),
                     rewriter.getIndexAttr(strides[0]),
                     rewriter.getIndexAttr(strides[1])};
    Value spread = tensor::InsertSliceOp::create(
        rewriter, loc, input,
        createFilled(rewriter, loc,
                     RankedTensorType::get(fullShape, elementType), zero),
        offsets, sizes, insertStrides);
    if (llvm::any_of(pads, [](int64_t p) { return p != 0; })) {
      SmallVector<int64_t> croppedShape = {in[0], in[1]};
      SmallVector<OpFoldResult> cropOffsets = {rewriter.getIndexAttr(0),
                                               rewriter.getIndexAttr(0)},
                                cropSizes = {rewriter.getIndexAttr(in[0]),
                                             rewriter.getIndexAttr(in[1])};
      for (int i = 0; i < 2; ++i) {
        croppedShape.push_back(fullShape[2 + i] - pads[i] - pads[2 + i]);
        cropOffsets.push_back(rewriter.getIndexAttr(pads[i]));
        cropSizes.push_back(rewriter.getIndexAttr(croppedShape.back()));
      }
      spread = tensor::ExtractSliceOp::create(
          rewriter, loc, RankedTensorType::get(croppedShape, elementType),
          spread, cropOffsets, cropSizes,
          SmallVector<OpFoldResult>(4, rewriter.getIndexAttr(1)));
    }

    // flipped[g, f, c, kh, kw] = weight[g·(C/G) + c, f, KH-1-kh, KW-1-kw].
    int64_t channelsPerGroup = w[0] / group, filtersPerGroup = w[1];
    auto groupedType = RankedTensorType::get(
        {group, channelsPerGroup, filtersPerGroup, w[2], w[3]}, elementType);
    Value grouped = tensor::ExpandShapeOp::create(
        rewriter, loc, groupedType, weight,
        SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}, {4}});
    AffineExpr g, f, c, kh, kw;
    bindDims(context, g, f, c, kh, kw);
    AffineMap read = AffineMap::get(
        5, 0, {g, c, f, w[2] - 1 - kh, w[3] - 1 - kw}, context);
    auto flippedType = RankedTensorType::get(
        {group, filtersPerGroup, channelsPerGroup, w[2], w[3]}, elementType);
    Value flipped =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{flippedType}, ValueRange{grouped},
            ValueRange{createEmpty(rewriter, loc, flippedType)},
            ArrayRef<AffineMap>{read, rewriter.getMultiDimIdentityMap(5)},
            parallelIterators(5),
            [](OpBuilder &b, Location nloc, ValueRange args) {
              linalg::YieldOp::create(b, nloc, args[0]);
            })
            .getResult(0);

    Value conv = convolve(rewriter, loc, spread, flipped, group, resultType,
                          {1, 1}, dilations, zero);
    if (Value bias = adaptor.getBias())
      conv = addBias(rewriter, loc, conv, bias);
    rewriter.replaceOp(op, conv);
    return success();
  }
};

} // namespace

void linalg_lowering::populateConvolutionPatterns(RewritePatternSet &patterns) {
  patterns.add<Conv2DLowering, ConvTranspose2DLowering>(patterns.getContext());
}
