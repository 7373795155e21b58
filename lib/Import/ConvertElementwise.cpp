//===- ConvertElementwise.cpp - ONNX elementwise ops and activations ------===//

#include "ConverterUtils.h"
#include "GraphImporter.h"

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

/// Pow with an integer exponent on a float base: the exponent is cast to
/// the base's type first (exact for the exponents that matter; an unsigned
/// exponent is refused, qopt's cast reading integers as signed).
LogicalResult convertPow(NodeImporter &ni) {
  auto lhs = ni.input(0), rhs = ni.input(1);
  auto type = ni.outputType(0);
  if (failed(lhs) || failed(rhs) || failed(type) ||
      failed(requireFloatCompute(ni, *type)))
    return failure();
  Value exponent = *rhs;
  auto rhsType = cast<RankedTensorType>(exponent.getType());
  if (isa<IntegerType>(rhsType.getElementType())) {
    int32_t dtype = onnx::TensorProto::UNDEFINED;
    if (const HostTensor *t = ni.constInput(1))
      dtype = t->dtype;
    else if (const onnx::TypeProto *t = ni.graph.types.lookup(ni.node.input(1));
             t && t->has_tensor_type())
      dtype = t->tensor_type().elem_type();
    if (dtype == onnx::TensorProto::UINT32 || dtype == onnx::TensorProto::UINT64 ||
        dtype == onnx::TensorProto::UINT16 || dtype == onnx::TensorProto::UINT8)
      return ni.fail("an unsigned integer exponent is not supported");
    exponent = CastOp::create(
        ni.b, ni.loc, rhsType.clone(type->getElementType()), exponent);
  }
  ni.setOutput(0, PowOp::create(ni.b, ni.loc, *type, *lhs, exponent));
  return success();
}

/// Max, Min and Sum take one or more inputs: fold them pairwise.
template <typename OpTy> FailureOr<Value> foldVariadic(NodeImporter &ni) {
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
      return ni.error("input shapes do not broadcast");
    result = OpTy::create(ni.b, ni.loc,
                          RankedTensorType::get(*shape, type->getElementType()),
                          result, *next);
  }
  return result;
}

