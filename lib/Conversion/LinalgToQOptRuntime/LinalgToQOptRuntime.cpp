//===- LinalgToQOptRuntime.cpp - linalg contractions to runtime calls -----===//
//
// The heaviest ops of a float model are its matrix products and
// convolutions. Rather than lowering them to scalar loops, this pass calls
// the runtime's packed, vectorized, multithreaded kernels
// (include/qopt/Runtime/Runtime.h) on the bufferized operands. Each operand
// is passed as an address (aligned pointer + offset·4) and the element
// strides of the logical matrix it represents, read from the op's indexing
// map, so transposed and strided views need no copy. The int8 products of
// the integer path (linalg.quantized_matmul, quantized_batch_matmul and
// conv_2d_nchw_fchw_q with constant zero points, i8 operands, i32 results)
// call the runtime's int8 kernels the same way.
//
//===----------------------------------------------------------------------===//

#include "qopt/Conversion/LinalgToQOptRuntime/LinalgToQOptRuntime.h"

#include "RequantEpilogue.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_CONVERTLINALGTOQOPTRUNTIMEPASS
#include "qopt/Conversion/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {

/// An f32 buffer as the runtime sees it: its address and the strides of its
/// memref dimensions, as i64 values.
struct Buffer {
  Value address;
  SmallVector<Value> strides;
};

Value toI64(OpBuilder &b, Location loc, Value index) {
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
}

Value constI64(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
}

Buffer describe(OpBuilder &b, Location loc, Value memref) {
  auto type = cast<MemRefType>(memref.getType());
  auto metadata = memref::ExtractStridedMetadataOp::create(b, loc, memref);
  Value pointer =
      memref::ExtractAlignedPointerAsIndexOp::create(b, loc, memref);
  unsigned bytes = type.getElementTypeBitWidth() / 8;
  Value offsetBytes = arith::MulIOp::create(
      b, loc, metadata.getOffset(),
      arith::ConstantIndexOp::create(b, loc, bytes));
  Buffer buffer;
  buffer.address =
      toI64(b, loc, arith::AddIOp::create(b, loc, pointer, offsetBytes));
  for (Value stride : metadata.getStrides())
    buffer.strides.push_back(toI64(b, loc, stride));
  return buffer;
}

/// For each loop dim of `dims`, the memref dim that `map` indexes with it;
/// nullopt when one is missing (a broadcast operand).
std::optional<SmallVector<unsigned>> memrefDimsOf(AffineMap map,
                                                  ArrayRef<unsigned> dims) {
  SmallVector<unsigned> positions;
  for (unsigned dim : dims) {
    std::optional<unsigned> position =
        map.getResultPosition(getAffineDimExpr(dim, map.getContext()));
    if (!position)
      return std::nullopt;
    positions.push_back(*position);
  }
  return positions;
}

bool allF32(Operation *op) {
  return llvm::all_of(op->getOperandTypes(), [](Type t) {
    auto memref = dyn_cast<MemRefType>(t);
    return memref && memref.getElementType().isF32() &&
           memref.hasStaticShape();
  });
}

/// A static i8 memref (the operands of the int8 kernels).
bool isStaticMemRefOf(Value v, unsigned bits) {
  auto memref = dyn_cast<MemRefType>(v.getType());
  return memref && memref.getElementType().isInteger(bits) &&
         memref.hasStaticShape();
}

/// The value of a constant integer scalar (a quantized op's zero point).
std::optional<int64_t> constantInt(Value v) {
  APInt value;
  if (!matchPattern(v, m_ConstantInt(&value)))
    return std::nullopt;
  return value.getSExtValue();
}

/// Zero points the int8 kernels take (every x - zp of an i8 x fits i16).
bool isKernelZeroPoint(std::optional<int64_t> zp) {
  return zp && *zp >= -32640 && *zp <= 32639;
}

func::FuncOp declare(ModuleOp module, StringRef name, unsigned numArgs) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
  SmallVector<Type> args(numArgs, b.getI64Type());
  auto func = func::FuncOp::create(b, module.getLoc(), name,
                                   b.getFunctionType(args, {}));
  func.setPrivate();
  return func;
}

