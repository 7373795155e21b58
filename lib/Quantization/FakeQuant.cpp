//===- FakeQuant.cpp - quantize→dequantize as float arithmetic ------------===//

#include "qopt/Quantization/FakeQuant.h"

#include "qopt/Dialect/QOpt/IR/ElementsUtils.h"
#include "qopt/Dialect/QOpt/IR/QOpt.h"
#include "qopt/Quantization/QuantParams.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::qopt;

/// A rank-0 constant that broadcasts against any tensor.
static Value scalar(OpBuilder &b, Location loc, FloatType type, double v) {
  auto t = RankedTensorType::get({}, type);
  return ConstantOp::create(b, loc, t,
                            DenseElementsAttr::get(t, FloatAttr::get(type, v)));
}

static Value expandConstant(OpBuilder &b, DequantizeOp dq, ConstantOp c) {
  auto qtype = cast<quant::QuantizedType>(
      cast<RankedTensorType>(c.getType()).getElementType());
  auto stored = readIntElements(c.getValue());
  if (!stored) {
    dq.emitError("cannot read the quantized constant");
    return {};
  }
  auto type = cast<RankedTensorType>(dq.getType());
  std::vector<double> values(stored->size());
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(qtype);
  int64_t inner = 1, channels = 1;
  if (perAxis) {
    channels = type.getDimSize(perAxis.getQuantizedDimension());
    for (int64_t d = perAxis.getQuantizedDimension() + 1; d < type.getRank();
         ++d)
      inner *= type.getDimSize(d);
  }
  for (size_t i = 0; i < stored->size(); ++i) {
    int64_t ch = perAxis ? (int64_t(i) / inner) % channels : 0;
    values[i] = double((*stored)[i] - zeroPointOf(qtype, ch)) *
                scaleOf(qtype, ch);
  }
  b.setInsertionPoint(dq);
  // A scalar (e.g. the factor of a mul) stays an inline dense splat: upstream
  // folders (tensor.extract of a constant) iterate elements, which resource
  // attributes do not support.
  ElementsAttr attr;
  if (values.size() == 1) {
    auto f = cast<FloatType>(type.getElementType());
    APFloat v(values[0]);
    bool losesInfo = false;
    v.convert(f.getFloatSemantics(), APFloat::rmNearestTiesToEven, &losesInfo);
    attr = DenseElementsAttr::get(type, v);
  } else {
    attr = makeFloatResource(type, "dequantized", values);
  }
  return ConstantOp::create(b, dq.getLoc(), type, attr);
}

static Value expandPair(OpBuilder &b, DequantizeOp dq, QuantizeOp q) {
  auto qtype = dyn_cast<quant::UniformQuantizedType>(
      cast<RankedTensorType>(q.getType()).getElementType());
  if (!qtype) {
    q.emitError("fake-quant expansion handles per-tensor quantize only");
    return {};
  }
  auto type = cast<RankedTensorType>(dq.getType());
  auto f = cast<FloatType>(type.getElementType());
  Location loc = dq.getLoc();
  b.setInsertionPoint(dq);
  double zp = double(qtype.getZeroPoint());
  const double magic = 12582912.0; // 1.5·2^23
  Value x = q.getInput();
  Value t = DivOp::create(b, loc, type, x,
                          scalar(b, loc, f, qtype.getScale()));
  t = AddOp::create(b, loc, type, t, scalar(b, loc, f, magic));
  t = SubOp::create(b, loc, type, t, scalar(b, loc, f, magic));
  t = AddOp::create(b, loc, type, t, scalar(b, loc, f, zp));
  t = ClampOp::create(b, loc, type, t,
                      b.getF32FloatAttr(float(qtype.getStorageTypeMin())),
                      b.getF32FloatAttr(float(qtype.getStorageTypeMax())));
  t = SubOp::create(b, loc, type, t, scalar(b, loc, f, zp));
  t = MulOp::create(b, loc, type, t, scalar(b, loc, f, qtype.getScale()));
  return t;
}

LogicalResult qopt::expandFakeQuantToFloat(
    func::FuncOp func, llvm::function_ref<void(Value, Value)> onReplace) {
  OpBuilder b(func.getContext());
  SmallVector<DequantizeOp> dqs;
  func.walk([&](DequantizeOp dq) { dqs.push_back(dq); });
  for (DequantizeOp dq : dqs) {
    Value input = dq.getInput();
    Value replacement;
    if (auto c = input.getDefiningOp<ConstantOp>())
      replacement = expandConstant(b, dq, c);
    else if (auto q = input.getDefiningOp<QuantizeOp>())
      replacement = expandPair(b, dq, q);
    else
      return dq.emitError("fake-quant expansion expects dequantize of a "
                          "quantize or of a quantized constant");
    if (!replacement)
      return failure();
    if (onReplace)
      onReplace(dq.getResult(), replacement);
    dq.getResult().replaceAllUsesWith(replacement);
    dq.erase();
  }
  // The quantize ops and quantized constants are dead now.
  SmallVector<Operation *> dead;
  func.walk([&](Operation *op) {
    if (isa<QuantizeOp, ConstantOp>(op) && op->use_empty())
      dead.push_back(op);
  });
  for (Operation *op : dead)
    op->erase();
  bool quantLeft = false;
  func.walk([&](Operation *op) {
    for (Type t : op->getResultTypes())
      if (auto tensor = dyn_cast<RankedTensorType>(t))
        quantLeft |= isa<quant::QuantizedType>(tensor.getElementType());
  });
  if (quantLeft)
    return func.emitError("quantized values remain after fake-quant expansion");
  return success();
}
