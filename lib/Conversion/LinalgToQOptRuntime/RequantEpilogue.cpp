//===- RequantEpilogue.cpp - a convolution's rescale, for fusion ----------===//
//
// The rescale after an int8 convolution reaches this pass as a
// linalg.generic whose body convert-qopt-to-linalg built from
// docs/Numerics.md (RescaleLowering, roundingShift, clampI64 in
// lib/Conversion/QOptToLinalg), canonicalized and possibly chained by
// qopt-fuse-elementwise with the rescales that follow it. The matcher below
// reads that body back into the rescale's parameters, op by op, and
// requires every op of the body to be accounted for: any other form (floor
// or half-even rounding, a float multiplier, a second operand) is left
// alone, so that the fused kernel only ever computes what the loop would
// have computed.
//
//===----------------------------------------------------------------------===//

#include "RequantEpilogue.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;
using namespace mlir::qopt;

namespace {

/// One rescale of the chain: (x - inZp)·m, rounded half up by 2^s, plus
/// outZp, clamped to [qmin, qmax], truncated to i8. m and s are either
/// constants or the block arguments mArg, sArg (per channel).
struct Stage {
  std::optional<unsigned> mArg, sArg;
  int64_t m = 0, s = 0, inZp = 0, outZp = 0, qmin = 0, qmax = 0;
  Value input; // the i32 or i8 value that is sign-extended
};

class BodyMatcher {
public:
  explicit BodyMatcher(Block &body) : body(body) {}

  /// The stage whose i8 result is `result`.
  std::optional<Stage> matchStage(Value result) {
    Stage st;
    auto trunc = def<arith::TruncIOp>(result);
    if (!trunc || !trunc.getType().isInteger(8) ||
        !trunc.getIn().getType().isInteger(64))
      return std::nullopt;
    Value y;
    // clampI64: minsi(maxsi(y, qmin), qmax).
    auto qmax = splitConstant<arith::MinSIOp>(trunc.getIn(), y);
    if (!qmax)
      return std::nullopt;
    auto qmin = splitConstant<arith::MaxSIOp>(y, y);
    if (!qmin)
      return std::nullopt;
    st.qmin = *qmin;
    st.qmax = *qmax;
    // + output_zp (gone when 0: the rounding's addi has no constant).
    Value r = y;
    if (auto outZp = splitConstant<arith::AddIOp>(y, r))
      st.outZp = *outZp;
    // The rounding shift of v = (x - inZp)·m.
    Value v;
    if (def<arith::MulIOp>(r)) {
      v = r; // a constant shift of 0 folded the rounding away
      st.s = 0;
    } else if (!matchHalfUp(r, v, st)) {
      return std::nullopt;
    }
    auto mul = def<arith::MulIOp>(v);
    if (!mul)
      return std::nullopt;
    Value x;
    if (!matchParameter(mul.getLhs(), mul.getRhs(), x, st.m, st.mArg) &&
        !matchParameter(mul.getRhs(), mul.getLhs(), x, st.m, st.mArg))
      return std::nullopt;
    if (auto inZp = splitConstant<arith::SubIOp>(x, x, /*commutative=*/false))
      st.inZp = *inZp;
    auto ext = def<arith::ExtSIOp>(x);
    if (!ext || !ext.getType().isInteger(64))
      return std::nullopt;
    st.input = ext.getIn();
    if (st.mArg.has_value() != st.sArg.has_value())
      return std::nullopt;
    return st;
  }

  /// Whether every op of the body but the terminator was matched.
  bool matchedAll() const {
    return matched.size() + 1 == body.getOperations().size();
  }

private:
  Block &body;
  llvm::SmallPtrSet<Operation *, 32> matched;

  template <typename OpTy> OpTy def(Value v) {
    auto op = v.getDefiningOp<OpTy>();
    if (!op || op->getBlock() != &body)
      return nullptr;
    matched.insert(op);
    return op;
  }

  bool isArg(Value v) {
    auto arg = dyn_cast<BlockArgument>(v);
    return arg && arg.getOwner() == &body;
  }

  /// `v` = OpTy(other, constant) (or, commutative, OpTy(constant, other)):
  /// the constant, and `other` set.
  template <typename OpTy>
  std::optional<int64_t> splitConstant(Value v, Value &other,
                                       bool commutative = true) {
    auto op = v.getDefiningOp<OpTy>();
    if (!op || op->getBlock() != &body)
      return std::nullopt;
    for (int i = 0; i < (commutative ? 2 : 1); ++i) {
      Value c = op->getOperand(1 - i), o = op->getOperand(i);
      if (auto value = getConstantIntValue(c)) {
        matched.insert(op);
        other = o;
        return value;
      }
    }
    return std::nullopt;
  }