/// If the op right before `op` zero-fills `output`, erases it and returns
/// true: the kernel then overwrites the output instead of accumulating.
bool absorbZeroFill(Operation *op, Value output) {
  auto fill = dyn_cast_or_null<linalg::FillOp>(op->getPrevNode());
  if (!fill || fill.getOutputs().size() != 1 ||
      fill.getOutputs()[0] != output)
    return false;
  if (!matchPattern(fill.getInputs()[0], m_AnyZeroFloat()) &&
      !matchPattern(fill.getInputs()[0], m_Zero()))
    return false;
  fill.erase();
  return true;
}

/// Whether `value` is a constant global's buffer (the weights of a model),
/// or a fixed view of one (reshapes, subviews with static offsets): the
/// same values at the same address on every call.
bool isConstantGlobal(ModuleOp module, Value value) {
  for (;;) {
    Operation *def = value.getDefiningOp();
    if (auto collapse = dyn_cast_or_null<memref::CollapseShapeOp>(def))
      value = collapse.getSrc();
    else if (auto expand = dyn_cast_or_null<memref::ExpandShapeOp>(def))
      value = expand.getSrc();
    else if (auto view = dyn_cast_or_null<memref::SubViewOp>(def);
             view && view.getOffsets().empty() && view.getSizes().empty() &&
             view.getStrides().empty())
      value = view.getSource();
    else
      break;
  }
  auto get = value.getDefiningOp<memref::GetGlobalOp>();
  if (!get)
    return false;
  auto global = module.lookupSymbol<memref::GlobalOp>(get.getNameAttr());
  return global && global.getConstant();
}

/// The address of a fresh zero-initialised pointer-sized global in which
/// the runtime keeps this call site's packed weights.
Value createWeightCacheSlot(ModuleOp module, OpBuilder &b, Location loc) {
  static constexpr llvm::StringLiteral kPrefix = "__qopt_packed_weights_";
  unsigned index = 0;
  while (module.lookupSymbol(kPrefix.str() + std::to_string(index)))
    ++index;
  std::string name = kPrefix.str() + std::to_string(index);
  auto type = MemRefType::get({1}, b.getI64Type());
  OpBuilder top = OpBuilder::atBlockBegin(module.getBody());
  memref::GlobalOp::create(
      top, loc, name, top.getStringAttr("private"), type,
      DenseElementsAttr::get(RankedTensorType::get({1}, b.getI64Type()),
                             b.getI64IntegerAttr(0)),
      /*constant=*/false, /*alignment=*/top.getI64IntegerAttr(8));
  Value slot = memref::GetGlobalOp::create(b, loc, type, name);
  return describe(b, loc, slot).address;
}

/// A private constant global holding `values` as `bits`-wide integers (the
/// parameters of a fused requantization); its address.
Value createConstantVector(ModuleOp module, OpBuilder &b, Location loc,
                           ArrayRef<int64_t> values, unsigned bits) {
  static constexpr llvm::StringLiteral kPrefix = "__qopt_requant_";
  unsigned index = 0;
  while (module.lookupSymbol(kPrefix.str() + std::to_string(index)))
    ++index;
  std::string name = kPrefix.str() + std::to_string(index);
  auto element = b.getIntegerType(bits);
  auto type =
      MemRefType::get({static_cast<int64_t>(values.size())}, element);
  SmallVector<APInt> data;
  for (int64_t v : values)
    data.push_back(APInt(bits, v, /*isSigned=*/true));
  OpBuilder top = OpBuilder::atBlockBegin(module.getBody());
  memref::GlobalOp::create(
      top, loc, name, top.getStringAttr("private"), type,
      DenseElementsAttr::get(RankedTensorType::get(type.getShape(), element),
                             data),
      /*constant=*/true, /*alignment=*/top.getI64IntegerAttr(64));
  Value global = memref::GetGlobalOp::create(b, loc, type, name);
  return describe(b, loc, global).address;
}

/// The zero points of a linalg quantized op (its inputs 2 and 3) when its
/// operands suit the int8 kernels: i8 inputs, an i32 output, constant zero
/// points in the kernels' range.
std::optional<std::pair<int64_t, int64_t>>
matchInt8Operands(linalg::LinalgOp op) {
  if (op.getNumDpsInputs() != 4 || op.getNumDpsInits() != 1 ||
      !isStaticMemRefOf(op.getDpsInputs()[0], 8) ||
      !isStaticMemRefOf(op.getDpsInputs()[1], 8) ||
      !isStaticMemRefOf(op.getDpsInits()[0], 32))
    return std::nullopt;
  std::optional<int64_t> lhsZp = constantInt(op.getDpsInputs()[2]);
  std::optional<int64_t> rhsZp = constantInt(op.getDpsInputs()[3]);
  if (!isKernelZeroPoint(lhsZp) || !isKernelZeroPoint(rhsZp))
    return std::nullopt;
  return std::make_pair(*lhsZp, *rhsZp);
}

