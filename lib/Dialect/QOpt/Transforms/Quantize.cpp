//===- Quantize.cpp - post-training quantization from qopt.calib ranges ---===//
//
// Ops are visited in program order, so a producer is quantized before its
// consumers: a consumer finds its operand as `dequantize(q)` and takes q
// directly (or requantizes it), and no quantize/dequantize pair is left
// between two quantized ops.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QOpt/IR/ElementsUtils.h"
#include "qopt/Dialect/QOpt/Transforms/Passes.h"
#include "qopt/Quantization/CalibAttr.h"
#include "qopt/Quantization/QuantParams.h"
#include "qopt/Quantization/QuantizableOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

#include <cmath>
#include <limits>

namespace mlir::qopt {
#define GEN_PASS_DEF_QOPTQUANTIZE
#include "qopt/Dialect/QOpt/Transforms/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;
using namespace mlir::qopt;

namespace {
class Quantizer {
public:
  Quantizer(MLIRContext *context, unsigned weightBits, bool perChannel,
            bool actSymmetric, bool fakeQuant, bool integerOnly)
      : b(context), weightBits(weightBits), perChannel(perChannel),
        actSymmetric(actSymmetric), fakeQuant(fakeQuant),
        integerOnly(integerOnly) {}

  /// Quantizes `op` if it can; returns whether it did.
  bool run(Operation *op);

private:
  bool quantizeContraction(Operation *op);
  bool quantizeArithmetic(Operation *op);
  bool quantizeSameScale(Operation *op);
  bool quantizeNonLinear(Operation *op);

  /// The quantized element type `v` has or will have: that of q when `v`
  /// is dequantize(q), else the type of its recorded range.
  quant::QuantizedType typeOf(Value v);
  /// `v` as a tensor of element type `type`: quant-typed in the integer
  /// mode, quantize→dequantize'd float in the fake-quant mode.
  Value quantizedOperand(Value v, quant::QuantizedType type);
  /// Gives the result its type (or fake-quantizes it) and dequantizes it
  /// for its users.
  void finishResult(Value result, quant::QuantizedType type);
  /// A quant-typed constant of `storage` values (followed by dequantize in
  /// the fake-quant mode).
  Value makeConstant(Location loc, RankedTensorType floatType,
                     quant::QuantizedType type, Type storage,
                     ArrayRef<char> bytes, StringRef hint);
  /// Weights quantized along `axis` (negative: per tensor).
  std::optional<std::pair<Value, QuantizedWeights>>
  quantizeWeightConstant(Value w, int axis);
  /// The int32 bias at scale s_in·s_w.
  Value quantizeBias(Value bias, double inputScale,
                     const QuantizedWeights &weights);

