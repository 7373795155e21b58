//===- LowerQuantized.cpp - quant-typed graph ops to integer-only ops -----===//
//
// Each quant-typed graph op becomes integer ops on its operands' storage
// integers; `quant.scast` views a quantized tensor as its storage and back,
// so the quantize/dequantize ops at the graph's boundaries keep their
// quantized types and neighbouring scast pairs fold away.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QOpt/Transforms/Passes.h"
#include "qopt/Dialect/QOpt/Utils/Dyadic.h"
#include "qopt/Quantization/QuantParams.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

namespace mlir::qopt {
#define GEN_PASS_DEF_QOPTLOWERQUANTIZED
#include "qopt/Dialect/QOpt/Transforms/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;
using namespace mlir::qopt;

static RankedTensorType tensorOf(Value v) {
  return cast<RankedTensorType>(v.getType());
}

static quant::QuantizedType quantTypeOf(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t ? dyn_cast<quant::QuantizedType>(t.getElementType())
           : quant::QuantizedType();
}

static RankedTensorType storageTensorOf(Value v) {
  return tensorOf(v).clone(quantTypeOf(v).getStorageType());
}

namespace {
class Lowering {
public:
  Lowering(MLIRContext *context, bool onnx) : b(context), onnx(onnx) {}

  /// Lowers `op` if it is a quant-typed op this pass handles; fails (with
  /// an error on the op) when it cannot be expressed in integers.
  LogicalResult lower(Operation *op);

private:
  Value toStorage(Value q);
  Value fromStorage(Value storage, Type quantTensor);
  /// The rescale of `input` (i32 or storage) into `resultType`'s storage.
  FailureOr<Value> rescale(Operation *op, Value input, ArrayRef<double> ratios,
                           std::optional<int64_t> axis, int64_t inputZp,
                           quant::QuantizedType resultType, Type resultTensor,
                           std::optional<int64_t> qmin = std::nullopt,
                           std::optional<int64_t> qmax = std::nullopt);
  LogicalResult lowerContraction(Operation *op);
  LogicalResult lowerAdd(AddOp op);
  LogicalResult lowerClamp(Operation *op, double lo, double hi);
  LogicalResult lowerAvgPool(Operation *op);
  LogicalResult lowerDataMovement(Operation *op);
  LogicalResult lowerConcat(ConcatOp op);
  LogicalResult lowerRequantize(RequantizeOp op);
  LogicalResult lowerReduceMean(ReduceOp op);
  LogicalResult lowerScalarMul(MulOp op);
  void replace(Operation *op, Value storageResult);
  /// ONNX mode: `x·multiplier[c] / divisor` in f32 (qopt.float_rescale).
  Value floatRescale(Operation *op, Value input, ArrayRef<float> multipliers,
                     std::optional<float> divisor, std::optional<int64_t> axis,
                     int64_t inputZp, quant::QuantizedType resultType,
                     Type resultTensor);
  /// ONNX mode: dequantize the quantized operands, run `op` in float and
  /// quantize its result (ONNX's DequantizeLinear -> op -> QuantizeLinear).
  LogicalResult lowerInFloat(Operation *op);