/// The call of qopt_rt_igemm_s8_requant (or _batched_requant) for a matched
/// product + rescale loop; its output is laid out as the accumulator was
/// (row-major, identity layout), so its strides are the accumulator's.
LogicalResult emitMatmulRequant(ModuleOp module, linalg::LinalgOp op,
                                OpBuilder &b, bool batched,
                                ArrayRef<int64_t> bounds,
                                ArrayRef<unsigned> aPos,
                                ArrayRef<unsigned> bPos,
                                std::pair<int64_t, int64_t> zeroPoints,
                                const qopt::MatmulRequantEpilogue &epilogue,
                                SmallVectorImpl<Operation *> &deadOps) {
  Location loc = op.getLoc();
  unsigned base = batched ? 1 : 0;
  SmallVector<Value> args;
  if (batched)
    args.push_back(constI64(b, loc, bounds[0]));
  for (unsigned dim : {base, base + 1, base + 2})
    args.push_back(constI64(b, loc, bounds[dim]));
  auto appendOperand = [&](Value memref, ArrayRef<unsigned> positions) {
    Buffer buffer = describe(b, loc, memref);
    args.push_back(buffer.address);
    for (unsigned position : positions)
      args.push_back(buffer.strides[position]);
  };
  appendOperand(op.getDpsInputs()[0], aPos);
  args.push_back(constI64(b, loc, zeroPoints.first));
  appendOperand(op.getDpsInputs()[1], bPos);
  args.push_back(constI64(b, loc, zeroPoints.second));
  args.push_back(describe(b, loc, epilogue.output).address);
  int64_t m = bounds[base], n = bounds[base + 1];
  if (batched)
    args.push_back(constI64(b, loc, m * n));
  args.push_back(constI64(b, loc, n));
  args.push_back(constI64(b, loc, 1));
  auto vectorOr0 = [&](ArrayRef<int64_t> values, unsigned bits) {
    return values.empty() ? constI64(b, loc, 0)
                          : createConstantVector(module, b, loc, values, bits);
  };
  StringRef name = "qopt_rt_igemm_s8_batched_requant";
  if (!batched) {
    name = "qopt_rt_igemm_s8_requant";
    bool constA = isConstantGlobal(module, op.getDpsInputs()[0]);
    bool constB = isConstantGlobal(module, op.getDpsInputs()[1]);
    args.push_back(constA ? createWeightCacheSlot(module, b, loc)
                          : constI64(b, loc, 0));
    args.push_back(constB ? createWeightCacheSlot(module, b, loc)
                          : constI64(b, loc, 0));
    args.push_back(vectorOr0(epilogue.bias, 32));
    args.push_back(vectorOr0(epilogue.multiplier, 32));
    args.push_back(vectorOr0(epilogue.shift, 32));
  }
  for (int64_t v : {epilogue.m0, epilogue.s0, epilogue.accZp, epilogue.outZp,
                    epilogue.qmin, epilogue.qmax})
    args.push_back(constI64(b, loc, v));
  const std::optional<qopt::IntegerTail> &tail = epilogue.tail;
  args.push_back(tail ? vectorOr0(tail->lut, 32) : constI64(b, loc, 0));
  if (!batched)
    args.push_back(tail ? vectorOr0(tail->add, 32) : constI64(b, loc, 0));
  args.push_back(constI64(b, loc, tail ? tail->lo : -128));
  args.push_back(constI64(b, loc, tail ? tail->hi : 127));
  if (!batched)
    for (int64_t v : {tail ? tail->dyZp : 0, tail ? tail->dyM : 0,
                      tail ? tail->dyS : 0})
      args.push_back(constI64(b, loc, v));
  func::CallOp::create(b, loc, declare(module, name, args.size()),
                       ValueRange(args));
  deadOps.append(epilogue.deadOps.begin(), epilogue.deadOps.end());
  return success();
}

