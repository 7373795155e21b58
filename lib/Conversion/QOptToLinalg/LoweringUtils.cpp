//===- LoweringUtils.cpp - helpers shared by the qopt-to-linalg patterns --===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::linalg_lowering;

static Type elementTypeOf(Value value) {
  return cast<ShapedType>(value.getType()).getElementType();
}

/// Applies `pred` to the element type of every operand and result; false if
/// one is not a ranked tensor.
template <typename Pred>
static bool allElementTypes(Operation *op, Pred pred) {
  for (Type type : llvm::concat<Type>(llvm::to_vector(op->getOperandTypes()),
                                      llvm::to_vector(op->getResultTypes()))) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !pred(tensor.getElementType()))
      return false;
  }
  return true;
}

bool linalg_lowering::isFloatComputeOp(Operation *op) {
  if (op->getNumResults() == 0)
    return false;
  Type first = cast<ShapedType>(op->getResult(0).getType()).getElementType();
  return isa<FloatType>(first) &&
         allElementTypes(op, [&](Type t) { return t == first; });
}

bool linalg_lowering::isPlainDataOp(Operation *op) {
  return allElementTypes(op, [](Type t) {
    if (auto integer = dyn_cast<IntegerType>(t))
      return integer.isSignless();
    return isa<FloatType, IndexType>(t);
  });
}

Value linalg_lowering::createFloatConstant(OpBuilder &b, Location loc,
                                           Type type, double value) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
}

Value linalg_lowering::createIndexConstant(OpBuilder &b, Location loc,
                                           int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

Value linalg_lowering::createEmpty(OpBuilder &b, Location loc,
                                   RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(),
                                 type.getElementType());
}

Value linalg_lowering::createFilled(OpBuilder &b, Location loc,
                                    RankedTensorType type, Value value) {
  Value empty = createEmpty(b, loc, type);
  return linalg::FillOp::create(b, loc, ValueRange{value}, ValueRange{empty})
      .getResult(0);
}

SmallVector<utils::IteratorType> linalg_lowering::parallelIterators(unsigned n) {
  return SmallVector<utils::IteratorType>(n, utils::IteratorType::parallel);
}

AffineMap linalg_lowering::getBroadcastMap(ArrayRef<int64_t> operand,
                                           ArrayRef<int64_t> result,
                                           MLIRContext *context) {
  unsigned rank = result.size(), operandRank = operand.size();
  assert(operandRank <= rank && "operand has a higher rank than the result");
  SmallVector<AffineExpr> exprs;
  for (unsigned i = 0; i < operandRank; ++i) {
    unsigned dim = rank - operandRank + i;
    if (operand[i] == 1 && result[dim] != 1)
      exprs.push_back(getAffineConstantExpr(0, context));
    else
      exprs.push_back(getAffineDimExpr(dim, context));
  }
  return AffineMap::get(rank, 0, exprs, context);
}

AffineMap linalg_lowering::getDropDimsMap(unsigned rank,
                                          ArrayRef<int64_t> dropped,
                                          MLIRContext *context) {
  SmallVector<AffineExpr> exprs;
  for (unsigned d = 0; d < rank; ++d)
    if (!llvm::is_contained(dropped, (int64_t)d))
      exprs.push_back(getAffineDimExpr(d, context));
  return AffineMap::get(rank, 0, exprs, context);
}

Value linalg_lowering::createElementwise(
    OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  MLIRContext *context = b.getContext();
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(getBroadcastMap(
        cast<ShapedType>(input.getType()).getShape(), resultType.getShape(),
        context));
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  Value init = createEmpty(b, loc, resultType);
  unsigned numInputs = inputs.size();
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps,
      parallelIterators(resultType.getRank()),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value result = body(nb, nloc, args.take_front(numInputs));
        linalg::YieldOp::create(nb, nloc, result);
      });
  return generic.getResult(0);
}

Value linalg_lowering::createIndexed(
    OpBuilder &b, Location loc, RankedTensorType resultType,
    function_ref<Value(OpBuilder &, Location, ArrayRef<Value>)> body) {
  int64_t rank = resultType.getRank();
  return linalg::GenericOp::create(
             b, loc, TypeRange{resultType}, ValueRange{},
             ValueRange{createEmpty(b, loc, resultType)},
             ArrayRef<AffineMap>{b.getMultiDimIdentityMap(rank)},
             parallelIterators(rank),
             [&](OpBuilder &nb, Location nloc, ValueRange) {
               SmallVector<Value> indices;
               for (int64_t d = 0; d < rank; ++d)
                 indices.push_back(linalg::IndexOp::create(nb, nloc, d));
               linalg::YieldOp::create(nb, nloc, body(nb, nloc, indices));
             })
      .getResult(0);
}

Value linalg_lowering::broadcastTo(OpBuilder &b, Location loc, Value value,
                                   ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  return createElementwise(b, loc, resultType, value,
                           [](OpBuilder &, Location, ValueRange args) {
                             return args[0];
                           });
}

