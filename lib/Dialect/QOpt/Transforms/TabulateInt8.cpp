//===- TabulateInt8.cpp - elementwise functions of int8 as tables ---------===//
//
// A quantized graph's float non-linearities that have one int8 operand
// (GELU between its dequantize and quantize, fused into one loop) compute
// one of 256 values per element, however expensive each is. The payload is
// evaluated once per possible input into a 256-entry tensor, by the same
// ops (so the same bits when the model runs), and the loop reads the table.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QOpt/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_QOPTTABULATEINT8
#include "qopt/Dialect/QOpt/Transforms/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {

/// Whether `op` is an elementwise function of its single 8-bit input that
/// is worth a table (see Passes.td).
bool isTabulable(linalg::GenericOp op, int64_t minElements) {
  if (op.getNumLoops() != op.getNumParallelLoops() ||
      !op.hasPureTensorSemantics() || op.getNumDpsInputs() != 1 ||
      op.getNumDpsInits() != 1 || op.getNumResults() != 1)
    return false;
  auto inType = dyn_cast<RankedTensorType>(op.getDpsInputs()[0].getType());
  auto outType = dyn_cast<RankedTensorType>(op.getResult(0).getType());
  if (!inType || !outType || !outType.hasStaticShape() ||
      outType.getNumElements() < minElements)
    return false;
  auto inElement = dyn_cast<IntegerType>(inType.getElementType());
  if (!inElement || inElement.getWidth() != 8 ||
      !outType.getElementType().isIntOrFloat())
    return false;
  Block *body = op.getBody();
  // The output's current value must not be read.
  if (!body->getArgument(1).use_empty())
    return false;
  bool hasMath = false;
  for (Operation &inner : body->without_terminator()) {
    // linalg.index would make the value depend on the position.
    if (isa<linalg::IndexOp>(inner) || inner.getNumRegions() != 0 ||
        !isMemoryEffectFree(&inner))
      return false;
    hasMath |= isa<math::MathDialect>(inner.getDialect());
  }
  return hasMath;
}

/// Replaces a tabulable `op` by the table's generic and the lookup loop.
void tabulate(linalg::GenericOp op, RewriterBase &rewriter) {
  {
    rewriter.setInsertionPoint(op);
    Location loc = op.getLoc();
    Type element = getElementTypeOrSelf(op.getResult(0).getType());
    Type i8 = getElementTypeOrSelf(op.getDpsInputs()[0].getType());
    Block *body = op.getBody();
    auto yield = cast<linalg::YieldOp>(body->getTerminator());

    // table[b] = payload(the 8-bit pattern b), b = 0 .. 255.
    auto tableType = RankedTensorType::get({256}, element);
    Value empty = tensor::EmptyOp::create(rewriter, loc, tableType.getShape(),
                                          element);
    AffineMap identity = rewriter.getMultiDimIdentityMap(1);
    auto table = linalg::GenericOp::create(
        rewriter, loc, TypeRange{tableType}, ValueRange{}, ValueRange{empty},
        ArrayRef<AffineMap>{identity},
        ArrayRef<utils::IteratorType>{utils::IteratorType::parallel},
        [&](OpBuilder &b, Location nested, ValueRange) {
          Value index = linalg::IndexOp::create(b, nested, 0);
          // index_cast to i8 keeps the low 8 bits: the bit pattern b.
          Value bits = arith::IndexCastOp::create(b, nested, i8, index);
          IRMapping map;
          map.map(body->getArgument(0), bits);
          for (Operation &inner : body->without_terminator())
            b.clone(inner, map);
          linalg::YieldOp::create(
              b, nested, map.lookupOrDefault(yield.getOperand(0)));
        });

    // The loop reads table[x as unsigned 0 .. 255].
    Value tableValue = table.getResult(0);
    auto lookup = linalg::GenericOp::create(
        rewriter, loc, op.getResultTypes(), op.getDpsInputs(), op.getDpsInits(),
        op.getIndexingMapsArray(), op.getIteratorTypesArray(),
        [&](OpBuilder &b, Location nested, ValueRange args) {
          Value index = arith::IndexCastUIOp::create(
              b, nested, b.getIndexType(), args[0]);
          Value value =
              tensor::ExtractOp::create(b, nested, tableValue, index);
          linalg::YieldOp::create(b, nested, value);
        });
    rewriter.replaceOp(op, lookup.getResults());
  }
}

struct QOptTabulateInt8Pass
    : qopt::impl::QOptTabulateInt8Base<QOptTabulateInt8Pass> {
  using Base::Base;

  void runOnOperation() override {
    // One rewrite per matched op, not a fixpoint: the lookup loop it
    // creates has no math op and is never matched again.
    SmallVector<linalg::GenericOp> ops;
    getOperation().walk([&](linalg::GenericOp op) {
      if (isTabulable(op, minElements))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp op : ops)
      tabulate(op, rewriter);
  }
};

} // namespace
