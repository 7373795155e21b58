//===- ConvertQuantization.cpp - ONNX QDQ and QOperator formats -----------===//
//
// Pre-quantized models become quant-typed qopt IR. ONNX carries quantized
// tensors as raw (u)int8 with scale and zero point beside them; qopt carries
// the parameters in the `!quant.uniform` element type instead:
//
//   QuantizeLinear      → qopt.quantize (result type from scale/zero point)
//   DequantizeLinear    → qopt.dequantize of the input viewed as that type
//   QLinearConv/MatMul  → qopt.conv2d/matmul on quantized operands
//   ConvInteger/MatMulInteger → the same with scale 1 and an i32 result
//   DynamicQuantizeLinear → qopt.dynamic_quantize (run-time scale); a
//                        MatMulInteger/ConvInteger of its output subtracts
//                        z·colsum(B) / z·conv(1, w - zw)
//
// A raw integer value is viewed as a quantized type with quant.scast; a raw
// integer constant becomes a quant-typed qopt.constant.
//
//===----------------------------------------------------------------------===//

#include "ConverterUtils.h"
#include "GraphImporter.h"

#include "mlir/Dialect/Quant/IR/Quant.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::onnx_import;
using TP = onnx::TensorProto;

namespace {
/// The storage of an ONNX quantized data type.
struct Storage {
  unsigned width;
  bool isSigned;
  int64_t min, max;
};

std::optional<Storage> storageFor(int32_t dtype) {
  switch (dtype) {
  case TP::INT8: return Storage{8, true, -128, 127};
  case TP::UINT8: return Storage{8, false, 0, 255};
  case TP::INT32: return Storage{32, true, INT32_MIN, INT32_MAX};
  default: return std::nullopt;
  }
}

/// Builds the !quant.uniform type of a quantized ONNX tensor of rank `rank`
/// from its scale, optional zero point and axis. `dtype` is the storage type
/// (the zero point's, or the raw data's when there is none).
FailureOr<Type> quantType(NodeImporter &ni, unsigned scaleInput,
                          std::optional<unsigned> zpInput, int32_t dtype,
                          Type expressed, int64_t rank, int64_t axisAttr) {
  const HostTensor *scale = ni.constInput(scaleInput);
  if (!scale || !scale->isFloat())
    return ni.error("the scale must be a float constant");
  const HostTensor *zp = zpInput ? ni.constInput(*zpInput) : nullptr;
  if (zpInput && ni.hasInput(*zpInput) && !zp)
    return ni.error("the zero point must be a constant");
  if (zp)
    dtype = zp->dtype;
  auto storage = storageFor(dtype);
  if (!storage)
    return ni.error("quantized data type " + dtypeName(dtype) +
                    " is not supported (int8, uint8, int32)");
  std::vector<double> scales = scale->doubles();
  std::vector<int64_t> zps =
      zp ? zp->ints() : std::vector<int64_t>(scales.size(), 0);
  if (scales.empty() || zps.size() != scales.size())
    return ni.error("scale and zero point differ in size");
  for (double s : scales)
    if (!(s > 0) || !std::isfinite(s))
      return ni.error("scale " + std::to_string(s) + " is not a positive number");
  for (int64_t z : zps)
    if (z < storage->min || z > storage->max)
      return ni.error("zero point " + llvm::Twine(z) + " is out of range");
  MLIRContext *ctx = ni.b.getContext();
  Type storageType = IntegerType::get(ctx, storage->width);
  unsigned flags = storage->isSigned ? quant::QuantizationFlags::Signed : 0;
  if (scale->dims.empty() || scale->numElements() == 1)
    return Type(quant::UniformQuantizedType::get(flags, storageType, expressed,
                                                 scales[0], zps[0],
                                                 storage->min, storage->max));
  int64_t axis = axisAttr < 0 ? axisAttr + rank : axisAttr;
  if (axis < 0 || axis >= rank)
    return ni.error("quantization axis " + llvm::Twine(axisAttr) +
                    " is out of range");
  return Type(quant::UniformQuantizedPerAxisType::get(
      flags, storageType, expressed, scales, zps, axis, storage->min,
      storage->max));
}

/// Input `i` (a raw integer tensor, or a quantized value) as a tensor of
/// the quantized element type `qtype`.
FailureOr<Value> viewAsQuantized(NodeImporter &ni, unsigned i, Type qtype) {
  if (const HostTensor *t = ni.constInput(i)) {
    auto q = cast<quant::QuantizedType>(qtype);
    if (!t->isInteger() ||
        elementSize(t->dtype) * 8 != q.getStorageTypeIntegralWidth())
      return ni.error("constant input '" + ni.node.input(i) +
                      "' does not match its quantized type's storage");
    auto storageType = RankedTensorType::get(t->dims, q.getStorageType());
    return ConstantOp::create(ni.b, ni.loc,
                              RankedTensorType::get(t->dims, qtype),
                              toElementsAttr(*t, storageType, ni.node.input(i)))
        .getResult();
  }
  auto v = ni.input(i);
  if (failed(v))
    return failure();
  auto type = cast<RankedTensorType>(v->getType());
  if (type.getElementType() == qtype)
    return *v;
  Value raw = *v;
  if (auto q = dyn_cast<quant::QuantizedType>(type.getElementType()))
    raw = quant::StorageCastOp::create(
        ni.b, ni.loc, RankedTensorType::get(type.getShape(), q.getStorageType()),
        raw);
  auto rawType = cast<RankedTensorType>(raw.getType());
  if (rawType.getElementType() !=
      cast<quant::QuantizedType>(qtype).getStorageType())
    return ni.error("input '" + ni.node.input(i) +
                    "' does not match its quantized type's storage");
  return quant::StorageCastOp::create(
             ni.b, ni.loc, RankedTensorType::get(type.getShape(), qtype), raw)
      .getResult();
}

Type f32(NodeImporter &ni) { return ni.b.getF32Type(); }

LogicalResult convertQuantizeLinear(NodeImporter &ni) {
  auto x = ni.input(0);
  if (failed(x))
    return failure();
  auto xType = cast<RankedTensorType>(x->getType());
  if (!isa<FloatType>(xType.getElementType()))
    return ni.fail("QuantizeLinear takes a float input");
  auto q = quantType(ni, 1, 2, TP::UINT8, xType.getElementType(),
                     xType.getRank(), ni.attrInt("axis", 1));
  if (failed(q))
    return failure();
  ni.setOutput(0, QuantizeOp::create(
                      ni.b, ni.loc,
                      RankedTensorType::get(xType.getShape(), *q), *x));
  return success();
}

LogicalResult convertDequantizeLinear(NodeImporter &ni) {
  auto xType = ni.inputType(0);
  if (failed(xType))
    return failure();
  // The storage type is the input's: a constant's data type, a quantized
  // value's storage, or the ONNX type recorded for a raw integer value (i8
  // alone cannot tell int8 from uint8). A zero point, if any, agrees.
  int32_t rawType = TP::UINT8;
  if (const HostTensor *t = ni.constInput(0))
    rawType = t->dtype;
  else if (auto q = dyn_cast<quant::QuantizedType>(xType->getElementType()))
    rawType = q.getStorageTypeIntegralWidth() == 32 ? TP::INT32
              : q.isSigned()                       ? TP::INT8
                                                   : TP::UINT8;
  else if (const onnx::TypeProto *t = ni.graph.types.lookup(ni.node.input(0));
           t && t->has_tensor_type())
    rawType = t->tensor_type().elem_type();
  auto q = quantType(ni, 1, 2, rawType, f32(ni), xType->getRank(),
                     ni.attrInt("axis", 1));
  if (failed(q))
    return failure();
  auto v = viewAsQuantized(ni, 0, *q);
  if (failed(v))
    return failure();
  ni.setOutput(0, DequantizeOp::create(
                      ni.b, ni.loc,
                      RankedTensorType::get(xType->getShape(), f32(ni)), *v));
  return success();
}

/// The int32 bias of QLinearConv: scale x_scale·w_scale (per channel when
/// the weights are), zero point 0.
FailureOr<Value> quantizedBias(NodeImporter &ni, unsigned biasInput,
                               unsigned xScale, unsigned wScale) {
  const HostTensor *b = ni.constInput(biasInput);
  const HostTensor *sx = ni.constInput(xScale), *sw = ni.constInput(wScale);
  if (!b || !sx || !sw || b->dtype != TP::INT32)
    return ni.error("the bias must be an int32 constant");
  double s = sx->doubles()[0];
  std::vector<double> scales;
  for (double w : sw->doubles())
    scales.push_back(s * w);
  MLIRContext *ctx = ni.b.getContext();
  Type i32 = IntegerType::get(ctx, 32);
  Type q = scales.size() == 1
               ? Type(quant::UniformQuantizedType::get(
                     quant::QuantizationFlags::Signed, i32, f32(ni), scales[0],
                     0, INT32_MIN, INT32_MAX))
               : Type(quant::UniformQuantizedPerAxisType::get(
                     quant::QuantizationFlags::Signed, i32, f32(ni), scales,
                     std::vector<int64_t>(scales.size(), 0), 0, INT32_MIN,
                     INT32_MAX));
  return viewAsQuantized(ni, biasInput, q);
}

int32_t rawDtypeOf(NodeImporter &ni, unsigned i, unsigned zp) {
  if (const HostTensor *z = ni.constInput(zp))
    return z->dtype;
  if (const HostTensor *t = ni.constInput(i))
    return t->dtype;
  return TP::UINT8;
}

LogicalResult convertQLinearConv(NodeImporter &ni) {
  auto xType = ni.inputType(0), wType = ni.inputType(3);
  auto outType = ni.outputType(0);
  if (failed(xType) || failed(wType) || failed(outType))
    return failure();
  if (xType->getRank() != 4 || wType->getRank() != 4)
    return ni.fail("only 2-D convolutions are supported");
  auto qx = quantType(ni, 1, 2, rawDtypeOf(ni, 0, 2), f32(ni), 4, 1);
  auto qw = quantType(ni, 4, 5, rawDtypeOf(ni, 3, 5), f32(ni), 4, 0);
  auto qy = quantType(ni, 6, 7, rawDtypeOf(ni, 0, 7), f32(ni), 4, 1);
  if (failed(qx) || failed(qw) || failed(qy))
    return failure();
  auto x = viewAsQuantized(ni, 0, *qx), w = viewAsQuantized(ni, 3, *qw);
  if (failed(x) || failed(w))
    return failure();
  Value bias;
  if (ni.hasInput(8)) {
    auto b = quantizedBias(ni, 8, 1, 4);
    if (failed(b))
      return failure();
    bias = *b;
  }
  auto strides = intsAttr(ni, "strides", 2, 1);
  auto dilations = intsAttr(ni, "dilations", 2, 1);
  if (failed(strides) || failed(dilations))
    return failure();
  auto pads = windowPads(ni, xType->getShape().drop_front(2),
                         wType->getShape().drop_front(2), *strides, *dilations);
  if (failed(pads))
    return failure();
  auto conv = Conv2DOp::create(
      ni.b, ni.loc, RankedTensorType::get(outType->getShape(), *qy), *x, *w,
      bias, ni.b.getDenseI64ArrayAttr(*strides),
      ni.b.getDenseI64ArrayAttr(*pads), ni.b.getDenseI64ArrayAttr(*dilations),
      ni.b.getI64IntegerAttr(ni.attrInt("group", 1)));
  // Requantized as ONNX Runtime's QLinearConv does (one f32 multiplier).
  conv->setAttr(kQLinearAttr, ni.b.getUnitAttr());
  ni.setOutput(0, conv);
  return success();
}

LogicalResult convertQLinearMatMul(NodeImporter &ni) {
  auto aType = ni.inputType(0), bType = ni.inputType(3);
  auto outType = ni.outputType(0);
  if (failed(aType) || failed(bType) || failed(outType))
    return failure();
  if (aType->getRank() < 2 || bType->getRank() < 2)
    return ni.fail("QLinearMatMul operands must have rank >= 2");
  // Per-axis a and y quantize their rows (the second-to-last dimension),
  // per-axis b its columns (the last).
  auto qa = quantType(ni, 1, 2, rawDtypeOf(ni, 0, 2), f32(ni),
                      aType->getRank(), aType->getRank() - 2);
  auto qb = quantType(ni, 4, 5, rawDtypeOf(ni, 3, 5), f32(ni),
                      bType->getRank(), bType->getRank() - 1);
  auto qy = quantType(ni, 6, 7, rawDtypeOf(ni, 0, 7), f32(ni),
                      outType->getRank(), outType->getRank() - 2);
  if (failed(qa) || failed(qb) || failed(qy))
    return failure();
  auto a = viewAsQuantized(ni, 0, *qa), b = viewAsQuantized(ni, 3, *qb);
  if (failed(a) || failed(b))
    return failure();
  auto matmul = MatMulOp::create(
      ni.b, ni.loc, RankedTensorType::get(outType->getShape(), *qy), *a, *b);
  matmul->setAttr(kQLinearAttr, ni.b.getUnitAttr());
  ni.setOutput(0, matmul);
  return success();
}

/// ConvInteger and MatMulInteger: the operands as quantized types of scale 1
/// with their zero points, the result exact in !quant.uniform<i32:f32, 1.0>,
/// then viewed as plain i32.
Type unitScale(NodeImporter &ni, int32_t dtype, int64_t zp) {
  auto s = *storageFor(dtype);
  return quant::UniformQuantizedType::get(
      s.isSigned ? quant::QuantizationFlags::Signed : 0,
      IntegerType::get(ni.b.getContext(), s.width), f32(ni), 1.0, zp, s.min,
      s.max);
}

FailureOr<Type> integerOperandType(NodeImporter &ni, unsigned input,
                                   unsigned zpInput) {
  int32_t dtype = TP::UINT8;
  if (const HostTensor *t = ni.constInput(input))
    dtype = t->dtype;
  int64_t zp = 0;
  if (ni.hasInput(zpInput)) {
    const HostTensor *z = ni.constInput(zpInput);
    if (!z || z->numElements() != 1)
      return ni.error("zero points must be scalar constants");
    dtype = z->dtype;
    zp = z->ints()[0];
  } else if (!ni.constInput(input)) {
    // Without a zero point the data type is that of the value itself; ONNX
    // shape inference recorded it.
    std::string why;
    if (const onnx::TypeProto *t = ni.graph.types.lookup(ni.node.input(input)))
      dtype = t->tensor_type().elem_type();
  }
  if (!storageFor(dtype) || dtype == TP::INT32)
    return ni.error("operands must be int8 or uint8");
  return unitScale(ni, dtype, zp);
}

Type i32UnitScale(NodeImporter &ni) {
  return quant::UniformQuantizedType::get(
      quant::QuantizationFlags::Signed, ni.b.getI32Type(), f32(ni), 1.0, 0,
      INT32_MIN, INT32_MAX);
}

/// MatMulInteger whose `a` zero point z is a run-time value (the output of
/// DynamicQuantizeLinear) and whose `b` is constant:
///   Σ_k (a[m,k] - z)(b[k,n] - zb) = Σ_k a[m,k](b[k,n] - zb) - z·c[n],
///   c[n] = Σ_k (b[k,n] - zb), computed here.
/// Every term is an exact !quant.uniform value of scale 1.
LogicalResult convertMatMulIntegerWithRuntimeZeroPoint(
    NodeImporter &ni, RankedTensorType outType) {
  const HostTensor *w = ni.constInput(1);
  if (!w || w->dims.size() != 2)
    return ni.fail("with a run-time zero point for 'A', 'B' must be a 2-D "
                   "constant");
  int64_t zb = 0;
  if (ni.hasInput(3)) {
    const HostTensor *z = ni.constInput(3);
    if (!z || z->numElements() != 1)
      return ni.fail("the zero point of 'B' must be a scalar constant");
    zb = z->ints()[0];
  }
  auto zType = ni.inputType(2);
  if (failed(zType))
    return failure();
  if (zType->getRank() != 0)
    return ni.fail("a run-time zero point must be a scalar");
  int32_t aDtype = TP::UINT8;
  if (const onnx::TypeProto *t = ni.graph.types.lookup(ni.node.input(2)))
    aDtype = t->tensor_type().elem_type();
  if (aDtype != TP::UINT8 && aDtype != TP::INT8)
    return ni.fail("operands must be int8 or uint8");
  auto qb = integerOperandType(ni, 1, 3);
  if (failed(qb))
    return failure();
  Type qa = unitScale(ni, aDtype, 0);
  auto a = viewAsQuantized(ni, 0, qa), b = viewAsQuantized(ni, 1, *qb);
  auto z = viewAsQuantized(ni, 2, qa);
  if (failed(a) || failed(b) || failed(z))
    return failure();

  int64_t k = w->dims[0], n = w->dims[1];
  std::vector<int64_t> values = w->ints();
  std::vector<int64_t> colsum(n, 0);
  for (int64_t i = 0; i < k; ++i)
    for (int64_t j = 0; j < n; ++j)
      colsum[j] += values[i * n + j] - zb;
  Type i32q = i32UnitScale(ni);
  auto colsumStorage = RankedTensorType::get({n}, ni.b.getI32Type());
  auto colsumAttr = DenseElementsAttr::get(
      colsumStorage, llvm::to_vector(llvm::map_range(colsum, [](int64_t v) {
        return llvm::APInt(32, (uint64_t)v, /*isSigned=*/true);
      })));
  Value c = ConstantOp::create(ni.b, ni.loc, RankedTensorType::get({n}, i32q),
                               colsumAttr);
  auto resultType = RankedTensorType::get(outType.getShape(), i32q);
  Value product = MatMulOp::create(ni.b, ni.loc, resultType, *a, *b);
  Value correction =
      MulOp::create(ni.b, ni.loc, RankedTensorType::get({n}, i32q), *z, c);
  Value result = SubOp::create(ni.b, ni.loc, resultType, product, correction);
  ni.setOutput(0, quant::StorageCastOp::create(ni.b, ni.loc, outType, result));
  return success();
}

/// ConvInteger whose x zero point z is a run-time value and whose weights are
/// constant. Padded positions hold z (they add nothing once z is subtracted),
/// so with zero padding instead
///   conv(x - z, w - zw) = conv(x, w - zw) - z·conv(1, w - zw),
/// where conv(1, w - zw), the per-position sum of the weights whose taps fall
/// inside the input, is computed here.
LogicalResult convertConvIntegerWithRuntimeZeroPoint(
    NodeImporter &ni, RankedTensorType outType) {
  const HostTensor *w = ni.constInput(1);
  auto xType = ni.inputType(0), zType = ni.inputType(2);
  if (failed(xType) || failed(zType))
    return failure();
  if (!w || w->dims.size() != 4 || xType->getRank() != 4)
    return ni.fail("with a run-time zero point for 'x', 'w' must be a "
                   "constant and the convolution 2-D");
  if (zType->getRank() != 0)
    return ni.fail("a run-time zero point must be a scalar");
  int64_t zw = 0;
  if (ni.hasInput(3)) {
    const HostTensor *z = ni.constInput(3);
    if (!z || z->numElements() != 1)
      return ni.fail("the zero point of 'w' must be a scalar constant");
    zw = z->ints()[0];
  }
  int32_t xDtype = TP::UINT8;
  if (const onnx::TypeProto *t = ni.graph.types.lookup(ni.node.input(2)))
    xDtype = t->tensor_type().elem_type();
  if (xDtype != TP::UINT8 && xDtype != TP::INT8)
    return ni.fail("operands must be int8 or uint8");
  auto strides = intsAttr(ni, "strides", 2, 1);
  auto dilations = intsAttr(ni, "dilations", 2, 1);
  if (failed(strides) || failed(dilations))
    return failure();
  auto pads = windowPads(ni, xType->getShape().drop_front(2),
                         llvm::ArrayRef<int64_t>(w->dims).drop_front(2),
                         *strides, *dilations);
  auto qw = integerOperandType(ni, 1, 3);
  if (failed(pads) || failed(qw))
    return failure();
  Type qx = unitScale(ni, xDtype, 0);
  auto x = viewAsQuantized(ni, 0, qx), wq = viewAsQuantized(ni, 1, *qw);
  auto z = viewAsQuantized(ni, 2, qx);
  if (failed(x) || failed(wq) || failed(z))
    return failure();

  // corr[f, oh, ow] = Σ over in-bounds taps (kh, kw) and channels c of
  // (w[f, c, kh, kw] - zw).
  int64_t f = w->dims[0], c = w->dims[1], kh = w->dims[2], kw = w->dims[3];
  int64_t ih = xType->getDimSize(2), iw = xType->getDimSize(3);
  int64_t oh = outType.getDimSize(2), ow = outType.getDimSize(3);
  std::vector<int64_t> weights = w->ints(), tap(f * kh * kw, 0);
  for (int64_t i = 0; i < f; ++i)
    for (int64_t j = 0; j < c; ++j)
      for (int64_t t = 0; t < kh * kw; ++t)
        tap[i * kh * kw + t] += weights[(i * c + j) * kh * kw + t] - zw;
  std::vector<llvm::APInt> corr;
  for (int64_t i = 0; i < f; ++i)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x0 = 0; x0 < ow; ++x0) {
        int64_t sum = 0;
        for (int64_t a = 0; a < kh; ++a)
          for (int64_t b = 0; b < kw; ++b) {
            int64_t r = y * (*strides)[0] - (*pads)[0] + a * (*dilations)[0];
            int64_t q = x0 * (*strides)[1] - (*pads)[1] + b * (*dilations)[1];
            if (r >= 0 && r < ih && q >= 0 && q < iw)
              sum += tap[(i * kh + a) * kw + b];
          }
        corr.push_back(llvm::APInt(32, (uint64_t)sum, /*isSigned=*/true));
      }
  Type i32q = i32UnitScale(ni);
  llvm::SmallVector<int64_t> corrShape{f, oh, ow};
  Value correctionConst = ConstantOp::create(
      ni.b, ni.loc, RankedTensorType::get(corrShape, i32q),
      DenseElementsAttr::get(RankedTensorType::get(corrShape, ni.b.getI32Type()),
                             corr));
  auto resultType = RankedTensorType::get(outType.getShape(), i32q);
  Value product = Conv2DOp::create(
      ni.b, ni.loc, resultType, *x, *wq, Value(),
      ni.b.getDenseI64ArrayAttr(*strides), ni.b.getDenseI64ArrayAttr(*pads),
      ni.b.getDenseI64ArrayAttr(*dilations),
      ni.b.getI64IntegerAttr(ni.attrInt("group", 1)));
  Value correction = MulOp::create(
      ni.b, ni.loc, RankedTensorType::get(corrShape, i32q), *z, correctionConst);
  Value result = SubOp::create(ni.b, ni.loc, resultType, product, correction);
  ni.setOutput(0, quant::StorageCastOp::create(ni.b, ni.loc, outType, result));
  return success();
}

