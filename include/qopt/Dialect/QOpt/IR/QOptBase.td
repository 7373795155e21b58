//===- QOptBase.td - qopt dialect definition and type constraints --------===//
//
// The qopt dialect: graph ops imported from ONNX (float or quant-typed),
// quantization ops, and integer-only ops on plain integer tensors.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QOPT_IR_QOPTBASE_TD
#define QOPT_DIALECT_QOPT_IR_QOPTBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def QOpt_Dialect : Dialect {
  let name = "qopt";
  let cppNamespace = "::mlir::qopt";
  let summary = "Quantization-aware graph, quantization and integer-only ops";
  let description = [{
    The `qopt` dialect carries a neural network from import to code
    generation. It has three op families:

    1. *Graph ops* (`qopt.conv2d`, `qopt.matmul`, `qopt.softmax`, ...) on
       ranked, statically shaped tensors whose elements are floats or upstream
       `!quant.uniform` quantized types. Their semantics follow the ONNX
       operator of the same name, with all attributes explicit.
    2. *Quantization ops* (`qopt.quantize`, `qopt.dequantize`,
       `qopt.requantize`) that move between float and quantized tensors.
    3. *Integer-only ops* (`qopt.rescale`, `qopt.int_conv2d`,
       `qopt.shiftmax`, ...) on plain signless integer tensors. Their exact
       arithmetic is specified in docs/Numerics.md and every backend must
       reproduce it bit for bit.

    Discardable attributes `qopt.bits` (bit allocation) and `qopt.calib`
    (calibration statistics) may be attached to any op so that each pass can
    run alone on printed IR.
  }];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def QOpt_QuantizedType : Type<
    Or<[CPred<"::llvm::isa<::mlir::quant::UniformQuantizedType>($_self)">,
        CPred<"::llvm::isa<::mlir::quant::UniformQuantizedPerAxisType>($_self)">]>,
    "uniform quantized type", "::mlir::quant::QuantizedType">;

// Element types of graph ops: a float, or a uniform quantized type.
def QOpt_GraphElementType : AnyTypeOf<[AnyFloat, QOpt_QuantizedType]>;

def QOpt_FloatTensor : StaticShapeTensorOf<[AnyFloat]>;
def QOpt_QuantTensor : StaticShapeTensorOf<[QOpt_QuantizedType]>;
def QOpt_GraphTensor : StaticShapeTensorOf<[AnyFloat, QOpt_QuantizedType]>;
def QOpt_IntTensor : StaticShapeTensorOf<[AnySignlessInteger]>;
def QOpt_I32Tensor : StaticShapeTensorOf<[I32]>;
// Data-movement ops (reshape, transpose, ...) accept any element type.
def QOpt_AnyTensor : StaticShapeTensorOf<[AnyType]>;

class QOpt_Op<string mnemonic, list<Trait> traits = []>
    : Op<QOpt_Dialect, mnemonic, traits>;

#endif // QOPT_DIALECT_QOPT_IR_QOPTBASE_TD