  OpBuilder b;
  unsigned weightBits;
  bool perChannel, actSymmetric, fakeQuant, integerOnly;
  DenseMap<std::pair<Value, Type>, Value> cache;
};
} // namespace

static RankedTensorType tensorOf(Value v) {
  return cast<RankedTensorType>(v.getType());
}

quant::QuantizedType Quantizer::typeOf(Value v) {
  if (auto dq = v.getDefiningOp<DequantizeOp>())
    return cast<quant::QuantizedType>(tensorOf(dq.getInput()).getElementType());
  auto range = getCalibRange(v);
  auto floatType = dyn_cast<FloatType>(tensorOf(v).getElementType());
  if (!range || !floatType)
    return {};
  return activationType(floatType, range->lo, range->hi, 8, actSymmetric);
}

Value Quantizer::quantizedOperand(Value v, quant::QuantizedType type) {
  auto target = tensorOf(v).clone(type);
  auto key = std::make_pair(v, Type(target));
  if (Value cached = cache.lookup(key))
    return cached;
  Value result;
  if (auto dq = v.getDefiningOp<DequantizeOp>()) {
    Value q = dq.getInput();
    if (q.getType() == target) {
      result = fakeQuant ? v : q;
    } else {
      b.setInsertionPointAfter(dq);
      if (fakeQuant) {
        Value requant = QuantizeOp::create(b, v.getLoc(), target, v);
        result = DequantizeOp::create(b, v.getLoc(), v.getType(), requant);
      } else {
        result = RequantizeOp::create(b, v.getLoc(), target, q);
      }
    }
  } else {
    b.setInsertionPointAfterValue(v);
    Value q = QuantizeOp::create(b, v.getLoc(), target, v);
    result = fakeQuant ? DequantizeOp::create(b, v.getLoc(), v.getType(), q)
                             .getResult()
                       : q;
  }
  cache[key] = result;
  return result;
}

void Quantizer::finishResult(Value result, quant::QuantizedType type) {
  auto floatType = tensorOf(result);
  auto quantType = floatType.clone(type);
  b.setInsertionPointAfterValue(result);
  Operation *keep;
  Value replacement;
  if (fakeQuant) {
    auto q = QuantizeOp::create(b, result.getLoc(), quantType, result);
    keep = q;
    replacement = DequantizeOp::create(b, result.getLoc(), floatType, q);
  } else {
    result.setType(quantType);
    auto dq = DequantizeOp::create(b, result.getLoc(), floatType, result);
    keep = dq;
    replacement = dq;
  }
  result.replaceAllUsesExcept(replacement, keep);
}

Value Quantizer::makeConstant(Location loc, RankedTensorType floatType,
                              quant::QuantizedType type, Type storage,
                              ArrayRef<char> bytes, StringRef hint) {
  auto storageType = floatType.clone(storage);
  auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
      bytes, alignof(int64_t));
  ElementsAttr value =
      DenseResourceElementsAttr::get(storageType, hint, std::move(blob));
  Value c = ConstantOp::create(b, loc, floatType.clone(type), value);
  if (fakeQuant)
    c = DequantizeOp::create(b, loc, floatType, c);
  return c;
}

std::optional<std::pair<Value, QuantizedWeights>>
Quantizer::quantizeWeightConstant(Value w, int axis) {
  ElementsAttr attr;
  if (!matchPattern(w, m_Constant(&attr)))
    return std::nullopt;
  auto values = readFloatElements(attr);
  auto floatType = dyn_cast<FloatType>(tensorOf(w).getElementType());
  if (!values || !floatType)
    return std::nullopt;
  QuantizedWeights q =
      quantizeWeights(*values, tensorOf(w).getShape(), axis, weightBits);
  b.setInsertionPointAfterValue(w);
  Value c = makeConstant(
      w.getLoc(), tensorOf(w), weightType(floatType, q),
      b.getIntegerType(8),
      ArrayRef<char>(reinterpret_cast<const char *>(q.values.data()),
                     q.values.size()),
      "qweight");
  return std::make_pair(c, std::move(q));
}

Value Quantizer::quantizeBias(Value bias, double inputScale,
                              const QuantizedWeights &weights) {
  ElementsAttr attr;
  if (!matchPattern(bias, m_Constant(&attr)))
    return {};
  auto values = readFloatElements(attr);
  auto type = tensorOf(bias);
  auto floatType = dyn_cast<FloatType>(type.getElementType());
  bool perAxis = weights.scales.size() > 1;
  if (!values || !floatType || type.getRank() != 1 ||
      (perAxis && type.getDimSize(0) != int64_t(weights.scales.size())))
    return {};
  std::vector<double> scales;
  for (int64_t c = 0; c < type.getDimSize(0); ++c)
    scales.push_back(inputScale * weights.scales[perAxis ? c : 0]);
  std::vector<int32_t> stored;
  for (int64_t c = 0; c < type.getDimSize(0); ++c) {
    double q = std::nearbyint((*values)[c] / scales[c]);
    q = std::clamp(q, double(std::numeric_limits<int32_t>::min()),
                   double(std::numeric_limits<int32_t>::max()));
    stored.push_back(int32_t(q));
  }
  auto i32 = b.getIntegerType(32);
  int64_t lo = std::numeric_limits<int32_t>::min();
  int64_t hi = std::numeric_limits<int32_t>::max();
  quant::QuantizedType qtype;
  if (perAxis)
    qtype = quant::UniformQuantizedPerAxisType::get(
        quant::QuantizationFlags::Signed, i32, floatType, scales,
        SmallVector<int64_t>(scales.size(), 0), 0, lo, hi);
  else
    qtype = quant::UniformQuantizedType::get(quant::QuantizationFlags::Signed,
                                             i32, floatType, scales[0], 0, lo,
                                             hi);
  b.setInsertionPointAfterValue(bias);
  return makeConstant(
      bias.getLoc(), type, qtype, i32,
      ArrayRef<char>(reinterpret_cast<const char *>(stored.data()),
                     stored.size() * sizeof(int32_t)),
      "qbias");
}

