//===- GraphOps.cpp - verifiers and folders of qopt graph ops -------------===//

#include "qopt/Dialect/QOpt/IR/QOpt.h"
#include "qopt/Dialect/QOpt/IR/ShapeUtils.h"
#include "qopt/Dialect/QOpt/IR/Verification.h"

#include "mlir/IR/TypeUtilities.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::qopt;

static ShapedType shapedOrNull(Value v) {
  return v ? cast<ShapedType>(v.getType()) : ShapedType();
}

static LogicalResult verifyAxis(Operation *op, StringRef name, int64_t axis,
                                int64_t rank, bool inclusiveEnd = false) {
  int64_t limit = inclusiveEnd ? rank : rank - 1;
  if (axis < 0 || axis > limit)
    return op->emitOpError() << "'" << name << "' = " << axis
                             << " is out of range [0, " << limit << "]";
  return success();
}

static LogicalResult verifyResultShape(Operation *op,
                                       llvm::ArrayRef<int64_t> expected) {
  auto result = cast<ShapedType>(op->getResult(0).getType());
  if (result.getShape() != expected)
    return op->emitOpError() << "result shape " << formatShape(result.getShape())
                             << " does not match the computed shape "
                             << formatShape(expected);
  return success();
}

//===----------------------------------------------------------------------===//
// constant
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::verify() {
  auto valueType = cast<ShapedType>(getValue().getType());
  auto resultType = getOutput().getType();
  if (valueType.getShape() != resultType.getShape())
    return emitOpError() << "value shape " << formatShape(valueType.getShape())
                         << " differs from the result shape "
                         << formatShape(resultType.getShape());
  Type expected = resultType.getElementType();
  if (auto q = dyn_cast<quant::QuantizedType>(expected))
    expected = q.getStorageType();
  if (valueType.getElementType() != expected)
    return emitOpError() << "value element type " << valueType.getElementType()
                         << " must be " << expected;
  return verifyQuantizedTensor(*this, resultType, "result", 0);
}

// `qopt.constant <value>` and, only when the result type differs from the
// value's (quantized constants), `-> <result type>`.
ParseResult ConstantOp::parse(OpAsmParser &parser, OperationState &result) {
  ElementsAttr value;
  if (parser.parseOptionalAttrDict(result.attributes) ||
      parser.parseAttribute(value, "value", result.attributes))
    return failure();
  Type type = value.getType();
  if (succeeded(parser.parseOptionalArrow()) && parser.parseType(type))
    return failure();
  result.addTypes(type);
  return success();
}

void ConstantOp::print(OpAsmPrinter &p) {
  p.printOptionalAttrDict((*this)->getAttrs(), /*elidedAttrs=*/{"value"});
  p << ' ';
  p.printAttribute(getValue());
  if (getValue().getType() != getOutput().getType())
    p << " -> " << getOutput().getType();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) {
  // A ConstantLike op must always fold (m_Constant relies on it). For a
  // quantized constant the attribute holds the storage values and its type
  // (storage element type) differs from the quant-typed result; the dialect's
  // constant materializer recreates the quantized constant from it.
  return getValue();
}

//===----------------------------------------------------------------------===//
// Convolutions and matrix products
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::verify() {
  return verifyConv2DShapes(*this, getInput().getType(), getWeight().getType(),
                            shapedOrNull(getBias()), getOutput().getType(),
                            getStrides(), getPads(), getDilations(), getGroup());
}

