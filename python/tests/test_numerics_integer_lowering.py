"""qopt-lower-quantized's integer forms of the ops that only the integer-only
mode quantizes (mul by a constant, reduce mean), through the CPU backend,
bit-identical to numpy written from docs/Numerics.md ("From quantized graph
ops to integer ops") on random inputs with extremes and ties."""
import numpy as np
import pytest

import qopt

import numerics_ref as ref

RNG = np.random.default_rng(11)


def compile_lowered(in_shape, out_shape, in_q, out_q, body):
    """main(i8 storage) -> i8 storage around the quant-typed `body`, which
    reads %x and defines %y; lowered by qopt-lower-quantized, compiled."""
    t = lambda shape, e: "tensor<" + "x".join(map(str, shape)) + "x" + e + ">"  # noqa: E731
    text = (f"func.func @main(%a: {t(in_shape, 'i8')}) -> {t(out_shape, 'i8')} {{\n"
            f"  %x = quant.scast %a : {t(in_shape, 'i8')} to {t(in_shape, in_q)}\n"
            f"{body}\n"
            f"  %r = quant.scast %y : {t(out_shape, out_q)} to {t(out_shape, 'i8')}\n"
            f"  return %r : {t(out_shape, 'i8')}\n}}\n")
    m = qopt.parse_mlir(text)
    m.run_pipeline("func.func(qopt-lower-quantized)")
    counts = m.op_counts()
    assert not any(op in counts for op in ("qopt.mul", "qopt.reduce")), counts
    exe = m.compile_cpu()
    return lambda x: exe.run({"input0": x})["output0"]


def random_i8(shape):
    x = RNG.integers(-128, 128, size=shape).astype(np.int8)
    x.reshape(-1)[:4] = [-128, 127, 0, -1]
    return x


@pytest.mark.parametrize("s_in,zp_in,k,s_c,zp_c,s_out,zp_out", [
    (0.5, -3, 1, 0.25, 0, 0.25, 2),        # ratio 0.5: ties at odd inputs
    (0.1717, 9, 1, 0.25, 0, 0.0432, -7),   # the ViT's score scaling, saturating
    (0.02, 0, 3, 0.5, 1, 0.01, 0),         # c = (3 - 1)·0.5 = 1: ratio 2
    (0.3, -128, 1, 0.125, 0, 0.7, 127),
])
def test_scalar_mul(s_in, zp_in, k, s_c, zp_c, s_out, zp_out):
    shape = (4, 64)
    qin = f"!quant.uniform<i8:f32, {s_in!r}:{zp_in}>"
    qout = f"!quant.uniform<i8:f32, {s_out!r}:{zp_out}>"
    qc = f"!quant.uniform<i8:f32, {s_c!r}:{zp_c}>"
    body = (f"  %c = qopt.constant dense<{k}> : tensor<i8> -> tensor<{qc}>\n"
            f"  %y = qopt.mul %x, %c : (tensor<4x64x{qin}>, tensor<{qc}>) -> tensor<4x64x{qout}>")
    run = compile_lowered(shape, shape, qin, qout, body)
    x = random_i8(shape)
    # Numerics.md: rescale {dyadic(s·(k − z_c)·s_c / s_o), input_zp = zp,
    # output_zp = zp_o}, half_up, saturating to i8.
    m, s = ref.dyadic(s_in * (k - zp_c) * s_c / s_out)
    want = ref.rescale(x, [m], [s], None, zp_in, zp_out, "half_up", -128, 127)
    np.testing.assert_array_equal(run(x), want)


def reduce_mean_ref(x, axes, zp):
    """Numerics.md: out = ⌊(2·Σ(x − zp) + R) / (2R)⌋ + zp, saturated."""
    d = x.astype(np.int64) - zp
    count = int(np.prod([x.shape[a] for a in axes]))
    total = d.sum(axis=tuple(axes))
    return np.clip((2 * total + count) // (2 * count) + zp, -128, 127)


@pytest.mark.parametrize("shape,axes,zp", [
    ((1, 16, 64), [1], -14),   # the ViT's mean over tokens
    ((2, 3, 4), [1], 5),
    ((2, 3, 4), [2], -128),
    ((3, 4, 5), [0, 2], 0),
    ((2, 4), [1], 127),        # counts of 4: ties at .5 round up
])
def test_reduce_mean(shape, axes, zp):
    q = f"!quant.uniform<i8:f32, 0.05:{zp}>"
    out_shape = [d for i, d in enumerate(shape) if i not in axes]
    t = lambda s: "tensor<" + "x".join(map(str, s)) + "x" + q + ">"  # noqa: E731
    body = (f"  %y = qopt.reduce mean %x {{axes = array<i64: {', '.join(map(str, axes))}>, "
            f"keep_dims = false}} : ({t(shape)}) -> {t(out_shape)}")
    run = compile_lowered(shape, out_shape, q, q, body)
    for trial in range(20):
        x = random_i8(shape)
        if trial == 1:  # sums whose mean is exactly k + 1/2 where possible
            x = np.full(shape, zp, np.int64)
            x.reshape(-1)[::2] = min(zp + 1, 127)
            x = x.astype(np.int8)
        np.testing.assert_array_equal(run(x), reduce_mean_ref(x, axes, zp))