template <typename OpTy> LogicalResult convertVariadic(NodeImporter &ni) {
  auto result = foldVariadic<OpTy>(ni);
  if (failed(result))
    return failure();
  ni.setOutput(0, *result);
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
  // Dropout is the identity outside training mode; training mode (random
  // drops) is not supported.
  if (ni.node.op_type() == "Dropout" && ni.hasInput(2)) {
    const HostTensor *training = ni.constInput(2);
    if (!training || training->numElements() != 1)
      return ni.fail("training_mode must be a constant scalar");
    if (training->doubles()[0] != 0.0)
      return ni.fail("training_mode=true (random dropout) is not supported");
  }
  ni.setOutput(0, *x);
  if (!ni.hasOutput(1))
    return success();
  // The mask: nothing is dropped, so it is all true.
  auto maskType = ni.outputType(1);
  if (failed(maskType))
    return failure();
  if (!maskType->getElementType().isInteger(1))
    return ni.fail("the mask output must be a bool tensor");
  ni.setOutput(1, ConstantOp::create(ni.b, ni.loc, *maskType,
                                     DenseElementsAttr::get(*maskType, true)));
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

/// The ONNX ops that map to one function of qopt.unary. The parametric ones
/// always carry their parameters, with ONNX's defaults.
LogicalResult convertUnaryMath(NodeImporter &ni, UnaryFunction fn) {
  auto x = ni.input(0);
  auto type = ni.outputType(0);
  if (failed(x) || failed(type) || failed(requireFloatCompute(ni, *type)))
    return failure();
  FloatAttr alpha, gamma;
  switch (fn) {
  case UnaryFunction::elu:
  case UnaryFunction::celu:
  case UnaryFunction::thresholded_relu:
    alpha = ni.b.getF32FloatAttr(ni.attrFloat("alpha", 1.0f));
    break;
  case UnaryFunction::selu:
    alpha = ni.b.getF32FloatAttr(ni.attrFloat("alpha", 1.67326319217681884765625f));
    gamma = ni.b.getF32FloatAttr(ni.attrFloat("gamma", 1.05070102214813232421875f));
    break;
  default:
    break;
  }
  if (fn == UnaryFunction::celu && alpha.getValueAsDouble() == 0.0)
    return ni.fail("Celu's alpha must not be 0");
  ni.setOutput(0, UnaryMathOp::create(
                      ni.b, ni.loc, *type,
                      UnaryFunctionAttr::get(ni.b.getContext(), fn), *x,
                      alpha, gamma));
  return success();
}

/// LogSoftmax as x − max − log Σ exp(x − max) over `axis`: the same
/// stabilisation softmax uses, without the division (log of a softmax that
/// underflowed to 0 would be −inf where the true value is finite).
LogicalResult convertLogSoftmax(NodeImporter &ni) {
  auto x = ni.input(0);
  auto type = ni.outputType(0);
  if (failed(x) || failed(type) || failed(requireFloatCompute(ni, *type)))
    return failure();
  if (!isa<FloatType>(type->getElementType()))
    return ni.fail("quantized operands are not supported");
  auto axis = normalizedAxis(ni, ni.attrInt("axis", -1), type->getRank());
  if (failed(axis))
    return failure();
  llvm::SmallVector<int64_t> kept(type->getShape());
  kept[*axis] = 1;
  auto keptType = RankedTensorType::get(kept, type->getElementType());
  auto reduce = [&](ReduceKind kind, Value v) -> Value {
    return ReduceOp::create(ni.b, ni.loc, keptType,
                            ReduceKindAttr::get(ni.b.getContext(), kind), v,
                            ni.b.getDenseI64ArrayAttr({*axis}),
                            ni.b.getBoolAttr(true));
  };
  Value shifted = SubOp::create(ni.b, ni.loc, *type, *x,
                                reduce(ReduceKind::max, *x));
  Value sum = reduce(ReduceKind::sum, ExpOp::create(ni.b, ni.loc, *type, shifted));
  Value logSum = LogOp::create(ni.b, ni.loc, keptType, sum);
  ni.setOutput(0, SubOp::create(ni.b, ni.loc, *type, shifted, logSum));
  return success();
}

/// Mean of one or more inputs: their broadcast sum times 1/n.
LogicalResult convertMean(NodeImporter &ni) {
  auto type = ni.outputType(0);
  if (failed(type))
    return failure();
  if (!isa<FloatType>(type->getElementType()))
    return ni.fail("quantized operands are not supported");
  auto sum = foldVariadic<AddOp>(ni);
  if (failed(sum))
    return failure();
  auto scalarType = RankedTensorType::get({}, type->getElementType());
  Value inv = ConstantOp::create(
      ni.b, ni.loc, scalarType,
      DenseElementsAttr::get(scalarType,
                             ni.b.getFloatAttr(type->getElementType(),
                                               1.0 / ni.numInputs())));
  ni.setOutput(0, MulOp::create(ni.b, ni.loc, *type, *sum, inv));
  return success();
}

/// PRelu: x for x ≥ 0, slope·x otherwise, as relu(x) − slope·relu(−x)
/// (slope broadcasts to x).
LogicalResult convertPRelu(NodeImporter &ni) {
  auto x = ni.input(0), slope = ni.input(1);
  auto type = ni.outputType(0);
  if (failed(x) || failed(slope) || failed(type) ||
      failed(requireFloatCompute(ni, *type)))
    return failure();
  if (!isa<FloatType>(type->getElementType()))
    return ni.fail("quantized operands are not supported");
  auto xType = cast<RankedTensorType>(x->getType());
  if (xType.getShape() != type->getShape())
    return ni.fail("the slope must broadcast to the input's shape");
  Value pos = ReluOp::create(ni.b, ni.loc, xType, *x);
  Value negPart = ReluOp::create(ni.b, ni.loc, xType,
                                 NegOp::create(ni.b, ni.loc, xType, *x));
  Value scaled = MulOp::create(ni.b, ni.loc, *type, *slope, negPart);
  ni.setOutput(0, SubOp::create(ni.b, ni.loc, *type, pos, scaled));
  return success();
}
} // namespace

void mlir::qopt::onnx_import::addElementwiseConverters(ConverterMap &map) {
  map["Add"] = convertBinary<AddOp>;
  map["Sub"] = convertBinary<SubOp>;
  map["Mul"] = convertBinary<MulOp>;
  map["Div"] = convertBinary<DivOp>;
  map["Pow"] = convertPow;
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
  map["LogSoftmax"] = convertLogSoftmax;
  map["Sum"] = convertVariadic<AddOp>;
  map["Mean"] = convertMean;
  map["PRelu"] = convertPRelu;
  const std::pair<const char *, UnaryFunction> unaryMath[] = {
      {"Floor", UnaryFunction::floor},
      {"Ceil", UnaryFunction::ceil},
      {"Round", UnaryFunction::round},
      {"Sign", UnaryFunction::sign},
      {"Sin", UnaryFunction::sin},
      {"Cos", UnaryFunction::cos},
      {"Tan", UnaryFunction::tan},
      {"Asin", UnaryFunction::asin},
      {"Acos", UnaryFunction::acos},
      {"Atan", UnaryFunction::atan},
      {"Sinh", UnaryFunction::sinh},
      {"Cosh", UnaryFunction::cosh},
      {"Asinh", UnaryFunction::asinh},
      {"Acosh", UnaryFunction::acosh},
      {"Atanh", UnaryFunction::atanh},
      {"Softplus", UnaryFunction::softplus},
      {"Softsign", UnaryFunction::softsign},
      {"Elu", UnaryFunction::elu},
      {"Selu", UnaryFunction::selu},
      {"Celu", UnaryFunction::celu},
      {"ThresholdedRelu", UnaryFunction::thresholded_relu}};
  for (auto [name, fn] : unaryMath)
    map[name] = [fn = fn](NodeImporter &ni) { return convertUnaryMath(ni, fn); };
}
