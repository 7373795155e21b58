//===- IntegerTail.cpp - integer ops after a rescale, read as a table -----===//
//
// See IntegerTail.h. The evaluator below implements each arith op it
// accepts with APInt at the op's own bit width (wrapping adds and
// multiplies, arithmetic shifts, signed min/max, compares and selects), so
// that the table holds exactly what the loop would have computed; an op
// with overflow flags (whose overflow is poison), a shift by the width or
// more, or any op outside that list makes the match fail.
//
//===----------------------------------------------------------------------===//

#include "IntegerTail.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

#include <array>

using namespace mlir;
using namespace mlir::qopt;

namespace {

class Evaluator {
public:
  Evaluator(Block *body, llvm::SmallPtrSetImpl<Operation *> &used)
      : body(body), used(used) {}

  llvm::DenseMap<Value, APInt> env;

  std::optional<APInt> eval(Value v) {
    if (auto it = env.find(v); it != env.end())
      return it->second;
    Operation *op = v.getDefiningOp();
    if (!op)
      return std::nullopt; // a block argument without a value
    APInt constant;
    if (op->getBlock() != body) {
      if (matchPattern(v, m_ConstantInt(&constant)))
        return constant;
      return std::nullopt;
    }
    if (op->getNumResults() != 1 ||
        !isa<IntegerType>(op->getResult(0).getType()))
      return std::nullopt;
    if (auto flags = dyn_cast<arith::ArithIntegerOverflowFlagsInterface>(op);
        flags && flags.getOverflowAttr().getValue() !=
                     arith::IntegerOverflowFlags::none)
      return std::nullopt;
    used.insert(op);
    unsigned width = op->getResult(0).getType().getIntOrFloatBitWidth();
    SmallVector<APInt, 3> in;
    if (!isa<arith::ConstantOp>(op))
      for (Value operand : op->getOperands()) {
        std::optional<APInt> x = eval(operand);
        if (!x)
          return std::nullopt;
        in.push_back(*x);
      }
    auto shiftOk = [&] { return in[1].ult(width); };
    return llvm::TypeSwitch<Operation *, std::optional<APInt>>(op)
        .Case([&](arith::ConstantOp) -> std::optional<APInt> {
          if (matchPattern(v, m_ConstantInt(&constant)))
            return constant;
          return std::nullopt;
        })
        .Case([&](arith::ExtSIOp) { return in[0].sext(width); })
        .Case([&](arith::ExtUIOp) { return in[0].zext(width); })
        .Case([&](arith::TruncIOp) { return in[0].trunc(width); })
        .Case([&](arith::AddIOp) { return in[0] + in[1]; })
        .Case([&](arith::SubIOp) { return in[0] - in[1]; })
        .Case([&](arith::MulIOp) { return in[0] * in[1]; })
        .Case([&](arith::AndIOp) { return in[0] & in[1]; })
        .Case([&](arith::OrIOp) { return in[0] | in[1]; })
        .Case([&](arith::XOrIOp) { return in[0] ^ in[1]; })
        .Case([&](arith::ShRSIOp) -> std::optional<APInt> {
          if (!shiftOk())
            return std::nullopt;
          return in[0].ashr(in[1]);
        })
        .Case([&](arith::ShRUIOp) -> std::optional<APInt> {
          if (!shiftOk())
            return std::nullopt;
          return in[0].lshr(in[1]);
        })
        .Case([&](arith::ShLIOp) -> std::optional<APInt> {
          if (!shiftOk())
            return std::nullopt;
          return in[0].shl(in[1]);
        })
        .Case([&](arith::MaxSIOp) { return llvm::APIntOps::smax(in[0], in[1]); })
        .Case([&](arith::MinSIOp) { return llvm::APIntOps::smin(in[0], in[1]); })
        .Case([&](arith::MaxUIOp) { return llvm::APIntOps::umax(in[0], in[1]); })
        .Case([&](arith::MinUIOp) { return llvm::APIntOps::umin(in[0], in[1]); })
        .Case([&](arith::SelectOp) {
          return in[0].isOne() ? in[1] : in[2];
        })
        .Case([&](arith::CmpIOp cmp) {
          return APInt(1, arith::applyCmpPredicate(cmp.getPredicate(), in[0],
                                                   in[1]));
        })
        .Default([](Operation *) { return std::nullopt; });
  }

private:
  Block *body;
  llvm::SmallPtrSetImpl<Operation *> &used;
};

/// What `v` depends on: y, the channel arguments, or neither (constants).
/// False if it reads anything else of the loop (another argument).
bool dependencies(Value v, Value y, Block *body,
                  const llvm::DenseMap<Value, SmallVector<int64_t>> &channelArgs,
                  bool &onY, bool &onChannel) {
  if (v == y) {
    onY = true;
    return true;
  }
  if (channelArgs.count(v)) {
    onChannel = true;
    return true;
  }
  if (isa<BlockArgument>(v))
    return false;
  Operation *op = v.getDefiningOp();
  if (op->getBlock() != body)
    return matchPattern(v, m_Constant());
  for (Value operand : op->getOperands())
    if (!dependencies(operand, y, body, channelArgs, onY, onChannel))
      return false;
  return true;
}

/// The constant that `v = OpTy(other, c)` (either order) applies.
template <typename OpTy>
std::optional<int64_t> splitConstant(Value v, Block *body, Value &other,
                                     Operation *&op) {
  auto typed = v.getDefiningOp<OpTy>();
  if (!typed || typed->getBlock() != body)
    return std::nullopt;
  for (int i = 0; i < 2; ++i)
    if (auto c = getConstantIntValue(typed->getOperand(1 - i))) {
      other = typed->getOperand(i);
      op = typed;
      return c;
    }
  return std::nullopt;
}

/// round_half_up((y - zp)·m, s) as convert-qopt-to-linalg builds it
/// (roundingShift, docs/Numerics.md: (v >> s) + ((v >> (s - 1)) & 1), the
/// two terms of the sum) for constants zp, m and s >= 1, read from the
/// floor term; the values are compared with the evaluated table by the
/// caller, which is what makes the match exact.
std::optional<std::array<int64_t, 3>>
matchDyadicTerm(ArrayRef<Value> terms, Value y) {
  // The sum's flattening has split floor + half bit into two terms.
  arith::ShRSIOp floor;
  for (Value term : terms)
    if (auto shift = term.getDefiningOp<arith::ShRSIOp>())
      floor = shift;
  if (!floor || terms.size() != 2)
    return std::nullopt;
  std::optional<int64_t> s = getConstantIntValue(floor.getRhs());
  Value v = floor.getLhs();
  auto mul = v.getDefiningOp<arith::MulIOp>();
  if (!s || !mul)
    return std::nullopt;
  std::optional<int64_t> m = getConstantIntValue(mul.getRhs());
  Value x = mul.getLhs();
  if (!m) {
    m = getConstantIntValue(mul.getLhs());
    x = mul.getRhs();
  }
  if (!m)
    return std::nullopt;
  int64_t zp = 0;
  if (auto sub = x.getDefiningOp<arith::SubIOp>()) {
    std::optional<int64_t> c = getConstantIntValue(sub.getRhs());
    if (!c)
      return std::nullopt;
    zp = *c;
    x = sub.getLhs();
  }
  auto ext = x.getDefiningOp<arith::ExtSIOp>();
  if (!ext || ext.getIn() != y)
    return std::nullopt;
  return std::array<int64_t, 3>{zp, *m, *s};
}

} // namespace