  OpBuilder b;
  /// Requantize as ONNX Runtime does (imported QDQ/QOperator models)
  /// instead of with dyadic multipliers.
  bool onnx;
};
} // namespace

Value Lowering::toStorage(Value q) {
  if (auto cast = q.getDefiningOp<quant::StorageCastOp>())
    if (cast.getInput().getType() == storageTensorOf(q))
      return cast.getInput();
  if (auto c = q.getDefiningOp<ConstantOp>()) {
    // A quantized constant already holds its storage values.
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(c);
    return ConstantOp::create(b, c.getLoc(), storageTensorOf(q), c.getValue());
  }
  return quant::StorageCastOp::create(b, q.getLoc(), storageTensorOf(q), q);
}

Value Lowering::fromStorage(Value storage, Type quantTensor) {
  return quant::StorageCastOp::create(b, storage.getLoc(), quantTensor,
                                      storage);
}

void Lowering::replace(Operation *op, Value storageResult) {
  Value result = op->getResult(0);
  result.replaceAllUsesWith(fromStorage(storageResult, result.getType()));
  op->erase();
}

FailureOr<Value> Lowering::rescale(Operation *op, Value input,
                                   ArrayRef<double> ratios,
                                   std::optional<int64_t> axis, int64_t inputZp,
                                   quant::QuantizedType resultType,
                                   Type resultTensor,
                                   std::optional<int64_t> qmin,
                                   std::optional<int64_t> qmax) {
  SmallVector<int32_t> multipliers, shifts;
  for (double ratio : ratios) {
    auto dyadic = computeDyadicScale(ratio);
    if (!dyadic) {
      op->emitError() << "scale ratio " << ratio
                      << " has no dyadic multiplier (it must be in [0, 2^31))";
      return failure();
    }
    multipliers.push_back(dyadic->multiplier);
    shifts.push_back(dyadic->shift);
  }
  SmallVector<NamedAttribute> attrs{
      b.getNamedAttr("multiplier", b.getDenseI32ArrayAttr(multipliers)),
      b.getNamedAttr("shift", b.getDenseI32ArrayAttr(shifts)),
      b.getNamedAttr("input_zp", b.getI64IntegerAttr(inputZp)),
      b.getNamedAttr("output_zp",
                     b.getI64IntegerAttr(zeroPointOf(resultType))),
      b.getNamedAttr("qmin", b.getI64IntegerAttr(
                                 qmin.value_or(resultType.getStorageTypeMin()))),
      b.getNamedAttr("qmax", b.getI64IntegerAttr(qmax.value_or(
                                 resultType.getStorageTypeMax())))};
  if (axis)
    attrs.push_back(b.getNamedAttr("axis", b.getI64IntegerAttr(*axis)));
  auto storage =
      cast<RankedTensorType>(resultTensor).clone(resultType.getStorageType());
  return RescaleOp::create(b, op->getLoc(), TypeRange{storage},
                           ValueRange{input}, attrs)
      .getResult();
}

Value Lowering::floatRescale(Operation *op, Value input,
                             ArrayRef<float> multipliers,
                             std::optional<float> divisor,
                             std::optional<int64_t> axis, int64_t inputZp,
                             quant::QuantizedType resultType,
                             Type resultTensor) {
  SmallVector<NamedAttribute> attrs{
      b.getNamedAttr("multiplier", b.getDenseF32ArrayAttr(multipliers)),
      b.getNamedAttr("input_zp", b.getI64IntegerAttr(inputZp)),
      b.getNamedAttr("output_zp",
                     b.getI64IntegerAttr(zeroPointOf(resultType))),
      b.getNamedAttr("qmin",
                     b.getI64IntegerAttr(resultType.getStorageTypeMin())),
      b.getNamedAttr("qmax",
                     b.getI64IntegerAttr(resultType.getStorageTypeMax()))};
  if (divisor)
    attrs.push_back(b.getNamedAttr("divisor", b.getF32FloatAttr(*divisor)));
  if (axis)
    attrs.push_back(b.getNamedAttr("axis", b.getI64IntegerAttr(*axis)));
  auto storage =
      cast<RankedTensorType>(resultTensor).clone(resultType.getStorageType());
  return FloatRescaleOp::create(b, op->getLoc(), TypeRange{storage},
                                ValueRange{input}, attrs)
      .getResult();
}

LogicalResult Lowering::lowerInFloat(Operation *op) {
  b.setInsertionPoint(op);
  SmallVector<Value> operands;
  for (Value operand : op->getOperands()) {
    auto type = quantTypeOf(operand);
    operands.push_back(
        type ? DequantizeOp::create(
                   b, op->getLoc(),
                   tensorOf(operand).clone(type.getExpressedType()), operand)
                   .getResult()
             : operand);
  }
  Operation *floatOp = b.clone(*op);
  floatOp->setOperands(operands);
  Value result = op->getResult(0);
  auto outType = quantTypeOf(result);
  floatOp->getResult(0).setType(
      tensorOf(result).clone(outType.getExpressedType()));
  Value quantized = QuantizeOp::create(b, op->getLoc(), result.getType(),
                                       floatOp->getResult(0))
                        .getResult();
  result.replaceAllUsesWith(quantized);
  op->erase();
  return success();
}

/// The per-channel scales of `type` (one for a per-tensor type).
static SmallVector<double> scalesOf(quant::QuantizedType type) {
  if (auto axis = dyn_cast<quant::UniformQuantizedPerAxisType>(type))
    return SmallVector<double>(axis.getScales());
  return {cast<quant::UniformQuantizedType>(type).getScale()};
}

static bool allZero(quant::QuantizedType type) {
  if (auto axis = dyn_cast<quant::UniformQuantizedPerAxisType>(type))
    return llvm::all_of(axis.getZeroPoints(), [](int64_t z) { return z == 0; });
  return cast<quant::UniformQuantizedType>(type).getZeroPoint() == 0;
}

LogicalResult Lowering::lowerContraction(Operation *op) {
  Value lhs = op->getOperand(0), rhs = op->getOperand(1);
  Value bias = op->getNumOperands() > 2 ? op->getOperand(2) : Value();
  Value result = op->getResult(0);
  auto lhsType = quantTypeOf(lhs), rhsType = quantTypeOf(rhs);
  auto outType = quantTypeOf(result);
  if (!lhsType || !rhsType || !outType ||
      !isa<quant::UniformQuantizedType>(lhsType) ||
      !isa<quant::UniformQuantizedType>(outType))
    return op->emitError("expects per-tensor quantized activations and a "
                         "quantized result");
  bool perAxis = isa<quant::UniformQuantizedPerAxisType>(rhsType);
  if (perAxis && !allZero(rhsType))
    return op->emitError("per-channel weights need zero points 0");
  double inScale = scaleOf(lhsType);
  double outScale = scaleOf(outType);
  SmallVector<double> wScales = scalesOf(rhsType);

  b.setInsertionPoint(op);
  Value x = toStorage(lhs), w = toStorage(rhs);
  auto accType = tensorOf(result).clone(b.getIntegerType(32));
  int64_t weightZp = perAxis ? 0 : zeroPointOf(rhsType);

  // The bias must sit at s_in·s_w, the accumulator's scale.
  std::optional<std::vector<int64_t>> biasValues;
  if (bias) {
    auto biasType = quantTypeOf(bias);
    if (!biasType || !biasType.getStorageType().isInteger(32))
      return op->emitError("expects an i32 quantized bias");
    SmallVector<double> bScales = scalesOf(biasType);
    for (size_t c = 0; c < std::max(bScales.size(), wScales.size()); ++c) {
      double expected = inScale * wScales[wScales.size() > 1 ? c : 0];
      double actual = bScales[bScales.size() > 1 ? c : 0];
      if (std::fabs(actual - expected) > 1e-6 * expected)
        return op->emitError() << "bias scale " << actual
                               << " differs from input scale × weight scale "
                               << expected;
    }
  }

  Value acc;
  int64_t channelAxis;
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    SmallVector<Value> operands{x, w};
    if (bias)
      operands.push_back(toStorage(bias));
    acc = IntConv2DOp::create(
              b, op->getLoc(), TypeRange{accType}, operands,
              {b.getNamedAttr("strides", conv.getStridesAttr()),
               b.getNamedAttr("pads", conv.getPadsAttr()),
               b.getNamedAttr("dilations", conv.getDilationsAttr()),
               b.getNamedAttr("group", b.getI64IntegerAttr(conv.getGroup())),
               b.getNamedAttr("input_zp",
                              b.getI64IntegerAttr(zeroPointOf(lhsType))),
               b.getNamedAttr("weight_zp", b.getI64IntegerAttr(weightZp))})
              .getResult();
    channelAxis = 1;
  } else {
    auto gemm = dyn_cast<GemmOp>(op);
    if (gemm && (gemm.getTransA() || gemm.getAlpha().convertToDouble() != 1.0 ||
                 gemm.getBeta().convertToDouble() != 1.0))
      return op->emitError("quantized gemm needs alpha = beta = 1 and no "
                           "trans_a");
    if (gemm && gemm.getTransB()) {
      auto wt = tensorOf(w);
      auto transposed = RankedTensorType::get(
          {wt.getDimSize(1), wt.getDimSize(0)}, wt.getElementType());
      w = TransposeOp::create(b, op->getLoc(), TypeRange{transposed},
                              ValueRange{w},
                              {b.getNamedAttr("perm",
                                              b.getDenseI64ArrayAttr({1, 0}))})
              .getResult();
    }
    if (isa<BatchMatMulOp>(op))
      return op->emitError("batch_matmul is not quantized");
    acc = IntMatMulOp::create(
              b, op->getLoc(), TypeRange{accType}, ValueRange{x, w},
              {b.getNamedAttr("lhs_zp",
                              b.getI64IntegerAttr(zeroPointOf(lhsType))),
               b.getNamedAttr("rhs_zp", b.getI64IntegerAttr(weightZp))})
              .getResult();
    channelAxis = accType.getRank() - 1;
    if (bias) {
      // int_matmul has no bias operand: add the i32 bias, broadcast over
      // the rows at compile time.
      ElementsAttr attr;
      if (!matchPattern(bias, m_Constant(&attr)))
        return op->emitError("expects a constant bias");
      auto values = readIntElements(attr);
      int64_t n = accType.getDimSize(accType.getRank() - 1);
      if (!values || int64_t(values->size()) != n)
        return op->emitError("expects a bias of one value per column");
      std::vector<int32_t> full;
      full.reserve(accType.getNumElements());
      for (int64_t i = 0; i < accType.getNumElements(); ++i)
        full.push_back(int32_t((*values)[i % n]));
      auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
          ArrayRef<char>(reinterpret_cast<const char *>(full.data()),
                         full.size() * sizeof(int32_t)),
          alignof(int32_t));
      Value biasConst = ConstantOp::create(
          b, op->getLoc(), accType,
          DenseResourceElementsAttr::get(accType, "qbias_rows",
                                         std::move(blob)));
      acc = arith::AddIOp::create(b, op->getLoc(), acc, biasConst);
    }
  }

  if (onnx) {
    // ONNX Runtime's requantization of the exact accumulator, in f32.
    // QOperator (QLinearConv/QLinearMatMul, marked by the importer): one
    // multiplier x_scale·w_scale/y_scale computed in f32, left to right.
    // QDQ: the float op's value acc·(x_scale·w_scale), then QuantizeLinear's
    // division by y_scale.
    bool qlinear = op->hasAttr(kQLinearAttr);
    SmallVector<float> multipliers;
    for (double ws : wScales) {
      float m = float(inScale) * float(ws);
      multipliers.push_back(qlinear ? m / float(outScale) : m);
    }
    Value out = floatRescale(
        op, acc, multipliers,
        qlinear ? std::nullopt : std::optional<float>(float(outScale)),
        perAxis ? std::optional<int64_t>(channelAxis) : std::nullopt, 0,
        outType, result.getType());
    replace(op, out);
    return success();
  }
  SmallVector<double> ratios;
  for (double ws : wScales)
    ratios.push_back(inScale * ws / outScale);
  auto out = rescale(op, acc, ratios,
                     perAxis ? std::optional<int64_t>(channelAxis)
                             : std::nullopt,
                     0, outType, result.getType());
  if (failed(out))
    return failure();
  replace(op, *out);
  return success();
}