bool Quantizer::quantizeContraction(Operation *op) {
  Value result = op->getResult(0);
  quant::QuantizedType outType = typeOf(result);
  if (!outType)
    return false;
  // The activation operand and the weight operand, with the weights' axis.
  Value act, weight, bias;
  int axis = -1;
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    act = conv.getInput();
    weight = conv.getWeight();
    bias = conv.getBias();
    axis = 0;
  } else if (auto mm = dyn_cast<MatMulOp>(op)) {
    if (!isConstantValue(mm.getRhs())) {
      // Two activations: both per tensor.
      auto lhsType = typeOf(mm.getLhs()), rhsType = typeOf(mm.getRhs());
      if (!lhsType || !rhsType)
        return false;
      mm->setOperand(0, quantizedOperand(mm.getLhs(), lhsType));
      mm->setOperand(1, quantizedOperand(mm.getRhs(), rhsType));
      finishResult(result, outType);
      return true;
    }
    act = mm.getLhs();
    weight = mm.getRhs();
    axis = tensorOf(weight).getRank() - 1;
  } else if (auto gemm = dyn_cast<GemmOp>(op)) {
    if (gemm.getAlpha().convertToDouble() != 1.0 ||
        gemm.getBeta().convertToDouble() != 1.0 || gemm.getTransA())
      return false;
    act = gemm.getA();
    weight = gemm.getB();
    bias = gemm.getC();
    axis = gemm.getTransB() ? 0 : 1;
  }
  quant::QuantizedType inType = typeOf(act);
  if (!inType || !isConstantValue(weight))
    return false;
  if (bias && !isConstantValue(bias))
    return false;
  auto weights = quantizeWeightConstant(weight, perChannel ? axis : -1);
  if (!weights)
    return false;
  Value qbias;
  if (bias) {
    qbias = quantizeBias(bias, scaleOf(inType), weights->second);
    if (!qbias) {
      weights->first.getDefiningOp()->erase();
      return false;
    }
  }
  op->setOperand(0, quantizedOperand(act, inType));
  op->setOperand(1, weights->first);
  if (qbias)
    op->setOperand(2, qbias);
  finishResult(result, outType);
  return true;
}

bool Quantizer::quantizeArithmetic(Operation *op) {
  Value result = op->getResult(0);
  quant::QuantizedType outType = typeOf(result);
  if (!outType)
    return false;
  SmallVector<Value> operands;
  for (Value operand : op->getOperands()) {
    ElementsAttr attr;
    if (matchPattern(operand, m_Constant(&attr))) {
      if (isa<ConcatOp>(op))
        return false;
      // A constant addend: per tensor over its own min/max.
      auto values = readFloatElements(attr);
      auto floatType = dyn_cast<FloatType>(tensorOf(operand).getElementType());
      if (!values || !floatType || values->empty())
        return false;
      auto [lo, hi] = std::minmax_element(values->begin(), values->end());
      auto type = activationType(floatType, *lo, *hi, 8, actSymmetric);
      std::vector<int8_t> stored;
      for (double v : *values)
        stored.push_back(int8_t(std::clamp<int64_t>(
            roundHalfEven(v / type.getScale()) + type.getZeroPoint(),
            type.getStorageTypeMin(), type.getStorageTypeMax())));
      b.setInsertionPointAfterValue(operand);
      operands.push_back(makeConstant(
          operand.getLoc(), tensorOf(operand), type, b.getIntegerType(8),
          ArrayRef<char>(reinterpret_cast<const char *>(stored.data()),
                         stored.size()),
          "qconst"));
      continue;
    }
    quant::QuantizedType type = typeOf(operand);
    if (!type)
      return false;
    operands.push_back(Value());
  }
  // Concat moves values without arithmetic: its inputs share the result's
  // type (requantized where they differ); add aligns scales itself.
  bool shareResultType = isa<ConcatOp>(op);
  for (auto [i, operand] : llvm::enumerate(op->getOperands()))
    if (!operands[i])
      operands[i] = quantizedOperand(
          operand, shareResultType ? outType : typeOf(operand));
  op->setOperands(operands);
  finishResult(result, outType);
  return true;
}