std::optional<IntegerTail> qopt::matchIntegerTail(
    Value result, Value y,
    const llvm::DenseMap<Value, SmallVector<int64_t>> &channelArgs,
    int64_t numChannels, llvm::SmallPtrSetImpl<Operation *> &used) {
  // trunci(minsi(maxsi(sum, lo), hi)) to i8: the clamp of clampI64.
  auto trunc = result.getDefiningOp<arith::TruncIOp>();
  if (!trunc || !trunc.getType().isInteger(8))
    return std::nullopt;
  Block *body = trunc->getBlock();
  Value clamped, sum;
  Operation *minOp = nullptr, *maxOp = nullptr;
  auto hi = splitConstant<arith::MinSIOp>(trunc.getIn(), body, clamped, minOp);
  auto lo = hi ? splitConstant<arith::MaxSIOp>(clamped, body, sum, maxOp)
               : std::nullopt;
  // The bounds keep the truncation exact; a width of 34 bits or more keeps
  // the sum of the bounded terms below from wrapping.
  if (!lo || *lo < -128 || *hi > 127 || *lo > *hi ||
      sum.getType().getIntOrFloatBitWidth() < 34)
    return std::nullopt;
  SmallVector<Operation *> structure = {trunc, minOp, maxOp};
  // The sum's terms.
  SmallVector<Value> terms, pending = {sum};
  while (!pending.empty()) {
    Value v = pending.pop_back_val();
    auto add = v.getDefiningOp<arith::AddIOp>();
    if (add && add->getBlock() == body &&
        add.getOverflowFlags() == arith::IntegerOverflowFlags::none) {
      structure.push_back(add);
      pending.push_back(add.getLhs());
      pending.push_back(add.getRhs());
    } else {
      terms.push_back(v);
    }
  }
  if (terms.size() > 8)
    return std::nullopt;
  SmallVector<Value> yTerms, channelTerms;
  for (Value term : terms) {
    bool onY = false, onChannel = false;
    if (!dependencies(term, y, body, channelArgs, onY, onChannel) ||
        (onY && onChannel))
      return std::nullopt;
    (onY ? yTerms : channelTerms).push_back(term);
  }
  // Each term below 2^28 in magnitude: the sums of at most 8 fit int32 and
  // never wrap at the loop's width.
  const int64_t bound = int64_t(1) << 28;
  Evaluator evaluator(body, used);
  auto sumOf = [&](ArrayRef<Value> values) -> std::optional<int64_t> {
    int64_t total = 0;
    for (Value value : values) {
      std::optional<APInt> x = evaluator.eval(value);
      if (!x || x->getBitWidth() > 64)
        return std::nullopt;
      int64_t t = x->getSExtValue();
      if (t <= -bound || t >= bound)
        return std::nullopt;
      total += t;
    }
    return total;
  };
  IntegerTail tail;
  tail.lo = *lo;
  tail.hi = *hi;
  for (int64_t v = -128; v < 128; ++v) {
    evaluator.env.clear();
    evaluator.env[y] = APInt(8, v, /*isSigned=*/true);
    std::optional<int64_t> t = sumOf(yTerms);
    if (!t)
      return std::nullopt;
    tail.lut.push_back(*t);
  }
  bool perChannel = llvm::any_of(channelTerms, [&](Value term) {
    bool onY = false, onChannel = false;
    dependencies(term, y, body, channelArgs, onY, onChannel);
    return onChannel;
  });
  for (int64_t c = 0; c < (perChannel ? numChannels : 1); ++c) {
    evaluator.env.clear();
    for (auto &[arg, values] : channelArgs)
      evaluator.env[arg] = APInt(arg.getType().getIntOrFloatBitWidth(),
                                 values[c], /*isSigned=*/true);
    std::optional<int64_t> t = sumOf(channelTerms);
    if (!t)
      return std::nullopt;
    tail.add.push_back(*t);
  }
  // One rescale of y beside per-channel terms (an int_add of a bias): its
  // parameters, if they give the table exactly.
  if (perChannel)
    if (auto dyadic = matchDyadicTerm(yTerms, y)) {
      auto [zp, m, s] = *dyadic;
      bool exact = s >= 1 && s <= 32 && m >= 0 && m < (int64_t(1) << 31) &&
                   zp > -(int64_t(1) << 20) && zp < (int64_t(1) << 20);
      for (int64_t v = -128; exact && v < 128; ++v) {
        __int128 p = static_cast<__int128>(v - zp) * m;
        exact = static_cast<int64_t>((p >> s) + ((p >> (s - 1)) & 1)) ==
                tail.lut[v + 128];
      }
      if (exact) {
        tail.dyZp = zp;
        tail.dyM = m;
        tail.dyS = s;
      }
    }
  if (!perChannel) {
    for (int64_t &entry : tail.lut)
      entry += tail.add.front();
    tail.add.clear();
  }
  used.insert(structure.begin(), structure.end());
  return tail;
}