LogicalResult Lowering::lowerAdd(AddOp op) {
  auto lhsType = dyn_cast_or_null<quant::UniformQuantizedType>(
      quantTypeOf(op.getLhs()));
  auto rhsType = dyn_cast_or_null<quant::UniformQuantizedType>(
      quantTypeOf(op.getRhs()));
  auto outType = dyn_cast_or_null<quant::UniformQuantizedType>(
      quantTypeOf(op.getOutput()));
  if (!lhsType || !rhsType || !outType)
    return op.emitError("expects per-tensor quantized operands and result");
  auto l = computeDyadicScale(lhsType.getScale() / outType.getScale());
  auto r = computeDyadicScale(rhsType.getScale() / outType.getScale());
  if (!l || !r)
    return op.emitError("scale ratio has no dyadic multiplier");
  b.setInsertionPoint(op);
  Value lhs = toStorage(op.getLhs()), rhs = toStorage(op.getRhs());
  Value sum =
      IntAddOp::create(
          b, op.getLoc(), TypeRange{storageTensorOf(op.getOutput())},
          ValueRange{lhs, rhs},
          {b.getNamedAttr("lhs_multiplier", b.getI32IntegerAttr(l->multiplier)),
           b.getNamedAttr("lhs_shift", b.getI32IntegerAttr(l->shift)),
           b.getNamedAttr("rhs_multiplier", b.getI32IntegerAttr(r->multiplier)),
           b.getNamedAttr("rhs_shift", b.getI32IntegerAttr(r->shift)),
           b.getNamedAttr("lhs_zp", b.getI64IntegerAttr(lhsType.getZeroPoint())),
           b.getNamedAttr("rhs_zp", b.getI64IntegerAttr(rhsType.getZeroPoint())),
           b.getNamedAttr("output_zp",
                          b.getI64IntegerAttr(outType.getZeroPoint()))})
          .getResult();
  replace(op, sum);
  return success();
}

