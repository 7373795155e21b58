//===- ElementsUtils.h - read and write constant tensor values ----*- C++ -*-===//
//
// Weights arrive as DenseElementsAttr (small, printed) or as
// DenseResourceElementsAttr blobs (large). Passes read both through these
// helpers and write new weights as blobs.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QOPT_IR_ELEMENTSUTILS_H
#define QOPT_DIALECT_QOPT_IR_ELEMENTSUTILS_H

#include "mlir/IR/BuiltinAttributes.h"
#include <optional>
#include <vector>

namespace mlir::qopt {

/// The values of a float constant (f16, bf16, f32 or f64 elements) widened to
/// double, or nullopt if the attribute is not a float constant or its blob
/// is not available.
std::optional<std::vector<double>> readFloatElements(ElementsAttr attr);

/// A `dense_resource` blob holding `values` rounded to the float element
/// type of `type` (f16, bf16, f32 or f64). `nameHint` names the blob; the
/// resource manager makes it unique.
ElementsAttr makeFloatResource(ShapedType type, llvm::StringRef nameHint,
                               llvm::ArrayRef<double> values);

} // namespace mlir::qopt

#endif // QOPT_DIALECT_QOPT_IR_ELEMENTSUTILS_H