/// linalg.matmul / batch_matmul (f32) or, with `quantized`,
/// linalg.quantized_matmul / quantized_batch_matmul (int8).
LogicalResult rewriteMatmul(ModuleOp module, linalg::LinalgOp op,
                            bool batched, bool quantized = false,
                            bool fuseRequant = false,
                            SmallVectorImpl<Operation *> *deadOps = nullptr) {
  std::optional<std::pair<int64_t, int64_t>> zeroPoints;
  if (quantized) {
    zeroPoints = matchInt8Operands(op);
    if (!zeroPoints)
      return failure();
  } else if (!allF32(op) || op.getNumDpsInputs() != 2 ||
             op.getNumDpsInits() != 1) {
    return failure();
  }
  SmallVector<AffineMap> maps = {
      op.getMatchingIndexingMap(op.getDpsInputOperand(0)),
      op.getMatchingIndexingMap(op.getDpsInputOperand(1)),
      op.getMatchingIndexingMap(op.getDpsInitOperand(0))};
  // Loop dims: (m, n, k) or (batch, m, n, k).
  unsigned base = batched ? 1 : 0, m = base, n = base + 1, k = base + 2;
  auto bounds = op.getStaticLoopRanges();
  SmallVector<unsigned> aDims{m, k}, bDims{k, n}, cDims{m, n};
  if (batched) {
    aDims.insert(aDims.begin(), 0);
    bDims.insert(bDims.begin(), 0);
    cDims.insert(cDims.begin(), 0);
  }
  // Every operand must index the loop dims it needs (no broadcasts).
  auto aPos = memrefDimsOf(maps[0], aDims);
  auto bPos = memrefDimsOf(maps[1], bDims);
  auto cPos = memrefDimsOf(maps[2], cDims);
  if (!aPos || !bPos || !cPos)
    return failure();
  // The rescale loop after an int8 product, folded into the kernel call.
  std::optional<qopt::MatmulRequantEpilogue> epilogue;
  if (quantized && fuseRequant && deadOps && cPos->size() == cDims.size() &&
      llvm::equal(*cPos, llvm::seq<unsigned>(0, cDims.size())))
    epilogue = qopt::matchMatmulRequantEpilogue(module, op, batched);
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value out = op.getDpsInits()[0];
  if (epilogue)
    return emitMatmulRequant(module, op, b, batched, bounds, *aPos, *bPos,
                             *zeroPoints, *epilogue, *deadOps);
  // Before any op is inserted: the fill must be the op's direct predecessor.
  bool overwrite = absorbZeroFill(op, out);
  // Each operand: its address, then its strides along the loop dims.
  auto appendOperand = [&](SmallVectorImpl<Value> &args, Value memref,
                           ArrayRef<unsigned> positions) {
    Buffer buffer = describe(b, loc, memref);
    args.push_back(buffer.address);
    for (unsigned position : positions)
      args.push_back(buffer.strides[position]);
  };
  SmallVector<Value> args;
  if (batched)
    args.push_back(constI64(b, loc, bounds[0]));
  for (unsigned dim : {m, n, k})
    args.push_back(constI64(b, loc, bounds[dim]));
  appendOperand(args, op.getDpsInputs()[0], *aPos);
  if (quantized)
    args.push_back(constI64(b, loc, zeroPoints->first));
  appendOperand(args, op.getDpsInputs()[1], *bPos);
  if (quantized)
    args.push_back(constI64(b, loc, zeroPoints->second));
  appendOperand(args, out, *cPos);
  // A constant operand (weights) of a single product is packed once, into a
  // slot the call keeps: qopt_rt_sgemm_cached.
  StringRef name = quantized ? (batched ? "qopt_rt_igemm_s8_batched"
                                        : "qopt_rt_igemm_s8")
                             : (batched ? "qopt_rt_sgemm_batched"
                                        : "qopt_rt_sgemm");
  // int8: qopt_rt_igemm_s8_cached, which packs one constant operand once.
  if (!batched) {
    bool constA = isConstantGlobal(module, op.getDpsInputs()[0]);
    bool constB = isConstantGlobal(module, op.getDpsInputs()[1]);
    if (constA || constB) {
      name = quantized ? "qopt_rt_igemm_s8_cached" : "qopt_rt_sgemm_cached";
      args.push_back(constA ? createWeightCacheSlot(module, b, loc)
                            : constI64(b, loc, 0));
      args.push_back(constB ? createWeightCacheSlot(module, b, loc)
                            : constI64(b, loc, 0));
    }
  }
  args.push_back(constI64(b, loc, overwrite ? 0 : 1));
  func::CallOp::create(b, loc, declare(module, name, args.size()),
                       ValueRange(args));
  return success();
}