LogicalResult convertIntegerOp(NodeImporter &ni, bool isConv) {
  auto outType = ni.outputType(0);
  if (failed(outType))
    return failure();
  if (ni.hasInput(2) && !ni.constInput(2))
    return isConv ? convertConvIntegerWithRuntimeZeroPoint(ni, *outType)
                  : convertMatMulIntegerWithRuntimeZeroPoint(ni, *outType);
  auto qa = integerOperandType(ni, 0, 2), qb = integerOperandType(ni, 1, 3);
  if (failed(qa) || failed(qb))
    return failure();
  auto a = viewAsQuantized(ni, 0, *qa), b = viewAsQuantized(ni, 1, *qb);
  if (failed(a) || failed(b))
    return failure();
  auto resultType = RankedTensorType::get(outType->getShape(), i32UnitScale(ni));
  Value result;
  if (isConv) {
    auto xType = cast<RankedTensorType>(a->getType());
    auto wType = cast<RankedTensorType>(b->getType());
    if (xType.getRank() != 4 || wType.getRank() != 4)
      return ni.fail("only 2-D convolutions are supported");
    auto strides = intsAttr(ni, "strides", 2, 1);
    auto dilations = intsAttr(ni, "dilations", 2, 1);
    if (failed(strides) || failed(dilations))
      return failure();
    auto pads = windowPads(ni, xType.getShape().drop_front(2),
                           wType.getShape().drop_front(2), *strides, *dilations);
    if (failed(pads))
      return failure();
    result = Conv2DOp::create(ni.b, ni.loc, resultType, *a, *b, Value(),
                              ni.b.getDenseI64ArrayAttr(*strides),
                              ni.b.getDenseI64ArrayAttr(*pads),
                              ni.b.getDenseI64ArrayAttr(*dilations),
                              ni.b.getI64IntegerAttr(ni.attrInt("group", 1)));
  } else {
    result = MatMulOp::create(ni.b, ni.loc, resultType, *a, *b);
  }
  ni.setOutput(0, quant::StorageCastOp::create(ni.b, ni.loc, *outType, result));
  return success();
}

