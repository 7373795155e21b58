//===- ExpandDepthwise.cpp - a 1×1 expansion into its depthwise call ------===//
//
// After fuse-conv-epilogue-into-qopt-runtime, an inverted-residual block's
// expansion and depthwise convolution are two runtime calls around a
// buffer that only they use:
//
//   %B = memref.alloc()
//   call @qopt_rt_conv2d_nchw_f32_epilogue(%x, %w1, addr(%B), ... 1×1 ...)
//   ...  (allocations, reshapes, constants, index arithmetic)
//   call @qopt_rt_conv2d_nchw_f32_epilogue(addr(%B), %w2, %out, ... 3×3 dw)
//   memref.dealloc %B
//
// This pass replaces them by one call of
// qopt_rt_conv2d_nchw_f32_expand_depthwise at the second call's place
// (ExpandDepthwise.cpp in the runtime: same values, bit for bit, without
// the buffer's round trip through memory) and removes the buffer.
//
//===----------------------------------------------------------------------===//

#include "qopt/Conversion/ExpandDepthwise/ExpandDepthwise.h"
#include "qopt/Conversion/RuntimeCalls.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_FUSEEXPANDDEPTHWISEINTOQOPTRUNTIMEPASS
#include "qopt/Conversion/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kConvEpilogue = qopt::kConvEpilogueCallee;
constexpr llvm::StringLiteral kFused =
    "qopt_rt_conv2d_nchw_f32_expand_depthwise";
constexpr unsigned kConvEpilogueArgs = 28;
constexpr int64_t kResidual = qopt::kEpilogueResidual;
// As the runtime's ExpandDepthwise.cpp: one K slab, and planes wider than
// those the channel-blocked depthwise kernel takes.
constexpr int64_t kMaxChannels = 256, kMinWidth = 29;

/// The operands of qopt_rt_conv2d_nchw_f32_epilogue, by position.
enum Arg {
  kIn, kW, kOut, kN, kGroups, kC, kH, kWd, kF, kKh, kKw, kOh, kOw, kSh, kSw,
  kDh, kDw, kPt, kPl, kPb, kPr, kCache, kBias, kBiasScalar, kResidualArg,
  kLo, kHi, kFlags
};

std::optional<int64_t> constant(func::CallOp call, Arg arg) {
  APInt value;
  if (!matchPattern(call.getOperand(arg), m_ConstantInt(&value)))
    return std::nullopt;
  return value.getSExtValue();
}

/// Whether the operands `args` of `call` are the constants `values`.
bool constants(func::CallOp call, std::initializer_list<Arg> args,
               int64_t value) {
  for (Arg arg : args)
    if (constant(call, arg) != value)
      return false;
  return true;
}

bool isConvEpilogue(func::CallOp call) {
  return call.getCallee() == kConvEpilogue &&
         call.getNumOperands() == kConvEpilogueArgs;
}

/// Neither epilogue may add a residual (the fused entry has none).
bool noResidual(func::CallOp call) {
  std::optional<int64_t> flags = constant(call, kFlags);
  return flags && !(*flags & kResidual) && constants(call, {kResidualArg}, 0);
}

/// The buffer whose aligned pointer (cast to i64, used once) is `address`.
memref::AllocOp bufferOf(Value address) {
  auto cast = address.getDefiningOp<arith::IndexCastOp>();
  if (!cast || !cast->hasOneUse())
    return nullptr;
  auto pointer =
      cast.getIn().getDefiningOp<memref::ExtractAlignedPointerAsIndexOp>();
  if (!pointer || !pointer->hasOneUse())
    return nullptr;
  return pointer.getSource().getDefiningOp<memref::AllocOp>();
}

func::FuncOp declareFused(ModuleOp module) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(kFused))
    return existing;
  OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
  Type i64 = b.getI64Type(), f32 = b.getF32Type();
  SmallVector<Type> args(9, i64); // in, n, c, h, wd, w1, f, cache1, bias1
  args.append({f32, f32, f32, i64});   // bias_scalar1, lo1, hi1, flags1
  args.append(10, i64); // w2, oh, ow, stride, pt, pl, pb, pr, cache2, bias2
  args.append({f32, f32, f32, i64, i64}); // ..., flags2, out
  auto func = func::FuncOp::create(b, module.getLoc(), kFused,
                                   b.getFunctionType(args, {}));
  func.setPrivate();
  return func;
}