/// A convolution (or pooling) input that is a padded copy of another
/// buffer, as tensor.pad bufferizes: %p = memref.alloc; fill/map %p with
/// the padding value; memref.copy %src into a subview of %p;
/// (memref.expand_shape of %p for grouped convolutions). The kernel then
/// reads %src and pads on the fly.
struct Padding {
  Value source;
  int64_t top, left, bottom, right;
  SmallVector<Operation *> deadOps; // users before definitions
};

/// The value a padded copy is filled with: float zero (f32 convolutions),
/// an integer (the int8 convolution's input zero point), or -inf (max
/// pooling).
struct PadValue {
  std::optional<int64_t> integer;
  bool negativeInfinity = false;

  bool matches(Value v) const {
    if (negativeInfinity) {
      FloatAttr attr;
      return matchPattern(v, m_Constant(&attr)) &&
             attr.getValue().isInfinity() && attr.getValue().isNegative();
    }
    if (!integer)
      return matchPattern(v, m_AnyZeroFloat());
    std::optional<int64_t> value = constantInt(v);
    return value && *value == *integer;
  }
};

bool isPadInit(Operation *op, Value buffer, const PadValue &padValue) {
  if (auto fill = dyn_cast<linalg::FillOp>(op))
    return fill.getOutputs().size() == 1 && fill.getOutputs()[0] == buffer &&
           padValue.matches(fill.getInputs()[0]);
  if (auto map = dyn_cast<linalg::MapOp>(op)) {
    if (!map.getInputs().empty() || map.getInit() != buffer)
      return false;
    auto yield = cast<linalg::YieldOp>(map.getMapper().front().getTerminator());
    return yield.getNumOperands() == 1 && padValue.matches(yield.getOperand(0));
  }
  return false;
}

std::optional<Padding> matchPadding(Operation *conv, Value input,
                                    const PadValue &padValue = {}) {
  Padding pad;
  Operation *expand = nullptr;
  if (auto e = input.getDefiningOp<memref::ExpandShapeOp>()) {
    if (!e->hasOneUse())
      return std::nullopt;
    expand = e;
    input = e.getSrc();
  }
  auto alloc = input.getDefiningOp<memref::AllocOp>();
  if (!alloc || alloc->getBlock() != conv->getBlock() ||
      alloc.getType().getRank() != 4)
    return std::nullopt;
  Operation *init = nullptr, *copy = nullptr, *dealloc = nullptr;
  memref::SubViewOp subview;
  for (Operation *user : alloc->getUsers()) {
    if (user == conv || user == expand)
      continue;
    if (isa<memref::DeallocOp>(user) && !dealloc)
      dealloc = user;
    else if (isPadInit(user, alloc, padValue) && !init)
      init = user;
    else if (auto sv = dyn_cast<memref::SubViewOp>(user); sv && !subview)
      subview = sv;
    else
      return std::nullopt;
  }
  if (!init || !subview || !subview->hasOneUse())
    return std::nullopt;
  auto copyOp = dyn_cast<memref::CopyOp>(*subview->getUsers().begin());
  if (!copyOp || copyOp.getTarget() != subview.getResult() ||
      copyOp->getBlock() != conv->getBlock() ||
      !memref::isStaticShapeAndContiguousRowMajor(
          cast<MemRefType>(copyOp.getSource().getType())))
    return std::nullopt;
  copy = copyOp;
  // Offsets (0, 0, top, left), unit strides, full batch and channels.
  ArrayRef<int64_t> offsets = subview.getStaticOffsets();
  ArrayRef<int64_t> sizes = subview.getStaticSizes();
  ArrayRef<int64_t> padded = alloc.getType().getShape();
  if (ShapedType::isDynamicShape(offsets) || ShapedType::isDynamicShape(sizes) ||
      !llvm::all_of(subview.getStaticStrides(),
                    [](int64_t s) { return s == 1; }) ||
      offsets[0] != 0 || offsets[1] != 0 || sizes[0] != padded[0] ||
      sizes[1] != padded[1])
    return std::nullopt;
  // The source must still hold the copied values when the kernel reads it:
  // only fresh allocations and their initialisation, and ops that touch no
  // memory (views such as the weights' expand_shape of a depthwise
  // convolution), may come in between.
  if (!init->isBeforeInBlock(copy) || !copy->isBeforeInBlock(conv))
    return std::nullopt;
  // So may the initialisation of the op's own output (max pooling's -inf
  // fill) where that is a fresh buffer or a function's output argument
  // other than the source.
  Value output = cast<DestinationStyleOpInterface>(conv).getDpsInits()[0];
  for (Operation *op = copy->getNextNode(); op != conv; op = op->getNextNode()) {
    if (op == expand || isa<memref::AllocOp>(op) || isMemoryEffectFree(op))
      continue;
    if (auto fill = dyn_cast<linalg::FillOp>(op)) {
      Value filled = fill.getOutputs()[0];
      if (filled.getDefiningOp<memref::AllocOp>())
        continue;
      if (filled == output && isa<BlockArgument>(filled) &&
          filled != copyOp.getSource())
        continue;
    }
    return std::nullopt;
  }
  pad.source = copyOp.getSource();
  pad.top = offsets[2];
  pad.left = offsets[3];
  pad.bottom = padded[2] - sizes[2] - offsets[2];
  pad.right = padded[3] - sizes[3] - offsets[3];
  pad.deadOps = {copy, init};
  if (dealloc)
    pad.deadOps.push_back(dealloc);
  pad.deadOps.push_back(subview);
  if (expand)
    pad.deadOps.push_back(expand);
  pad.deadOps.push_back(alloc);
  return pad;
}

