"""Checks a QOPT_PROFILE report (argv[1]) of `qopt-run MODEL --bench B
--warmup W` against the ONNX model (argv[2]): one row per distinct
convolution shape, its shape string and call count computed here from the
model (ONNX shape inference), the Gemm as an sgemm row, totals that add up.
argv[3] is the number of model runs, the calls of each layer."""
import sys
from collections import Counter

sys.dont_write_bytecode = True
import onnx  # noqa: E402
from onnx import shape_inference  # noqa: E402

report, model_path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
model = shape_inference.infer_shapes(onnx.load(model_path))
shapes = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim]
          for v in list(model.graph.value_info) + list(model.graph.input)
          + list(model.graph.output)}
shapes.update({t.name: list(t.dims) for t in model.graph.initializer})

expected = Counter()
macs = {}
for node in model.graph.node:
    if node.op_type != "Conv":
        continue
    attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
    n, c, h, w = shapes[node.input[0]]
    f, cg, kh, kw = shapes[node.input[1]]
    _, _, oh, ow = shapes[node.output[0]]
    groups = attrs.get("group", 1)
    kind = "" if groups == 1 else (" depthwise" if cg == 1 else " grouped")
    key = (f"{n}x{c}x{h}x{w} -> {f}x{oh}x{ow}, "
           f"{kh}x{kw}/{attrs.get('strides', [1, 1])[0]}{kind}")
    expected[key] += 1
    macs[key] = n * f * oh * ow * cg * kh * kw

rows = []
for line in open(report):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) == 9 and cells[0].isdigit():
        rows.append(cells)
assert rows, "no rows in the report"
convs = {r[2]: r for r in rows if r[1].startswith("conv2d f32")}
assert set(convs) == set(expected), (sorted(convs), sorted(expected))
total = 0.0
for key, r in convs.items():
    calls, total_ms, mean_us, min_us, rate = (int(r[3]), float(r[4]),
                                              float(r[6]), float(r[7]), float(r[8]))
    assert calls == runs * expected[key], (key, calls)
    # the printed figures are rounded: total to 1 ns x 1000, the others to 0.1
    assert abs(mean_us - total_ms * 1e3 / calls) <= 0.05 + 0.5 / calls, r
    assert min_us <= mean_us + 0.05, r
    # the rate is the layer's multiply-adds over its fastest call
    assert abs(rate - macs[key] / (min_us * 1e3)) <= 0.05 + rate * 0.05 / min_us, (r, macs[key])
gemm = [r for r in rows if r[1] == "sgemm"]
assert len(gemm) == 1 and int(gemm[0][3]) == runs, gemm
all_ms = sum(float(r[4]) for r in rows)
percent = sum(float(r[5]) for r in rows)
assert abs(percent - 100.0) < 0.1 * len(rows), percent
last = [line for line in open(report) if line.startswith("| | all |")]
assert len(last) == 1 and abs(float(last[0].split("|")[5]) - all_ms) <= 0.0005 * (len(rows) + 1), last
print(f"profile ok: {len(rows)} rows, {len(convs)} convolution shapes")
