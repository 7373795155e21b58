//===- Signature.cpp - I/O signatures of a qopt module's @main ------------===//

#include "qopt/Target/CPU/Signature.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::qopt;

FailureOr<TensorSignature> mlir::qopt::signatureOf(func::FuncOp func,
                                                   Type type, StringAttr name,
                                                   unsigned index,
                                                   bool isInput) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  Type elem = tensor ? tensor.getElementType() : Type();
  std::string dtype;
  if (elem && elem.isF32()) dtype = "f32";
  else if (elem && elem.isF64()) dtype = "f64";
  else if (elem && elem.isF16()) dtype = "f16";
  else if (elem && elem.isBF16()) dtype = "bf16";
  else if (elem && elem.isSignlessInteger() &&
           llvm::is_contained({1u, 8u, 16u, 32u, 64u},
                              elem.getIntOrFloatBitWidth()))
    dtype = "i" + std::to_string(elem.getIntOrFloatBitWidth());
  if (dtype.empty() || !tensor.hasStaticShape())
    return func.emitError() << (isInput ? "input #" : "output #") << index
                            << " has type " << type
                            << ", which the CPU runtime does not support";
  TensorSignature sig;
  sig.name = name ? name.str()
                  : (isInput ? "input" : "output") + std::to_string(index);
  sig.dtype = dtype;
  sig.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
  return sig;
}

LogicalResult mlir::qopt::getSignatures(func::FuncOp func,
                                        std::vector<TensorSignature> &inputs,
                                        std::vector<TensorSignature> &outputs) {
  FunctionType type = func.getFunctionType();
  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    auto sig = signatureOf(func, type.getInput(i),
                           func.getArgAttrOfType<StringAttr>(i, "qopt.name"),
                           i, /*isInput=*/true);
    if (failed(sig))
      return failure();
    inputs.push_back(*sig);
  }
  for (unsigned i = 0; i < type.getNumResults(); ++i) {
    auto sig = signatureOf(func, type.getResult(i),
                           func.getResultAttrOfType<StringAttr>(i, "qopt.name"),
                           i, /*isInput=*/false);
    if (failed(sig))
      return failure();
    outputs.push_back(*sig);
  }
  return success();
}