LogicalResult rewriteConv(ModuleOp module, linalg::LinalgOp op, bool grouped,
                          ArrayRef<int64_t> strides,
                          ArrayRef<int64_t> dilations,
                          SmallVectorImpl<Operation *> &deadOps,
                          bool quantized = false, bool fuseRequant = false) {
  std::optional<std::pair<int64_t, int64_t>> zeroPoints;
  if (quantized) {
    // (The input zero point is the i8 padding value, so it fits 8 bits.)
    zeroPoints = matchInt8Operands(op);
    if (!zeroPoints || grouped || zeroPoints->first < -128 ||
        zeroPoints->first > 127)
      return failure();
  } else if (!allF32(op)) {
    return failure();
  }
  for (Type t : op->getOperandTypes())
    if (auto memref = dyn_cast<MemRefType>(t);
        memref && !memref::isStaticShapeAndContiguousRowMajor(memref))
      return failure();
  Value input = op.getDpsInputs()[0];
  ArrayRef<int64_t> in = cast<MemRefType>(input.getType()).getShape();
  ArrayRef<int64_t> w =
      cast<MemRefType>(op.getDpsInputs()[1].getType()).getShape();
  ArrayRef<int64_t> o =
      cast<MemRefType>(op.getDpsInits()[0].getType()).getShape();
  // nchw_fchw: in N×C×H×W, w F×C×KH×KW, out N×F×OH×OW.
  // ngchw_gfchw: in N×G×C×H×W, w G×F×C×KH×KW, out N×G×F×OH×OW.
  int64_t groups = grouped ? in[1] : 1;
  unsigned s = grouped ? 1 : 0;
  int64_t height = in[2 + s], width = in[3 + s];
  int64_t pads[4] = {0, 0, 0, 0};
  std::optional<Padding> padding = matchPadding(
      op, input,
      PadValue{quantized ? std::optional<int64_t>(zeroPoints->first)
                         : std::nullopt});
  if (padding) {
    input = padding->source;
    pads[0] = padding->top;
    pads[1] = padding->left;
    pads[2] = padding->bottom;
    pads[3] = padding->right;
    height -= pads[0] + pads[2];
    width -= pads[1] + pads[3];
  }
  int64_t values[] = {in[0],        groups,       in[1 + s], height,
                      width,        w[0 + s],     w[2 + s],  w[3 + s],
                      o[2 + s],     o[3 + s],     strides[0], strides[1],
                      dilations[0], dilations[1], pads[0],   pads[1],
                      pads[2],      pads[3]};
  // Before anything is inserted or erased: the rescale that the kernel
  // can apply to its int32 tiles (RequantEpilogue.h).
  std::optional<qopt::RequantEpilogue> epilogue;
  if (quantized && fuseRequant)
    epilogue = qopt::matchRequantEpilogue(module, op);
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value out = epilogue ? epilogue->output : op.getDpsInits()[0];
  bool overwrite = !epilogue && absorbZeroFill(op, out);
  SmallVector<Value> args{describe(b, loc, input).address,
                          describe(b, loc, op.getDpsInputs()[1]).address,
                          describe(b, loc, out).address};
  for (int64_t v : values)
    args.push_back(constI64(b, loc, v));
  // Constant weights of an ungrouped convolution are packed once, and so
  // are a float depthwise one's (one channel in and out per group: the
  // channel-blocked kernel keeps them as [9][lanes] per block of channels).
  if (quantized) {
    args.push_back(constI64(b, loc, zeroPoints->first));
    args.push_back(constI64(b, loc, zeroPoints->second));
  }
  bool depthwise = grouped && w[1] == 1 && w[2] == 1;
  args.push_back((!grouped || (depthwise && !quantized)) &&
                         isConstantGlobal(module, op.getDpsInputs()[1])
                     ? createWeightCacheSlot(module, b, loc)
                     : constI64(b, loc, 0));
  StringRef name =
      quantized ? "qopt_rt_conv2d_nchw_s8" : "qopt_rt_conv2d_nchw_f32";
  if (epilogue) {
    // bias, multiplier, shift (addresses or 0), m0, s0, acc_zp, out_zp,
    // qmin, qmax.
    auto addressOr0 = [&](Value memref) {
      return memref ? describe(b, loc, memref).address : constI64(b, loc, 0);
    };
    args.push_back(addressOr0(epilogue->bias));
    args.push_back(addressOr0(epilogue->multiplier));
    args.push_back(addressOr0(epilogue->shift));
    for (int64_t v : {epilogue->m0, epilogue->s0, epilogue->accZp,
                      epilogue->outZp, epilogue->qmin, epilogue->qmax})
      args.push_back(constI64(b, loc, v));
    name = "qopt_rt_conv2d_nchw_s8_requant";
    deadOps.append(epilogue->deadOps.begin(), epilogue->deadOps.end());
  } else {
    args.push_back(constI64(b, loc, overwrite ? 0 : 1));
  }
  func::CallOp::create(b, loc, declare(module, name, args.size()),
                       ValueRange(args));
  if (padding)
    deadOps.append(padding->deadOps.begin(), padding->deadOps.end());
  return success();
}

