//===- ConvEpilogue.cpp - bias + clamp into the convolution call ----------===//
//
// After convert-linalg-to-qopt-runtime, a convolution with bias and
// activation is a kernel call that writes its output, then a loop that
// reads it back, adds the bias, clamps and writes it again. On MobileNetV2
// those loops were 12 % of the time, almost all of it memory traffic: the
// kernel can do the same arithmetic on each output tile while it is in L1
// (qopt_rt_conv2d_nchw_f32_epilogue). This pass recognises the pair on
// buffers and replaces it by that call, writing into the loop's output.
//
//===----------------------------------------------------------------------===//

#include "qopt/Conversion/ConvEpilogue/ConvEpilogue.h"
#include "qopt/Conversion/RuntimeCalls.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"

#include <limits>

namespace mlir::qopt {
#define GEN_PASS_DEF_FUSECONVEPILOGUEINTOQOPTRUNTIMEPASS
#include "qopt/Conversion/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kConv = "qopt_rt_conv2d_nchw_f32";
constexpr llvm::StringLiteral kConvEpilogue = qopt::kConvEpilogueCallee;
// The QOPT_RT_EPI_* bits of include/qopt/Runtime/Runtime.h.
constexpr int64_t kBias = 1, kBiasScalar = 2, kMin = 4, kMax = 8,
                  kResidual = qopt::kEpilogueResidual;

/// What the generic computes from the convolution's output element x.
struct Epilogue {
  Value x;          // the block argument holding the convolution's output
  Value biasArg;    // block argument of a per-channel bias, or null
  Value residualArg; // block argument of a residual input, or null
  float biasScalar = 0.0f, lo = 0.0f, hi = 0.0f;
  int64_t flags = 0;
};

std::optional<float> constantF32(Value v) {
  FloatAttr attr;
  if (!v.getType().isF32() || !matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  return attr.getValue().convertToFloat();
}

/// Parses yield(min(max(add(r, add(x, b)), lo), hi)), each step optional
/// (the residual r only around a bias add).
std::optional<Epilogue> parseBody(linalg::GenericOp generic) {
  Block &body = generic.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (yield.getNumOperands() != 1)
    return std::nullopt;
  Epilogue e;
  Value cur = yield.getOperand(0);
  // `op(v, c)` or `op(c, v)` with a constant c: returns v and sets c.
  auto unwrap = [&](Operation *op, float &constant) -> Value {
    for (int i = 0; i < 2; ++i)
      if (auto c = constantF32(op->getOperand(1 - i))) {
        constant = *c;
        return op->getOperand(i);
      }
    return nullptr;
  };
  if (auto min = cur.getDefiningOp<arith::MinimumFOp>()) {
    if (!(cur = unwrap(min, e.hi)))
      return std::nullopt;
    e.flags |= kMax;
  }
  if (auto max = cur.getDefiningOp<arith::MaximumFOp>()) {
    if (!(cur = unwrap(max, e.lo)))
      return std::nullopt;
    e.flags |= kMin;
  }
  auto isArg = [&](Value v) {
    return isa<BlockArgument>(v) && cast<BlockArgument>(v).getOwner() == &body;
  };
  // residual + (x + b): one operand an argument, the other the inner add.
  if (auto add = cur.getDefiningOp<arith::AddFOp>()) {
    Value a = add.getLhs(), b = add.getRhs();
    if (add.getFastmathAttr().getValue() == arith::FastMathFlags::none &&
        isArg(a) != isArg(b)) {
      Value inner = isArg(a) ? b : a;
      if (inner.getDefiningOp<arith::AddFOp>()) {
        e.residualArg = isArg(a) ? a : b;
        e.flags |= kResidual;
        cur = inner;
      }
    }
  }
  if (auto add = cur.getDefiningOp<arith::AddFOp>()) {
    if (add.getFastmathAttr().getValue() != arith::FastMathFlags::none)
      return std::nullopt;
    Value a = add.getLhs(), b = add.getRhs();
    if (auto c = constantF32(b); c && isArg(a)) {
      e.biasScalar = *c;
      e.flags |= kBiasScalar;
      cur = a;
    } else if (auto c = constantF32(a); c && isArg(b)) {
      e.biasScalar = *c;
      e.flags |= kBiasScalar;
      cur = b;
    } else if (isArg(a) && isArg(b)) {
      // Which one is the bias is decided by the operands' maps below.
      e.biasArg = b;
      e.flags |= kBias;
      cur = a;
    } else {
      return std::nullopt;
    }
  }
  // Every non-constant op of the body must be one of the matched ones.
  unsigned ops = llvm::count_if(body.without_terminator(), [](Operation &op) {
    return !op.hasTrait<OpTrait::ConstantLike>();
  });
  unsigned expected = (e.flags & kMax ? 1 : 0) + (e.flags & kMin ? 1 : 0) +
                      (e.flags & (kBias | kBiasScalar) ? 1 : 0) +
                      (e.flags & kResidual ? 1 : 0);
  if (ops != expected || expected == 0 || !isa<BlockArgument>(cur))
    return std::nullopt;
  e.x = cur;
  return e;
}

bool isContiguous(MemRefType type) {
  return type.hasStaticShape() && type.getLayout().isIdentity() &&
         !type.getMemorySpace() && type.getElementType().isF32();
}

/// The buffer `v` is a reshape of (through collapse/expand_shape).
Value rootOf(Value v) {
  while (true) {
    if (auto c = v.getDefiningOp<memref::CollapseShapeOp>())
      v = c.getSrc();
    else if (auto e = v.getDefiningOp<memref::ExpandShapeOp>())
      v = e.getSrc();
    else
      return v;
  }
}

func::FuncOp declareEpilogueCall(ModuleOp module) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(kConvEpilogue))
    return existing;
  OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
  Type i64 = b.getI64Type(), f32 = b.getF32Type();
  SmallVector<Type> args(22, i64);
  args.append({i64, f32, i64, f32, f32, i64});
  auto func = func::FuncOp::create(b, module.getLoc(), kConvEpilogue,
                                   b.getFunctionType(args, {}));
  func.setPrivate();
  return func;
}

