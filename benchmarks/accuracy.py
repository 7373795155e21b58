#!/usr/bin/env python3
"""Accuracy of qopt's post-training quantization on the bundled models.

For the Fashion-MNIST CNN and ViT (examples/models), over the evaluation set
(examples/models/data/eval_2k_{x,y}.npy), every model runs as compiled code
through qopt's CPU backend (the JIT of Module.compile_cpu; the quantized
models as integer arithmetic, not float simulation):

- float top-1;
- W8A8 (per-channel int8 weights, per-tensor int8 activations) with each
  calibration method (minmax, percentile, entropy, mse): top-1, loss in
  points against float, agreement of top-1 with float;
- W4A8 (int4 weights) with each method;
- integer-only W8A8 (Module.quantize(integer_only=True), the pipeline of
  `qopt-compile --integer-only`) with each method: top-1, loss against float
  and against the int8 model of the same method, agreement;
- per-op SQNR of I-ViT's Shiftmax, ShiftGELU and I-LayerNorm against float
  softmax, GELU and LayerNorm on the ViT's calibration data: the float input
  of every such op in the ViT is captured, quantized as the integer-only
  pipeline quantizes it (the same calibration method over the same tensors),
  run through the integer op (qopt-integer-only, qopt-lower-quantized,
  compiled) and the dequantized result compared with the float op on the
  same dequantized input;
- speed: the int8 and integer-only libraries (compile_shared) timed with
  `qopt-run --bench` at the same thread count, alternately in one run.

Calibration uses examples/models/data/calib_256.npy (256 training images).
Writes docs/Benchmarks-Accuracy.md.

usage: accuracy.py --build BUILD [--doc docs/Benchmarks-Accuracy.md]
                   [--limit N] [--threads 1] [--runs 200]"""
import argparse
import datetime
import math
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MODELS = os.path.join(ROOT, "examples", "models")
DATA = os.path.join(MODELS, "data")
BUNDLED = {"CNN": "fashion_cnn_opset17.onnx", "ViT": "fashion_vit_opset17.onnx"}
METHODS = ["minmax", "percentile", "entropy", "mse"]


def top1(logits):
    return logits.argmax(axis=1)