/// The identity rescale (multiplier 2^30, shift 30: (x·2^30 + 2^29) >> 30
/// is x for every integer x) with the saturation bounds of a clamp.
LogicalResult Lowering::lowerClamp(Operation *op, double lo, double hi) {
  auto type = dyn_cast_or_null<quant::UniformQuantizedType>(
      quantTypeOf(op->getOperand(0)));
  if (!type || op->getResult(0).getType() != op->getOperand(0).getType())
    return op->emitError("expects one per-tensor quantized type in and out");
  int64_t qmin = type.getStorageTypeMin(), qmax = type.getStorageTypeMax();
  int64_t zp = type.getZeroPoint();
  double s = type.getScale();
  // Quantized like the values they bound (round half to even).
  if (std::isfinite(lo))
    qmin = std::clamp<int64_t>(zp + roundHalfEven(lo / s), qmin, qmax);
  if (std::isfinite(hi))
    qmax = std::clamp<int64_t>(zp + roundHalfEven(hi / s), qmin, qmax);
  b.setInsertionPoint(op);
  Value x = toStorage(op->getOperand(0));
  auto out = rescale(op, x, {1.0}, std::nullopt, zp, type,
                     op->getResult(0).getType(), qmin, qmax);
  if (failed(out))
    return failure();
  replace(op, *out);
  return success();
}

