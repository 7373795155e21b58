//===- LoweringUtils.h - helpers shared by the qopt-to-linalg patterns -*- C++ -*-===//
//
// Internal to lib/Conversion/QOptToLinalg: type checks, tensor builders and
// the per-family populate functions.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_CONVERSION_QOPTTOLINALG_LOWERINGUTILS_H
#define QOPT_LIB_CONVERSION_QOPTTOLINALG_LOWERINGUTILS_H

#include "qopt/Dialect/QOpt/IR/QOpt.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::qopt::linalg_lowering {

//===----------------------------------------------------------------------===//
// Which ops a pattern may lower
//===----------------------------------------------------------------------===//

/// Every operand and result of `op` is a ranked tensor of one float type.
/// The compute patterns (elementwise, contractions, convolutions, pooling,
/// reductions, normalisations) lower only such ops.
bool isFloatComputeOp(Operation *op);

/// Every operand and result of `op` is a ranked tensor of a float, signless
/// integer or index element type (no quantized types). The data-movement
/// patterns and `cast` lower such ops.
bool isPlainDataOp(Operation *op);

//===----------------------------------------------------------------------===//
// Builders
//===----------------------------------------------------------------------===//

/// `arith.constant` of the float type `type` (rounded to nearest).
Value createFloatConstant(OpBuilder &b, Location loc, Type type, double value);

/// `arith.constant` of the index type.
Value createIndexConstant(OpBuilder &b, Location loc, int64_t value);

/// `tensor.empty` of `type`.
Value createEmpty(OpBuilder &b, Location loc, RankedTensorType type);

/// `tensor.empty` of `type` filled (`linalg.fill`) with `value`.
Value createFilled(OpBuilder &b, Location loc, RankedTensorType type,
                   Value value);

/// `n` parallel iterators.
SmallVector<utils::IteratorType> parallelIterators(unsigned n);

/// The indexing map that reads an operand of shape `operand` inside a loop
/// nest over `result`, broadcasting as numpy does: operand dims align with
/// the trailing result dims and a size-1 dim that the result does not have
/// is read at index 0.
AffineMap getBroadcastMap(ArrayRef<int64_t> operand, ArrayRef<int64_t> result,
                          MLIRContext *context);

/// The map (d0, ..., d{rank-1}) -> (the dims not in `dropped`), which reads a
/// tensor reduced over `dropped` inside a loop nest of rank `rank`.
AffineMap getDropDimsMap(unsigned rank, ArrayRef<int64_t> dropped,
                         MLIRContext *context);

/// A `linalg.generic` over `resultType` whose inputs broadcast to it as numpy
/// does; `body` gets the input elements and returns the result element.
Value createElementwise(
    OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body);

/// A `linalg.generic` over `resultType` without inputs whose body gets the
/// loop indices (`linalg.index`) and returns the element (typically a
/// `tensor.extract` at computed indices).
Value createIndexed(
    OpBuilder &b, Location loc, RankedTensorType resultType,
    function_ref<Value(OpBuilder &, Location, ArrayRef<Value>)> body);

/// `value` broadcast (numpy rules) to `shape`; the value itself when it
/// already has that shape.
Value broadcastTo(OpBuilder &b, Location loc, Value value,
                  ArrayRef<int64_t> shape);

/// `value` reshaped (row-major) to `type`: one `tensor.collapse_shape` or
/// `tensor.expand_shape` where the dims regroup, else a collapse to 1-D
/// followed by an expand.
Value reshapeTo(OpBuilder &b, Location loc, Value value,
                RankedTensorType type);

/// `input` (N×C×H×W) padded with `value` by `pads` = [top, left, bottom,
/// right], plus `extraEnd` = [bottom, right] more at the end (`tensor.pad`);
/// the input itself when all are zero.
Value padSpatial(OpBuilder &b, Location loc, Value input,
                 ArrayRef<int64_t> pads, ArrayRef<int64_t> extraEnd,
                 Value value);

/// The kinds of `linalg.reduce` the lowerings build.
enum class Combiner { add, max, min, mul };

/// `linalg.reduce` of the float tensor `value` over `dims` (the reduced dims
/// are dropped) with `combiner`, starting from its neutral element (0, -inf,
/// +inf, 1). With `square`, the elements are squared before being added.
Value createReduction(OpBuilder &b, Location loc, Value value,
                      ArrayRef<int64_t> dims, Combiner combiner,
                      bool square = false);

/// The float tensor `value` divided elementwise by the constant `divisor`.
Value divideBy(OpBuilder &b, Location loc, Value value, double divisor);

/// The mean of the float tensor `value` over `dims` (dropped).
Value createMean(OpBuilder &b, Location loc, Value value,
                 ArrayRef<int64_t> dims);

//===----------------------------------------------------------------------===//
// Pattern families (one file each)
//===----------------------------------------------------------------------===//

void populateElementwisePatterns(RewritePatternSet &patterns);
void populateContractionPatterns(RewritePatternSet &patterns);
void populateConvolutionPatterns(RewritePatternSet &patterns);
void populatePoolingPatterns(RewritePatternSet &patterns);
void populateReductionPatterns(RewritePatternSet &patterns);
void populateNormalizationPatterns(RewritePatternSet &patterns);
void populateDataMovementPatterns(RewritePatternSet &patterns);
void populateResizePatterns(RewritePatternSet &patterns);
void populateQuantOpsPatterns(RewritePatternSet &patterns);
void populateIntegerOpsPatterns(RewritePatternSet &patterns);

} // namespace mlir::qopt::linalg_lowering

#endif // QOPT_LIB_CONVERSION_QOPTTOLINALG_LOWERINGUTILS_H
