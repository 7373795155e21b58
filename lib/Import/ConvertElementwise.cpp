//===- ConvertElementwise.cpp - ONNX elementwise ops and activations ------===//

#include "ConverterUtils.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::onnx_import;

namespace {
template <typename OpTy> LogicalResult convertBinary(NodeImporter &ni) {
  auto lhs = ni.input(0), rhs = ni.input(1);
  auto type = ni.outputType(0);
  if (failed(lhs) || failed(rhs) || failed(type) ||
      failed(requireFloatCompute(ni, *type)))
    return failure();
  ni.setOutput(0, OpTy::create(ni.b, ni.loc, *type, *lhs, *rhs));
  return success();
}

/// Max and Min take one or more inputs: fold them pairwise.
template <typename OpTy> LogicalResult convertVariadic(NodeImporter &ni) {
  auto type = ni.outputType(0);
  auto acc = ni.input(0);
  if (failed(type) || failed(acc) || failed(requireFloatCompute(ni, *type)))
    return failure();
  Value result = *acc;
  for (unsigned i = 1; i < ni.numInputs(); ++i) {
    auto next = ni.input(i);
    if (failed(next))
      return failure();
    auto lhsType = cast<RankedTensorType>(result.getType());
    auto shape = broadcastShapes(lhsType.getShape(),
                                 cast<RankedTensorType>(next->getType()).getShape());
    if (!shape)
      return ni.fail("input shapes do not broadcast");
    result = OpTy::create(ni.b, ni.loc,
                          RankedTensorType::get(*shape, type->getElementType()),
                          result, *next);
  }
  ni.setOutput(0, result);
  return success();
}

template <typename OpTy> LogicalResult convertUnary(NodeImporter &ni) {
  auto x = ni.input(0);
  auto type = ni.outputType(0);
  if (failed(x) || failed(type) || failed(requireFloatCompute(ni, *type)))
    return failure();
  ni.setOutput(0, OpTy::create(ni.b, ni.loc, *type, *x));
  return success();
}

LogicalResult convertIdentity(NodeImporter &ni) {
  auto x = ni.input(0);
  if (failed(x))
    return failure();
  ni.setOutput(0, *x);
  // Dropout's optional mask output has no inference-time meaning here.
  if (ni.hasOutput(1))
    return ni.fail("the mask output of Dropout is not supported");
  return success();
}

/// A scalar bound from an optional constant input, or `dflt`.
FailureOr<float> scalarInput(NodeImporter &ni, unsigned i, float dflt,
                             llvm::StringRef what) {
  if (!ni.hasInput(i))
    return dflt;
  const HostTensor *t = ni.constInput(i);
  if (!t)
    return ni.error("input '" + what + "' must be a constant");
  if (t->numElements() != 1)
    return ni.error("input '" + what + "' must be a scalar");
  return (float)t->doubles()[0];
}

LogicalResult convertClip(NodeImporter &ni) {
  auto x = ni.input(0);
  auto type = ni.outputType(0);
  if (failed(x) || failed(type) || failed(requireFloatCompute(ni, *type)))
    return failure();
  float inf = std::numeric_limits<float>::infinity();
  auto lo = scalarInput(ni, 1, -inf, "min");
  auto hi = scalarInput(ni, 2, inf, "max");
  if (failed(lo) || failed(hi))
    return failure();
  ni.setOutput(0, ClampOp::create(ni.b, ni.loc, *type, *x,
                                  ni.b.getF32FloatAttr(*lo),
                                  ni.b.getF32FloatAttr(*hi)));
  return success();
}

LogicalResult convertHardSigmoid(NodeImporter &ni) {
  auto x = ni.input(0);
  auto type = ni.outputType(0);
  if (failed(x) || failed(type) || failed(requireFloatCompute(ni, *type)))
    return failure();
  ni.setOutput(0, HardSigmoidOp::create(
                      ni.b, ni.loc, *type, *x,
                      ni.b.getF32FloatAttr(ni.attrFloat("alpha", 0.2f)),
                      ni.b.getF32FloatAttr(ni.attrFloat("beta", 0.5f))));
  return success();
}

LogicalResult convertLeakyRelu(NodeImporter &ni) {
  auto x = ni.input(0);
  auto type = ni.outputType(0);
  if (failed(x) || failed(type) || failed(requireFloatCompute(ni, *type)))
    return failure();
  ni.setOutput(0, LeakyReluOp::create(
                      ni.b, ni.loc, *type, *x,
                      ni.b.getF32FloatAttr(ni.attrFloat("alpha", 0.01f))));
  return success();
}

LogicalResult convertSoftmax(NodeImporter &ni) {
  auto x = ni.input(0);
  auto type = ni.outputType(0);
  if (failed(x) || failed(type) || failed(requireFloatCompute(ni, *type)))
    return failure();
  auto axis = normalizedAxis(ni, ni.attrInt("axis", -1), type->getRank());
  if (failed(axis))
    return failure();
  ni.setOutput(0, SoftmaxOp::create(ni.b, ni.loc, *type, *x,
                                    ni.b.getI64IntegerAttr(*axis)));
  return success();
}
} // namespace

void mlir::qopt::onnx_import::addElementwiseConverters(ConverterMap &map) {
  map["Add"] = convertBinary<AddOp>;
  map["Sub"] = convertBinary<SubOp>;
  map["Mul"] = convertBinary<MulOp>;
  map["Div"] = convertBinary<DivOp>;
  map["Pow"] = convertBinary<PowOp>;
  map["Max"] = convertVariadic<MaxOp>;
  map["Min"] = convertVariadic<MinOp>;
  map["Neg"] = convertUnary<NegOp>;
  map["Abs"] = convertUnary<AbsOp>;
  map["Sqrt"] = convertUnary<SqrtOp>;
  map["Exp"] = convertUnary<ExpOp>;
  map["Log"] = convertUnary<LogOp>;
  map["Reciprocal"] = convertUnary<ReciprocalOp>;
  map["Relu"] = convertUnary<ReluOp>;
  map["Sigmoid"] = convertUnary<SigmoidOp>;
  map["Tanh"] = convertUnary<TanhOp>;
  map["Erf"] = convertUnary<ErfOp>;
  map["HardSwish"] = convertUnary<HardSwishOp>;
  map["Identity"] = convertIdentity;
  map["Dropout"] = convertIdentity;
  map["Clip"] = convertClip;
  map["HardSigmoid"] = convertHardSigmoid;
  map["LeakyRelu"] = convertLeakyRelu;
  map["Softmax"] = convertSoftmax;
}