/// linalg.pooling_nchw_max on f32 (max_pool2d, Pooling.cpp) as the
/// runtime's max-pool kernel: a -inf padded copy of the input is replaced
/// by the padding itself, and a -inf fill of the output (the op's start)
/// by overwriting (accumulate = 0).
LogicalResult rewriteMaxPool(ModuleOp module, linalg::PoolingNchwMaxOp op,
                             SmallVectorImpl<Operation *> &deadOps) {
  if (!allF32(op))
    return failure();
  Value input = op.getDpsInputs()[0], out = op.getDpsInits()[0];
  for (Value v : {input, out})
    if (!memref::isStaticShapeAndContiguousRowMajor(
            cast<MemRefType>(v.getType())))
      return failure();
  ArrayRef<int64_t> in = cast<MemRefType>(input.getType()).getShape();
  ArrayRef<int64_t> window =
      cast<MemRefType>(op.getDpsInputs()[1].getType()).getShape();
  ArrayRef<int64_t> o = cast<MemRefType>(out.getType()).getShape();
  int64_t height = in[2], width = in[3], top = 0, left = 0;
  PadValue negativeInfinity;
  negativeInfinity.negativeInfinity = true;
  std::optional<Padding> padding = matchPadding(op, input, negativeInfinity);
  if (padding) {
    input = padding->source;
    top = padding->top;
    left = padding->left;
    height -= padding->top + padding->bottom;
    width -= padding->left + padding->right;
  }
  OpBuilder b(op);
  Location loc = op.getLoc();
  // The -inf fill of the output before it (past allocations, such as the
  // window's shape, and ops that touch no memory): the kernel starts each
  // output from -inf itself.
  bool overwrite = false;
  Operation *prev = op->getPrevNode();
  while (prev && (isa<memref::AllocOp>(prev) || isMemoryEffectFree(prev)))
    prev = prev->getPrevNode();
  if (auto fill = dyn_cast_or_null<linalg::FillOp>(prev);
      fill && fill.getOutputs().size() == 1 && fill.getOutputs()[0] == out &&
      negativeInfinity.matches(fill.getInputs()[0])) {
    deadOps.push_back(fill);
    overwrite = true;
  }
  auto strides = llvm::to_vector(op.getStrides().getValues<int64_t>());
  auto dilations = llvm::to_vector(op.getDilations().getValues<int64_t>());
  SmallVector<Value> args{describe(b, loc, input).address,
                          describe(b, loc, out).address};
  for (int64_t v : {o[0] * o[1], height, width, o[2], o[3], window[0],
                    window[1], strides[0], strides[1], dilations[0],
                    dilations[1], top, left, int64_t(overwrite ? 0 : 1)})
    args.push_back(constI64(b, loc, v));
  func::CallOp::create(
      b, loc, declare(module, "qopt_rt_maxpool2d_nchw_f32", args.size()),
      ValueRange(args));
  if (padding)
    deadOps.append(padding->deadOps.begin(), padding->deadOps.end());
  return success();
}