LogicalResult Lowering::lowerAvgPool(Operation *op) {
  auto type = dyn_cast_or_null<quant::UniformQuantizedType>(
      quantTypeOf(op->getOperand(0)));
  auto outType = dyn_cast_or_null<quant::UniformQuantizedType>(
      quantTypeOf(op->getResult(0)));
  if (!type || outType != type)
    return op->emitError("expects one per-tensor quantized type in and out");
  b.setInsertionPoint(op);
  Value x = toStorage(op->getOperand(0));
  SmallVector<NamedAttribute> attrs{
      b.getNamedAttr("input_zp", b.getI64IntegerAttr(type.getZeroPoint())),
      b.getNamedAttr("output_zp", b.getI64IntegerAttr(type.getZeroPoint()))};
  if (auto pool = dyn_cast<AvgPool2DOp>(op)) {
    attrs.push_back(b.getNamedAttr("kernel", pool.getKernelAttr()));
    attrs.push_back(b.getNamedAttr("strides", pool.getStridesAttr()));
    attrs.push_back(b.getNamedAttr("pads", pool.getPadsAttr()));
    attrs.push_back(b.getNamedAttr("ceil_mode", pool.getCeilModeAttr()));
    attrs.push_back(
        b.getNamedAttr("count_include_pad", pool.getCountIncludePadAttr()));
  } else {
    auto in = tensorOf(x);
    attrs.push_back(b.getNamedAttr(
        "kernel", b.getDenseI64ArrayAttr({in.getDimSize(2), in.getDimSize(3)})));
    attrs.push_back(b.getNamedAttr("strides", b.getDenseI64ArrayAttr({1, 1})));
    attrs.push_back(
        b.getNamedAttr("pads", b.getDenseI64ArrayAttr({0, 0, 0, 0})));
  }
  Value pooled = IntAvgPool2DOp::create(b, op->getLoc(),
                                        TypeRange{storageTensorOf(op->getResult(0))},
                                        ValueRange{x}, attrs)
                     .getResult();
  replace(op, pooled);
  return success();
}

