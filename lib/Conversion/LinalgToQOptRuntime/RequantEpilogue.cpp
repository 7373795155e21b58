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
#include "IntegerTail.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
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

  /// Records ops matched elsewhere (the integer tail, a bias addition).
  void markMatched(Operation *op) { matched.insert(op); }
  llvm::SmallPtrSetImpl<Operation *> &matchedOps() { return matched; }

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

/// The fused call stands where the contraction `anchor` was: the output
/// buffer (a fresh allocation, moved up if needed, or a function argument)
/// must exist there, and nothing may touch it between the contraction and
/// the rescale loop `consumer`. Earlier users must not be views (which could
/// be used in between).
bool placeOutput(Value output, Operation *anchor, Operation *consumer) {
  for (Operation *user : output.getUsers()) {
    if (user == consumer)
      continue;
    if (user->getBlock() != anchor->getBlock())
      return false;
    if (consumer->isBeforeInBlock(user))
      continue;
    if (!user->isBeforeInBlock(anchor) || user->getNumResults() != 0)
      return false;
  }
  if (auto outAlloc = output.getDefiningOp<memref::AllocOp>()) {
    if (outAlloc->getBlock() != anchor->getBlock() ||
        outAlloc->getNumOperands() != 0)
      return false;
    if (anchor->isBeforeInBlock(outAlloc))
      outAlloc->moveBefore(anchor);
    return true;
  }
  auto arg = dyn_cast<BlockArgument>(output);
  return arg && arg.getOwner() == anchor->getBlock() &&
         isa<func::FuncOp>(arg.getOwner()->getParentOp());
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

  if (!placeOutput(output, conv, consumer))
    return std::nullopt;
  epilogue.output = output;
  epilogue.deadOps = {consumer, init};
  if (dealloc)
    epilogue.deadOps.push_back(dealloc);
  epilogue.deadOps.push_back(alloc);
  return epilogue;
}

namespace {

/// The values of a constant integer global, row-major, sign-extended.
std::optional<SmallVector<int64_t>> globalValues(ModuleOp module, Value v) {
  memref::GlobalOp global = constantGlobal(module, v);
  if (!global)
    return std::nullopt;
  Attribute initial = global.getInitialValueAttr();
  SmallVector<int64_t> out;
  if (auto values = dyn_cast_or_null<DenseIntElementsAttr>(initial)) {
    for (const APInt &x : values)
      out.push_back(x.getSExtValue());
    return out;
  }
  // Weights and their quantization constants come as resource blobs: the
  // raw little-endian elements.
  auto resource = dyn_cast_or_null<DenseResourceElementsAttr>(initial);
  AsmResourceBlob *blob =
      resource ? resource.getRawHandle().getBlob() : nullptr;
  auto type = resource ? dyn_cast<IntegerType>(resource.getElementType())
                       : IntegerType();
  if (!blob || !type || !llvm::is_contained({8u, 16u, 32u, 64u},
                                            type.getWidth()))
    return std::nullopt;
  ArrayRef<char> data = blob->getData();
  unsigned bytes = type.getWidth() / 8;
  int64_t count = resource.getType().getNumElements();
  if (static_cast<int64_t>(data.size()) != count * bytes)
    return std::nullopt;
  for (int64_t i = 0; i < count; ++i) {
    uint64_t raw = 0;
    for (unsigned byte = 0; byte < bytes; ++byte)
      raw |= uint64_t(static_cast<uint8_t>(data[i * bytes + byte]))
             << (8 * byte);
    out.push_back(APInt(type.getWidth(), raw).getSExtValue());
  }
  return out;
}

/// The per-channel values an input of the rescale loop provides, the
/// channel being the last of the loop's `rank` dims, `channels` long: a
/// constant int[channels] vector read at that dim, or a constant of the
/// loop's shape whose values only depend on that dim (a bias broadcast
/// ahead of time).
std::optional<SmallVector<int64_t>>
channelValues(ModuleOp module, linalg::GenericOp loop, OpOperand *input,
              ArrayRef<int64_t> shape) {
  AffineMap map = loop.getMatchingIndexingMap(input);
  auto type = dyn_cast<MemRefType>(input->get().getType());
  int64_t channels = shape.back();
  if (!type || !type.getElementType().isInteger() || !type.hasStaticShape())
    return std::nullopt;
  std::optional<SmallVector<int64_t>> values =
      globalValues(module, input->get());
  if (!values)
    return std::nullopt;
  if (map.getNumResults() == 1 &&
      map.getResult(0) ==
          getAffineDimExpr(shape.size() - 1, map.getContext()) &&
      type.getShape() == ArrayRef<int64_t>{channels})
    return values;
  if (!map.isIdentity() || type.getShape() != shape)
    return std::nullopt;
  for (size_t i = 0; i < values->size(); ++i)
    if ((*values)[i] != (*values)[i % channels])
      return std::nullopt;
  values->resize(channels);
  return values;
}

} // namespace