  /// `param` is the multiplier: a constant or a per-channel argument.
  bool matchParameter(Value x, Value param, Value &xOut, int64_t &value,
                      std::optional<unsigned> &arg) {
    if (auto c = getConstantIntValue(param)) {
      value = *c;
    } else if (isArg(param) && cast<BlockArgument>(param).getArgNumber() > 0) {
      arg = cast<BlockArgument>(param).getArgNumber();
    } else {
      return false;
    }
    xOut = x;
    return true;
  }

  /// roundingShift(v, s, half_up) = (v >> s) + halfBit, in either operand
  /// order; halfBit is `(v >> (s - 1)) & 1` for a constant s >= 1, and
  /// `select(s == 0, 0, (v >> max(s - 1, 0)) & 1)` for a per-channel s.
  bool matchHalfUp(Value r, Value &v, Stage &st) {
    auto add = r.getDefiningOp<arith::AddIOp>();
    if (!add || add->getBlock() != &body)
      return false;
    // The floor is the operand that is a shift (the half bit is an andi or
    // a select).
    int i = add.getLhs().getDefiningOp<arith::ShRSIOp>() ? 0 : 1;
    {
      auto floor = add->getOperand(i).getDefiningOp<arith::ShRSIOp>();
      Value half = add->getOperand(1 - i);
      if (!floor || floor->getBlock() != &body)
        return false;
      Value shift = floor.getRhs();
      Value shifted = floor.getLhs();
      if (auto s = getConstantIntValue(shift)) {
        // (shifted >> (s - 1)) & 1
        Value bit;
        auto one = splitConstant<arith::AndIOp>(half, bit);
        auto hs = bit ? bit.getDefiningOp<arith::ShRSIOp>() : nullptr;
        if (!one || *one != 1 || !hs || hs->getBlock() != &body ||
            hs.getLhs() != shifted || getConstantIntValue(hs.getRhs()) != *s - 1 ||
            *s < 1 || *s > 62)
          return false;
        matched.insert(hs);
        st.s = *s;
      } else if (isArg(shift) &&
                 cast<BlockArgument>(shift).getArgNumber() > 0) {
        auto select = half.getDefiningOp<arith::SelectOp>();
        if (!select || select->getBlock() != &body ||
            getConstantIntValue(select.getTrueValue()) != 0)
          return false;
        auto cmp = select.getCondition().getDefiningOp<arith::CmpIOp>();
        if (!cmp || cmp->getBlock() != &body ||
            cmp.getPredicate() != arith::CmpIPredicate::eq ||
            cmp.getLhs() != shift || getConstantIntValue(cmp.getRhs()) != 0)
          return false;
        Value bit;
        auto one = splitConstant<arith::AndIOp>(select.getFalseValue(), bit);
        auto hs = bit ? bit.getDefiningOp<arith::ShRSIOp>() : nullptr;
        if (!one || *one != 1 || !hs || hs->getBlock() != &body ||
            hs.getLhs() != shifted)
          return false;
        Value sMinusOne;
        auto zero = splitConstant<arith::MaxSIOp>(hs.getRhs(), sMinusOne);
        auto sub = sMinusOne ? sMinusOne.getDefiningOp<arith::SubIOp>()
                             : nullptr;
        if (!zero || *zero != 0 || !sub || sub->getBlock() != &body ||
            sub.getLhs() != shift || getConstantIntValue(sub.getRhs()) != 1)
          return false;
        matched.insert(select);
        matched.insert(cmp);
        matched.insert(hs);
        matched.insert(sub);
        st.sArg = cast<BlockArgument>(shift).getArgNumber();
      } else {
        return false;
      }
      matched.insert(add);
      matched.insert(floor);
      v = shifted;
      return true;
    }
  }
};

/// round_half_up((x - inZp)·m, s) + outZp, clamped: one stage on one value
/// (exact: |x - inZp| < 2^32 and m < 2^31 in every stage accepted here).
int64_t apply(const Stage &st, int64_t x) {
  __int128 v = static_cast<__int128>(x - st.inZp) * st.m;
  __int128 y = st.s == 0 ? v : (v >> st.s) + ((v >> (st.s - 1)) & 1);
  y += st.outZp;
  return static_cast<int64_t>(
      std::min<__int128>(std::max<__int128>(y, st.qmin), st.qmax));
}

/// The constant global a memref value reads, if any.
memref::GlobalOp constantGlobal(ModuleOp module, Value v) {
  auto get = v.getDefiningOp<memref::GetGlobalOp>();
  if (!get)
    return nullptr;
  auto global = module.lookupSymbol<memref::GlobalOp>(get.getNameAttr());
  return global && global.getConstant() ? global : nullptr;
}

/// The int64 values of a constant global, if they are all in [lo, hi].
bool globalValuesIn(memref::GlobalOp global, int64_t lo, int64_t hi) {
  auto values =
      dyn_cast_or_null<DenseIntElementsAttr>(global.getInitialValueAttr());
  if (!values)
    return false;
  for (const APInt &v : values) {
    int64_t x = v.getSExtValue();
    if (x < lo || x > hi)
      return false;
  }
  return true;
}

bool isAllParallel(linalg::LinalgOp op) {
  return llvm::all_of(op.getIteratorTypesArray(), [](utils::IteratorType t) {
    return t == utils::IteratorType::parallel;
  });
}

/// The map (d0, ..., d3) -> (d1).
bool isChannelMap(AffineMap map) {
  return map.getNumDims() == 4 && map.getNumResults() == 1 &&
         map.getResult(0) == getAffineDimExpr(1, map.getContext());
}

} // namespace