LogicalResult Lowering::lowerDataMovement(Operation *op) {
  if (quantTypeOf(op->getResult(0)) != quantTypeOf(op->getOperand(0)))
    return op->emitError("expects the same quantized type in and out");
  b.setInsertionPoint(op);
  Value x = toStorage(op->getOperand(0));
  Operation *moved = b.clone(*op);
  moved->setOperand(0, x);
  moved->getResult(0).setType(storageTensorOf(op->getResult(0)));
  replace(op, moved->getResult(0));
  return success();
}

LogicalResult Lowering::lowerConcat(ConcatOp op) {
  auto outType = dyn_cast_or_null<quant::UniformQuantizedType>(
      quantTypeOf(op.getOutput()));
  if (!outType)
    return op.emitError("expects a per-tensor quantized result");
  b.setInsertionPoint(op);
  SmallVector<Value> inputs;
  for (Value input : op.getInputs()) {
    auto type = dyn_cast_or_null<quant::UniformQuantizedType>(quantTypeOf(input));
    if (!type)
      return op.emitError("expects per-tensor quantized inputs");
    Value x = toStorage(input);
    if (type != outType && onnx) {
      // DequantizeLinear then QuantizeLinear, in f32.
      x = floatRescale(op, x, {float(type.getScale())},
                       float(outType.getScale()), std::nullopt,
                       type.getZeroPoint(), outType, input.getType());
    } else if (type != outType) {
      // Align the input to the result's scale and zero point first.
      auto aligned = rescale(op, x, {type.getScale() / outType.getScale()},
                             std::nullopt, type.getZeroPoint(), outType,
                             input.getType());
      if (failed(aligned))
        return failure();
      x = *aligned;
    }
    inputs.push_back(x);
  }
  Value joined = ConcatOp::create(b, op.getLoc(),
                                  TypeRange{storageTensorOf(op.getOutput())},
                                  inputs, op->getAttrs())
                     .getResult();
  replace(op, joined);
  return success();
}

LogicalResult Lowering::lowerRequantize(RequantizeOp op) {
  auto in = dyn_cast<quant::UniformQuantizedType>(quantTypeOf(op.getInput()));
  auto out = dyn_cast<quant::UniformQuantizedType>(quantTypeOf(op.getOutput()));
  if (!in || !out)
    return op.emitError("expects per-tensor quantized types");
  b.setInsertionPoint(op);
  Value x = toStorage(op.getInput());
  if (onnx) {
    replace(op, floatRescale(op, x, {float(in.getScale())},
                             float(out.getScale()), std::nullopt,
                             in.getZeroPoint(), out,
                             op.getOutput().getType()));
    return success();
  }
  auto r = rescale(op, x, {in.getScale() / out.getScale()}, std::nullopt,
                   in.getZeroPoint(), out, op.getOutput().getType());
  if (failed(r))
    return failure();
  replace(op, *r);
  return success();
}