/// Fuses `depthwise` with the expansion that writes its input, if the two
/// and the buffer between them are as the pass's description says.
LogicalResult fuse(ModuleOp module, func::CallOp depthwise) {
  // A 3×3 depthwise convolution, stride 1 or 2, of a wide enough plane.
  std::optional<int64_t> groups = constant(depthwise, kGroups),
                         stride = constant(depthwise, kSh),
                         width = constant(depthwise, kWd);
  if (!isConvEpilogue(depthwise) || !groups || !stride || !width ||
      !constants(depthwise, {kC, kF}, 1) ||
      !constants(depthwise, {kKh, kKw}, 3) ||
      !constants(depthwise, {kDh, kDw}, 1) ||
      constant(depthwise, kSw) != stride || (*stride != 1 && *stride != 2) ||
      *width < kMinWidth || !noResidual(depthwise))
    return failure();
  memref::AllocOp buffer = bufferOf(depthwise.getOperand(kIn));
  if (!buffer)
    return failure();
  // The buffer's users: one address for the expansion's output, one for
  // the depthwise input, deallocations.
  func::CallOp expand;
  for (Operation *user : buffer->getUsers()) {
    if (isa<memref::DeallocOp>(user))
      continue;
    auto pointer = dyn_cast<memref::ExtractAlignedPointerAsIndexOp>(user);
    if (!pointer || !pointer->hasOneUse())
      return failure();
    auto cast = dyn_cast<arith::IndexCastOp>(*pointer->user_begin());
    if (!cast || !cast->hasOneUse())
      return failure();
    auto call = dyn_cast<func::CallOp>(*cast->user_begin());
    if (call == depthwise && call.getOperand(kIn) == cast.getResult())
      continue;
    if (!call || expand || !isConvEpilogue(call) ||
        call.getOperand(kOut) != cast.getResult())
      return failure();
    expand = call;
  }
  // A 1×1 stride-1 unpadded convolution of one group onto the depthwise
  // convolution's input: its f channels of the same plane, same batch.
  std::optional<int64_t> channels = constant(expand, kC);
  if (!expand || !channels || *channels > kMaxChannels ||
      !constants(expand, {kGroups, kKh, kKw, kSh, kSw, kDh, kDw}, 1) ||
      !constants(expand, {kPt, kPl, kPb, kPr}, 0) || !noResidual(expand) ||
      constant(expand, kF) != groups)
    return failure();
  for (Arg arg : {kN, kH, kWd}) {
    std::optional<int64_t> a = constant(expand, arg), b = constant(depthwise, arg);
    if (!a || a != b)
      return failure();
  }
  if (constant(expand, kOh) != constant(expand, kH) ||
      constant(expand, kOw) != constant(expand, kWd))
    return failure();
  // Adjacent: nothing between the calls may touch memory.
  if (expand->getBlock() != depthwise->getBlock() ||
      !expand->isBeforeInBlock(depthwise))
    return failure();
  for (Operation *op = expand->getNextNode(); op != depthwise.getOperation();
       op = op->getNextNode())
    if (!qopt::touchesNoBufferContents(op))
      return failure();

  OpBuilder b(depthwise);
  SmallVector<Value> args;
  for (Arg arg : {kIn, kN, kC, kH, kWd, kW, kF, kCache, kBias, kBiasScalar,
                  kLo, kHi, kFlags})
    args.push_back(expand.getOperand(arg));
  for (Arg arg : {kW, kOh, kOw, kSh, kPt, kPl, kPb, kPr, kCache, kBias,
                  kBiasScalar, kLo, kHi, kFlags, kOut})
    args.push_back(depthwise.getOperand(arg));
  func::CallOp::create(b, depthwise.getLoc(), declareFused(module), args);

  // The two calls, their address chains into the buffer, the buffer.
  SmallVector<Operation *> dead{expand, depthwise};
  for (Operation *user : buffer->getUsers()) {
    if (!isa<memref::DeallocOp>(user))
      dead.push_back(*user->user_begin()); // the index_cast
    dead.push_back(user);
  }
  dead.push_back(buffer);
  for (Operation *op : dead)
    op->erase();
  return success();
}

struct FuseExpandDepthwiseIntoQOptRuntimePass
    : qopt::impl::FuseExpandDepthwiseIntoQOptRuntimePassBase<
          FuseExpandDepthwiseIntoQOptRuntimePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::CallOp> calls;
    module.walk([&](func::CallOp call) {
      if (isConvEpilogue(call))
        calls.push_back(call);
    });
    // In program order: an expansion that fuse() erases lies before its
    // depthwise call in the same block, so it was visited (and refused: it
    // is no depthwise call) before.
    for (func::CallOp call : calls)
      (void)fuse(module, call);
  }
};

} // namespace
