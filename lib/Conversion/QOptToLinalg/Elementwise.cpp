//===- Elementwise.cpp - unary and binary qopt ops to linalg.generic ------===//
//
// Each op becomes one `linalg.generic` over its result whose operands
// broadcast as numpy does (see getBroadcastMap). The scalar bodies follow
// the ONNX definitions that the qopt op docs name.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "qopt/Conversion/QOptToLinalg/QOptToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::linalg_lowering;

namespace {

/// Scalar builders for the bodies, in the element type of `x`.
struct ScalarBuilder {
  OpBuilder &b;
  Location loc;
  Type type;

  Value cst(double v) { return createFloatConstant(b, loc, type, v); }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  // NaN-propagating, as numpy's maximum/minimum and ONNX Max/Min/Clip.
  Value max(Value x, Value y) {
    return arith::MaximumFOp::create(b, loc, x, y);
  }
  Value min(Value x, Value y) {
    return arith::MinimumFOp::create(b, loc, x, y);
  }
  Value neg(Value x) { return arith::NegFOp::create(b, loc, x); }
  Value exp(Value x) { return math::ExpOp::create(b, loc, x); }
  Value tanh(Value x) { return math::TanhOp::create(b, loc, x); }
  Value erf(Value x) { return math::ErfOp::create(b, loc, x); }
  /// max(0, min(1, alpha·x + beta)), ONNX HardSigmoid.
  Value hardSigmoid(Value x, double alpha, double beta) {
    Value v = add(mul(cst(alpha), x), cst(beta));
    return max(cst(0.0), min(cst(1.0), v));
  }
};

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

Value buildUnary(NegOp, ScalarBuilder &s, Value x) { return s.neg(x); }
Value buildUnary(AbsOp, ScalarBuilder &s, Value x) {
  return math::AbsFOp::create(s.b, s.loc, x);
}
Value buildUnary(SqrtOp, ScalarBuilder &s, Value x) {
  return math::SqrtOp::create(s.b, s.loc, x);
}
Value buildUnary(ExpOp, ScalarBuilder &s, Value x) { return s.exp(x); }
Value buildUnary(LogOp, ScalarBuilder &s, Value x) {
  return math::LogOp::create(s.b, s.loc, x);
}
Value buildUnary(ReciprocalOp, ScalarBuilder &s, Value x) {
  return s.div(s.cst(1.0), x);
}
Value buildUnary(ReluOp, ScalarBuilder &s, Value x) {
  return s.max(x, s.cst(0.0));
}
// 1 / (1 + e^-x): e^-x overflows to +inf for very negative x, giving 0.
Value buildUnary(SigmoidOp, ScalarBuilder &s, Value x) {
  return s.div(s.cst(1.0), s.add(s.cst(1.0), s.exp(s.neg(x))));
}
Value buildUnary(TanhOp, ScalarBuilder &s, Value x) { return s.tanh(x); }
Value buildUnary(ErfOp, ScalarBuilder &s, Value x) { return s.erf(x); }
// x · max(0, min(1, x/6 + 1/2)): ONNX HardSwish is HardSigmoid with
// alpha = 1/6, beta = 0.5, times x.
Value buildUnary(HardSwishOp, ScalarBuilder &s, Value x) {
  return s.mul(x, s.hardSigmoid(x, 1.0 / 6.0, 0.5));
}
Value buildUnary(HardSigmoidOp op, ScalarBuilder &s, Value x) {
  return s.hardSigmoid(x, op.getAlpha().convertToDouble(),
                       op.getBeta().convertToDouble());
}
// min(max(x, min), max); an infinite bound is no bound.
Value buildUnary(ClampOp op, ScalarBuilder &s, Value x) {
  APFloat lo = op.getMin(), hi = op.getMax();
  if (!(lo.isInfinity() && lo.isNegative()))
    x = s.max(x, s.cst(lo.convertToDouble()));
  if (!(hi.isInfinity() && !hi.isNegative()))
    x = s.min(x, s.cst(hi.convertToDouble()));
  return x;
}
// x < 0 ? alpha·x : x (NaN stays NaN).
Value buildUnary(LeakyReluOp op, ScalarBuilder &s, Value x) {
  Value negative = arith::CmpFOp::create(s.b, s.loc, arith::CmpFPredicate::OLT,
                                         x, s.cst(0.0));
  Value scaled = s.mul(s.cst(op.getAlpha().convertToDouble()), x);
  return arith::SelectOp::create(s.b, s.loc, negative, scaled, x);
}
// Exact: 0.5·x·(1 + erf(x/√2)).
// Tanh:  0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
Value buildUnary(GeluOp op, ScalarBuilder &s, Value x) {
  Value inner;
  if (op.getApproximation() == GeluApproximation::tanh) {
    Value cube = s.mul(s.mul(x, x), x);
    Value poly = s.add(x, s.mul(s.cst(0.044715), cube));
    inner = s.tanh(s.mul(s.cst(std::sqrt(2.0 / M_PI)), poly));
  } else {
    inner = s.erf(s.mul(x, s.cst(M_SQRT1_2)));
  }
  return s.mul(s.mul(s.cst(0.5), x), s.add(s.cst(1.0), inner));
}

/// softplus(x) = log(1 + e^x), as max(x, 0) + log1p(e^-|x|): e^x would
/// overflow for large x where the result is just x.
static Value softplus(ScalarBuilder &s, Value x) {
  Value absX = math::AbsFOp::create(s.b, s.loc, x);
  Value tail = math::Log1pOp::create(s.b, s.loc, s.exp(s.neg(absX)));
  return s.add(s.max(x, s.cst(0.0)), tail);
}

static Value select(ScalarBuilder &s, arith::CmpFPredicate pred, Value x,
                    Value bound, Value ifTrue, Value ifFalse) {
  Value c = arith::CmpFOp::create(s.b, s.loc, pred, x, bound);
  return arith::SelectOp::create(s.b, s.loc, c, ifTrue, ifFalse);
}

// The ONNX definitions; alpha/gamma default to ONNX's defaults.
Value buildUnary(UnaryMathOp op, ScalarBuilder &s, Value x) {
  auto param = [](std::optional<APFloat> v, double dflt) {
    return v ? v->convertToDouble() : dflt;
  };
  OpBuilder &b = s.b;
  Location loc = s.loc;
  switch (op.getFn()) {
  case UnaryFunction::floor:
    return math::FloorOp::create(b, loc, x);
  case UnaryFunction::ceil:
    return math::CeilOp::create(b, loc, x);
  case UnaryFunction::round:
    return math::RoundEvenOp::create(b, loc, x);
  case UnaryFunction::sign: {
    // ±1, and x itself for 0 and NaN (numpy.sign).
    Value neg = select(s, arith::CmpFPredicate::OLT, x, s.cst(0.0),
                       s.cst(-1.0), x);
    return select(s, arith::CmpFPredicate::OGT, x, s.cst(0.0), s.cst(1.0),
                  neg);
  }
  case UnaryFunction::sin:
    return math::SinOp::create(b, loc, x);
  case UnaryFunction::cos:
    return math::CosOp::create(b, loc, x);
  case UnaryFunction::tan:
    return math::TanOp::create(b, loc, x);
  case UnaryFunction::asin:
    return math::AsinOp::create(b, loc, x);
  case UnaryFunction::acos:
    return math::AcosOp::create(b, loc, x);
  case UnaryFunction::atan:
    return math::AtanOp::create(b, loc, x);
  case UnaryFunction::sinh:
    return math::SinhOp::create(b, loc, x);
  case UnaryFunction::cosh:
    return math::CoshOp::create(b, loc, x);
  case UnaryFunction::asinh:
    return math::AsinhOp::create(b, loc, x);
  case UnaryFunction::acosh:
    return math::AcoshOp::create(b, loc, x);
  case UnaryFunction::atanh:
    return math::AtanhOp::create(b, loc, x);
  case UnaryFunction::softplus:
    return softplus(s, x);
  case UnaryFunction::softsign:
    return s.div(x, s.add(s.cst(1.0), math::AbsFOp::create(b, loc, x)));
  case UnaryFunction::mish:
    return s.mul(x, s.tanh(softplus(s, x)));
  case UnaryFunction::elu: {
    double alpha = param(op.getAlpha(), 1.0);
    Value neg = s.mul(s.cst(alpha), math::ExpM1Op::create(b, loc, x));
    return select(s, arith::CmpFPredicate::OLT, x, s.cst(0.0), neg, x);
  }
  case UnaryFunction::selu: {
    double alpha = param(op.getAlpha(), 1.67326319217681884765625);
    double gamma = param(op.getGamma(), 1.05070102214813232421875);
    Value neg = s.mul(s.cst(alpha), math::ExpM1Op::create(b, loc, x));
    Value v = select(s, arith::CmpFPredicate::OGT, x, s.cst(0.0), x, neg);
    return s.mul(s.cst(gamma), v);
  }
  case UnaryFunction::celu: {
    // max(0, x) + min(0, alpha·(e^(x/alpha) − 1)).
    double alpha = param(op.getAlpha(), 1.0);
    Value e = math::ExpM1Op::create(b, loc, s.div(x, s.cst(alpha)));
    return s.add(s.max(s.cst(0.0), x), s.min(s.cst(0.0), s.mul(s.cst(alpha), e)));
  }
  case UnaryFunction::thresholded_relu: {
    double alpha = param(op.getAlpha(), 1.0);
    return select(s, arith::CmpFPredicate::OGT, x, s.cst(alpha), x,
                  s.cst(0.0));
  }
  }
  llvm_unreachable("unknown unary function");
}

template <typename OpTy>
struct UnaryLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isFloatComputeOp(op))
      return rewriter.notifyMatchFailure(op, "not a float tensor op");
    auto resultType = cast<RankedTensorType>(op.getType());
    Value result = createElementwise(
        rewriter, op.getLoc(), resultType, adaptor.getInput(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          ScalarBuilder s{b, loc, resultType.getElementType()};
          return buildUnary(op, s, args[0]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Binary ops
//===----------------------------------------------------------------------===//

Value buildBinary(AddOp, ScalarBuilder &s, Value x, Value y) {
  return s.add(x, y);
}
Value buildBinary(SubOp, ScalarBuilder &s, Value x, Value y) {
  return s.sub(x, y);
}
Value buildBinary(MulOp, ScalarBuilder &s, Value x, Value y) {
  return s.mul(x, y);
}
Value buildBinary(DivOp, ScalarBuilder &s, Value x, Value y) {
  return s.div(x, y);
}
Value buildBinary(PowOp, ScalarBuilder &s, Value x, Value y) {
  return math::PowFOp::create(s.b, s.loc, x, y);
}
Value buildBinary(MaxOp, ScalarBuilder &s, Value x, Value y) {
  return s.max(x, y);
}
Value buildBinary(MinOp, ScalarBuilder &s, Value x, Value y) {
  return s.min(x, y);
}

template <typename OpTy>
struct BinaryLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isFloatComputeOp(op))
      return rewriter.notifyMatchFailure(op, "not a float tensor op");
    auto resultType = cast<RankedTensorType>(op.getType());
    Value result = createElementwise(
        rewriter, op.getLoc(), resultType,
        ValueRange{adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          ScalarBuilder s{b, loc, resultType.getElementType()};
          return buildBinary(op, s, args[0], args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Comparisons, boolean logic, selection
//===----------------------------------------------------------------------===//

/// Ordered float predicates (NaN compares false, as numpy) and signed
/// integer ones.
Value buildCompare(OpBuilder &b, Location loc, ComparePredicate pred, Value x,
                   Value y) {
  if (isa<FloatType>(x.getType())) {
    arith::CmpFPredicate p;
    switch (pred) {
    case ComparePredicate::eq: p = arith::CmpFPredicate::OEQ; break;
    case ComparePredicate::lt: p = arith::CmpFPredicate::OLT; break;
    case ComparePredicate::le: p = arith::CmpFPredicate::OLE; break;
    case ComparePredicate::gt: p = arith::CmpFPredicate::OGT; break;
    case ComparePredicate::ge: p = arith::CmpFPredicate::OGE; break;
    }
    return arith::CmpFOp::create(b, loc, p, x, y);
  }
  arith::CmpIPredicate p;
  switch (pred) {
  case ComparePredicate::eq: p = arith::CmpIPredicate::eq; break;
  case ComparePredicate::lt: p = arith::CmpIPredicate::slt; break;
  case ComparePredicate::le: p = arith::CmpIPredicate::sle; break;
  case ComparePredicate::gt: p = arith::CmpIPredicate::sgt; break;
  case ComparePredicate::ge: p = arith::CmpIPredicate::sge; break;
  }
  return arith::CmpIOp::create(b, loc, p, x, y);
}

struct CompareLowering : OpConversionPattern<CompareOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(CompareOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isPlainDataOp(op))
      return rewriter.notifyMatchFailure(op, "not a plain tensor op");
    ComparePredicate pred = op.getPredicate();
    Value result = createElementwise(
        rewriter, op.getLoc(), op.getType(),
        ValueRange{adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return buildCompare(b, loc, pred, args[0], args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LogicalLowering : OpConversionPattern<LogicalOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LogicalOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    LogicalKind kind = op.getKind();
    Value result = createElementwise(
        rewriter, op.getLoc(), op.getType(),
        ValueRange{adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          switch (kind) {
          case LogicalKind::and_:
            return arith::AndIOp::create(b, loc, args[0], args[1]);
          case LogicalKind::or_:
            return arith::OrIOp::create(b, loc, args[0], args[1]);
          case LogicalKind::xor_:
            return arith::XOrIOp::create(b, loc, args[0], args[1]);
          }
          llvm_unreachable("unknown logical kind");
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SelectLowering : OpConversionPattern<SelectOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SelectOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isPlainDataOp(op))
      return rewriter.notifyMatchFailure(op, "not a plain tensor op");
    Value result = createElementwise(
        rewriter, op.getLoc(), op.getType(),
        ValueRange{adaptor.getCondition(), adaptor.getOnTrue(),
                   adaptor.getOnFalse()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void linalg_lowering::populateElementwisePatterns(RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<UnaryLowering<NegOp>, UnaryLowering<AbsOp>,
               UnaryLowering<SqrtOp>, UnaryLowering<ExpOp>,
               UnaryLowering<LogOp>, UnaryLowering<ReciprocalOp>,
               UnaryLowering<ReluOp>, UnaryLowering<SigmoidOp>,
               UnaryLowering<TanhOp>, UnaryLowering<ErfOp>,
               UnaryLowering<HardSwishOp>, UnaryLowering<HardSigmoidOp>,
               UnaryLowering<ClampOp>, UnaryLowering<LeakyReluOp>,
               UnaryLowering<GeluOp>, UnaryLowering<UnaryMathOp>>(context);
  patterns.add<BinaryLowering<AddOp>, BinaryLowering<SubOp>,
               BinaryLowering<MulOp>, BinaryLowering<DivOp>,
               BinaryLowering<PowOp>, BinaryLowering<MaxOp>,
               BinaryLowering<MinOp>>(context);
  patterns.add<CompareLowering, LogicalLowering, SelectLowering>(context);
}