/// mean over `axes` as int_avg_pool2d: the reduced dims are moved last
/// (transpose), the tensor viewed as [1, kept, reduced, 1] (reshape), pooled
/// with a [reduced, 1] window and reshaped to the result — the sum divided
/// by the count with int_avg_pool2d's rounding, on one quantized type.
LogicalResult Lowering::lowerReduceMean(ReduceOp op) {
  auto type = dyn_cast_or_null<quant::UniformQuantizedType>(
      quantTypeOf(op.getInput()));
  if (op.getKind() != ReduceKind::mean || !type ||
      quantTypeOf(op.getOutput()) != type)
    return op.emitError("expects a mean with one per-tensor quantized type "
                        "in and out");
  b.setInsertionPoint(op);
  Location loc = op.getLoc();
  Value x = toStorage(op.getInput());
  auto in = tensorOf(x);
  llvm::SmallDenseSet<int64_t> reduced(op.getAxes().begin(),
                                       op.getAxes().end());
  SmallVector<int64_t> perm, permShape;
  int64_t kept = 1, count = 1;
  for (int64_t d = 0; d < in.getRank(); ++d)
    if (!reduced.contains(d)) {
      perm.push_back(d);
      kept *= in.getDimSize(d);
    }
  for (int64_t d = 0; d < in.getRank(); ++d)
    if (reduced.contains(d)) {
      perm.push_back(d);
      count *= in.getDimSize(d);
    }
  if (!llvm::equal(perm, llvm::seq<int64_t>(0, in.getRank()))) {
    for (int64_t d : perm)
      permShape.push_back(in.getDimSize(d));
    x = TransposeOp::create(
            b, loc, TypeRange{in.clone(permShape)}, ValueRange{x},
            {b.getNamedAttr("perm", b.getDenseI64ArrayAttr(perm))})
            .getResult();
  }
  x = ReshapeOp::create(b, loc, TypeRange{in.clone({1, kept, count, 1})},
                        ValueRange{x})
          .getResult();
  Value pooled =
      IntAvgPool2DOp::create(
          b, loc, TypeRange{in.clone({1, kept, 1, 1})}, ValueRange{x},
          {b.getNamedAttr("kernel", b.getDenseI64ArrayAttr({count, 1})),
           b.getNamedAttr("strides", b.getDenseI64ArrayAttr({1, 1})),
           b.getNamedAttr("pads", b.getDenseI64ArrayAttr({0, 0, 0, 0})),
           b.getNamedAttr("input_zp", b.getI64IntegerAttr(type.getZeroPoint())),
           b.getNamedAttr("output_zp",
                          b.getI64IntegerAttr(type.getZeroPoint()))})
          .getResult();
  Value out = ReshapeOp::create(b, loc,
                                TypeRange{storageTensorOf(op.getOutput())},
                                ValueRange{pooled})
                  .getResult();
  replace(op, out);
  return success();
}