LogicalResult ConvTranspose2DOp::verify() {
  ShapedType input = getInput().getType(), weight = getWeight().getType(),
             result = getOutput().getType();
  if (input.getRank() != 4 || weight.getRank() != 4 || result.getRank() != 4)
    return emitOpError("input, weight and result must have rank 4");
  if (failed(verifyArrayAttr(*this, "strides", getStrides(), 2, 1)) ||
      failed(verifyArrayAttr(*this, "pads", getPads(), 4, 0)) ||
      failed(verifyArrayAttr(*this, "dilations", getDilations(), 2, 1)) ||
      failed(verifyArrayAttr(*this, "output_padding", getOutputPadding(), 2, 0)))
    return failure();
  int64_t group = getGroup(), channels = input.getDimSize(1);
  if (group < 1 || channels % group != 0)
    return emitOpError() << "group " << group
                         << " must be >= 1 and divide the input channels ("
                         << channels << ")";
  if (weight.getDimSize(0) != channels)
    return emitOpError() << "weight dim 0 (" << weight.getDimSize(0)
                         << ") must equal the input channels (" << channels
                         << ")";
  for (int i = 0; i < 2; ++i)
    if (getOutputPadding()[i] >=
        std::max(getStrides()[i], getDilations()[i]))
      return emitOpError("'output_padding' must be smaller than the stride or "
                         "the dilation");
  int64_t filters = weight.getDimSize(1) * group;
  if (auto bias = shapedOrNull(getBias()))
    if (bias.getRank() != 1 || bias.getDimSize(0) != filters)
      return emitOpError() << "bias must have shape " << filters << ", got "
                           << formatShape(bias.getShape());
  llvm::SmallVector<int64_t> expected{input.getDimSize(0), filters};
  for (int i = 0; i < 2; ++i)
    expected.push_back(convTransposeOutputSize(
        input.getDimSize(2 + i), weight.getDimSize(2 + i), getStrides()[i],
        getPads()[i], getPads()[2 + i], getDilations()[i],
        getOutputPadding()[i]));
  if (expected[2] < 1 || expected[3] < 1)
    return emitOpError("the padding leaves an empty output");
  return verifyResultShape(*this, expected);
}

LogicalResult MatMulOp::verify() {
  return verifyMatMulShapes(*this, getLhs().getType(), getRhs().getType(),
                            getOutput().getType());
}

LogicalResult BatchMatMulOp::verify() {
  ShapedType lhs = getLhs().getType(), rhs = getRhs().getType();
  if (lhs.getRank() != 3 || rhs.getRank() != 3)
    return emitOpError("operands must have rank 3");
  if (lhs.getDimSize(0) != rhs.getDimSize(0))
    return emitOpError() << "batch sizes differ: " << lhs.getDimSize(0)
                         << " and " << rhs.getDimSize(0);
  return verifyMatMulShapes(*this, lhs, rhs, getOutput().getType());
}

LogicalResult GemmOp::verify() {
  ShapedType a = getA().getType(), b = getB().getType();
  if (a.getRank() != 2 || b.getRank() != 2)
    return emitOpError("'a' and 'b' must have rank 2");
  int64_t m = getTransA() ? a.getDimSize(1) : a.getDimSize(0);
  int64_t k = getTransA() ? a.getDimSize(0) : a.getDimSize(1);
  int64_t k2 = getTransB() ? b.getDimSize(1) : b.getDimSize(0);
  int64_t n = getTransB() ? b.getDimSize(0) : b.getDimSize(1);
  if (k != k2)
    return emitOpError() << "contraction sizes differ: " << k << " and " << k2;
  llvm::SmallVector<int64_t> expected{m, n};
  if (auto c = shapedOrNull(getC())) {
    auto shape = broadcastShapes(c.getShape(), expected);
    if (!shape || llvm::ArrayRef<int64_t>(*shape) != llvm::ArrayRef(expected))
      return emitOpError() << "'c' of shape " << formatShape(c.getShape())
                           << " does not broadcast to " << formatShape(expected);
  }
  return verifyResultShape(*this, expected);
}

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

/// True if `v` is a float constant splat equal to `value`.
static bool isFloatSplat(Value v, double value) {
  DenseFPElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) || !attr.isSplat())
    return false;
  // Compare in the splat's own semantics: convertToDouble() asserts for
  // types that double cannot represent exactly (f80, f128).
  APFloat splat = attr.getSplatValue<APFloat>();
  APFloat expected(value);
  bool losesInfo = false;
  expected.convert(splat.getSemantics(), APFloat::rmNearestTiesToEven,
                   &losesInfo);
  return splat.compare(expected) == APFloat::cmpEqual;
}

