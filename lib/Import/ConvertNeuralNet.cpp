//===- ConvertNeuralNet.cpp - ONNX conv, matmul, norm, pool ---------------===//

#include "ConverterUtils.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::onnx_import;

namespace {
/// The 2-D window attributes of Conv, ConvTranspose and the pools.
struct Window {
  llvm::SmallVector<int64_t> kernel, strides, pads, dilations;
};

FailureOr<Window> readWindow(NodeImporter &ni, RankedTensorType input,
                             llvm::ArrayRef<int64_t> kernelFromWeight) {
  if (input.getRank() != 4)
    return ni.error("only 2-D spatial inputs (rank 4, NCHW) are supported, got "
                    "rank " + llvm::Twine(input.getRank()));
  Window w;
  if (!kernelFromWeight.empty()) {
    w.kernel.assign(kernelFromWeight.begin(), kernelFromWeight.end());
    if (auto k = ni.attrInts("kernel_shape"))
      if (llvm::ArrayRef<int64_t>(*k) != kernelFromWeight)
        return ni.error("kernel_shape does not match the weight's shape");
  } else {
    auto k = intsAttr(ni, "kernel_shape", 2, 0);
    if (failed(k) || !ni.attr("kernel_shape"))
      return ni.error("attribute 'kernel_shape' with 2 entries is required");
    w.kernel = *k;
  }
  auto strides = intsAttr(ni, "strides", 2, 1);
  auto dilations = intsAttr(ni, "dilations", 2, 1);
  if (failed(strides) || failed(dilations))
    return failure();
  w.strides = *strides;
  w.dilations = *dilations;
  auto pads = windowPads(ni, input.getShape().drop_front(2), w.kernel,
                         w.strides, w.dilations);
  if (failed(pads))
    return failure();
  w.pads = *pads;
  return w;
}

LogicalResult convertConv(NodeImporter &ni) {
  auto x = ni.input(0), w = ni.input(1);
  auto type = ni.outputType(0);
  if (failed(x) || failed(w) || failed(type) ||
      failed(requireFloatCompute(ni, *type)))
    return failure();
  auto wType = cast<RankedTensorType>(w->getType());
  if (wType.getRank() != 4)
    return ni.fail("only 2-D convolutions are supported");
  auto window = readWindow(ni, cast<RankedTensorType>(x->getType()),
                           wType.getShape().drop_front(2));
  if (failed(window))
    return failure();
  auto biasOrNull = ni.optionalInput(2);
  if (failed(biasOrNull))
    return failure();
  Value bias = *biasOrNull;
  ni.setOutput(0, Conv2DOp::create(
                      ni.b, ni.loc, *type, *x, *w, bias,
                      ni.b.getDenseI64ArrayAttr(window->strides),
                      ni.b.getDenseI64ArrayAttr(window->pads),
                      ni.b.getDenseI64ArrayAttr(window->dilations),
                      ni.b.getI64IntegerAttr(ni.attrInt("group", 1))));
  return success();
}

LogicalResult convertConvTranspose(NodeImporter &ni) {
  auto x = ni.input(0), w = ni.input(1);
  auto type = ni.outputType(0);
  if (failed(x) || failed(w) || failed(type) ||
      failed(requireFloatCompute(ni, *type)))
    return failure();
  auto xType = cast<RankedTensorType>(x->getType());
  auto wType = cast<RankedTensorType>(w->getType());
  if (xType.getRank() != 4 || wType.getRank() != 4)
    return ni.fail("only 2-D transposed convolutions are supported");
  auto strides = intsAttr(ni, "strides", 2, 1);
  auto dilations = intsAttr(ni, "dilations", 2, 1);
  auto outputPadding = intsAttr(ni, "output_padding", 2, 0);
  if (failed(strides) || failed(dilations) || failed(outputPadding))
    return failure();
  // The output shape is known from inference; derive the pads that give it
  // (this covers output_shape and auto_pad too).
  llvm::SmallVector<int64_t> pads(4, 0);
  auto explicitPads = ni.attrInts("pads");
  std::string autoPad = ni.attrString("auto_pad", "NOTSET");
  for (int i = 0; i < 2; ++i) {
    int64_t full = (*strides)[i] * (xType.getDimSize(2 + i) - 1) +
                   (*outputPadding)[i] +
                   (*dilations)[i] * (wType.getDimSize(2 + i) - 1) + 1;
    int64_t total = full - type->getDimSize(2 + i);
    if (explicitPads && !ni.attr("output_shape") &&
        (autoPad == "NOTSET" || autoPad.empty())) {
      if (explicitPads->size() != 4)
        return ni.fail("attribute 'pads' needs 4 entries");
      pads[i] = (*explicitPads)[i];
      pads[2 + i] = (*explicitPads)[2 + i];
      continue;
    }
    // An output_shape beyond the full output extends it at the end, as
    // output_padding does (test_convtranspose_output_shape).
    if (total < 0) {
      (*outputPadding)[i] -= total;
      continue;
    }
    // As the ONNX spec gives it: SAME_UPPER puts the odd pad at the end,
    // SAME_LOWER and an explicit output_shape at the beginning.
    pads[i] = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
    pads[2 + i] = total - pads[i];
  }
  auto biasOrNull = ni.optionalInput(2);
  if (failed(biasOrNull))
    return failure();
  Value bias = *biasOrNull;
  ni.setOutput(0, ConvTranspose2DOp::create(
                      ni.b, ni.loc, *type, *x, *w, bias,
                      ni.b.getDenseI64ArrayAttr(*strides),
                      ni.b.getDenseI64ArrayAttr(pads),
                      ni.b.getDenseI64ArrayAttr(*dilations),
                      ni.b.getDenseI64ArrayAttr(*outputPadding),
                      ni.b.getI64IntegerAttr(ni.attrInt("group", 1))));
  return success();
}

LogicalResult convertMatMul(NodeImporter &ni) {
  auto a = ni.input(0), b = ni.input(1);
  auto type = ni.outputType(0);
  if (failed(a) || failed(b) || failed(type) ||
      failed(requireFloatCompute(ni, *type)))
    return failure();
  // numpy semantics for 1-D operands: promote, multiply, drop the dim.
  auto aShape = cast<RankedTensorType>(a->getType()).getShape();
  auto bShape = cast<RankedTensorType>(b->getType()).getShape();
  if (aShape.empty() || bShape.empty())
    return ni.fail("MatMul operands must have rank >= 1");
  Value lhs = *a, rhs = *b;
  if (aShape.size() == 1)
    lhs = reshapeTo(ni, lhs, {1, aShape[0]});
  if (bShape.size() == 1)
    rhs = reshapeTo(ni, rhs, {bShape[0], 1});
  auto lShape = cast<RankedTensorType>(lhs.getType()).getShape();
  auto rShape = cast<RankedTensorType>(rhs.getType()).getShape();
  auto batch = broadcastShapes(lShape.drop_back(2), rShape.drop_back(2));
  if (!batch)
    return ni.fail("batch dimensions do not broadcast");
  llvm::SmallVector<int64_t> shape(*batch);
  shape.push_back(lShape[lShape.size() - 2]);
  shape.push_back(rShape.back());
  Value result = MatMulOp::create(
      ni.b, ni.loc, RankedTensorType::get(shape, type->getElementType()), lhs,
      rhs);
  ni.setOutput(0, reshapeTo(ni, result, type->getShape()));
  return success();
}

LogicalResult convertGemm(NodeImporter &ni) {
  auto a = ni.input(0), b = ni.input(1);
  auto type = ni.outputType(0);
  if (failed(a) || failed(b) || failed(type) ||
      failed(requireFloatCompute(ni, *type)))
    return failure();
  auto cOrNull = ni.optionalInput(2);
  if (failed(cOrNull))
    return failure();
  Value c = *cOrNull;
  ni.setOutput(0, GemmOp::create(
                      ni.b, ni.loc, *type, *a, *b, c,
                      ni.b.getF32FloatAttr(ni.attrFloat("alpha", 1.0f)),
                      ni.b.getF32FloatAttr(ni.attrFloat("beta", 1.0f)),
                      ni.b.getBoolAttr(ni.attrInt("transA", 0) != 0),
                      ni.b.getBoolAttr(ni.attrInt("transB", 0) != 0)));
  return success();
}

LogicalResult convertBatchNorm(NodeImporter &ni) {
  if (ni.attrInt("training_mode", 0) != 0)
    return ni.fail("training_mode=1 is not supported (inference only)");
  for (unsigned i = 1; i < ni.numOutputs(); ++i)
    if (ni.hasOutput(i))
      return ni.fail("the running mean/variance outputs are not supported");
  llvm::SmallVector<Value> in;
  for (unsigned i = 0; i < 5; ++i) {
    auto v = ni.input(i);
    if (failed(v))
      return failure();
    in.push_back(*v);
  }
  auto type = ni.outputType(0);
  if (failed(type) || failed(requireFloatCompute(ni, *type)))
    return failure();
  ni.setOutput(0, BatchNormOp::create(
                      ni.b, ni.loc, *type, in[0], in[1], in[2], in[3], in[4],
                      ni.b.getF32FloatAttr(ni.attrFloat("epsilon", 1e-5f))));
  return success();
}

/// LayerNormalization's optional Mean and InvStdDev outputs (the statistics
/// over the normalised dims, kept as size-1 dims): mean(x) and
/// 1/sqrt(mean((x − mean)²) + epsilon), from graph ops next to the fused
/// qopt.layer_norm of the main output.
LogicalResult layerNormStatistics(NodeImporter &ni, Value x, int64_t axis,
                                  float epsilon) {
  auto xType = cast<RankedTensorType>(x.getType());
  Type elem = xType.getElementType();
  if (!isa<FloatType>(elem))
    return ni.fail("the Mean/InvStdDev outputs of quantized inputs are not "
                   "supported");
  llvm::SmallVector<int64_t> axes, kept(xType.getShape());
  for (int64_t d = axis; d < xType.getRank(); ++d) {
    axes.push_back(d);
    kept[d] = 1;
  }
  auto keptType = RankedTensorType::get(kept, elem);
  auto mean = [&](Value v) -> Value {
    return ReduceOp::create(ni.b, ni.loc, keptType,
                            ReduceKindAttr::get(ni.b.getContext(),
                                                ReduceKind::mean),
                            v, ni.b.getDenseI64ArrayAttr(axes),
                            ni.b.getBoolAttr(true));
  };
  for (unsigned i = 1; i < 3; ++i) {
    if (!ni.hasOutput(i))
      continue;
    auto t = ni.outputType(i);
    if (failed(t))
      return failure();
    if (*t != keptType)
      return ni.fail("the Mean/InvStdDev outputs are supported only in the "
                     "input's element type (stash_type equal to it)");
  }
  Value mu = mean(x);
  if (ni.hasOutput(1))
    ni.setOutput(1, mu);
  if (ni.hasOutput(2)) {
    Value centered = SubOp::create(ni.b, ni.loc, xType, x, mu);
    Value var = mean(MulOp::create(ni.b, ni.loc, xType, centered, centered));
    auto scalarType = RankedTensorType::get({}, elem);
    Value eps = ConstantOp::create(
        ni.b, ni.loc, scalarType,
        DenseElementsAttr::get(scalarType, ni.b.getFloatAttr(elem, epsilon)));
    Value std = SqrtOp::create(ni.b, ni.loc, keptType,
                               AddOp::create(ni.b, ni.loc, keptType, var, eps));
    ni.setOutput(2, ReciprocalOp::create(ni.b, ni.loc, keptType, std));
  }
  return success();
}

LogicalResult convertLayerNorm(NodeImporter &ni) {
  auto x = ni.input(0), scale = ni.input(1);
  auto type = ni.outputType(0);
  if (failed(x) || failed(scale) || failed(type) ||
      failed(requireFloatCompute(ni, *type)))
    return failure();
  auto axis = normalizedAxis(ni, ni.attrInt("axis", -1), type->getRank());
  if (failed(axis))
    return failure();
  auto normalized = type->getShape().drop_front(*axis);
  // Scale and bias broadcast in ONNX; qopt wants the normalised shape.
  auto fit = [&](Value v) -> FailureOr<Value> {
    auto t = cast<RankedTensorType>(v.getType());
    if (t.getNumElements() != ShapedType::getNumElements(normalized))
      return ni.error("scale/bias must cover the normalised dims exactly");
    return reshapeTo(ni, v, normalized);
  };
  auto s = fit(*scale);
  if (failed(s))
    return failure();
  Value bias;
  if (ni.hasInput(2)) {
    auto b = ni.input(2);
    if (failed(b))
      return failure();
    auto fb = fit(*b);
    if (failed(fb))
      return failure();
    bias = *fb;
  }
  float epsilon = ni.attrFloat("epsilon", 1e-5f);
  ni.setOutput(0, LayerNormOp::create(ni.b, ni.loc, *type, *x, *s, bias,
                                      ni.b.getI64IntegerAttr(*axis),
                                      ni.b.getF32FloatAttr(epsilon)));
  if (ni.hasOutput(1) || ni.hasOutput(2))
    return layerNormStatistics(ni, *x, *axis, epsilon);
  return success();
}

LogicalResult convertMaxPool(NodeImporter &ni) {
  if (ni.hasOutput(1))
    return ni.fail("the Indices output of MaxPool is not supported");
  if (ni.attrInt("storage_order", 0) != 0)
    return ni.fail("storage_order=1 is not supported");
  auto x = ni.input(0);
  auto type = ni.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  auto window = readWindow(ni, cast<RankedTensorType>(x->getType()), {});
  if (failed(window))
    return failure();
  auto result = RankedTensorType::get(
      type->getShape(),
      cast<RankedTensorType>(x->getType()).getElementType());
  if (failed(requireFloatCompute(ni, result)))
    return failure();
  ni.setOutput(0, MaxPool2DOp::create(
                      ni.b, ni.loc, result, *x,
                      ni.b.getDenseI64ArrayAttr(window->kernel),
                      ni.b.getDenseI64ArrayAttr(window->strides),
                      ni.b.getDenseI64ArrayAttr(window->pads),
                      ni.b.getDenseI64ArrayAttr(window->dilations),
                      ni.b.getBoolAttr(ni.attrInt("ceil_mode", 0) != 0)));
  return success();
}

LogicalResult convertAveragePool(NodeImporter &ni) {
  auto x = ni.input(0);
  auto type = ni.outputType(0);
  if (failed(x) || failed(type) || failed(requireFloatCompute(ni, *type)))
    return failure();
  auto window = readWindow(ni, cast<RankedTensorType>(x->getType()), {});
  if (failed(window))
    return failure();
  if (llvm::any_of(window->dilations, [](int64_t d) { return d != 1; }))
    return ni.fail("dilated average pooling is not supported");
  ni.setOutput(0, AvgPool2DOp::create(
                      ni.b, ni.loc, *type, *x,
                      ni.b.getDenseI64ArrayAttr(window->kernel),
                      ni.b.getDenseI64ArrayAttr(window->strides),
                      ni.b.getDenseI64ArrayAttr(window->pads),
                      ni.b.getBoolAttr(ni.attrInt("ceil_mode", 0) != 0),
                      ni.b.getBoolAttr(ni.attrInt("count_include_pad", 0) != 0)));
  return success();
}

LogicalResult convertGlobalPool(NodeImporter &ni, bool isMax) {
  auto x = ni.input(0);
  auto type = ni.outputType(0);
  if (failed(x) || failed(type) || failed(requireFloatCompute(ni, *type)))
    return failure();
  int64_t rank = type->getRank();
  if (rank < 3)
    return ni.fail("global pooling needs rank >= 3");
  if (!isMax && rank == 4) {
    ni.setOutput(0, GlobalAvgPool2DOp::create(ni.b, ni.loc, *type, *x));
    return success();
  }
  llvm::SmallVector<int64_t> axes;
  for (int64_t d = 2; d < rank; ++d)
    axes.push_back(d);
  ni.setOutput(0, ReduceOp::create(
                      ni.b, ni.loc, *type,
                      ReduceKindAttr::get(ni.b.getContext(),
                                          isMax ? ReduceKind::max
                                                : ReduceKind::mean),
                      *x, ni.b.getDenseI64ArrayAttr(axes),
                      ni.b.getBoolAttr(true)));
  return success();
}

} // namespace

void mlir::qopt::onnx_import::addNeuralNetConverters(ConverterMap &map) {
  map["Conv"] = convertConv;
  map["ConvTranspose"] = convertConvTranspose;
  map["MatMul"] = convertMatMul;
  map["Gemm"] = convertGemm;
  map["BatchNormalization"] = convertBatchNorm;
  map["LayerNormalization"] = convertLayerNorm;
  map["MaxPool"] = convertMaxPool;
  map["AveragePool"] = convertAveragePool;
  map["GlobalAveragePool"] = [](NodeImporter &ni) {
    return convertGlobalPool(ni, false);
  };
  map["GlobalMaxPool"] = [](NodeImporter &ni) {
    return convertGlobalPool(ni, true);
  };
}
