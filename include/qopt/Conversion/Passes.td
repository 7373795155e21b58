//===- Passes.td - qopt conversion passes ---------------------------------===//
//
// Passes that lower the qopt dialect to upstream dialects.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_CONVERSION_PASSES_TD
#define QOPT_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertQOptToLinalgPass : Pass<"convert-qopt-to-linalg"> {
  let summary = "Lower float qopt graph ops to linalg, tensor, arith and math";
  let description = [{
    Lowers the graph ops of the qopt dialect on float tensors to upstream
    `linalg` (named ops where one exists, `linalg.generic` otherwise),
    `tensor`, `arith` and `math` ops on tensors, ready for bufferization.
    Numerics follow the ONNX operators that the qopt ops document:

    - elementwise ops broadcast as numpy does (a `linalg.generic` whose
      indexing maps read size-1 operand dims at index 0); `gelu` has its
      exact `0.5·x·(1 + erf(x/√2))` and its tanh form;
    - `matmul` becomes `linalg.matmul` (2-D, or when only `lhs` has batch
      dims, which are folded into its rows) or `linalg.batch_matmul` after
      the batch dims are broadcast and collapsed; `gemm` uses
      `linalg.matmul` with transposed indexing maps and an `alpha`/`beta`/`C`
      epilogue;
    - `conv2d` pads with `tensor.pad` and uses `linalg.conv_2d_nchw_fchw`
      (one group) or `linalg.conv_2d_ngchw_gfchw` (grouped and depthwise,
      through `tensor.expand_shape`/`collapse_shape`); the bias is added
      by a `linalg.generic`; `conv_transpose2d` is the same convolution on
      the stride-spread, bordered input with flipped, regrouped weights;
    - pooling pads with -inf (max) or 0 (average) and uses
      `linalg.pooling_nchw_max`/`sum`; average pooling divides by the
      window size, or, where windows are clipped (`count_include_pad =
      false`, `ceil_mode`), by the per-position count of the positions
      that count, as ONNX Runtime does;
    - `reduce`, `softmax` (max-subtracted), `layer_norm` (biased variance,
      epsilon inside the square root) and `batch_norm` use `linalg.reduce`
      and `linalg.generic`;
    - data movement uses `tensor` ops (`collapse_shape`/`expand_shape`,
      `concat`, `extract_slice`, `pad`) and `linalg.transpose`; negative
      slice steps, reflect/edge padding and `gather` (negative indices
      wrap) use a `linalg.generic` with `linalg.index` and `tensor.extract`;
    - `resize` (nearest with each rounding mode, or n-linear; every
      coordinate transform, scale = output size / input size) is a
      `linalg.generic` that computes source coordinates in f32 as ONNX
      Runtime does and extracts the neighbours.

    Compute ops are lowered only on float element types, data movement ops
    and `cast` also on signless integers; `constant` becomes
    `arith.constant` (its `dense_resource` blobs are kept). `quantize`,
    `dequantize`, `requantize` and the integer-only ops (`rescale`,
    `int_add`, `int_matmul`, `int_conv2d`, `shiftmax`, `shift_gelu`,
    `int_layernorm`) become `linalg.generic`/`linalg.reduce` ops computing
    exactly what docs/Numerics.md specifies; quantized tensors are
    represented by their storage integers, joined to the quantized view by
    `quant.scast`. Quantized graph ops are left alone, and the pass then
    fails with an error at the first qopt op it could not lower, so a
    partial lowering never passes silently.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def ConvertLinalgToQOptRuntimePass
    : Pass<"convert-linalg-to-qopt-runtime", "::mlir::ModuleOp"> {
  let summary = "Call the CPU runtime's packed GEMM, convolution and "
                "max-pool kernels for linalg ops on buffers";
  let description = [{
    After bufferization, replaces f32 `linalg.matmul` (any strides, and the
    transposed operand maps that `gemm` uses), `linalg.batch_matmul`,
    `linalg.conv_2d_nchw_fchw` and `linalg.conv_2d_ngchw_gfchw` (contiguous
    buffers) by calls of `qopt_rt_sgemm`, `qopt_rt_sgemm_batched` and
    `qopt_rt_conv2d_nchw_f32` from qopt's runtime library
    (include/qopt/Runtime/Runtime.h). Buffers are passed as integer
    addresses computed from their strided metadata, with their strides. A
    zero `linalg.fill` of the output immediately before the op is folded
    into the call (the kernel overwrites instead of accumulating).

    f32 `linalg.pooling_nchw_max` (max_pool2d) calls
    `qopt_rt_maxpool2d_nchw_f32`, vectorized and threaded. Its input's
    `-inf` padded copy (tensor.pad, bufferized) is dropped: the kernel reads
    the unpadded input and skips the padding. A `-inf` fill of the output
    before the op is folded into the call (the kernel starts from `-inf`);
    without one it takes the maximum with the output's values.

    These kernels pack, block and vectorize the product for the CPU's
    vector width and split it over the runtime's threads: the
    tiling/packing/vectorization strategy of the CPU backend for its
    heaviest ops. Ops the kernels do not cover (other element types,
    non-contiguous convolutions) are left for `convert-linalg-to-loops`.

    The int8 products of the integer path (`linalg.quantized_matmul`,
    `quantized_batch_matmul`, `conv_2d_nchw_fchw_q` with constant zero
    points) call `qopt_rt_igemm_s8`, `qopt_rt_igemm_s8_batched` and
    `qopt_rt_conv2d_nchw_s8`. With `fuse-requant` (default), an int8
    convolution whose int32 result only feeds the lowered form of a
    `qopt.rescale` (half-up dyadic, to i8; with its bias initialisation and
    chained per-tensor clamps such as a ReLU) calls
    `qopt_rt_conv2d_nchw_s8_requant` instead, which requantizes each int32
    tile in cache: the int32 buffer and the rescale loop disappear. Likewise
    an int8 matrix product whose int32 result only feeds such a rescale
    (with an int32 bias before it, and integer ops after it that read back
    as a table of the rescaled value plus a per-channel constant, such as
    the `int_add` of an int8 bias) calls `qopt_rt_igemm_s8_requant` (or,
    batched with one multiplier, `qopt_rt_igemm_s8_batched_requant`).
  }];
  let options = [
    Option<"fuseRequant", "fuse-requant", "bool", /*default=*/"true",
           "Fuse the rescale that follows an int8 convolution or matrix "
           "product into the runtime call">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def ConvertParallelLoopsToQOptRuntimePass
    : Pass<"convert-parallel-loops-to-qopt-runtime", "::mlir::ModuleOp"> {
  let summary = "Run big scf.parallel loop nests on the runtime's thread pool";
  let description = [{
    The elementwise, pooling and normalization loops left after
    `convert-linalg-to-qopt-runtime` (from `convert-linalg-to-parallel-loops`)
    would otherwise run on the calling thread. For every outermost
    `scf.parallel` without results whose estimated work (iterations times
    the ops of its body, nested loops counted by their static trip counts)
    reaches `min-work`, the pass outlines the loop into a private function
    `(ctx: !llvm.ptr, begin: i64, end: i64)` that runs iterations
    [begin, end) of its leading parallel dims (linearized; as few of them
    as give at least `min-chunks` iterations, the innermost dim kept as a
    loop so that it still vectorizes), and replaces the loop by a call of
    `qopt_rt_parallel_for(n, grain, @body, ctx)`. `ctx` is a stack array of
    64-bit words holding what the body uses from outside: each memref's
    aligned pointer and its dynamic offset, sizes and strides (the body
    rebuilds the memref descriptor from them, static ones from its type),
    and scalars; constants are cloned into the body instead. `grain` is
    chosen so that a chunk carries at least `min-work`, so a loop a little
    over the threshold stays on one thread. Each iteration computes the
    same values in the same order as before, so results are bit-for-bit
    the same for any thread count. Loops with non-constant leading bounds,
    results or captured values of other types are left alone.
  }];
  let options = [
    Option<"minWork", "min-work", "int64_t", /*default=*/"32768",
           "Estimated work (iterations x body ops) below which a loop stays "
           "on the calling thread">,
    Option<"minChunks", "min-chunks", "int64_t", /*default=*/"64",
           "Linearize leading dims until they give this many iterations">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def QOptApproximateMathPass : Pass<"qopt-approximate-math"> {
  let summary = "Replace f32 exp, erf, tanh, log, ... by polynomial "
                "approximations that vectorize";
  let description = [{
    Applies MLIR's math polynomial approximations (Cephes-style range
    reduction plus minimax polynomials, `populateMathPolynomialApproximationPatterns`)
    to f32 `math` ops, so that softmax's `exp` and GELU's `erf`/`tanh`
    become arith code that LLVM's loop vectorizer turns into AVX2/AVX-512
    instructions, instead of one libm call per element. Ops on other
    element types are left to `convert-math-to-llvm`/`convert-math-to-libm`.
    The accuracy (a few ulp) is in docs/Numerics.md.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def FuseConvEpilogueIntoQOptRuntimePass
    : Pass<"fuse-conv-epilogue-into-qopt-runtime", "::mlir::ModuleOp"> {
  let summary = "Fold the bias + clamp loop after a runtime convolution "
                "into the kernel call";
  let description = [{
    Runs after `convert-linalg-to-qopt-runtime`. A convolution's bias and
    activation (ReLU, ReLU6, clip) follow it as a `linalg.generic` that
    reads the whole output again from memory (12 % of MobileNetV2's time).
    When a `call @qopt_rt_conv2d_nchw_f32` overwrites a contiguous buffer
    (address = its aligned pointer, offset 0) that only the next
    `linalg.generic` reads, through reshapes, and that generic is
    elementwise over the same shape with a body of the form

      v = addf(x, b)  (b: a 1-D bias indexed by the channel dim, or a
                       constant; optional)
      v = addf(r, v)  (r: a residual input shaped as the output; optional)
      v = maximumf(v, lo)  (constant; optional)
      v = minimumf(v, hi)  (constant; optional)

    and writes a contiguous buffer of the same element count (or `x`'s
    own buffer in place), the pair becomes one call of
    `qopt_rt_conv2d_nchw_f32_epilogue`, which applies the same operations
    to each output tile while it is still in cache, writing straight into
    the generic's output. The values are bit-for-bit those of the two
    steps. The call moves down to the generic's place; only allocations,
    reshapes and index arithmetic may lie between them.

    The end of a residual block with a downsampling convolution,
    `clamp((xA + bA) + (xB + bB))` of two such calls' outputs, matches no
    single epilogue: the pass first inserts `xA = addf(xA, bA)` in place
    right after the earlier call (whose output nothing else reads) and
    leaves `clamp(xA + (xB + bB))`, so that both calls take an epilogue,
    the later one with xA as its residual. Addition commutes, so the values
    are bit for bit those of the loop (all 20 of ResNet-18's convolutions
    now end in their kernels).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def FuseExpandDepthwiseIntoQOptRuntimePass
    : Pass<"fuse-expand-depthwise-into-qopt-runtime", "::mlir::ModuleOp"> {
  let summary = "Fuse a 1x1 expansion with the 3x3 depthwise convolution "
                "that reads it into one runtime call";
  let description = [{
    Runs after `fuse-conv-epilogue-into-qopt-runtime`. MobileNetV2's blocks
    expand their channels sixfold with a 1×1 convolution, whose output
    (1.8 to 4.8 MB on the 112×112 and 56×56 planes) only a 3×3 depthwise
    convolution reads. When a `call @qopt_rt_conv2d_nchw_f32_epilogue`
    that is a 1×1 stride-1 unpadded convolution (one group, at most 256
    input channels, no residual) overwrites a `memref.alloc` buffer whose
    only other reader is the next such call, a 3×3 depthwise convolution
    (stride 1 or 2, dilation 1, no residual) of it on a plane at least 29
    wide, and only allocations, reshapes, constants and index arithmetic
    lie between the two calls, the pair becomes one
    `call @qopt_rt_conv2d_nchw_f32_expand_depthwise` at the second call's
    place, and the buffer goes away. The runtime expands a few channels at
    a time into cache-resident planes and convolves them at once; the
    values are bit for bit those of the two calls (docs/Runtime.md).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def QOptPromoteSmallBuffersPass
    : Pass<"qopt-promote-small-buffers", "::mlir::func::FuncOp"> {
  let summary = "Turn small function-local heap buffers into stack buffers";
  let description = [{
    Runs after `buffer-deallocation-pipeline` and the runtime-call
    conversions (whose epilogue matchers look for `memref.alloc`). A
    `memref.alloc` in the function's entry block with a static shape, no
    memory space, at most `max-buffer-bytes` bytes, and exactly one
    `memref.dealloc` that is in the same block, becomes a `memref.alloca`
    at the start of the entry block (a fixed slot of the stack frame) and
    its dealloc is erased. Buffers are taken in program order until their
    sum would pass `max-total-bytes`, so that the frame stays bounded
    whatever the model (no lifetime markers: the slots do not overlap).

    Why: a small model's graph function allocates and frees one buffer per
    intermediate tensor on every call; for the int8 ViT on 28x28 images
    (136 buffers of 64 B to 12 KiB) malloc/free were 8 % of the time.
    Allocations in loops or regions, dynamic shapes, buffers that escape
    (no dealloc, or a dealloc elsewhere) are left alone.
  }];
  let options = [
    Option<"maxBufferBytes", "max-buffer-bytes", "int64_t",
           /*default=*/"16384", "Largest buffer moved to the stack">,
    Option<"maxTotalBytes", "max-total-bytes", "int64_t",
           /*default=*/"262144",
           "Bytes of stack the promoted buffers may take in one function">,
  ];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def QOptInterleaveReductionsPass
    : Pass<"qopt-interleave-reductions", "::mlir::func::FuncOp"> {
  let summary = "Run the rows of a serial reduction loop side by side";
  let description = [{
    Runs after `convert-linalg-to-parallel-loops`. A reduction such as
    LayerNorm's mean or softmax's sum becomes an `scf.parallel` over the
    rows whose body is one `scf.for` that loads an accumulator, combines it
    with the row's element and stores it back at the same (loop-invariant)
    indices. Each row is one chain of dependent float adds (64 adds at 3 to
    4 cycles each for a LayerNorm row of 64): LLVM cannot vectorize it
    without reassociating, which would change the rounding.

    This pass takes `unroll` rows of the innermost parallel dimension per
    iteration (the step multiplied by `unroll`; the largest of `unroll`,
    4, 2 that divides the trip count) and runs their loops as one
    `scf.for` with one `iter_args` accumulator per row: the accumulators
    are loaded before the loop and stored after it, each row's body is
    cloned with the row's index. Every row still combines its elements in
    the same order, so results are bit-identical; the rows' chains are
    independent, so they overlap in the pipeline.

    Matched: a parallel loop with no results whose body is the `scf.for`
    (no iter_args) and the terminator; in the loop body exactly one
    `memref.store`, into a buffer from `memref.alloc`/`alloca` at indices
    defined outside the loop that include the innermost parallel index,
    exactly one `memref.load` of it at the same indices before the store,
    no other use of that buffer, and otherwise only side-effect-free ops
    and loads of other buffers. Anything else is left alone.
  }];
  let options = [
    Option<"unroll", "unroll", "int64_t", /*default=*/"8",
           "Rows run side by side (at most)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::scf::SCFDialect"];
}

def QOptMarkAllocationsNoAliasPass
    : Pass<"qopt-mark-allocations-noalias", "::mlir::ModuleOp"> {
  let summary = "Mark the heap allocator's result noalias for LLVM";
  let description = [{
    Runs after `finalize-memref-to-llvm{use-generic-functions
    use-aligned-alloc}`. Gives the declarations of the allocation
    functions that lowering calls (`_mlir_memref_to_llvm_alloc`,
    `_mlir_memref_to_llvm_aligned_alloc`, `malloc`, `aligned_alloc`) the
    result attribute `llvm.noalias`: each call returns a block that no
    other pointer reaches, as malloc does. LLVM's alias analysis then knows
    that distinct buffers do not overlap and vectorizes short loops between
    them without runtime overlap checks (which it does not add below 16
    iterations). Definitions, and declarations that do not return a
    pointer, are left alone.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // QOPT_CONVERSION_PASSES_TD