std::optional<RequantEpilogue>
qopt::matchRequantEpilogue(ModuleOp module, linalg::LinalgOp conv) {
  Value acc = conv.getDpsInits()[0];
  auto alloc = acc.getDefiningOp<memref::AllocOp>();
  auto accType = dyn_cast<MemRefType>(acc.getType());
  if (!alloc || alloc->getBlock() != conv->getBlock() || !accType ||
      accType.getRank() != 4 || !accType.getElementType().isInteger(32) ||
      !accType.getLayout().isIdentity())
    return std::nullopt;
  int64_t channels = accType.getDimSize(1);
  RequantEpilogue epilogue;
  Operation *init = nullptr, *dealloc = nullptr;
  linalg::GenericOp consumer;
  for (Operation *user : alloc->getUsers()) {
    if (user == conv.getOperation())
      continue;
    if (isa<memref::DeallocOp>(user) && !dealloc) {
      dealloc = user;
    } else if (auto fill = dyn_cast<linalg::FillOp>(user);
               fill && !init && fill.getOutputs()[0] == acc &&
               getConstantIntValue(fill.getInputs()[0]) == 0) {
      init = fill;
    } else if (auto generic = dyn_cast<linalg::GenericOp>(user)) {
      // The bias broadcast writes acc; the rescale reads it.
      if (generic.getNumDpsInits() == 1 && generic.getDpsInits()[0] == acc) {
        if (init || generic.getNumDpsInputs() != 1 ||
            !isAllParallel(generic) ||
            !isChannelMap(generic.getIndexingMapsArray()[0]) ||
            !generic.getIndexingMapsArray()[1].isIdentity() ||
            !constantGlobal(module, generic.getDpsInputs()[0]))
          return std::nullopt;
        Block &body = generic.getRegion().front();
        auto yield = cast<linalg::YieldOp>(body.getTerminator());
        if (body.getOperations().size() != 1 ||
            yield.getOperand(0) != body.getArgument(0))
          return std::nullopt;
        epilogue.bias = generic.getDpsInputs()[0];
        init = generic;
      } else if (!consumer) {
        consumer = generic;
      } else {
        return std::nullopt;
      }
    } else {
      return std::nullopt;
    }
  }
  if (!init || !consumer || !init->isBeforeInBlock(conv) ||
      consumer->getBlock() != conv->getBlock() ||
      !conv->isBeforeInBlock(consumer) ||
      (dealloc && !consumer->isBeforeInBlock(dealloc)))
    return std::nullopt;

  // The consumer: acc (identity) and optional per-channel vectors in, i8
  // out (identity), all parallel.
  if (consumer.getNumDpsInits() != 1 || !isAllParallel(consumer) ||
      consumer.getDpsInputs()[0] != acc ||
      !consumer.getIndexingMapsArray()[0].isIdentity() ||
      !consumer.getIndexingMapsArray().back().isIdentity())
    return std::nullopt;
  Value output = consumer.getDpsInits()[0];
  auto outType = dyn_cast<MemRefType>(output.getType());
  if (!outType || outType.getShape() != accType.getShape() ||
      !outType.getElementType().isInteger(8) ||
      !outType.getLayout().isIdentity())
    return std::nullopt;

  // The body, from the yield back to the accumulator.
  Block &body = consumer.getRegion().front();
  BodyMatcher matcher(body);
  SmallVector<Stage> stages; // last first
  Value value = cast<linalg::YieldOp>(body.getTerminator()).getOperand(0);
  for (;;) {
    std::optional<Stage> st = matcher.matchStage(value);
    if (!st)
      return std::nullopt;
    stages.push_back(*st);
    if (st->input == body.getArgument(0))
      break;
    if (!st->input.getType().isInteger(8) ||
        !st->input.getDefiningOp<arith::TruncIOp>())
      return std::nullopt;
    value = st->input;
  }
  if (!matcher.matchedAll())
    return std::nullopt;
  const Stage &first = stages.back();
  if (first.input.getType() != IntegerType::get(module.getContext(), 32) ||
      first.qmin < -128 || first.qmax > 127 || first.qmin > first.qmax)
    return std::nullopt;
  // Per-channel parameters: constant int64[F] globals within the kernel's
  // ranges; per-tensor ones the same ranges.
  if (first.mArg) {
    if (consumer.getNumDpsInputs() != 3)
      return std::nullopt;
    Value m = consumer->getOperand(*first.mArg);
    Value s = consumer->getOperand(*first.sArg);
    auto mMap = consumer.getIndexingMapsArray()[*first.mArg];
    auto sMap = consumer.getIndexingMapsArray()[*first.sArg];
    memref::GlobalOp mGlobal = constantGlobal(module, m);
    memref::GlobalOp sGlobal = constantGlobal(module, s);
    auto vectorType = MemRefType::get({channels},
                                      IntegerType::get(module.getContext(), 64));
    if (*first.mArg == *first.sArg || !isChannelMap(mMap) ||
        !isChannelMap(sMap) || !mGlobal || !sGlobal ||
        m.getType() != vectorType || s.getType() != vectorType ||
        !globalValuesIn(mGlobal, 0, (int64_t(1) << 31) - 1) ||
        !globalValuesIn(sGlobal, 0, 62))
      return std::nullopt;
    epilogue.multiplier = m;
    epilogue.shift = s;
  } else {
    if (consumer.getNumDpsInputs() != 1 || first.m < 0 ||
        first.m >= (int64_t(1) << 31) || first.s < 0 || first.s > 62)
      return std::nullopt;
    epilogue.m0 = first.m;
    epilogue.s0 = first.s;
  }
  // |acc - accZp| < 2^32 keeps the product within the kernel's int64.
  if (first.inZp < INT32_MIN || first.inZp > INT32_MAX)
    return std::nullopt;
  epilogue.accZp = first.inZp;
  epilogue.outZp = first.outZp;
  // The later stages act on the first one's i8 results: tabulated over
  // [qmin, qmax], they must be one clamp [lo, hi] of it.
  int64_t lo = first.qmin, hi = first.qmax;
  if (stages.size() > 1) {
    for (const Stage &st : ArrayRef<Stage>(stages).drop_back())
      if (st.mArg || st.m < 0 || st.m >= (int64_t(1) << 31) || st.s < 0 ||
          st.s > 62 || st.qmin < -128 || st.qmax > 127 || st.qmin > st.qmax)
        return std::nullopt;
    auto chain = [&](int64_t y) {
      for (const Stage &st : llvm::reverse(ArrayRef<Stage>(stages).drop_back()))
        y = apply(st, y);
      return y;
    };
    lo = chain(first.qmin);
    hi = chain(first.qmax);
    if (lo > hi || lo < first.qmin || hi > first.qmax)
      return std::nullopt;
    for (int64_t y = first.qmin; y <= first.qmax; ++y)
      if (chain(y) != std::min(std::max(y, lo), hi))
        return std::nullopt;
  }
  epilogue.qmin = lo;
  epilogue.qmax = hi;

  // The fused call stands where the convolution was: the output buffer (a
  // fresh allocation, moved up if needed, or a function argument) must
  // exist there, and nothing may touch it between the convolution and the
  // rescale. Earlier users must not be views (which could be used in
  // between).
  for (Operation *user : output.getUsers()) {
    if (user == consumer.getOperation())
      continue;
    if (user->getBlock() != conv->getBlock())
      return std::nullopt;
    if (consumer->isBeforeInBlock(user))
      continue;
    if (!user->isBeforeInBlock(conv) || user->getNumResults() != 0)
      return std::nullopt;
  }
  if (auto outAlloc = output.getDefiningOp<memref::AllocOp>()) {
    if (outAlloc->getBlock() != conv->getBlock() ||
        outAlloc->getNumOperands() != 0)
      return std::nullopt;
    if (conv->isBeforeInBlock(outAlloc))
      outAlloc->moveBefore(conv);
  } else if (auto arg = dyn_cast<BlockArgument>(output);
             !arg || arg.getOwner() != conv->getBlock() ||
             !isa<func::FuncOp>(arg.getOwner()->getParentOp())) {
    return std::nullopt;
  }
  epilogue.output = output;
  epilogue.deadOps = {consumer, init};
  if (dealloc)
    epilogue.deadOps.push_back(dealloc);
  epilogue.deadOps.push_back(alloc);
  return epilogue;
}