/// DynamicQuantizeLinear → qopt.dynamic_quantize: y and the zero point keep
/// ONNX's uint8 bits in i8 tensors, the scale is a rank-0 f32 tensor.
LogicalResult convertDynamicQuantizeLinear(NodeImporter &ni) {
  auto x = ni.input(0);
  auto y = ni.outputType(0), scale = ni.outputType(1), zp = ni.outputType(2);
  if (failed(x) || failed(y) || failed(scale) || failed(zp))
    return failure();
  auto op = DynamicQuantizeOp::create(ni.b, ni.loc, *y, *scale, *zp, *x);
  for (unsigned i = 0; i < 3; ++i)
    ni.setOutput(i, op->getResult(i));
  return success();
}
} // namespace

void mlir::qopt::onnx_import::addQuantizationConverters(ConverterMap &map) {
  map["DynamicQuantizeLinear"] = convertDynamicQuantizeLinear;
  map["QuantizeLinear"] = convertQuantizeLinear;
  map["DequantizeLinear"] = convertDequantizeLinear;
  map["QLinearConv"] = convertQLinearConv;
  map["QLinearMatMul"] = convertQLinearMatMul;
  map["ConvInteger"] = [](NodeImporter &ni) {
    return convertIntegerOp(ni, true);
  };
  map["MatMulInteger"] = [](NodeImporter &ni) {
    return convertIntegerOp(ni, false);
  };
}
