//===- Contraction.cpp - matmul, batch_matmul and gemm to linalg ----------===//
//
// matmul (numpy batch broadcasting):
//   - 2-D operands: linalg.matmul;
//   - rhs without batch dims (or only size-1 ones): lhs's batch dims fold
//     into its rows, one linalg.matmul, the result expands back; the rhs
//     (usually weights) is never copied;
//   - otherwise both operands are broadcast to the result's batch dims
//     (materialised with a linalg.generic where they differ), the batch dims
//     collapse into one and linalg.batch_matmul computes the product.
// batch_matmul: linalg.batch_matmul.
// gemm: linalg.matmul whose indexing maps read A and B transposed where
//   trans_a / trans_b ask for it, then alpha·AB + beta·C in a linalg.generic
//   (C broadcast as numpy does); the epilogue is left out for alpha = 1
//   without C.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "qopt/Conversion/QOptToLinalg/QOptToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::linalg_lowering;

/// A zero-filled tensor of `type`, the accumulator of a contraction.
static Value createZeroAccumulator(OpBuilder &b, Location loc,
                                   RankedTensorType type) {
  return createFilled(b, loc, type,
                      createFloatConstant(b, loc, type.getElementType(), 0.0));
}

static int64_t product(ArrayRef<int64_t> dims) {
  int64_t p = 1;
  for (int64_t d : dims)
    p *= d;
  return p;
}

namespace {

struct MatMulLowering : OpConversionPattern<MatMulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isFloatComputeOp(op))
      return rewriter.notifyMatchFailure(op, "not a float tensor op");
    Location loc = op.getLoc();
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();
    ArrayRef<int64_t> lhsShape = lhsType.getShape(),
                      rhsShape = rhsType.getShape(),
                      resultShape = resultType.getShape();
    int64_t m = lhsShape[lhsShape.size() - 2], k = lhsShape.back(),
            n = rhsShape.back();

    if (lhsType.getRank() == 2 && rhsType.getRank() == 2) {
      Value init = createZeroAccumulator(rewriter, loc, resultType);
      rewriter.replaceOp(op, linalg::MatmulOp::create(rewriter, loc,
                                                      TypeRange{resultType},
                                                      ValueRange{lhs, rhs},
                                                      ValueRange{init})
                                 .getResult(0));
      return success();
    }

    if (product(rhsShape.drop_back(2)) == 1) {
      // [B..., M, K] · [K, N]: rows of all batches at once.
      int64_t rows = product(lhsShape.drop_back(1));
      auto lhs2Type = RankedTensorType::get({rows, k}, elementType);
      auto rhs2Type = RankedTensorType::get({k, n}, elementType);
      auto out2Type = RankedTensorType::get({rows, n}, elementType);
      Value lhs2 = reshapeTo(rewriter, loc, lhs, lhs2Type);
      Value rhs2 = reshapeTo(rewriter, loc, rhs, rhs2Type);
      Value init = createZeroAccumulator(rewriter, loc, out2Type);
      Value product2 =
          linalg::MatmulOp::create(rewriter, loc, TypeRange{out2Type},
                                   ValueRange{lhs2, rhs2}, ValueRange{init})
              .getResult(0);
      rewriter.replaceOp(op, reshapeTo(rewriter, loc, product2, resultType));
      return success();
    }

    // Broadcast both operands to the result's batch dims, then one batch
    // dim.
    ArrayRef<int64_t> batch = resultShape.drop_back(2);
    int64_t batchSize = product(batch);
    SmallVector<int64_t> lhsFull(batch), rhsFull(batch);
    lhsFull.append({m, k});
    rhsFull.append({k, n});
    Value lhsB = broadcastTo(rewriter, loc, lhs, lhsFull);
    Value rhsB = broadcastTo(rewriter, loc, rhs, rhsFull);
    auto lhs3Type = RankedTensorType::get({batchSize, m, k}, elementType);
    auto rhs3Type = RankedTensorType::get({batchSize, k, n}, elementType);
    auto out3Type = RankedTensorType::get({batchSize, m, n}, elementType);
    Value lhs3 = reshapeTo(rewriter, loc, lhsB, lhs3Type);
    Value rhs3 = reshapeTo(rewriter, loc, rhsB, rhs3Type);
    Value init = createZeroAccumulator(rewriter, loc, out3Type);
    Value product3 =
        linalg::BatchMatmulOp::create(rewriter, loc, TypeRange{out3Type},
                                      ValueRange{lhs3, rhs3}, ValueRange{init})
            .getResult(0);
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, product3, resultType));
    return success();
  }
};

struct BatchMatMulLowering : OpConversionPattern<BatchMatMulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BatchMatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isFloatComputeOp(op))
      return rewriter.notifyMatchFailure(op, "not a float tensor op");
    auto resultType = cast<RankedTensorType>(op.getType());
    Value init = createZeroAccumulator(rewriter, op.getLoc(), resultType);
    rewriter.replaceOp(
        op, linalg::BatchMatmulOp::create(
                rewriter, op.getLoc(), TypeRange{resultType},
                ValueRange{adaptor.getLhs(), adaptor.getRhs()},
                ValueRange{init})
                .getResult(0));
    return success();
  }
};

struct GemmLowering : OpConversionPattern<GemmOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isFloatComputeOp(op))
      return rewriter.notifyMatchFailure(op, "not a float tensor op");
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();

    // (m, n, k): A[m, k] or A[k, m], B[k, n] or B[n, k], C[m, n].
    AffineExpr dm, dn, dk;
    bindDims(context, dm, dn, dk);
    auto map = [&](AffineExpr a, AffineExpr b) {
      return AffineMap::get(3, 0, {a, b}, context);
    };
    SmallVector<Attribute> maps = {
        AffineMapAttr::get(op.getTransA() ? map(dk, dm) : map(dm, dk)),
        AffineMapAttr::get(op.getTransB() ? map(dn, dk) : map(dk, dn)),
        AffineMapAttr::get(map(dm, dn))};
    Value init = createZeroAccumulator(rewriter, loc, resultType);
    auto matmul = linalg::MatmulOp::create(
        rewriter, loc, TypeRange{resultType},
        ValueRange{adaptor.getA(), adaptor.getB()}, ValueRange{init});
    if (op.getTransA() || op.getTransB())
      matmul.setIndexingMapsAttr(rewriter.getArrayAttr(maps));
    Value product = matmul.getResult(0);

    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    Value c = adaptor.getC();
    if (!c && alpha == 1.0) {
      rewriter.replaceOp(op, product);
      return success();
    }
    SmallVector<Value> inputs = {product};
    if (c)
      inputs.push_back(c);
    Value result = createElementwise(
        rewriter, loc, resultType, inputs,
        [&](OpBuilder &b, Location nloc, ValueRange args) {
          Value acc = args[0];
          if (alpha != 1.0)
            acc = arith::MulFOp::create(
                b, nloc, createFloatConstant(b, nloc, elementType, alpha), acc);
          if (args.size() == 1)
            return acc;
          Value cValue = args[1];
          if (beta != 1.0)
            cValue = arith::MulFOp::create(
                b, nloc, createFloatConstant(b, nloc, elementType, beta),
                cValue);
          return arith::AddFOp::create(b, nloc, acc, cValue).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void linalg_lowering::populateContractionPatterns(RewritePatternSet &patterns) {
  patterns.add<MatMulLowering, BatchMatMulLowering, GemmLowering>(
      patterns.getContext());
}
