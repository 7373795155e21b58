//===- MaxPoolCall.cpp - unrolled f32 max pooling to a runtime call -------===//
//
// convert-qopt-to-linalg writes a small max-pooling window as one
// elementwise linalg.generic over strided slices of the padded input (one
// per window element) combined with arith.maximumf in window order. LLVM
// leaves its rows scalar (14-iteration loops with stride-2 loads), with a
// branchy scalar maximum: about 8 % of fashion_cnn's time at one thread
// once its convolutions were fast. The runtime's qopt_rt_maxpool2d_nchw_f32
// computes the same chain in the same order on 8-lane vectors.
//
//===----------------------------------------------------------------------===//

#include "MaxPoolCall.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;

namespace {

/// A static f32 memref of rank 4 with the identity layout (contiguous, no
/// offset).
bool isContiguousF32(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && memref.getRank() == 4 && memref.hasStaticShape() &&
         memref.getElementType().isF32() && memref.getLayout().isIdentity();
}

/// Whether the body of `op` (inputs in0..inK) is the chain
/// maximumf(...maximumf(maximumf(in0, in1), in2)..., inK), yielded.
bool isMaximumChain(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  unsigned inputs = op.getNumDpsInputs();
  Value current = body.getArgument(0);
  unsigned next = 1;
  for (Operation &inner : body.without_terminator()) {
    auto max = dyn_cast<arith::MaximumFOp>(inner);
    if (!max || next >= inputs || max.getFastmath() != arith::FastMathFlags::none ||
        max.getLhs() != current || max.getRhs() != body.getArgument(next))
      return false;
    current = max.getResult();
    ++next;
  }
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  return next == inputs && yield.getNumOperands() == 1 &&
         yield.getOperand(0) == current;
}

Value i64(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
}

/// The address of a contiguous memref's first element, as i64.
Value addressOf(OpBuilder &b, Location loc, Value memref) {
  Value pointer = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, memref);
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), pointer);
}

} // namespace

LogicalResult mlir::qopt::rewriteMaxPoolGeneric(ModuleOp module,
                                                linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 ||
      op.getNumDpsInputs() < 2 || op.getNumLoops() != 4 ||
      op.getNumParallelLoops() != 4)
    return failure();
  if (!llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }))
    return failure();
  Value out = op.getDpsInits()[0];
  if (!isContiguousF32(out.getType()) || !isMaximumChain(op))
    return failure();
  ArrayRef<int64_t> outShape = cast<MemRefType>(out.getType()).getShape();

  // Every input: a subview of one contiguous buffer, output-shaped, at
  // (0, 0, oy, ox) with strides (1, 1, sh, sw).
  Value source;
  int64_t sh = 0, sw = 0;
  SmallVector<std::pair<int64_t, int64_t>> offsets;
  SmallVector<memref::SubViewOp> views;
  for (Value input : op.getDpsInputs()) {
    auto view = input.getDefiningOp<memref::SubViewOp>();
    if (!view || (source && view.getSource() != source))
      return failure();
    source = view.getSource();
    ArrayRef<int64_t> off = view.getStaticOffsets();
    ArrayRef<int64_t> sizes = view.getStaticSizes();
    ArrayRef<int64_t> strides = view.getStaticStrides();
    if (off.size() != 4 || sizes != outShape || ShapedType::isDynamicShape(off) ||
        ShapedType::isDynamicShape(strides) || off[0] != 0 || off[1] != 0 ||
        strides[0] != 1 || strides[1] != 1 || strides[2] < 1 ||
        strides[3] < 1 || (sh && (strides[2] != sh || strides[3] != sw)))
      return failure();
    sh = strides[2];
    sw = strides[3];
    offsets.push_back({off[2], off[3]});
    views.push_back(view);
  }
  if (!isContiguousF32(source.getType()))
    return failure();
  ArrayRef<int64_t> inShape = cast<MemRefType>(source.getType()).getShape();
  if (inShape[0] != outShape[0] || inShape[1] != outShape[1])
    return failure();

  // The window: kw inputs along the first row, kh rows, offsets (ky·dh,
  // kx·dw) in that order.
  int64_t count = offsets.size(), kw = 0;
  while (kw < count && offsets[kw].first == offsets[0].first)
    ++kw;
  if (count % kw)
    return failure();
  int64_t kh = count / kw;
  int64_t dw = kw > 1 ? offsets[1].second - offsets[0].second : 1;
  int64_t dh = kh > 1 ? offsets[kw].first - offsets[0].first : 1;
  if (offsets[0] != std::make_pair<int64_t, int64_t>(0, 0) || dh < 1 || dw < 1)
    return failure();
  for (int64_t ky = 0; ky < kh; ++ky)
    for (int64_t kx = 0; kx < kw; ++kx)
      if (offsets[ky * kw + kx] != std::make_pair(ky * dh, kx * dw))
        return failure();

  OpBuilder b(op);
  Location loc = op.getLoc();
  SmallVector<Value> args = {addressOf(b, loc, source), addressOf(b, loc, out)};
  for (int64_t v : {inShape[0] * inShape[1], inShape[2], inShape[3],
                    outShape[2], outShape[3], kh, kw, sh, sw, dh, dw})
    args.push_back(i64(b, loc, v));
  StringRef name = "qopt_rt_maxpool2d_nchw_f32";
  auto callee = module.lookupSymbol<func::FuncOp>(name);
  if (!callee) {
    OpBuilder top = OpBuilder::atBlockBegin(module.getBody());
    SmallVector<Type> types(args.size(), top.getI64Type());
    callee = func::FuncOp::create(top, module.getLoc(), name,
                                  top.getFunctionType(types, {}));
    callee.setPrivate();
  }
  func::CallOp::create(b, loc, callee, ValueRange(args));
  op.erase();
  for (memref::SubViewOp view : views)
    if (view->use_empty())
      view.erase();
  return success();
}