/// All dims of a rank-`rank` tensor in one group.
static SmallVector<ReassociationIndices> allInOneGroup(int64_t rank) {
  ReassociationIndices group;
  for (int64_t d = 0; d < rank; ++d)
    group.push_back(d);
  return {group};
}

Value linalg_lowering::reshapeTo(OpBuilder &b, Location loc, Value value,
                                 RankedTensorType type) {
  auto source = cast<RankedTensorType>(value.getType());
  ArrayRef<int64_t> from = source.getShape(), to = type.getShape();
  if (from == to)
    return value;
  // Rank 0 to or from a tensor of ones: an empty reassociation.
  if (to.empty())
    return tensor::CollapseShapeOp::create(b, loc, type, value,
                                           ArrayRef<ReassociationIndices>{});
  if (from.empty())
    return tensor::ExpandShapeOp::create(b, loc, type, value,
                                         ArrayRef<ReassociationIndices>{});
  if (from.size() > to.size())
    if (auto groups = getReassociationIndicesForCollapse(from, to))
      return tensor::CollapseShapeOp::create(b, loc, type, value, *groups);
  if (from.size() < to.size())
    if (auto groups = getReassociationIndicesForCollapse(to, from))
      return tensor::ExpandShapeOp::create(b, loc, type, value, *groups);
  // No regrouping: through a 1-D tensor.
  Value flat = value;
  if (from.size() != 1) {
    auto flatType =
        RankedTensorType::get({source.getNumElements()}, type.getElementType());
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, value,
                                           allInOneGroup(from.size()));
  }
  if (to.size() == 1)
    return flat;
  return tensor::ExpandShapeOp::create(b, loc, type, flat,
                                       allInOneGroup(to.size()));
}

Value linalg_lowering::padSpatial(OpBuilder &b, Location loc, Value input,
                                  ArrayRef<int64_t> pads,
                                  ArrayRef<int64_t> extraEnd, Value value) {
  int64_t bottom = pads[2] + extraEnd[0], right = pads[3] + extraEnd[1];
  if (pads[0] == 0 && pads[1] == 0 && bottom == 0 && right == 0)
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[2] += pads[0] + bottom;
  shape[3] += pads[1] + right;
  auto paddedType = RankedTensorType::get(shape, type.getElementType());
  SmallVector<OpFoldResult> low = {b.getIndexAttr(0), b.getIndexAttr(0),
                                   b.getIndexAttr(pads[0]),
                                   b.getIndexAttr(pads[1])};
  SmallVector<OpFoldResult> high = {b.getIndexAttr(0), b.getIndexAttr(0),
                                    b.getIndexAttr(bottom),
                                    b.getIndexAttr(right)};
  return tensor::PadOp::create(b, loc, paddedType, input, low, high, value);
}

Value linalg_lowering::createReduction(OpBuilder &b, Location loc, Value value,
                                       ArrayRef<int64_t> dims,
                                       Combiner combiner, bool square) {
  auto type = cast<RankedTensorType>(value.getType());
  Type elementType = type.getElementType();
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (!llvm::is_contained(dims, d))
      shape.push_back(type.getDimSize(d));
  auto resultType = RankedTensorType::get(shape, elementType);
  double inf = std::numeric_limits<double>::infinity();
  double neutral = combiner == Combiner::add   ? 0.0
                   : combiner == Combiner::mul ? 1.0
                   : combiner == Combiner::max ? -inf
                                               : inf;
  Value init = createFilled(b, loc, resultType,
                            createFloatConstant(b, loc, elementType, neutral));
  auto reduce = linalg::ReduceOp::create(
      b, loc, ValueRange{value}, ValueRange{init}, dims,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value in = args[0], acc = args[1], result;
        if (square)
          in = arith::MulFOp::create(nb, nloc, in, in);
        switch (combiner) {
        case Combiner::add:
          result = arith::AddFOp::create(nb, nloc, in, acc);
          break;
        case Combiner::max:
          result = arith::MaximumFOp::create(nb, nloc, in, acc);
          break;
        case Combiner::min:
          result = arith::MinimumFOp::create(nb, nloc, in, acc);
          break;
        case Combiner::mul:
          result = arith::MulFOp::create(nb, nloc, in, acc);
          break;
        }
        linalg::YieldOp::create(nb, nloc, result);
      });
  return reduce.getResult(0);
}

Value linalg_lowering::divideBy(OpBuilder &b, Location loc, Value value,
                                double divisor) {
  auto type = cast<RankedTensorType>(value.getType());
  return createElementwise(
      b, loc, type, value, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value d = createFloatConstant(nb, nloc, elementTypeOf(value), divisor);
        return arith::DivFOp::create(nb, nloc, args[0], d).getResult();
      });
}

Value linalg_lowering::createMean(OpBuilder &b, Location loc, Value value,
                                  ArrayRef<int64_t> dims) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t count = 1;
  for (int64_t d : dims)
    count *= type.getDimSize(d);
  Value sum = createReduction(b, loc, value, dims, Combiner::add);
  return divideBy(b, loc, sum, (double)count);
}