/// x op c → x when c is the identity splat and the types agree. Signed zeros
/// are not preserved for `x + 0` (quantized graphs cannot represent them).
static OpFoldResult foldIdentityRhs(Operation *op, double identity) {
  Value lhs = op->getOperand(0);
  if (lhs.getType() != op->getResult(0).getType() ||
      !isa<FloatType>(getElementTypeOrSelf(lhs.getType())))
    return {};
  if (isFloatSplat(op->getOperand(1), identity))
    return lhs;
  return {};
}

OpFoldResult AddOp::fold(FoldAdaptor) { return foldIdentityRhs(*this, 0.0); }
OpFoldResult SubOp::fold(FoldAdaptor) { return foldIdentityRhs(*this, 0.0); }
OpFoldResult MulOp::fold(FoldAdaptor) { return foldIdentityRhs(*this, 1.0); }
OpFoldResult DivOp::fold(FoldAdaptor) { return foldIdentityRhs(*this, 1.0); }

LogicalResult ClampOp::verify() {
  if (!(getMin().convertToDouble() <= getMax().convertToDouble()))
    return emitOpError() << "'min' (" << getMin().convertToDouble()
                         << ") must not exceed 'max' ("
                         << getMax().convertToDouble() << ")";
  return success();
}

LogicalResult SelectOp::verify() {
  auto c = getCondition().getType().getShape();
  auto t = getOnTrue().getType().getShape();
  auto f = getOnFalse().getType().getShape();
  auto ct = broadcastShapes(c, t);
  auto all = ct ? broadcastShapes(*ct, f) : std::nullopt;
  if (!all)
    return emitOpError() << "operand shapes " << formatShape(c) << ", "
                         << formatShape(t) << " and " << formatShape(f)
                         << " do not broadcast";
  auto result = getOutput().getType().getShape();
  if (llvm::ArrayRef<int64_t>(*all) != result)
    return emitOpError() << "result shape " << formatShape(result)
                         << " must be the broadcast shape "
                         << formatShape(*all);
  return success();
}

LogicalResult UnaryMathOp::verify() {
  UnaryFunction fn = getFn();
  bool takesAlpha = fn == UnaryFunction::elu || fn == UnaryFunction::selu ||
                    fn == UnaryFunction::celu ||
                    fn == UnaryFunction::thresholded_relu;
  if (getAlpha() && !takesAlpha)
    return emitOpError() << "'" << stringifyUnaryFunction(fn)
                         << "' takes no 'alpha'";
  if (getGamma() && fn != UnaryFunction::selu)
    return emitOpError() << "'" << stringifyUnaryFunction(fn)
                         << "' takes no 'gamma'";
  // celu divides by alpha.
  if (fn == UnaryFunction::celu && getAlpha() &&
      getAlpha()->convertToDouble() == 0.0)
    return emitOpError("celu's 'alpha' must not be 0");
  return success();
}

static bool isFloatTensor(Value v) {
  return isa<FloatType>(getElementTypeOrSelf(v.getType()));
}

namespace {
/// relu(relu(x)) → relu(x) on float tensors.
struct FoldReluOfRelu : OpRewritePattern<ReluOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReluOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<ReluOp>();
    // The inner relu replaces the outer one, so its result must have the
    // outer result's type (not only its input: relu may change the type).
    if (!inner || !isFloatTensor(inner.getInput()) ||
        inner.getInput().getType() != op.getType() ||
        inner.getType() != op.getType())
      return failure();
    rewriter.replaceOp(op, inner.getResult());
    return success();
  }
};

/// clamp(clamp(x, a, b), c, d) → clamp(x, max(a, c), min(b, d)) on floats,
/// and clamp(x, -inf, +inf) → x.
struct FoldClampOfClamp : OpRewritePattern<ClampOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ClampOp op,
                                PatternRewriter &rewriter) const override {
    if (!isFloatTensor(op.getInput()))
      return failure();
    if (op.getMin().isInfinity() && op.getMin().isNegative() &&
        op.getMax().isInfinity() && !op.getMax().isNegative() &&
        op.getInput().getType() == op.getType()) {
      rewriter.replaceOp(op, op.getInput());
      return success();
    }
    auto inner = op.getInput().getDefiningOp<ClampOp>();
    if (!inner || inner.getInput().getType() != op.getType())
      return failure();
    float lo = std::max(inner.getMin().convertToFloat(),
                        op.getMin().convertToFloat());
    float hi = std::min(inner.getMax().convertToFloat(),
                        op.getMax().convertToFloat());
    if (lo > hi)
      return failure(); // Empty range: leave both clamps as written.
    rewriter.replaceOpWithNewOp<ClampOp>(op, op.getType(), inner.getInput(),
                                         rewriter.getF32FloatAttr(lo),
                                         rewriter.getF32FloatAttr(hi));
    return success();
  }
};
} // namespace

void ReluOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                         MLIRContext *context) {
  results.add<FoldReluOfRelu>(context);
}

void ClampOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                          MLIRContext *context) {
  results.add<FoldClampOfClamp>(context);
}

//===----------------------------------------------------------------------===//
// Normalisations and softmax
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::verify() {
  return verifyAxis(*this, "axis", getAxis(), getInput().getType().getRank());
}

LogicalResult LayerNormOp::verify() {
  ShapedType input = getInput().getType();
  if (failed(verifyAxis(*this, "axis", getAxis(), input.getRank())))
    return failure();
  auto normalized = input.getShape().drop_front(getAxis());
  for (auto [name, value] :
       {std::pair<StringRef, Value>{"scale", getScale()}, {"bias", getBias()}}) {
    if (!value)
      continue;
    auto shape = cast<ShapedType>(value.getType()).getShape();
    if (shape != normalized)
      return emitOpError() << "'" << name << "' shape " << formatShape(shape)
                           << " must equal the normalised dims "
                           << formatShape(normalized);
  }
  if (!(getEpsilon().convertToDouble() >= 0.0))
    return emitOpError("'epsilon' must be >= 0");
  return verifyResultShape(*this, input.getShape());
}

LogicalResult BatchNormOp::verify() {
  ShapedType input = getInput().getType();
  if (input.getRank() < 2)
    return emitOpError("input must have rank >= 2 (N×C×…)");
  int64_t channels = input.getDimSize(1);
  for (Value param : {getScale(), getBias(), getMean(), getVariance()}) {
    auto shape = cast<ShapedType>(param.getType()).getShape();
    if (shape.size() != 1 || shape[0] != channels)
      return emitOpError() << "parameters must have shape " << channels
                           << ", got " << formatShape(shape);
  }
  if (!(getEpsilon().convertToDouble() >= 0.0))
    return emitOpError("'epsilon' must be >= 0");
  return verifyResultShape(*this, input.getShape());
}

//===----------------------------------------------------------------------===//
// Reductions and pooling
//===----------------------------------------------------------------------===//

LogicalResult ReduceOp::verify() {
  auto shape = getInput().getType().getShape();
  auto axes = getAxes();
  if (axes.empty())
    return emitOpError("'axes' must not be empty");
  for (size_t i = 0; i < axes.size(); ++i) {
    if (failed(verifyAxis(*this, "axes", axes[i], shape.size())))
      return failure();
    if (i > 0 && axes[i] <= axes[i - 1])
      return emitOpError("'axes' must be strictly increasing");
  }
  llvm::SmallVector<int64_t> expected;
  for (int64_t d = 0, r = shape.size(); d < r; ++d) {
    if (!llvm::is_contained(axes, d))
      expected.push_back(shape[d]);
    else if (getKeepDims())
      expected.push_back(1);
  }
  return verifyResultShape(*this, expected);
}

LogicalResult ArgReduceOp::verify() {
  if (getKind() != ReduceKind::max && getKind() != ReduceKind::min)
    return emitOpError("'kind' must be max or min");
  auto shape = getInput().getType().getShape();
  if (failed(verifyAxis(*this, "axis", getAxis(), shape.size())))
    return failure();
  llvm::SmallVector<int64_t> expected;
  for (int64_t d = 0, r = shape.size(); d < r; ++d) {
    if (d != getAxis())
      expected.push_back(shape[d]);
    else if (getKeepDims())
      expected.push_back(1);
  }
  return verifyResultShape(*this, expected);
}

LogicalResult MaxPool2DOp::verify() {
  return verifyPool2DShapes(*this, getInput().getType(), getOutput().getType(),
                            getKernel(), getStrides(), getPads(),
                            getDilations(), getCeilMode());
}