struct ConvertLinalgToQOptRuntimePass
    : qopt::impl::ConvertLinalgToQOptRuntimePassBase<
          ConvertLinalgToQOptRuntimePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<linalg::LinalgOp> candidates;
    module.walk([&](linalg::LinalgOp op) {
      if (op.hasPureBufferSemantics() &&
          isa<linalg::MatmulOp, linalg::BatchMatmulOp, linalg::Conv2DNchwFchwOp,
              linalg::Conv2DNgchwGfchwOp, linalg::QuantizedMatmulOp,
              linalg::QuantizedBatchMatmulOp, linalg::Conv2DNchwFchwQOp,
              linalg::PoolingNchwMaxOp>(op))
        candidates.push_back(op);
    });
    for (linalg::LinalgOp op : candidates) {
      LogicalResult rewritten = failure();
      SmallVector<Operation *> deadOps;
      if (isa<linalg::MatmulOp>(op))
        rewritten = rewriteMatmul(module, op, /*batched=*/false);
      else if (isa<linalg::BatchMatmulOp>(op))
        rewritten = rewriteMatmul(module, op, /*batched=*/true);
      else if (isa<linalg::QuantizedMatmulOp>(op))
        rewritten = rewriteMatmul(module, op, /*batched=*/false,
                                  /*quantized=*/true, fuseRequant, &deadOps);
      else if (isa<linalg::QuantizedBatchMatmulOp>(op))
        rewritten = rewriteMatmul(module, op, /*batched=*/true,
                                  /*quantized=*/true, fuseRequant, &deadOps);
      else if (auto conv = dyn_cast<linalg::Conv2DNchwFchwQOp>(op.getOperation()))
        rewritten = rewriteConv(
            module, op, false,
            llvm::to_vector(conv.getStrides().getValues<int64_t>()),
            llvm::to_vector(conv.getDilations().getValues<int64_t>()),
            deadOps, /*quantized=*/true, fuseRequant);
      else if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(op.getOperation()))
        rewritten = rewriteConv(
            module, op, false,
            llvm::to_vector(conv.getStrides().getValues<int64_t>()),
            llvm::to_vector(conv.getDilations().getValues<int64_t>()),
            deadOps);
      else if (auto pool =
                   dyn_cast<linalg::PoolingNchwMaxOp>(op.getOperation()))
        rewritten = rewriteMaxPool(module, pool, deadOps);
      else if (auto conv =
                   dyn_cast<linalg::Conv2DNgchwGfchwOp>(op.getOperation()))
        rewritten = rewriteConv(
            module, op, true,
            llvm::to_vector(conv.getStrides().getValues<int64_t>()),
            llvm::to_vector(conv.getDilations().getValues<int64_t>()),
            deadOps);
      if (succeeded(rewritten)) {
        op.erase();
        for (Operation *dead : deadOps)
          dead->erase();
      }
    }
  }
};

} // namespace
