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
               UnaryLowering<GeluOp>>(context);
  patterns.add<BinaryLowering<AddOp>, BinaryLowering<SubOp>,
               BinaryLowering<MulOp>, BinaryLowering<DivOp>,
               BinaryLowering<PowOp>, BinaryLowering<MaxOp>,
               BinaryLowering<MinOp>>(context);
}