LogicalResult AvgPool2DOp::verify() {
  return verifyPool2DShapes(*this, getInput().getType(), getOutput().getType(),
                            getKernel(), getStrides(), getPads(), {1, 1},
                            getCeilMode());
}

LogicalResult GlobalAvgPool2DOp::verify() {
  auto shape = getInput().getType().getShape();
  if (shape.size() != 4)
    return emitOpError("input must have rank 4");
  return verifyResultShape(*this, {shape[0], shape[1], 1, 1});
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  int64_t in = getInput().getType().getNumElements();
  int64_t out = getOutput().getType().getNumElements();
  if (in != out)
    return emitOpError() << "cannot reshape " << in << " elements into " << out;
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getOutput().getType())
    return getInput();
  // reshape(reshape(x)) → reshape(x).
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  return {};
}

LogicalResult FlattenOp::verify() {
  auto shape = getInput().getType().getShape();
  int64_t axis = getAxis();
  if (failed(verifyAxis(*this, "axis", axis, shape.size(), true)))
    return failure();
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0, r = shape.size(); d < r; ++d)
    (d < axis ? outer : inner) *= shape[d];
  return verifyResultShape(*this, {outer, inner});
}

LogicalResult TransposeOp::verify() {
  auto shape = getInput().getType().getShape();
  auto perm = getPerm();
  if (perm.size() != shape.size())
    return emitOpError() << "'perm' has " << perm.size()
                         << " entries for rank " << shape.size();
  llvm::SmallVector<bool> seen(shape.size(), false);
  llvm::SmallVector<int64_t> expected;
  for (int64_t p : perm) {
    if (p < 0 || p >= (int64_t)shape.size() || seen[p])
      return emitOpError("'perm' must be a permutation of [0, rank)");
    seen[p] = true;
    expected.push_back(shape[p]);
  }
  return verifyResultShape(*this, expected);
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  for (auto [i, p] : llvm::enumerate(getPerm()))
    if ((int64_t)i != p)
      return {};
  return getInput();
}

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError("needs at least one input");
  auto result = getOutput().getType();
  int64_t axis = getAxis();
  if (failed(verifyAxis(*this, "axis", axis, result.getRank())))
    return failure();
  int64_t total = 0;
  for (auto [i, value] : llvm::enumerate(getInputs())) {
    auto type = cast<ShapedType>(value.getType());
    if (type.getElementType() != result.getElementType())
      return emitOpError() << "input #" << i << " element type "
                           << type.getElementType()
                           << " differs from the result's "
                           << result.getElementType();
    if (failed(verifyQuantizedTensor(*this, type, "operand", i)))
      return failure();
    if (type.getRank() != result.getRank())
      return emitOpError() << "input #" << i << " has rank " << type.getRank()
                           << ", expected " << result.getRank();
    for (int64_t d = 0; d < result.getRank(); ++d)
      if (d != axis && type.getDimSize(d) != result.getDimSize(d))
        return emitOpError() << "input #" << i << " has size "
                             << type.getDimSize(d) << " in dim " << d
                             << ", expected " << result.getDimSize(d);
    total += type.getDimSize(axis);
  }
  if (failed(verifyQuantizedTensor(*this, result, "result", 0)))
    return failure();
  if (total != result.getDimSize(axis))
    return emitOpError() << "result has " << result.getDimSize(axis)
                         << " elements along the axis, inputs sum to " << total;
  return success();
}