std::optional<MatmulRequantEpilogue>
qopt::matchMatmulRequantEpilogue(ModuleOp module, linalg::LinalgOp matmul,
                                 bool batched) {
  Value acc = matmul.getDpsInits()[0];
  auto alloc = acc.getDefiningOp<memref::AllocOp>();
  auto accType = dyn_cast<MemRefType>(acc.getType());
  if (!alloc || alloc->getBlock() != matmul->getBlock() || !accType ||
      !accType.hasStaticShape() || !accType.getElementType().isInteger(32) ||
      !accType.getLayout().isIdentity())
    return std::nullopt;
  Block *block = matmul->getBlock();
  // acc's users: its zero fill, the product, a reshaped view (int_matmul's
  // leading dims), the rescale loop, its dealloc.
  Operation *fill = nullptr, *dealloc = nullptr, *view = nullptr;
  linalg::GenericOp consumer;
  Value accView = acc;
  auto takeConsumer = [&](Operation *user) {
    auto generic = dyn_cast<linalg::GenericOp>(user);
    if (!generic || consumer)
      return false;
    consumer = generic;
    return true;
  };
  for (Operation *user : alloc->getUsers()) {
    if (user == matmul.getOperation())
      continue;
    if (isa<memref::DeallocOp>(user) && !dealloc) {
      dealloc = user;
    } else if (auto f = dyn_cast<linalg::FillOp>(user);
               f && !fill && f.getOutputs()[0] == acc &&
               getConstantIntValue(f.getInputs()[0]) == 0) {
      fill = f;
    } else if (isa<memref::ExpandShapeOp, memref::CollapseShapeOp>(user) &&
               !view && user->hasOneUse() && user->getBlock() == block &&
               cast<MemRefType>(user->getResult(0).getType())
                   .getLayout()
                   .isIdentity()) {
      view = user;
      accView = user->getResult(0);
      if (!takeConsumer(*user->getUsers().begin()))
        return std::nullopt;
    } else if (!takeConsumer(user)) {
      return std::nullopt;
    }
  }
  if (!fill || !consumer || fill->getBlock() != block ||
      !fill->isBeforeInBlock(matmul) || consumer->getBlock() != block ||
      !matmul->isBeforeInBlock(consumer) ||
      (dealloc && !consumer->isBeforeInBlock(dealloc)))
    return std::nullopt;

  // The loop: all parallel, acc (identity) and channel vectors in, an i8
  // buffer of acc's shape out.
  auto viewType = cast<MemRefType>(accView.getType());
  ArrayRef<int64_t> shape = viewType.getShape();
  if (consumer.getNumDpsInits() != 1 || !isAllParallel(consumer) ||
      !consumer.getIndexingMapsArray().back().isIdentity() ||
      llvm::count(consumer.getDpsInputs(), accView) != 1)
    return std::nullopt;
  Value output = consumer.getDpsInits()[0];
  auto outType = dyn_cast<MemRefType>(output.getType());
  if (!outType || outType.getShape() != shape ||
      !outType.getElementType().isInteger(8) ||
      !outType.getLayout().isIdentity())
    return std::nullopt;
  // Channels are C's columns: the loop's last dim must be all of them.
  int64_t channels = shape.back();
  bool channelIsColumn = channels == accType.getShape().back();
  Block &body = consumer.getRegion().front();
  BlockArgument accArg;
  llvm::DenseMap<Value, SmallVector<int64_t>> channelArgs;
  for (OpOperand *input : consumer.getDpsInputOperands()) {
    BlockArgument arg = consumer.getMatchingBlockArgument(input);
    if (input->get() == accView) {
      if (!consumer.getMatchingIndexingMap(input).isIdentity())
        return std::nullopt;
      accArg = arg;
      continue;
    }
    std::optional<SmallVector<int64_t>> values =
        channelValues(module, consumer, input, shape);
    if (!values || batched || !channelIsColumn)
      return std::nullopt;
    channelArgs[arg] = std::move(*values);
  }

  // The rescale: the one i8 truncation whose stage reads the accumulator
  // (or the accumulator plus an int32 channel bias).
  std::optional<Stage> first;
  Value y;
  std::unique_ptr<BodyMatcher> matcher;
  SmallVector<int64_t> bias;
  for (Operation &op : body.without_terminator()) {
    auto trunc = dyn_cast<arith::TruncIOp>(op);
    if (!trunc || !trunc.getType().isInteger(8))
      continue;
    auto candidate = std::make_unique<BodyMatcher>(body);
    std::optional<Stage> st = candidate->matchStage(trunc);
    if (!st)
      continue;
    SmallVector<int64_t> candidateBias;
    if (st->input != accArg) {
      auto add = st->input.getDefiningOp<arith::AddIOp>();
      if (!add || add->getBlock() != &body ||
          add.getOverflowFlags() != arith::IntegerOverflowFlags::none)
        continue;
      Value other = add.getLhs() == accArg   ? add.getRhs()
                    : add.getRhs() == accArg ? add.getLhs()
                                             : Value();
      if (!other || !other.getType().isInteger(32) ||
          !channelArgs.count(other))
        continue;
      candidateBias = channelArgs[other];
      candidate->markMatched(add);
    }
    if (first) // two candidates: ambiguous
      return std::nullopt;
    first = st;
    y = trunc;
    bias = std::move(candidateBias);
    matcher = std::move(candidate);
  }
  if (!first || first->qmin < -128 || first->qmax > 127 ||
      first->qmin > first->qmax || first->inZp < INT32_MIN ||
      first->inZp > INT32_MAX)
    return std::nullopt;
  MatmulRequantEpilogue epilogue;
  epilogue.bias = std::move(bias);
  if (first->mArg) {
    auto m = channelArgs.find(body.getArgument(*first->mArg));
    auto s = channelArgs.find(body.getArgument(*first->sArg));
    if (m == channelArgs.end() || s == channelArgs.end() ||
        *first->mArg == *first->sArg)
      return std::nullopt;
    epilogue.multiplier = m->second;
    epilogue.shift = s->second;
  } else {
    epilogue.multiplier.push_back(first->m);
    epilogue.shift.push_back(first->s);
  }
  for (int64_t m : epilogue.multiplier)
    if (m < 0 || m >= (int64_t(1) << 31))
      return std::nullopt;
  for (int64_t s : epilogue.shift)
    if (s < 0 || s > 62)
      return std::nullopt;
  if (!first->mArg) {
    epilogue.m0 = first->m;
    epilogue.s0 = first->s;
    epilogue.multiplier.clear();
    epilogue.shift.clear();
  }
  epilogue.accZp = first->inZp;
  epilogue.outZp = first->outZp;
  epilogue.qmin = first->qmin;
  epilogue.qmax = first->qmax;
  // Whatever follows in the loop: integer ops read back as lut + channel
  // add + clamp.
  Value yielded = cast<linalg::YieldOp>(body.getTerminator()).getOperand(0);
  if (yielded != y) {
    epilogue.tail = matchIntegerTail(yielded, y, channelArgs, channels,
                                     matcher->matchedOps());
    if (!epilogue.tail || (batched && !epilogue.tail->add.empty()))
      return std::nullopt;
  }
  if (!matcher->matchedAll())
    return std::nullopt;
  if (!placeOutput(output, matmul, consumer))
    return std::nullopt;
  epilogue.output = output;
  epilogue.deadOps = {consumer};
  if (view)
    epilogue.deadOps.push_back(view);
  epilogue.deadOps.push_back(fill);
  if (dealloc)
    epilogue.deadOps.push_back(dealloc);
  epilogue.deadOps.push_back(alloc);
  return epilogue;
}
