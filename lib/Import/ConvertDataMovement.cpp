//===- ConvertDataMovement.cpp - ONNX reshape, slice, concat, gather, ... -===//
//
// Data movement keeps the input's element type (quantized types included), so
// result types take the inferred shape and the input's element type.
//
//===----------------------------------------------------------------------===//

#include "ConverterUtils.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::onnx_import;

namespace {
/// The inferred output shape with `like`'s element type.
FailureOr<RankedTensorType> resultLike(NodeImporter &ni, Value like,
                                       unsigned output = 0) {
  auto type = ni.outputType(output);
  if (failed(type))
    return failure();
  return RankedTensorType::get(
      type->getShape(), cast<RankedTensorType>(like.getType()).getElementType());
}

/// Input 0 into `x` and the inferred result type with its element type: the
/// common start of the single-input data-movement converters.
FailureOr<RankedTensorType> inputAndResultLike(NodeImporter &ni,
                                               FailureOr<Value> &x) {
  x = ni.input(0);
  if (failed(x))
    return failure();
  return resultLike(ni, *x);
}

/// Reshape, Flatten, Squeeze and Unsqueeze all become qopt.reshape.
LogicalResult convertReshapeLike(NodeImporter &ni) {
  FailureOr<Value> x;
  auto type = inputAndResultLike(ni, x);
  if (failed(type))
    return failure();
  if (ni.node.op_type() == "Flatten") {
    int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
    auto axis = normalizedAxis(ni, ni.attrInt("axis", 1), rank, true);
    if (failed(axis))
      return failure();
    ni.setOutput(0, FlattenOp::create(ni.b, ni.loc, *type, *x,
                                      ni.b.getI64IntegerAttr(*axis)));
    return success();
  }
  ni.setOutput(0, ReshapeOp::create(ni.b, ni.loc, *type, *x));
  return success();
}

LogicalResult convertTranspose(NodeImporter &ni) {
  FailureOr<Value> x;
  auto type = inputAndResultLike(ni, x);
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  llvm::SmallVector<int64_t> perm;
  if (auto p = ni.attrInts("perm"))
    perm = *p;
  else
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  ni.setOutput(0, TransposeOp::create(ni.b, ni.loc, *type, *x,
                                      ni.b.getDenseI64ArrayAttr(perm)));
  return success();
}

LogicalResult convertConcat(NodeImporter &ni) {
  llvm::SmallVector<Value> inputs;
  for (unsigned i = 0; i < ni.numInputs(); ++i) {
    auto v = ni.input(i);
    if (failed(v))
      return failure();
    inputs.push_back(*v);
  }
  if (inputs.empty())
    return ni.fail("Concat needs at least one input");
  auto type = resultLike(ni, inputs[0]);
  if (failed(type))
    return failure();
  auto axis = normalizedAxis(ni, ni.attrInt("axis", 0), type->getRank());
  if (failed(axis))
    return failure();
  ni.setOutput(0, ConcatOp::create(ni.b, ni.loc, *type, inputs,
                                   ni.b.getI64IntegerAttr(*axis)));
  return success();
}

LogicalResult convertSplit(NodeImporter &ni) {
  auto x = ni.input(0);
  if (failed(x))
    return failure();
  int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
  auto axis = normalizedAxis(ni, ni.attrInt("axis", 0), rank);
  if (failed(axis))
    return failure();
  llvm::SmallVector<Type> types;
  for (unsigned i = 0; i < ni.numOutputs(); ++i) {
    auto t = resultLike(ni, *x, i);
    if (failed(t))
      return failure();
    types.push_back(*t);
  }
  auto split = SplitOp::create(ni.b, ni.loc, types, *x,
                               ni.b.getI64IntegerAttr(*axis));
  for (unsigned i = 0; i < ni.numOutputs(); ++i)
    ni.setOutput(i, split.getResult(i));
  return success();
}

LogicalResult convertSlice(NodeImporter &ni) {
  auto x = ni.input(0);
  if (failed(x))
    return failure();
  auto shape = cast<RankedTensorType>(x->getType()).getShape();
  int64_t rank = shape.size();
  auto starts = ni.constInts(1, "starts"), ends = ni.constInts(2, "ends");
  if (failed(starts) || failed(ends))
    return failure();
  std::vector<int64_t> axes, steps;
  if (ni.hasInput(3)) {
    auto a = ni.constInts(3, "axes");
    if (failed(a))
      return failure();
    axes = *a;
  } else {
    for (size_t i = 0; i < starts->size(); ++i)
      axes.push_back(i);
  }
  if (ni.hasInput(4)) {
    auto s = ni.constInts(4, "steps");
    if (failed(s))
      return failure();
    steps = *s;
  } else {
    steps.assign(starts->size(), 1);
  }
  if (ends->size() != starts->size() || axes.size() != starts->size() ||
      steps.size() != starts->size())
    return ni.fail("starts, ends, axes and steps differ in length");
  llvm::SmallVector<int64_t> b(rank, 0), e(shape), st(rank, 1);
  llvm::SmallVector<bool> seen(rank, false);
  for (size_t i = 0; i < axes.size(); ++i) {
    auto a = normalizedAxis(ni, axes[i], rank);
    if (failed(a))
      return failure();
    if (seen[*a])
      return ni.fail("axis " + llvm::Twine(*a) + " is sliced twice");
    seen[*a] = true;
    int64_t dim = shape[*a], s = (*starts)[i], en = (*ends)[i], step = steps[i];
    if (step == 0)
      return ni.fail("slice step is zero");
    if (s < 0) s += dim;
    if (en < 0) en += dim;
    if (step > 0) {
      s = std::clamp<int64_t>(s, 0, dim);
      en = std::clamp<int64_t>(en, 0, dim);
    } else {
      s = std::clamp<int64_t>(s, -1, dim - 1);
      en = std::clamp<int64_t>(en, -1, dim - 1);
    }
    b[*a] = s;
    e[*a] = en;
    st[*a] = step;
  }
  llvm::SmallVector<int64_t> outShape;
  for (int64_t d = 0; d < rank; ++d)
    outShape.push_back(sliceSize(b[d], e[d], st[d]));
  auto type = RankedTensorType::get(
      outShape, cast<RankedTensorType>(x->getType()).getElementType());
  ni.setOutput(0, SliceOp::create(ni.b, ni.loc, type, *x,
                                  ni.b.getDenseI64ArrayAttr(b),
                                  ni.b.getDenseI64ArrayAttr(e),
                                  ni.b.getDenseI64ArrayAttr(st)));
  return success();
}

LogicalResult convertPad(NodeImporter &ni) {
  FailureOr<Value> x;
  auto type = inputAndResultLike(ni, x);
  if (failed(type))
    return failure();
  auto pads = ni.constInts(1, "pads");
  if (failed(pads))
    return failure();
  double value = 0.0;
  if (ni.hasInput(2)) {
    const HostTensor *v = ni.constInput(2);
    if (!v || v->numElements() != 1)
      return ni.fail("input 'constant_value' must be a constant scalar");
    value = v->doubles()[0];
  }
  std::string mode = ni.attrString("mode", "constant");
  PadMode padMode;
  if (mode == "constant") padMode = PadMode::constant;
  else if (mode == "reflect") padMode = PadMode::reflect;
  else if (mode == "edge") padMode = PadMode::edge;
  else return ni.fail("pad mode '" + mode + "' is not supported");
  ni.setOutput(0, PadOp::create(ni.b, ni.loc, *type, *x,
                                ni.b.getDenseI64ArrayAttr(*pads),
                                PadModeAttr::get(ni.b.getContext(), padMode),
                                ni.b.getF64FloatAttr(value)));
  return success();
}

LogicalResult convertGather(NodeImporter &ni) {
  auto data = ni.input(0), indices = ni.input(1);
  if (failed(data) || failed(indices))
    return failure();
  auto type = resultLike(ni, *data);
  if (failed(type))
    return failure();
  int64_t rank = cast<RankedTensorType>(data->getType()).getRank();
  auto axis = normalizedAxis(ni, ni.attrInt("axis", 0), rank);
  if (failed(axis))
    return failure();
  // Constant indices are checked here: out-of-range ones are an error.
  if (const HostTensor *idx = ni.constInput(1)) {
    int64_t n = cast<RankedTensorType>(data->getType()).getDimSize(*axis);
    for (int64_t i : idx->ints())
      if (i < -n || i >= n)
        return ni.fail("index " + llvm::Twine(i) + " is out of range for "
                       "an axis of size " + llvm::Twine(n));
  }
  ni.setOutput(0, GatherOp::create(ni.b, ni.loc, *type, *data, *indices,
                                   ni.b.getI64IntegerAttr(*axis)));
  return success();
}

/// The source coordinate of output index `x` along an axis of `in` -> `out`
/// elements at `scale`, as ONNX defines it; align_corners divides by the
/// resized length in * scale (not rounded), the others by the scale.
static double resizeCoordinate(CoordinateTransform c, int64_t x, double scale,
                               int64_t in, int64_t out) {
  switch (c) {
  case CoordinateTransform::half_pixel:
    return (x + 0.5) / scale - 0.5;
  case CoordinateTransform::pytorch_half_pixel:
    return out > 1 ? (x + 0.5) / scale - 0.5 : 0.0;
  case CoordinateTransform::align_corners: {
    double resized = in * scale;
    return resized == 1.0 ? 0.0 : x * (in - 1) / (resized - 1);
  }
  case CoordinateTransform::asymmetric:
    return x / scale;
  }
  return 0.0;
}

/// The nearest source index of coordinate `v`, clamped to [0, in).
static int64_t nearestIndex(NearestMode m, double v, int64_t in) {
  double r;
  switch (m) {
  case NearestMode::round_prefer_floor:
    r = v - std::floor(v) == 0.5 ? std::floor(v) : std::round(v);
    break;
  case NearestMode::round_prefer_ceil:
    r = v - std::floor(v) == 0.5 ? std::ceil(v) : std::round(v);
    break;
  case NearestMode::floor:
    r = std::floor(v);
    break;
  case NearestMode::ceil:
    r = std::ceil(v);
    break;
  }
  return std::clamp<int64_t>((int64_t)r, 0, in - 1);
}

/// qopt.resize takes its scale from the shapes (out / in). ONNX samples at
/// the given `scales` instead, which differ when in * scale is not an
/// integer (0.6 for 4 -> 2). Refuses such a node, and run-time scales,
/// unless every output position samples the same source: the same
/// coordinates for linear interpolation, the same neighbour for nearest.
static LogicalResult checkResizeScales(NodeImporter &ni, RankedTensorType in,
                                       RankedTensorType out, ResizeMode mode,
                                       CoordinateTransform c, NearestMode n) {
  if (!ni.hasInput(2))
    return success();
  const HostTensor *t = ni.constInput(2);
  // Run-time scales could be any value that gives the static output shape
  // (0.5 and 0.6 both take 4 to 2) and would sample elsewhere.
  if (!t)
    return ni.fail("input 'scales' must be a constant: qopt.resize samples "
                   "at the output/input size ratio, which is ONNX's only for "
                   "scales checked at import");
  if (t->numElements() == 0)
    return success();
  std::vector<double> scales = t->doubles();
  for (int64_t d = 0; d < in.getRank() && d < (int64_t)scales.size(); ++d) {
    int64_t inSize = in.getDimSize(d), outSize = out.getDimSize(d);
    double given = (float)scales[d];
    double shapes = (double)(float)((float)outSize / (float)inSize);
    for (int64_t x = 0; x < outSize; ++x) {
      double onnx = resizeCoordinate(c, x, given, inSize, outSize);
      double ours = resizeCoordinate(c, x, shapes, inSize, outSize);
      bool same = mode == ResizeMode::linear
                      ? std::abs(onnx - ours) <= 1e-5 * (1 + std::abs(onnx))
                      : nearestIndex(n, onnx, inSize) ==
                            nearestIndex(n, ours, inSize);
      if (!same)
        return ni.fail("scale " + std::to_string((float)given) + " along axis " +
                       llvm::Twine(d) + " differs from the output/input size " +
                       "ratio " + llvm::Twine(outSize) + "/" +
                       llvm::Twine(inSize) + " and samples other source " +
                       "positions; qopt.resize derives its scale from the "
                       "shapes");
    }
  }
  return success();
}

LogicalResult convertResize(NodeImporter &ni) {
  FailureOr<Value> x;
  auto type = inputAndResultLike(ni, x);
  if (failed(type))
    return failure();
  std::string mode = ni.attrString("mode", "nearest");
  std::string coord = ni.attrString("coordinate_transformation_mode",
                                    "half_pixel");
  std::string nearest = ni.attrString("nearest_mode", "round_prefer_floor");
  std::optional<ResizeMode> m =
      mode == "nearest" ? std::optional(ResizeMode::nearest)
      : mode == "linear" ? std::optional(ResizeMode::linear)
                         : std::nullopt;
  if (!m)
    return ni.fail("resize mode '" + mode + "' is not supported");
  auto c = symbolizeCoordinateTransform(coord);
  if (!c)
    return ni.fail("coordinate_transformation_mode '" + coord +
                   "' is not supported");
  auto n = symbolizeNearestMode(nearest);
  if (!n)
    return ni.fail("nearest_mode '" + nearest + "' is not supported");
  if (ni.attrInt("exclude_outside", 0) != 0)
    return ni.fail("exclude_outside=1 is not supported");
  if (failed(checkResizeScales(ni, cast<RankedTensorType>(x->getType()), *type,
                               *m, *c, *n)))
    return failure();
  ni.setOutput(0, ResizeOp::create(
                      ni.b, ni.loc, *type, *x,
                      ResizeModeAttr::get(ni.b.getContext(), *m),
                      CoordinateTransformAttr::get(ni.b.getContext(), *c),
                      NearestModeAttr::get(ni.b.getContext(), *n)));
  return success();
}

LogicalResult convertCast(NodeImporter &ni) {
  auto x = ni.input(0);
  auto type = ni.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  if (x->getType() == *type) {
    ni.setOutput(0, *x);
    return success();
  }
  if (isa<quant::QuantizedType>(
          cast<RankedTensorType>(x->getType()).getElementType()))
    return ni.fail("casting a quantized tensor is not supported");
  ni.setOutput(0, CastOp::create(ni.b, ni.loc, *type, *x));
  return success();
}

/// DepthToSpace and SpaceToDepth are a reshape to rank 6, a transpose and a
/// reshape back, as the ONNX definitions spell them.
LogicalResult convertDepthSpace(NodeImporter &ni, bool toSpace) {
  auto x = ni.input(0);
  auto type = ni.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  auto xType = cast<RankedTensorType>(x->getType());
  if (xType.getRank() != 4)
    return ni.fail("the input must have rank 4 (NCHW)");
  int64_t bs = ni.attrInt("blocksize", 0);
  if (bs <= 0)
    return ni.fail("attribute 'blocksize' must be positive");
  int64_t n = xType.getDimSize(0), c = xType.getDimSize(1),
          h = xType.getDimSize(2), w = xType.getDimSize(3);
  llvm::SmallVector<int64_t> split, perm;
  if (toSpace) {
    if (c % (bs * bs) != 0)
      return ni.fail("the channels are not a multiple of blocksize²");
    if (ni.attrString("mode", "DCR") == "DCR") {
      split = {n, bs, bs, c / (bs * bs), h, w};
      perm = {0, 3, 4, 1, 5, 2};
    } else if (ni.attrString("mode", "DCR") == "CRD") {
      split = {n, c / (bs * bs), bs, bs, h, w};
      perm = {0, 1, 4, 2, 5, 3};
    } else {
      return ni.fail("mode '" + ni.attrString("mode", "DCR") +
                     "' is not DCR or CRD");
    }
  } else {
    if (h % bs != 0 || w % bs != 0)
      return ni.fail("the spatial dims are not multiples of blocksize");
    split = {n, c, h / bs, bs, w / bs, bs};
    perm = {0, 3, 5, 1, 2, 4};
  }
  Value v = reshapeTo(ni, *x, split);
  llvm::SmallVector<int64_t> permuted;
  for (int64_t p : perm)
    permuted.push_back(split[p]);
  v = TransposeOp::create(ni.b, ni.loc,
                          RankedTensorType::get(permuted, xType.getElementType()),
                          v, ni.b.getDenseI64ArrayAttr(perm));
  v = reshapeTo(ni, v, type->getShape());
  if (v.getType() != *type)
    return ni.fail("the result type does not match ONNX shape inference");
  ni.setOutput(0, v);
  return success();
}
} // namespace

void mlir::qopt::onnx_import::addDataMovementConverters(ConverterMap &map) {
  map["Reshape"] = convertReshapeLike;
  map["Flatten"] = convertReshapeLike;
  map["Squeeze"] = convertReshapeLike;
  map["Unsqueeze"] = convertReshapeLike;
  map["Transpose"] = convertTranspose;
  map["Concat"] = convertConcat;
  map["Split"] = convertSplit;
  map["Slice"] = convertSlice;
  map["Pad"] = convertPad;
  map["Gather"] = convertGather;
  map["Resize"] = convertResize;
  map["Cast"] = convertCast;
  // CastLike: the target type is the inferred output type, as for Cast.
  map["CastLike"] = convertCast;
  map["DepthToSpace"] = [](NodeImporter &ni) {
    return convertDepthSpace(ni, /*toSpace=*/true);
  };
  map["SpaceToDepth"] = [](NodeImporter &ni) {
    return convertDepthSpace(ni, /*toSpace=*/false);
  };
}