/// The i64 address of a contiguous buffer (offset 0 by its layout).
Value addressOf(OpBuilder &b, Location loc, Value memref) {
  Value p = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, memref);
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), p);
}

/// The convolution call that wrote `root` (through the aligned pointer of
/// it that is its output argument), if that, reshapes, deallocations and
/// the users `allowed` accepts are root's only users; null otherwise.
func::CallOp convWriting(Value root,
                         llvm::function_ref<bool(Operation *)> allowed) {
  func::CallOp call;
  SmallVector<Value> views{root};
  while (!views.empty()) {
    Value v = views.pop_back_val();
    for (Operation *user : v.getUsers()) {
      if (isa<memref::CollapseShapeOp, memref::ExpandShapeOp>(user)) {
        views.push_back(user->getResult(0));
        continue;
      }
      if (isa<memref::DeallocOp>(user) || allowed(user))
        continue;
      auto pointer = dyn_cast<memref::ExtractAlignedPointerAsIndexOp>(user);
      if (!pointer || !pointer->hasOneUse())
        return nullptr;
      auto cast = dyn_cast<arith::IndexCastOp>(*pointer->user_begin());
      if (!cast || !cast->hasOneUse())
        return nullptr;
      auto c = dyn_cast<func::CallOp>(*cast->user_begin());
      if (!c || call || c.getCallee() != kConv || c.getNumOperands() != 23 ||
          c.getOperand(2) != cast.getResult())
        return nullptr;
      call = c;
    }
  }
  return call;
}

