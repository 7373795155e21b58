//===- Passes.td - qopt transformation passes -----------------------------===//

#ifndef QOPT_DIALECT_QOPT_TRANSFORMS_PASSES_TD
#define QOPT_DIALECT_QOPT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def QOptFoldBatchNorm : Pass<"qopt-fold-batch-norm", "func::FuncOp"> {
  let summary = "Fold inference batch normalisation into the preceding conv2d";
  let description = [{
    Rewrites `batch_norm(conv2d(x, W, b))` with constant weights and batch
    norm parameters into one `conv2d(x, W', b')` where, per output channel f,
    `k = scale[f] / sqrt(var[f] + eps)`, `W'[f] = W[f]·k` and
    `b'[f] = (b[f] - mean[f])·k + bias[f]`. Only float tensors are folded;
    the conv must have no other users. Folded weights are stored in new
    `dense_resource` blobs. Computation is in double precision and rounded
    once to the weights' float type.
  }];
  let dependentDialects = ["::mlir::qopt::QOptDialect"];
  let statistics = [
    Statistic<"numFolded", "folded-batch-norms", "Batch norms folded">
  ];
}

def QOptRaiseComposites : Pass<"qopt-raise-composites", "func::FuncOp"> {
  let summary = "Recognise decomposed LayerNorm, GELU, softmax, HardSigmoid "
                "and HardSwish and raise each to one qopt op";
  let description = [{
    Exporters decompose operators that older opsets lack. On float graphs
    this pass rewrites each decomposition into the single qopt op, so that
    quantization and integer-only lowering (I-LayerNorm, ShiftGELU,
    Shiftmax) see the operator:

    - `d = x - ReduceMean(x); d / Sqrt(ReduceMean(d^2) + eps) [* g] [+ b]`
      over trailing dims → `qopt.layer_norm` (affine parameters absorbed
      when constant and shaped like the normalised dims);
    - `0.5 · x · (1 + Erf(x/√2))` → `qopt.gelu`, and the tanh form
      `0.5 · x · (1 + Tanh(√(2/π)(x + 0.044715 x³)))` → `qopt.gelu` with
      `approximation = tanh`, in any order of the product;
    - `Exp(x - ReduceMax(x)) / ReduceSum(..)` on one axis → `qopt.softmax`;
    - `Clip(x + 3, 0, 6) / 6` → `qopt.hard_sigmoid` (alpha 1/6, beta 0.5),
      `x · Clip(x + 3, 0, 6) / 6` and `x · hard_sigmoid(x)` →
      `qopt.hard_swish`.

    Constants match within a relative 1e-4. Quantized graphs are left
    alone.
  }];
  let dependentDialects = ["::mlir::qopt::QOptDialect"];
}

def QOptVerifyIntegerOnly : Pass<"qopt-verify-integer-only", "func::FuncOp"> {
  let summary = "Fail if floating point remains in an integer-only function";
  let description = [{
    An integer-only function computes in integers from its inputs to its
    outputs. The only floating point allowed is the boundary: a
    `qopt.quantize` of a function argument (a model input) and a
    `qopt.dequantize` whose results only the return uses (a model output).
    Every other op, nested ones included, must have only integer (or index)
    operand and result element types; a float or quantized element type
    (quant-typed graph ops are float semantics over integer storage) fails
    the pass with an error at the op's location naming the type. Exempt:
    constants (they do not compute; the op that uses a float constant is
    the offender), `quant.scast` (a view of quantized values as their
    storage), and `qopt.max_pool2d` on one signed per-tensor quantized type,
    which the CPU lowering pools on the storage integers. A quantize of
    anything but an argument is an error too; a dequantize with a user other
    than the return is caught at that user (its float operand). The first
    offending op is reported.
  }];
}