/// mul by a quantized constant whose stored values are all equal: the
/// factor c = (q_c − zp_c)·s_c is folded into one dyadic rescale by
/// s_in·c/s_out.
LogicalResult Lowering::lowerScalarMul(MulOp op) {
  auto inType = dyn_cast_or_null<quant::UniformQuantizedType>(
      quantTypeOf(op.getLhs()));
  auto cType = dyn_cast_or_null<quant::UniformQuantizedType>(
      quantTypeOf(op.getRhs()));
  auto outType = dyn_cast_or_null<quant::UniformQuantizedType>(
      quantTypeOf(op.getOutput()));
  ElementsAttr attr;
  if (!inType || !cType || !outType ||
      !matchPattern(op.getRhs(), m_Constant(&attr)) ||
      tensorOf(op.getLhs()).getShape() != tensorOf(op.getOutput()).getShape())
    return op.emitError("expects a per-tensor quantized input times a "
                        "quantized constant of one value, and a result of "
                        "the input's shape");
  auto values = readIntElements(attr);
  if (!values || values->empty() ||
      llvm::any_of(*values, [&](int64_t v) { return v != values->front(); }))
    return op.emitError("expects a constant factor of one value");
  double factor = double(values->front() - cType.getZeroPoint()) *
                  cType.getScale();
  if (!(factor > 0))
    return op.emitError("expects a positive constant factor");
  b.setInsertionPoint(op);
  Value x = toStorage(op.getLhs());
  auto out = rescale(op, x, {inType.getScale() * factor / outType.getScale()},
                     std::nullopt, inType.getZeroPoint(), outType,
                     op.getOutput().getType());
  if (failed(out))
    return failure();
  replace(op, *out);
  return success();
}

LogicalResult Lowering::lower(Operation *op) {
  if (op->getNumResults() != 1 || !quantTypeOf(op->getResult(0)))
    return success();
  if (isa<Conv2DOp, MatMulOp, GemmOp>(op))
    return lowerContraction(op);
  // ONNX computes these in float between DequantizeLinear and
  // QuantizeLinear; their integer forms round differently.
  if (onnx && isa<AddOp, AvgPool2DOp, GlobalAvgPool2DOp, ReduceOp, MulOp>(op))
    return lowerInFloat(op);
  if (auto add = dyn_cast<AddOp>(op))
    return lowerAdd(add);
  if (isa<ReluOp>(op))
    return lowerClamp(op, 0.0, INFINITY);
  if (auto clamp = dyn_cast<ClampOp>(op))
    return lowerClamp(op, clamp.getMin().convertToDouble(),
                      clamp.getMax().convertToDouble());
  if (isa<AvgPool2DOp, GlobalAvgPool2DOp>(op))
    return lowerAvgPool(op);
  if (isa<ReshapeOp, FlattenOp, TransposeOp, GatherOp>(op))
    return lowerDataMovement(op);
  if (auto reduce = dyn_cast<ReduceOp>(op))
    return lowerReduceMean(reduce);
  if (auto mul = dyn_cast<MulOp>(op))
    return lowerScalarMul(mul);
  if (auto concat = dyn_cast<ConcatOp>(op))
    return lowerConcat(concat);
  if (auto requant = dyn_cast<RequantizeOp>(op))
    return lowerRequantize(requant);
  return success();
}

namespace {
struct QOptLowerQuantizedPass
    : qopt::impl::QOptLowerQuantizedBase<QOptLowerQuantizedPass> {
  using QOptLowerQuantizedBase::QOptLowerQuantizedBase;

  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (op->getDialect() &&
          op->getDialect()->getNamespace() == QOptDialect::getDialectNamespace())
        ops.push_back(op);
    });
    if (rescale != "dyadic" && rescale != "onnx") {
      getOperation().emitError()
          << "qopt-lower-quantized: rescale must be 'dyadic' or 'onnx', got '"
          << rescale << "'";
      return signalPassFailure();
    }
    Lowering lowering(&getContext(), rescale == "onnx");
    for (Operation *op : ops)
      if (failed(lowering.lower(op)))
        return signalPassFailure();
    // Quantized constants now used only through their storage copies, and
    // scast round trips, are dead or foldable.
    bool erased = true;
    while (erased) {
      SmallVector<Operation *> dead;
      getOperation().walk([&](Operation *op) {
        if (isa<ConstantOp, quant::StorageCastOp>(op) && op->use_empty())
          dead.push_back(op);
      });
      for (Operation *op : dead)
        op->erase();
      erased = !dead.empty();
    }
  }
};
} // namespace