LogicalResult fuse(ModuleOp module, linalg::GenericOp generic) {
  if (!generic.hasPureBufferSemantics() || generic.getNumDpsInits() != 1 ||
      generic.getNumLoops() != 4 ||
      generic.getNumParallelLoops() != generic.getNumLoops())
    return failure();
  std::optional<Epilogue> e = parseBody(generic);
  if (!e)
    return failure();
  MLIRContext *context = generic.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(4, context);
  AffineMap channel = AffineMap::get(4, 0, getAffineDimExpr(1, context));

  // The operands behind x and the bias, by their maps.
  OpOperand *xOperand = generic.getMatchingOpOperand(cast<BlockArgument>(e->x));
  if (generic.getMatchingIndexingMap(xOperand) != identity)
    return failure();
  Value bias;
  if (e->biasArg) {
    OpOperand *biasOperand =
        generic.getMatchingOpOperand(cast<BlockArgument>(e->biasArg));
    if (generic.getMatchingIndexingMap(biasOperand) != channel) {
      // addf(bias, x): the roles are the other way round.
      std::swap(e->x, e->biasArg);
      xOperand = generic.getMatchingOpOperand(cast<BlockArgument>(e->x));
      biasOperand = generic.getMatchingOpOperand(cast<BlockArgument>(e->biasArg));
      if (generic.getMatchingIndexingMap(xOperand) != identity ||
          generic.getMatchingIndexingMap(biasOperand) != channel)
        return failure();
    }
    if (generic.isDpsInit(biasOperand))
      return failure();
    bias = biasOperand->get();
    auto type = dyn_cast<MemRefType>(bias.getType());
    if (!type || !isContiguous(type))
      return failure();
  }
  OpOperand *out = generic.getDpsInitOperand(0);
  bool inPlace = xOperand == out;
  // The output's own value must not be read unless it is x.
  if (!inPlace && generic.payloadUsesValueFromOperand(out))
    return failure();
  if (generic.getMatchingIndexingMap(out) != identity)
    return failure();
  Value x = xOperand->get(), o = out->get();
  auto xType = dyn_cast<MemRefType>(x.getType());
  auto oType = dyn_cast<MemRefType>(o.getType());
  if (!xType || !oType || !isContiguous(xType) || !isContiguous(oType) ||
      xType.getShape() != oType.getShape())
    return failure();

  // The residual: an input laid out as the output, in neither x's nor the
  // output's buffer.
  Value residual;
  if (e->residualArg) {
    OpOperand *operand =
        generic.getMatchingOpOperand(cast<BlockArgument>(e->residualArg));
    if (generic.isDpsInit(operand) ||
        generic.getMatchingIndexingMap(operand) != identity)
      return failure();
    residual = operand->get();
    auto type = dyn_cast<MemRefType>(residual.getType());
    if (!type || !isContiguous(type) || type.getShape() != oType.getShape() ||
        rootOf(residual) == rootOf(o) || rootOf(residual) == rootOf(x))
      return failure();
  }

  // x is (a reshape of) the buffer B a convolution call overwrote; the
  // call's output address is B's aligned pointer.
  Value root = rootOf(x);
  auto rootType = dyn_cast<MemRefType>(root.getType());
  if (!rootType || !isContiguous(rootType))
    return failure();
  // A buffer from outside (an out-parameter: the convolution's value is a
  // result too) must still receive the convolution's values.
  if (!inPlace && isa<BlockArgument>(root))
    return failure();
  // The generic reads it; in place, readers after the generic see the
  // finished values, as before. Otherwise the convolution's own values are
  // never written: nothing else may read them.
  func::CallOp call = convWriting(root, [&](Operation *user) {
    if (user == generic.getOperation())
      return true;
    Operation *ancestor = generic->getBlock()->findAncestorOpInBlock(*user);
    return inPlace && ancestor && generic->isBeforeInBlock(ancestor);
  });
  if (!call || call->getBlock() != generic->getBlock() ||
      !call->isBeforeInBlock(generic))
    return failure();
  APInt value;
  if (!matchPattern(call.getOperand(22), m_ConstantInt(&value)) ||
      !value.isZero())
    return failure();
  for (Operation *op = call->getNextNode(); op != generic.getOperation();
       op = op->getNextNode())
    if (!qopt::touchesNoBufferContents(op))
      return failure();
  // The per-channel bias has one value per output channel: groups·f.
  if (bias && cast<MemRefType>(bias.getType()).getShape() !=
                  ArrayRef<int64_t>{xType.getDimSize(1)})
    return failure();

  OpBuilder b(generic);
  Location loc = generic.getLoc();
  SmallVector<Value> args(call.getOperands().take_front(22));
  args[2] = addressOf(b, loc, o);
  Type i64 = b.getI64Type(), f32 = b.getF32Type();
  args.push_back(bias ? addressOf(b, loc, bias)
                      : arith::ConstantIntOp::create(b, loc, i64, 0));
  auto f32Constant = [&](float v) -> Value {
    return arith::ConstantOp::create(b, loc, f32, b.getF32FloatAttr(v));
  };
  args.push_back(f32Constant(e->biasScalar));
  args.push_back(residual ? addressOf(b, loc, residual)
                          : arith::ConstantIntOp::create(b, loc, i64, 0));
  args.push_back(f32Constant(e->lo));
  args.push_back(f32Constant(e->hi));
  args.push_back(arith::ConstantIntOp::create(b, loc, i64, e->flags));
  func::CallOp::create(b, loc, declareEpilogueCall(module), args);
  Operation *cast = call.getOperand(2).getDefiningOp();
  Operation *pointer = cast->getOperand(0).getDefiningOp();
  call.erase();
  cast->erase();
  pointer->erase();
  generic.erase();
  return success();
}