bool Quantizer::quantizeSameScale(Operation *op) {
  Value input = op->getOperand(0);
  quant::QuantizedType type = typeOf(input);
  if (!type)
    return false;
  op->setOperand(0, quantizedOperand(input, type));
  finishResult(op->getResult(0), type);
  return true;
}

bool Quantizer::quantizeNonLinear(Operation *op) {
  Value input = op->getOperand(0), result = op->getResult(0);
  quant::QuantizedType inType = typeOf(input), outType = typeOf(result);
  if (!inType || !outType)
    return false;
  if (std::optional<double> factor = getConstantScalarFactor(op)) {
    // The factor c as a constant whose every stored value is 1 at scale c:
    // exact, and the integer form is one dyadic rescale by s_in·c/s_out.
    Value rhs = op->getOperand(1);
    auto floatType = cast<FloatType>(tensorOf(rhs).getElementType());
    auto type = quant::UniformQuantizedType::get(
        quant::QuantizationFlags::Signed, b.getIntegerType(8), floatType,
        *factor, 0, -128, 127);
    std::vector<int8_t> ones(tensorOf(rhs).getNumElements(), 1);
    b.setInsertionPointAfterValue(rhs);
    op->setOperand(1, makeConstant(
                          rhs.getLoc(), tensorOf(rhs), type, b.getIntegerType(8),
                          ArrayRef<char>(reinterpret_cast<const char *>(
                                             ones.data()),
                                         ones.size()),
                          "qfactor"));
  }
  // softmax, gelu, layer_norm: the input and result with their own types;
  // layer_norm's weight and bias stay float constants, which
  // qopt-integer-only folds into its integer bias and rescale.
  op->setOperand(0, quantizedOperand(input, inType));
  finishResult(result, outType);
  return true;
}

bool Quantizer::run(Operation *op) {
  if (op->getNumResults() != 1 ||
      !isa<FloatType>(tensorOf(op->getResult(0)).getElementType()))
    return false;
  switch (getQuantRole(op, integerOnly)) {
  case QuantRole::None:
    return false;
  case QuantRole::Contraction:
    return quantizeContraction(op);
  case QuantRole::Arithmetic:
    return quantizeArithmetic(op);
  case QuantRole::SameScale:
    return quantizeSameScale(op);
  case QuantRole::NonLinear:
    return quantizeNonLinear(op);
  }
  return false;
}

namespace {
struct QOptQuantizePass
    : qopt::impl::QOptQuantizeBase<QOptQuantizePass> {
  using Base::Base;
  void runOnOperation() override {
    if (weightBits != 8 && weightBits != 4) {
      getOperation().emitError()
          << "qopt-quantize: weight-bits must be 8 or 4, not "
          << static_cast<unsigned>(weightBits);
      return signalPassFailure();
    }
    Quantizer quantizer(&getContext(), weightBits, perChannel, actSymmetric,
                        fakeQuant, integerOnly);
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (getQuantRole(op, integerOnly) != QuantRole::None)
        ops.push_back(op);
    });
    for (Operation *op : ops)
      if (quantizer.run(op))
        ++numQuantized;
    // Float weights replaced by quantized constants, and dequantize ops
    // whose every user took the quantized value directly, are dead now.
    bool erased = true;
    while (erased) {
      SmallVector<Operation *> dead;
      getOperation().walk([&](Operation *op) {
        if (isa<ConstantOp, QuantizeOp, DequantizeOp>(op) && op->use_empty())
          dead.push_back(op);
      });
      for (Operation *op : dead)
        op->erase();
      erased = !dead.empty();
    }
  }
};
} // namespace