LogicalResult SplitOp::verify() {
  if (getOutputs().empty())
    return emitOpError("needs at least one result");
  auto input = getInput().getType();
  int64_t axis = getAxis();
  if (failed(verifyAxis(*this, "axis", axis, input.getRank())))
    return failure();
  if (failed(verifyQuantizedTensor(*this, input, "operand", 0)))
    return failure();
  int64_t total = 0;
  for (auto [i, value] : llvm::enumerate(getOutputs())) {
    auto type = cast<ShapedType>(value.getType());
    if (type.getElementType() != input.getElementType())
      return emitOpError() << "result #" << i << " element type "
                           << type.getElementType()
                           << " differs from the input's "
                           << input.getElementType();
    if (failed(verifyQuantizedTensor(*this, type, "result", i)))
      return failure();
    if (type.getRank() != input.getRank())
      return emitOpError() << "result #" << i << " has rank "
                           << type.getRank() << ", expected "
                           << input.getRank();
    for (int64_t d = 0; d < input.getRank(); ++d)
      if (d != axis && type.getDimSize(d) != input.getDimSize(d))
        return emitOpError() << "result #" << i << " has size "
                             << type.getDimSize(d) << " in dim " << d
                             << ", expected " << input.getDimSize(d);
    total += type.getDimSize(axis);
  }
  if (total != input.getDimSize(axis))
    return emitOpError() << "results sum to " << total
                         << " elements along the axis, the input has "
                         << input.getDimSize(axis);
  return success();
}

LogicalResult SliceOp::verify() {
  auto shape = getInput().getType().getShape();
  auto starts = getStarts(), ends = getEnds(), steps = getSteps();
  size_t rank = shape.size();
  if (starts.size() != rank || ends.size() != rank || steps.size() != rank)
    return emitOpError() << "'starts', 'ends' and 'steps' need " << rank
                         << " entries each";
  llvm::SmallVector<int64_t> expected;
  for (size_t d = 0; d < rank; ++d) {
    int64_t dim = shape[d], start = starts[d], end = ends[d], step = steps[d];
    if (step == 0)
      return emitOpError() << "step of dim " << d << " is zero";
    bool ok = step > 0
                  ? (start >= 0 && start <= dim && end >= 0 && end <= dim)
                  : (start >= -1 && start < dim && end >= -1 && end < dim);
    if (!ok)
      return emitOpError() << "dim " << d << ": start " << start << " and end "
                           << end << " are not normalised for size " << dim
                           << " and step " << step;
    expected.push_back(sliceSize(start, end, step));
  }
  return verifyResultShape(*this, expected);
}

LogicalResult PadOp::verify() {
  auto shape = getInput().getType().getShape();
  auto pads = getPads();
  size_t rank = shape.size();
  if (pads.size() != 2 * rank)
    return emitOpError() << "'pads' needs " << 2 * rank << " entries, got "
                         << pads.size();
  llvm::SmallVector<int64_t> expected;
  for (size_t d = 0; d < rank; ++d) {
    int64_t size = shape[d] + pads[d] + pads[rank + d];
    if (size < 0)
      return emitOpError() << "dim " << d << " would have negative size";
    if (getMode() == PadMode::reflect &&
        (pads[d] >= shape[d] || pads[rank + d] >= shape[d]))
      return emitOpError() << "reflect padding of dim " << d
                           << " must be smaller than its size " << shape[d];
    if (getMode() == PadMode::edge && shape[d] == 0 &&
        (pads[d] > 0 || pads[rank + d] > 0))
      return emitOpError() << "edge padding of the empty dim " << d;
    expected.push_back(size);
  }
  return verifyResultShape(*this, expected);
}

LogicalResult GatherOp::verify() {
  auto data = getData().getType().getShape();
  auto indices = getIndices().getType().getShape();
  int64_t axis = getAxis();
  if (failed(verifyAxis(*this, "axis", axis, data.size())))
    return failure();
  llvm::SmallVector<int64_t> expected(data.take_front(axis));
  expected.append(indices.begin(), indices.end());
  expected.append(data.begin() + axis + 1, data.end());
  return verifyResultShape(*this, expected);
}

LogicalResult ResizeOp::verify() {
  ShapedType input = getInput().getType(), result = getOutput().getType();
  if (input.getRank() != result.getRank())
    return emitOpError() << "result rank " << result.getRank()
                         << " differs from the input rank " << input.getRank();
  for (int64_t d = 0; d < input.getRank(); ++d)
    if (input.getDimSize(d) == 0 && result.getDimSize(d) != 0)
      return emitOpError() << "cannot resize the empty dim " << d;
  return success();
}

OpFoldResult CastOp::fold(FoldAdaptor) {
  if (getInput().getType() == getOutput().getType())
    return getInput();
  return {};
}