def progress(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def evaluate(exe, x):
    return exe.run({"input": x})["logits"]


def quantized_logits(qopt, module, calib, x, **kw):
    progress(f"quantize {kw}")
    q = module.quantize(calib, **kw)
    # opt_level 1: integer results do not depend on it, and it compiles faster.
    return evaluate(q.compile_cpu(opt_level=1), x), q


# --- per-op SQNR of the integer non-linearities ----------------------------

NONLINEAR = {"qopt.softmax": "Shiftmax", "qopt.gelu": "ShiftGELU",
             "qopt.layer_norm": "I-LayerNorm"}


# One op of interest in the printed float module: result, op, input, the
# other operands (layer_norm's weight and bias), the attribute dictionary
# (optional) and the input and result types.
OP_LINE = re.compile(
    r"^\s*(?P<res>%\S+) = (?P<op>qopt\.softmax|qopt\.gelu|qopt\.layer_norm) "
    r"(?P<inp>%[^ ,:]+)(?P<rest>(?:, %[^ ,:{]+)*)\s*(?P<attrs>\{[^}]*\})? : "
    r"\((?P<in_type>tensor<[^>]*>)[^)]*\) -> (?P<out_type>tensor<[^>]*>)")


def capture_nonlinear_inputs(qopt, text, calib):
    """Runs the float model (printed as `text`) on `calib` with the input and
    output of every softmax/gelu/layer_norm as extra, named results; returns
    one dict per op: kind, attributes, types, the other operands, x, y."""
    lines = text.split("\n")
    ops = [m.groupdict() for m in map(OP_LINE.match, lines) if m]
    if not ops:
        return []
    ret_i = next(i for i, l in enumerate(lines) if re.match(r"^\s*return ", l))
    indent, vals, types = re.match(r"^(\s*)return (.*) : (.*)$", lines[ret_i]).groups()
    extra_vals, extra_types, extra_sig = [], [], []
    for k, op in enumerate(ops):
        for tag, v, t in (("x", op["inp"], op["in_type"]), ("y", op["res"], op["out_type"])):
            extra_vals.append(v)
            extra_types.append(t)
            extra_sig.append(f'{t} {{qopt.name = "{tag}{k}"}}')
    lines[ret_i] = f"{indent}return {vals}, {', '.join(extra_vals)} : {types}, {', '.join(extra_types)}"
    sig_i = next(i for i, l in enumerate(lines) if "func.func @main" in l)
    m = re.match(r"^(.*\) -> )\((.*)\)( \{)$", lines[sig_i]) or \
        re.match(r"^(.*\) -> )(.*)( \{)$", lines[sig_i])
    lines[sig_i] = f"{m.group(1)}({m.group(2)}, {', '.join(extra_sig)}){m.group(3)}"
    outs = qopt.parse_mlir("\n".join(lines)).compile_cpu().run({"input": calib})
    for k, op in enumerate(ops):
        op["x"], op["y"] = outs[f"x{k}"], outs[f"y{k}"]
        op["attrs"] = op["attrs"] or ""
    return ops


def quant_params(qopt, values, method):
    r = qopt.calibration_range([values.reshape(-1)], method=method)
    lo, hi = min(r["lo"], 0.0), max(r["hi"], 0.0)
    scale = (hi - lo) / 255.0
    zp = int(-128 - round(lo / scale))
    return scale, max(-128, min(127, zp))


def sqnr_db(ref, approx):
    noise = np.sum((ref.astype(np.float64) - approx) ** 2)
    signal = np.sum(ref.astype(np.float64) ** 2)
    return math.inf if noise == 0 else 10 * math.log10(signal / noise)


def integer_op_sqnr(qopt, op, method):
    """The dequantized output of the integer op against the float op on the
    same dequantized input, over the captured calibration tensors."""
    x = op["x"]
    s_in, z_in = quant_params(qopt, x, method)
    s_out, z_out = quant_params(qopt, op["y"], method)
    shape = op["in_type"][len("tensor<"):-len("xf32>")]
    qin = f"tensor<{shape}x!quant.uniform<i8:f32, {s_in!r}:{z_in}>>"
    qout = f"tensor<{shape}x!quant.uniform<i8:f32, {s_out!r}:{z_out}>>"
    ftype = f"tensor<{shape}xf32>"
    consts, operands = "", ""
    if op["op"] == "qopt.layer_norm":
        w, b = op["weights"]
        n = w.size
        fmt = lambda a: ", ".join(repr(float(v)) for v in a)  # noqa: E731
        consts = (f"  %w = qopt.constant dense<[{fmt(w)}]> : tensor<{n}xf32>\n"
                  f"  %b = qopt.constant dense<[{fmt(b)}]> : tensor<{n}xf32>\n")
        operands = ", %w, %b"
        types = f"({qin}, tensor<{n}xf32>, tensor<{n}xf32>)"
    else:
        types = f"({qin})"
    attrs = op["attrs"]
    text = (f"func.func @main(%x: {ftype} {{qopt.name = \"x\"}}) -> ({ftype} {{qopt.name = \"y\"}}) {{\n"
            f"  %q = qopt.quantize %x : ({ftype}) -> {qin}\n{consts}"
            f"  %r = {op['op']} %q{operands} {attrs} : {types} -> {qout}\n"
            f"  %y = qopt.dequantize %r : ({qout}) -> {ftype}\n"
            f"  return %y : {ftype}\n}}\n")
    m = qopt.parse_mlir(text)
    m.run_pipeline("builtin.module(func.func(qopt-integer-only,qopt-lower-quantized,"
                   "qopt-verify-integer-only))")
    counts = m.op_counts()
    integer_op = {"qopt.softmax": "qopt.shiftmax", "qopt.gelu": "qopt.shift_gelu",
                  "qopt.layer_norm": "qopt.int_layernorm"}[op["op"]]
    assert counts.get(integer_op, 0) == 1, counts
    got = m.compile_cpu().run({"x": x})["y"]
    # The float op on the dequantized input.
    xd = (np.clip(np.round(x / np.float32(s_in)) + z_in, -128, 127) - z_in).astype(np.float32) * np.float32(s_in)
    if op["op"] == "qopt.softmax":
        axis = int(re.search(r"axis = (-?\d+)", attrs).group(1))
        e = np.exp(xd - xd.max(axis=axis, keepdims=True))
        ref = e / e.sum(axis=axis, keepdims=True)
    elif op["op"] == "qopt.gelu":
        if "tanh" in attrs:
            ref = 0.5 * xd * (1 + np.tanh(math.sqrt(2 / math.pi) * (xd + 0.044715 * xd ** 3)))
        else:
            ref = 0.5 * xd * (1 + np.vectorize(math.erf)(xd.astype(np.float64) / math.sqrt(2)))
    else:
        eps = float(re.search(r"epsilon = ([-\d.eE+]+)", attrs).group(1)) \
            if "epsilon" in attrs else 1e-5
        mu = xd.mean(axis=-1, keepdims=True)
        var = ((xd - mu) ** 2).mean(axis=-1, keepdims=True)
        ref = (xd - mu) / np.sqrt(var + eps) * w + b
    # The float op's output quantized to the same output type: the best an
    # 8-bit result can do, for comparison.
    ref_q = (np.clip(np.round(ref / s_out) + z_out, -128, 127) - z_out) * s_out
    return sqnr_db(ref, got), sqnr_db(ref, ref_q)


def nonlinear_sqnr(qopt, module, calib, method):
    import onnx
    from onnx import numpy_helper
    model = onnx.load(os.path.join(MODELS, BUNDLED["ViT"]))
    weights = {t.name: numpy_helper.to_array(t).astype(np.float32) for t in model.graph.initializer}
    text = module.mlir()
    consts = dict(re.findall(r"^\s*(%\S+) = qopt\.constant dense_resource<([^>]+)>", text, re.M))
    rows = {}
    for op in capture_nonlinear_inputs(qopt, text, calib):
        others = [v.strip() for v in op["rest"].split(",") if v.strip()]
        op["weights"] = [weights[consts[v]] for v in others]
        got, best = integer_op_sqnr(qopt, op, method)
        rows.setdefault(NONLINEAR[op["op"]], []).append((got, best))
        progress(f"SQNR {method} {op['op']}: {got:.1f} dB (8-bit bound {best:.1f})")
    return rows


# --- speed ------------------------------------------------------------------

def bench_pair(build, libs, x, threads, runs):
    """Alternating qopt-run --bench of each library (3 rounds); the median of
    each round's median latency in microseconds."""
    with tempfile.TemporaryDirectory() as tmp:
        inp = os.path.join(tmp, "x.npy")
        np.save(inp, x[:1])
        times = {k: [] for k in libs}
        for _ in range(3):
            for name, lib in libs.items():
                out = subprocess.run(
                    [os.path.join(build, "bin", "qopt-run"), lib, f"--input={inp}",
                     f"--bench={runs}", "--warmup=20", f"--threads={threads}"],
                    capture_output=True, text=True, check=True).stdout
                m = re.search(r"median ([\d.]+) (us|ms)", out)
                v = float(m.group(1)) * (1000 if m.group(2) == "ms" else 1)
                times[name].append(v)
        return {k: float(np.median(v)) for k, v in times.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--doc", default=os.path.join(ROOT, "docs", "Benchmarks-Accuracy.md"))
    ap.add_argument("--limit", type=int, default=2000, help="evaluation images")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--runs", type=int, default=200)
    args = ap.parse_args()
    sys.path.insert(0, os.path.join(os.path.abspath(args.build), "python"))
    import qopt

    x = np.load(os.path.join(DATA, "eval_2k_x.npy"))[:args.limit]
    y = np.load(os.path.join(DATA, "eval_2k_y.npy"))[:args.limit]
    calib = np.load(os.path.join(DATA, "calib_256.npy"))
    started = time.time()
    load = os.getloadavg()
    out = []
    pct = lambda a: 100.0 * a  # noqa: E731
    summary = {}
    for model_name, file in BUNDLED.items():
        m = qopt.load_onnx(os.path.join(MODELS, file))
        m.cleanup()
        f_logits = evaluate(m.compile_cpu(), x)
        f_top1 = (top1(f_logits) == y).mean()
        rows = [("float", "-", pct(f_top1), None, None, None)]
        int8_top = {}
        for method in METHODS:
            logits, _ = quantized_logits(qopt, m, calib, x, method=method, form="integer")
            acc = (top1(logits) == y).mean()
            int8_top[method] = acc
            rows.append(("W8A8", method, pct(acc), pct(f_top1 - acc),
                         pct((top1(logits) == top1(f_logits)).mean()), None))
        for method in METHODS:
            logits, _ = quantized_logits(qopt, m, calib, x, method=method, weight_bits=4,
                                         form="integer")
            acc = (top1(logits) == y).mean()
            rows.append(("W4A8", method, pct(acc), pct(f_top1 - acc),
                         pct((top1(logits) == top1(f_logits)).mean()), None))
        io_top = {}
        for method in METHODS:
            logits, q = quantized_logits(qopt, m, calib, x, method=method, integer_only=True)
            assert not any(k in q.op_counts() for k in NONLINEAR), q.op_counts()
            acc = (top1(logits) == y).mean()
            io_top[method] = acc
            rows.append(("integer-only W8A8", method, pct(acc), pct(f_top1 - acc),
                         pct((top1(logits) == top1(f_logits)).mean()),
                         pct(int8_top[method] - acc)))
        summary[model_name] = (f_top1, int8_top, io_top)
        out.append(f"### {model_name} (`examples/models/{file}`)\n")
        out.append("| scheme | calibration | top-1 (%) | loss vs float (points) | "
                   "top-1 agreement with float (%) | loss vs int8 W8A8 (points) |")
        out.append("|---|---|---|---|---|---|")
        for scheme, method, acc, loss, agree, vs8 in rows:
            f = lambda v: "" if v is None else f"{v:+.2f}" if v != 0 else "0.00"  # noqa: E731
            out.append(f"| {scheme} | {method} | {acc:.2f} | {f(loss)} | "
                       f"{'' if agree is None else f'{agree:.2f}'} | {f(vs8)} |")
        out.append("")

    # Per-op SQNR on the ViT's calibration data.
    m = qopt.load_onnx(os.path.join(MODELS, BUNDLED["ViT"]))
    m.cleanup()
    sqnr = {meth: nonlinear_sqnr(qopt, m, calib, meth) for meth in ["minmax", "percentile"]}

    # Speed: int8 vs integer-only, the same method.
    speed = {}
    speed_load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        for model_name, file in BUNDLED.items():
            m = qopt.load_onnx(os.path.join(MODELS, file))
            m.cleanup()
            libs = {}
            for kind, kw in (("int8", dict(form="integer")), ("integer-only", dict(integer_only=True))):
                q = m.quantize(calib, method="percentile", **kw)
                lib = os.path.join(tmp, f"{model_name}_{kind}.so")
                q.compile_shared(lib)
                libs[kind] = lib
            speed[model_name] = bench_pair(args.build, libs, x, args.threads, args.runs)
            progress(f"speed {model_name}: {speed[model_name]}")
    elapsed = time.time() - started

    doc = [
        "# Accuracy of post-training quantization",
        "",
        "Written by `benchmarks/accuracy.sh` (`benchmarks/accuracy.py`); do not edit by hand.",
        f"Generated {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC on "
        f"{platform.machine()}, {os.cpu_count()} cores, load average "
        f"{load[0]:.2f} at the start; {elapsed:.0f} s in all. Command:",
        "",
        "```sh",
        f"benchmarks/accuracy.sh --limit {args.limit} --threads {args.threads} --runs {args.runs}",
        "```",
        "",
        f"Evaluation: the first {args.limit} images of `examples/models/data/eval_2k_x.npy` "
        "(Fashion-MNIST test split) with their labels. Calibration: "
        "`examples/models/data/calib_256.npy` (256 training images). Every model "
        "runs compiled through qopt's CPU backend (`Module.compile_cpu()`); the "
        "quantized ones as integer arithmetic (`form=\"integer\"`: int8 "
        "matmul/conv with int32 accumulators and dyadic rescales), the "
        "integer-only ones through `Module.quantize(integer_only=True)`, the "
        "pipeline of `qopt-compile --integer-only` (docs/Quantization.md), whose "
        "result `qopt-verify-integer-only` accepted. Weights per channel, "
        "symmetric; activations per tensor, asymmetric. Loss = float top-1 − "
        "quantized top-1 in percentage points (positive: worse than float).",
        "",
        "## Top-1",
        "",
    ] + out
    doc += ["## Bars", ""]
    for model_name, (ft, i8, io) in summary.items():
        best8 = max(i8, key=i8.get)
        bestio = max(io, key=io.get)
        doc.append(f"- {model_name}: best W8A8 ({best8}) loses {100 * (ft - i8[best8]):+.2f} points "
                   f"(bar: <= 0.5); best integer-only ({bestio}) loses {100 * (ft - io[bestio]):+.2f} "
                   f"vs float (bar: <= 0.5) and {100 * (i8[bestio] - io[bestio]):+.2f} vs W8A8 "
                   f"with the same method (bar: <= 0.3).")
    doc += ["", "## Per-op SQNR of the integer non-linearities (ViT)", "",
            "Each softmax, GELU and LayerNorm of the ViT, with its float input "
            "captured on the 256 calibration images: the input and output "
            "types are chosen as the integer-only pipeline chooses them (the "
            "same histogram observer and method over the same tensors), the op "
            "runs as I-ViT's integer op (qopt-integer-only + "
            "qopt-lower-quantized, compiled), and its dequantized output is "
            "compared with the float op applied to the same dequantized input: "
            "SQNR = 10·log10(Σref² / Σ(ref − out)²) over all elements. "
            "\"8-bit bound\": the float op's own output rounded to the same "
            "output type, the SQNR an exact op with an 8-bit result would reach.",
            "",
            "| op | calibration | instances | SQNR min (dB) | SQNR mean (dB) | 8-bit bound mean (dB) |",
            "|---|---|---|---|---|---|"]
    for meth, rows in sqnr.items():
        for kind, vals in rows.items():
            got = [v[0] for v in vals]
            best = [v[1] for v in vals]
            doc.append(f"| {kind} | {meth} | {len(vals)} | {min(got):.1f} | {np.mean(got):.1f} | "
                       f"{np.mean(best):.1f} |")
    doc += ["", "## Speed: integer-only vs int8", "",
            f"`qopt-run --bench={args.runs} --warmup=20 --threads={args.threads}` on libraries "
            "from `Module.compile_shared` (percentile calibration), one image; the two "
            "libraries run alternately, three rounds, and the table gives the median of "
            f"the rounds' median latencies. Load average {speed_load:.2f} when this "
            "part started (the machine was shared with other builds): compare the "
            "ratio, not the absolute times.", "",
            "| model | int8 (µs) | integer-only (µs) | integer-only / int8 |", "|---|---|---|---|"]
    for model_name, t in speed.items():
        doc.append(f"| {model_name} | {t['int8']:.1f} | {t['integer-only']:.1f} | "
                   f"{t['integer-only'] / t['int8']:.2f} |")
    doc.append("")
    with open(args.doc, "w") as fh:
        fh.write("\n".join(doc))
    print("\n".join(doc))


if __name__ == "__main__":
    main()
