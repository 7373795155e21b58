"""quantize / dequantize / requantize through the CPU backend, bit-identical
to numerics_ref (written from docs/Numerics.md): ties at .5, saturation,
NaN/inf, unsigned and narrow storage, per-axis parameters."""
import math

import numpy as np
import pytest

import numerics_ref as ref
from numerics_jit import compile_main, run, tensor

RNG = np.random.default_rng(20261121)

# (storage spec in the quant type, signless container, storage min, max)
STORAGE = {
    "i8": ("i8", "i8", -128, 127),
    "u8": ("u8", "i8", 0, 255),
    "i8n": ("i8<-127:127>", "i8", -127, 127),
    "i16": ("i16", "i16", -32768, 32767),
}


def quant_type(storage, params, axis=None):
    spec = STORAGE[storage][0]
    if axis is None:
        scale, zp = params
        return f"!quant.uniform<{spec}:f32, {scale!r}:{zp}>"
    inner = ", ".join(f"{s!r}:{z}" for s, z in params)
    return f"!quant.uniform<{spec}:f32:{axis}, {{{inner}}}>"


def float_inputs(shape, scales):
    """Random values over and beyond the range, exact ties (k + 0.5)·scale,
    and the special values."""
    n = int(np.prod(shape))
    s = float(np.max(scales))
    x = RNG.uniform(-300 * s, 300 * s, n).astype(np.float32)
    k = RNG.integers(-200, 200, n)
    ties = ((k + 0.5) * s).astype(np.float32)
    x[: n // 3] = ties[: n // 3]
    special = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e30, -1e30,
                        0.5 * s, -0.5 * s, 1.5 * s, -1.5 * s, 2.5 * s,
                        -2.5 * s, 127.5 * s, -128.5 * s, 255.5 * s],
                       dtype=np.float32)
    x[n // 3:n // 3 + len(special)] = special
    return x.reshape(shape)


def to_container(values, storage):
    """Storage values as the signless container's bits (u8 → i8)."""
    container = STORAGE[storage][1]
    bits = 8 if container == "i8" else 16
    v = np.asarray(values, dtype=np.int64)
    return ((v + 2**(bits - 1)) % 2**bits - 2**(bits - 1)).astype(
        np.int8 if bits == 8 else np.int16)


def from_container(values, storage):
    v = np.asarray(values).astype(np.int64)
    if storage == "u8":
        v = v % 256
    return v


# Power-of-two scales make the ties exact; the others exercise the f32
# division itself.
PER_TENSOR = [("i8", 0.5, 0), ("i8", 0.25, -3), ("i8", 0.1, 5),
              ("u8", 0.5, 128), ("u8", 0.0235, 0), ("i8n", 1.0, 0),
              ("i16", 0.125, -100), ("i16", 3e-3, 17)]


@pytest.mark.parametrize("storage,scale,zp", PER_TENSOR)
def test_quantize_per_tensor(storage, scale, zp):
    shape = [64, 64]
    qt = quant_type(storage, (scale, zp))
    cont = STORAGE[storage][1]
    exe = compile_main(
        [tensor(shape, "f32")], [tensor(shape, cont)],
        f"  %q = qopt.quantize %a0 : ({tensor(shape, 'f32')}) -> {tensor(shape, qt)}\n"
        f"  %s = quant.scast %q : {tensor(shape, qt)} to {tensor(shape, cont)}\n"
        f"  return %s : {tensor(shape, cont)}")
    x = float_inputs(shape, [scale])
    (got,) = run(exe, x)
    _, _, lo, hi = STORAGE[storage]
    want = ref.quantize(x, scale, zp, lo, hi)
    np.testing.assert_array_equal(from_container(got, storage), want)
    # With a power-of-two scale the ties really are ties (round half to even
    # differs from half away from zero on them).
    if math.log2(scale).is_integer():
        with np.errstate(invalid="ignore"):
            assert (np.abs(x / np.float32(scale) % 1) == 0.5).sum() > 100


@pytest.mark.parametrize("storage", ["i8", "u8", "i16"])
def test_quantize_per_axis(storage):
    shape = [8, 4, 128]
    params = {"i8": [(0.5, -3), (0.1, 0), (2.0, 7), (0.03, 127)],
              "u8": [(0.5, 128), (0.25, 0), (1.0, 255), (0.07, 3)],
              "i16": [(0.125, -100), (1e-3, 0), (4.0, 32767), (0.3, -5)]}[storage]
    qt = quant_type(storage, params, axis=1)
    cont = STORAGE[storage][1]
    exe = compile_main(
        [tensor(shape, "f32")], [tensor(shape, cont)],
        f"  %q = qopt.quantize %a0 : ({tensor(shape, 'f32')}) -> {tensor(shape, qt)}\n"
        f"  %s = quant.scast %q : {tensor(shape, qt)} to {tensor(shape, cont)}\n"
        f"  return %s : {tensor(shape, cont)}")
    x = float_inputs(shape, [p[0] for p in params])
    (got,) = run(exe, x)
    _, _, lo, hi = STORAGE[storage]
    want = ref.quantize(x, [p[0] for p in params], [p[1] for p in params],
                        lo, hi, axis=1)
    np.testing.assert_array_equal(from_container(got, storage), want)


def all_storage_values(storage, shape):
    _, _, lo, hi = STORAGE[storage]
    n = int(np.prod(shape))
    v = RNG.integers(lo, hi + 1, n)
    v[: min(n, hi - lo + 1)] = np.arange(lo, hi + 1)[:n]
    return v.reshape(shape)


@pytest.mark.parametrize("storage,scale,zp", PER_TENSOR)
def test_dequantize_per_tensor(storage, scale, zp):
    shape = [64, 64]
    qt = quant_type(storage, (scale, zp))
    cont = STORAGE[storage][1]
    exe = compile_main(
        [tensor(shape, cont)], [tensor(shape, "f32")],
        f"  %q = quant.scast %a0 : {tensor(shape, cont)} to {tensor(shape, qt)}\n"
        f"  %f = qopt.dequantize %q : ({tensor(shape, qt)}) -> {tensor(shape, 'f32')}\n"
        f"  return %f : {tensor(shape, 'f32')}")
    q = all_storage_values(storage, shape)
    (got,) = run(exe, to_container(q, storage))
    want = ref.dequantize(q, scale, zp)
    np.testing.assert_array_equal(got.view(np.uint32), want.view(np.uint32))


def test_dequantize_per_axis():
    shape = [16, 4, 64]
    params = [(0.5, -3), (0.1, 0), (2.0, 7), (0.03, 127)]
    qt = quant_type("i8", params, axis=1)
    exe = compile_main(
        [tensor(shape, "i8")], [tensor(shape, "f32")],
        f"  %q = quant.scast %a0 : {tensor(shape, 'i8')} to {tensor(shape, qt)}\n"
        f"  %f = qopt.dequantize %q : ({tensor(shape, qt)}) -> {tensor(shape, 'f32')}\n"
        f"  return %f : {tensor(shape, 'f32')}")
    q = all_storage_values("i8", shape)
    (got,) = run(exe, q.astype(np.int8))
    want = ref.dequantize(q, [p[0] for p in params], [p[1] for p in params],
                          axis=1)
    np.testing.assert_array_equal(got.view(np.uint32), want.view(np.uint32))


# (input storage, input scale, zp, output storage, output scale, zp): ratios
# below and above 1, exact halves (ties), saturation, unsigned both ways.
REQUANT = [("i8", 0.5, 0, "i8", 1.0, 0),       # ratio 1/2: every odd q ties
           ("i8", 0.1, 3, "i8", 0.3, -7),
           ("i8", 0.8, 0, "i8", 0.1, 0),       # ratio 8: saturates
           ("u8", 0.05, 128, "i8", 0.2, 0),
           ("i8", 0.02, -1, "u8", 0.0625, 100),
           ("i16", 1e-3, 0, "i8", 0.25, 0),     # ratio 1/250
           ("i8", 0.375, 0, "i16", 1.5e-4, -3)]


@pytest.mark.parametrize("sin,scale_in,zp_in,sout,scale_out,zp_out", REQUANT)
def test_requantize_per_tensor(sin, scale_in, zp_in, sout, scale_out, zp_out):
    shape = [64, 64]
    qin = quant_type(sin, (scale_in, zp_in))
    qout = quant_type(sout, (scale_out, zp_out))
    cin, cout = STORAGE[sin][1], STORAGE[sout][1]
    exe = compile_main(
        [tensor(shape, cin)], [tensor(shape, cout)],
        f"  %q = quant.scast %a0 : {tensor(shape, cin)} to {tensor(shape, qin)}\n"
        f"  %r = qopt.requantize %q : ({tensor(shape, qin)}) -> {tensor(shape, qout)}\n"
        f"  %s = quant.scast %r : {tensor(shape, qout)} to {tensor(shape, cout)}\n"
        f"  return %s : {tensor(shape, cout)}")
    q = all_storage_values(sin, shape)
    (got,) = run(exe, to_container(q, sin))
    _, _, lo, hi = STORAGE[sout]
    want = ref.requantize(q, [scale_in], [zp_in], [scale_out], [zp_out], lo, hi)
    np.testing.assert_array_equal(from_container(got, sout), want)


def test_requantize_per_axis():
    shape = [16, 4, 64]
    pin = [(0.5, 0), (0.1, 3), (0.8, -2), (0.02, 0)]
    pout = [(1.0, 0), (0.3, -7), (0.1, 5), (0.0625, 1)]
    qin, qout = quant_type("i8", pin, 1), quant_type("i8", pout, 1)
    exe = compile_main(
        [tensor(shape, "i8")], [tensor(shape, "i8")],
        f"  %q = quant.scast %a0 : {tensor(shape, 'i8')} to {tensor(shape, qin)}\n"
        f"  %r = qopt.requantize %q : ({tensor(shape, qin)}) -> {tensor(shape, qout)}\n"
        f"  %s = quant.scast %r : {tensor(shape, qout)} to {tensor(shape, 'i8')}\n"
        f"  return %s : {tensor(shape, 'i8')}")
    q = all_storage_values("i8", shape)
    (got,) = run(exe, q.astype(np.int8))
    want = ref.requantize(q, [p[0] for p in pin], [p[1] for p in pin],
                          [p[0] for p in pout], [p[1] for p in pout],
                          -128, 127, axis=1)
    np.testing.assert_array_equal(got.astype(np.int64), want)


def test_dyadic_reference_matches_spec_examples():
    # The reference's dyadic form on values worked out by hand from the
    # spec: 0.5 = 2^30/2^31, 1 = 2^30/2^30, shifts capped at 62 below 2^-32.
    assert ref.dyadic(0.5) == (2**30, 31)
    assert ref.dyadic(1.0) == (2**30, 30)
    assert ref.dyadic(2.0**-40) == (2**22, 62)
    assert ref.dyadic(2.0**-70) == (0, 62)
    m, s = ref.dyadic(0.1)
    assert 2**30 <= m < 2**31 and abs(m / 2**s - 0.1) < 2**-34


@pytest.mark.parametrize("spec,lo,hi", [("i4", -8, 7), ("u4", 0, 15),
                                        ("i2", -2, 1), ("i4<-7:7>", -7, 7)])
def test_sub_byte_round_trip(spec, lo, hi):
    """Sub-byte storage (iN tensors inside the graph): quantize then
    dequantize, with ties and saturation on both sides."""
    shape = [4, 64]
    qt = f"!quant.uniform<{spec}:f32, 0.5:1>"
    exe = compile_main(
        [tensor(shape, "f32")], [tensor(shape, "f32")],
        f"  %q = qopt.quantize %a0 : ({tensor(shape, 'f32')}) -> {tensor(shape, qt)}\n"
        f"  %d = qopt.dequantize %q : ({tensor(shape, qt)}) -> {tensor(shape, 'f32')}\n"
        f"  return %d : {tensor(shape, 'f32')}")
    x = np.concatenate([np.arange(-10, 10, 0.25), RNG.uniform(-10, 10, 176)])
    x = x.astype(np.float32).reshape(shape)
    (got,) = run(exe, x)
    want = ref.dequantize(ref.quantize(x, 0.5, 1, lo, hi), 0.5, 1)
    np.testing.assert_array_equal(got.view(np.uint32), want.view(np.uint32))