/// The sum of two biased convolutions, clamped or not, as a residual block
/// ends (ResNet's downsampling blocks, fashion_cnn's last two):
///   out = clamp((xA + biasA) + (xB + biasB))
/// matches no single epilogue, so both sums used to stay in a loop after
/// the two calls. This inserts `xA = xA + biasA` (in place, right after
/// A's call: fused into A's call below) and leaves `clamp(xA + (xB +
/// biasB))`: B's epilogue with xA as its residual. xA is the output of the
/// earlier call. The same float additions happen (addition commutes), so
/// the result is bit for bit that of the loop.
void splitSumOfBiases(linalg::GenericOp generic) {
  if (!generic.hasPureBufferSemantics() || generic.getNumDpsInits() != 1 ||
      generic.getNumLoops() != 4 ||
      generic.getNumParallelLoops() != generic.getNumLoops())
    return;
  Block &body = generic.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (yield.getNumOperands() != 1)
    return;
  Value cur = yield.getOperand(0);
  for (int i = 0; i < 2; ++i)
    if (isa_and_nonnull<arith::MinimumFOp, arith::MaximumFOp>(
            cur.getDefiningOp())) {
      Operation *clamp = cur.getDefiningOp();
      if (constantF32(clamp->getOperand(1)))
        cur = clamp->getOperand(0);
      else if (constantF32(clamp->getOperand(0)))
        cur = clamp->getOperand(1);
      else
        return;
    }
  auto plain = [](arith::AddFOp add) {
    return add &&
           add.getFastmathAttr().getValue() == arith::FastMathFlags::none;
  };
  auto outer = cur.getDefiningOp<arith::AddFOp>();
  if (!plain(outer))
    return;
  MLIRContext *context = generic.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(4, context);
  AffineMap channel = AffineMap::get(4, 0, getAffineDimExpr(1, context));
  // Each side: x (identity map) + bias (channel map), both inputs.
  struct Side {
    arith::AddFOp add;
    BlockArgument xArg;
    Value x, bias;
    func::CallOp call;
  };
  Side sides[2];
  for (int i = 0; i < 2; ++i) {
    Side &side = sides[i];
    side.add = outer->getOperand(i).getDefiningOp<arith::AddFOp>();
    if (!plain(side.add) || !side.add->hasOneUse())
      return;
    for (int j = 0; j < 2; ++j) {
      auto arg = dyn_cast<BlockArgument>(side.add->getOperand(j));
      if (!arg || arg.getOwner() != &body)
        return;
      OpOperand *operand = generic.getMatchingOpOperand(arg);
      if (generic.isDpsInit(operand))
        return;
      AffineMap map = generic.getMatchingIndexingMap(operand);
      if (map == identity && !side.x) {
        side.xArg = arg;
        side.x = operand->get();
      } else if (map == channel && !side.bias) {
        side.bias = operand->get();
      } else {
        return;
      }
    }
    if (!side.x || !side.bias)
      return;
    auto xType = dyn_cast<MemRefType>(side.x.getType());
    auto bType = dyn_cast<MemRefType>(side.bias.getType());
    if (!xType || !bType || !isContiguous(xType) || !isContiguous(bType) ||
        bType.getShape() != ArrayRef<int64_t>{xType.getDimSize(1)})
      return;
    side.call = convWriting(rootOf(side.x), [&](Operation *user) {
      return user == generic.getOperation();
    });
    if (!side.call || side.call->getBlock() != generic->getBlock() ||
        !side.call->isBeforeInBlock(generic))
      return;
  }
  Value out = generic.getDpsInitOperand(0)->get();
  if (rootOf(sides[0].x) == rootOf(sides[1].x) ||
      rootOf(sides[0].x) == rootOf(out) || rootOf(sides[1].x) == rootOf(out) ||
      generic.payloadUsesValueFromOperand(generic.getDpsInitOperand(0)))
    return;
  Side &a = sides[0].call->isBeforeInBlock(sides[1].call) ? sides[0] : sides[1];
  // `xA += biasA` goes after A's call and after what defines its operands;
  // everything from the call to there must be benign for A's fusion.
  Operation *point = a.call;
  for (Value v : {a.x, a.bias})
    if (Operation *def = v.getDefiningOp())
      if (def->getBlock() == generic->getBlock() && point->isBeforeInBlock(def))
        point = def;
  for (Operation *op = a.call->getNextNode(); op != point->getNextNode();
       op = op->getNextNode())
    if (op != point && !qopt::touchesNoBufferContents(op))
      return;
  OpBuilder b(context);
  b.setInsertionPointAfter(point);
  SmallVector<AffineMap> maps{channel, identity};
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  bool xFirst = a.add.getLhs() == a.xArg;
  linalg::GenericOp::create(
      b, generic.getLoc(), TypeRange{}, ValueRange{a.bias}, ValueRange{a.x},
      maps, iterators, [&](OpBuilder &nested, Location loc, ValueRange args) {
        Value sum = xFirst ? arith::AddFOp::create(nested, loc, args[1], args[0])
                           : arith::AddFOp::create(nested, loc, args[0], args[1]);
        linalg::YieldOp::create(nested, loc, sum);
      });
  // The sum now reads xA with its bias: A's side of the add is its x.
  a.add.getResult().replaceAllUsesWith(a.xArg);
  a.add.erase();
}

struct FuseConvEpilogueIntoQOptRuntimePass
    : qopt::impl::FuseConvEpilogueIntoQOptRuntimePassBase<
          FuseConvEpilogueIntoQOptRuntimePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<linalg::GenericOp> sums;
    module.walk([&](linalg::GenericOp op) { sums.push_back(op); });
    for (linalg::GenericOp op : sums)
      splitSumOfBiases(op);
    SmallVector<linalg::GenericOp> candidates;
    module.walk([&](linalg::GenericOp op) { candidates.push_back(op); });
    for (linalg::GenericOp op : candidates)
      (void)fuse(module, op);
  }
};

} // namespace