def QOptFuseElementwise : Pass<"qopt-fuse-elementwise", "func::FuncOp"> {
  let summary = "Fuse chains of elementwise linalg.generic ops on tensors";
  let description = [{
    Fuses an all-parallel `linalg.generic` producer into an all-parallel
    `linalg.generic` consumer (a bias add, residual add and activation
    become one loop nest that reads and writes memory once), with upstream's
    elementwise fusion patterns restricted by a control function.
    Unlike upstream's `linalg-fuse-elementwise-ops`, it never fuses into
    reductions or contractions and does not propagate reshapes through named
    ops: that would turn `linalg.matmul` into a generic that recomputes its
    producer (a LayerNorm's divide and square root) for every multiply-add,
    and hide it from the CPU backend's GEMM kernels.
    Results nobody reads are dropped afterwards; one whose init the payload
    reads (a bias add `out + bias` fused into its activation) turns that
    init into an input, so the loop stores one tensor, not two.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def QOptTabulateInt8 : Pass<"qopt-tabulate-int8", "func::FuncOp"> {
  let summary = "Elementwise functions of one int8 tensor as 256-entry tables";
  let description = [{
    Runs after `qopt-fuse-elementwise`. An all-parallel `linalg.generic`
    whose only input is an 8-bit integer tensor, whose payload reads
    nothing else that varies (no `linalg.index`, no reads of its output, no
    ops with memory effects or regions) and which contains a `math` op
    (GELU's dequantize -> erf -> quantize, say) computes one of at most 256
    values per element. When the loop has at least `min-elements`
    elements, the payload is evaluated once for each of the 256 inputs
    (-128 .. 127 or 0 .. 255) into a `tensor<256xT>` by a generic over
    `linalg.index`, and the loop becomes a lookup of that table
    (`tensor.extract` at the input's value offset to 0 .. 255). The table
    is computed by the same ops on the same inputs when the model runs, so
    the results are bit-identical; the loop then costs a load per element
    instead of the payload (2048 erf evaluations per GELU of the int8 ViT,
    where the vector division and polynomial took 3 % of the time each).
  }];
  let options = [
    Option<"minElements", "min-elements", "int64_t", /*default=*/"1024",
           "Smallest loop (elements) worth a table of 256 evaluations">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def QOptIntegerOnly : Pass<"qopt-integer-only", "func::FuncOp"> {
  let summary = "Quantized softmax/gelu/layer_norm to I-ViT's integer ops";
  let description = [{
    Rewrites quantized `qopt.softmax`, `qopt.gelu` and `qopt.layer_norm`
    (signed per-tensor
    `!quant.uniform` input and result) into I-ViT's integer-only ops on the
    storage integers, followed by a dyadic `qopt.rescale` (rounding
    `half_up`, saturating to the result's storage range) into the result
    type, joined to the quantized values by `quant.scast`:
    - softmax: `qopt.shiftmax` with `x0 = ⌊-1/s⌋`, `n = 15`, 8 output bits
      (scale 2^-7; the input zero point cancels with the maximum);
    - gelu (either approximation): the input zero point subtracted exactly
      by a unit rescale into i16 when it is not 0, then `qopt.shift_gelu`
      with `x0 = ⌊-1/(1.702·s)⌋`, `n = 23`, 8 output bits (int32 result at
      scale s·2^-7); inputs of at most 8 bits;
    - layer_norm over the last dim with constant, positive weights `w` and
      constant biases `b`: `qopt.int_layernorm` (10 Newton iterations, result
      scale √D/2^30), the integer bias `⌊(b/w)/(√D/2^30)⌋` added by an exact
      `qopt.int_add`, then a per-channel rescale by `w·√D/2^30/s_o`; inputs
      of at most 16 bits, `epsilon` ignored as in I-ViT.
    Other ops, and these ops on float, unsigned or per-axis types, are left
    alone. docs/Numerics.md specifies the integer ops.
  }];
  let dependentDialects = ["::mlir::qopt::QOptDialect",
                           "::mlir::quant::QuantDialect"];
}

def QOptQuantize : Pass<"qopt-quantize", "func::FuncOp"> {
  let summary = "Post-training quantization from qopt.calib ranges";
  let description = [{
    Reads the calibration ranges recorded as `qopt.calib` (see
    include/qopt/Quantization/CalibAttr.h) and quantizes the ops that PTQ
    handles (include/qopt/Quantization/QuantizableOps.h):

    - conv2d / matmul / gemm with constant weights: weights become
      quant-typed constants, symmetric on the narrow range
      [-(2^(b-1)-1), 2^(b-1)-1] in i8 storage (b = `weight-bits`, 8 or 4),
      per output channel (`per-channel`, conv2d axis 0, matmul axis 1,
      gemm axis 0 or 1 by `trans_b`) or per tensor; the bias becomes an
      `i32` constant at scale s_in·s_w (per channel when the weights are);
      activation inputs and the result get per-tensor i8 types from their
      ranges (asymmetric, or zero point 0 with `act-symmetric`). A matmul
      of two activations quantizes both per tensor. Gemm with alpha or
      beta other than 1, or trans_a, stays float.
    - add and concat: inputs and result with their own types.
    - relu, clamp, max/avg/global-avg pooling, reshape, flatten, transpose:
      the result takes the input's type.
    - with `integer-only` (the pipeline of `qopt-compile --integer-only`),
      also: softmax, gelu and layer_norm (input and result with their own
      types; layer_norm's weight and bias stay float constants, which
      qopt-integer-only folds); mul by a positive constant scalar (the
      constant becomes stored 1s at scale c; input and result with their
      own types); reduce mean and gather with constant indices (the result
      takes the input's type).

    A `qopt.quantize` is inserted where a float value enters a quantized
    op and a `qopt.dequantize` where a quantized result meets a float user
    (other ops, such as softmax or layer_norm, and the function's
    results), so float islands sit between dequantize and quantize and a
    producer's quantized result feeds its quantized consumers directly
    (`qopt.requantize` where the types differ). Ops whose activations have
    no recorded range stay float.

    With `fake-quant` the graph stays float: quantize→dequantize pairs
    follow each quantized tensor and weights/bias are quant-typed
    constants followed by dequantize (the QDQ form), for comparing against
    the integer graph.
  }];
  let options = [
    Option<"weightBits", "weight-bits", "unsigned", "8",
           "Bits of the weights: 8 (int8) or 4 (W4A8)">,
    Option<"perChannel", "per-channel", "bool", "true",
           "One weight scale per output channel (else per tensor)">,
    Option<"actSymmetric", "act-symmetric", "bool", "false",
           "Activations with zero point 0 (else asymmetric)">,
    Option<"fakeQuant", "fake-quant", "bool", "false",
           "Emit quantize/dequantize pairs around float ops (QDQ)">,
    Option<"integerOnly", "integer-only", "bool", "false",
           "Also quantize the ops between the contractions (softmax, gelu, "
           "layer_norm, mul by a constant, reduce mean, gather) so that "
           "qopt-integer-only and qopt-lower-quantized leave no float op">
  ];
  let dependentDialects = ["::mlir::qopt::QOptDialect",
                           "::mlir::quant::QuantDialect"];
  let statistics = [
    Statistic<"numQuantized", "quantized-ops", "Ops given quantized types">
  ];
}

def QOptLowerQuantized : Pass<"qopt-lower-quantized", "func::FuncOp"> {
  let summary = "Rewrite quant-typed graph ops into integer-only ops";
  let description = [{
    Replaces each quant-typed graph op by integer arithmetic on the storage
    integers (`quant.scast` views quantized values as their storage and
    back):

    - conv2d → `qopt.int_conv2d` (input zero point, i32 bias) and
      `qopt.rescale` by the dyadic s_in·s_w[c]/s_out per output channel
      (axis 1), to the result's zero point and storage range;
    - matmul → `qopt.int_matmul` + `qopt.rescale` (per channel on the last
      axis for per-axis weights); gemm likewise, with `trans_b` weights
      transposed by `qopt.transpose` and the i32 bias added with
      `arith.addi` (broadcast at compile time);
    - add → `qopt.int_add` with both inputs aligned dyadically to the
      output scale;
    - relu and clamp → an identity `qopt.rescale` whose qmin/qmax are the
      quantized bounds; avg_pool2d / global_avg_pool2d →
      `qopt.int_avg_pool2d`;
    - reshape, flatten, transpose, concat → the same op on storage
      integers (concat inputs of another type are rescaled first);
    - requantize → `qopt.rescale`.
    - mul by a quantized constant of one stored value k → one
      `qopt.rescale` by s_in·(k − zp_c)·s_c/s_out;
    - reduce mean → the reduced dims transposed last, a reshape to
      [1, kept, reduced, 1] and `qopt.int_avg_pool2d` over a [reduced, 1]
      window (one quantized type in and out);
    - gather (constant indices) → the same op on storage integers.

    Multipliers come from computeDyadicScale (Dyadic.h). Max pooling keeps
    its quant-typed form (it is exact on the stored integers). An op whose
    ratio cannot be a dyadic multiplier, or whose weights are asymmetric
    per channel, is an error.

    `rescale=onnx` (imported QDQ/QOperator models) requantizes as ONNX
    Runtime does instead (docs/Numerics.md, "float_rescale"): the exact
    accumulators of conv2d/matmul/gemm, and requantize and concat
    alignments, go through `qopt.float_rescale` (f32 multiply by
    x_scale·w_scale, divide by y_scale — or, for ops marked `qopt.qlinear`
    by the QLinearConv/QLinearMatMul importer, one f32 multiply by
    x_scale·w_scale/y_scale — round half to even); add, avg_pool2d,
    global_avg_pool2d, reduce mean and mul become dequantize, the float op
    and quantize, as ONNX defines them.
  }];
  let options = [
    Option<"rescale", "rescale", "std::string", "\"dyadic\"",
           "Requantization: 'dyadic' (qopt's integer spec) or 'onnx' "
           "(ONNX Runtime's float requantization)">
  ];
  let dependentDialects = ["::mlir::qopt::QOptDialect",
                           "::mlir::quant::QuantDialect",
                           "::mlir::arith::ArithDialect"];
}

def QOptFoldQDQ : Pass<"qopt-fold-qdq", "func::FuncOp"> {
  let summary = "Fold QDQ (QuantizeLinear/DequantizeLinear) pairs of an "
                "imported model into quant-typed graph ops";
  let description = [{
    A QDQ model (ONNX Runtime's pre-quantized format) imports as float ops
    between `qopt.dequantize` and `qopt.quantize`. This pass gives those
    ops quantized types, the form `qopt-quantize` produces, so that
    `qopt-lower-quantized` runs them as integer arithmetic:

    - `op(dequantize(a), dequantize(b), ...)` whose single use is
      `quantize` to type T becomes `op(a, b, ...)` with result type T, for
      conv2d, matmul, gemm, add, avg_pool2d, global_avg_pool2d, relu and
      clamp (all operands must be dequantized: weights and biases are
      quant-typed constants after import);
    - ops that commute exactly with quantization (relu, max_pool2d,
      reshape, flatten, transpose: each output value is one input value, or
      max(x, 0) = dequantize(max(q, zp))) move across a `dequantize` that
      feeds them or a `quantize` that reads them, keeping the per-tensor
      type;
    - `quantize(dequantize(q))` becomes `q` (same type) or
      `qopt.requantize`.

    Ops whose operands or result are not all quantized stay float.
  }];
  let dependentDialects = ["::mlir::qopt::QOptDialect",
                           "::mlir::quant::QuantDialect"];
  let statistics = [
    Statistic<"numFolded", "folded-ops", "Float ops given quantized types">
  ];
}

#endif // QOPT_DIALECT_QOPT_TRANSFORMS_PASSES_TD
