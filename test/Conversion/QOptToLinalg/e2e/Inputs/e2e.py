"""End-to-end numerical tests of convert-qopt-to-linalg.

A test script builds one `@main` function of qopt ops on constant inputs
and computes the expected outputs with numpy, independently of the
compiler. It is run three ways by its RUN lines:

    script.py mlir       the module: inputs as qopt.constant, every output
                         printed with printMemrefF32
    script.py expected   the numpy results, one "shape: values" line each
    e2e.py compare EXPECTED RUNNER_OUTPUT [--rtol R] [--atol A]
                         parses mlir-runner's printMemrefF32 output and
                         compares it with the expected numbers
    e2e.py wrap MODEL.mlir INPUT.npy INDEX
                         renames the imported model's @main to @model and
                         adds a @main that calls it on sample INDEX of the
                         .npy file and prints the (single) result

mlir-runner prints 6 significant digits, hence the default tolerances.
"""

import re
import string
import sys

import numpy as np


_ELEMENT = {np.dtype("float32"): "f32", np.dtype("int64"): "i64",
            np.dtype("int32"): "i32"}


def tensor_type(value: np.ndarray) -> str:
    dims = "".join("%dx" % d for d in value.shape)
    return "tensor<%s%s>" % (dims, _ELEMENT[value.dtype])


class Case:
    """One e2e test: inputs, a body of qopt ops, expected outputs.

    In `body`, `$name` stands for the tensor type of the input or output
    `name` (outputs take the shape and element type of their expected
    value)."""

    def __init__(self):
        self.inputs = []    # (name, array)
        self.body = ""
        self.outputs = []   # (name, expected array)

    def input(self, name: str, value: np.ndarray) -> np.ndarray:
        self.inputs.append((name, value))
        return value

    def output(self, name: str, expected: np.ndarray):
        self.outputs.append((name, np.asarray(expected, dtype=np.float32)))

    def module(self) -> str:
        lines = ["module {",
                 "  func.func private @printMemrefF32(tensor<*xf32>)",
                 "  func.func @main() {"]
        for name, value in self.inputs:
            lines.append("    %%%s = qopt.constant %s : %s"
                         % (name, _reshaped_literal(value), tensor_type(value)))
        types = {name: tensor_type(value)
                 for name, value in self.inputs + self.outputs}
        lines.append(string.Template(self.body).substitute(types).rstrip())
        for name, expected in self.outputs:
            lines.append("    %%%s_u = tensor.cast %%%s : %s to tensor<*xf32>"
                         % (name, name, tensor_type(expected)))
            lines.append("    func.call @printMemrefF32(%%%s_u) : "
                         "(tensor<*xf32>) -> ()" % name)
        lines += ["    return", "  }", "}"]
        return "\n".join(lines) + "\n"

    def expected(self) -> str:
        out = []
        for _, value in self.outputs:
            shape = ",".join(str(d) for d in value.shape)
            out.append("%s: %s" % (shape, " ".join(
                "%.9e" % v for v in value.reshape(-1).tolist())))
        return "\n".join(out) + "\n"

    def main(self):
        what = sys.argv[1] if len(sys.argv) > 1 else "mlir"
        sys.stdout.write(self.module() if what == "mlir" else self.expected())


def _reshaped_literal(value: np.ndarray) -> str:
    """A dense literal nested as the shape is, that round-trips float32
    ("%.9e") and integers."""
    def nest(v):
        if v.ndim == 0:
            x = v.item()
            return ("%.9e" % x) if value.dtype.kind == "f" else str(int(x))
        return "[" + ", ".join(nest(s) for s in v) + "]"
    return "dense<%s>" % nest(value)


#===------------------------------------------------------------------------===#
# Comparison
#===------------------------------------------------------------------------===#

_NUMBER = re.compile(r"-?(?:nan|inf|\d+(?:\.\d*)?(?:e[-+]?\d+)?)", re.I)


def parse_runner_output(text: str):
    """The (shape, values) of every printMemrefF32 in `text`."""
    results = []
    for chunk in text.split("Unranked Memref")[1:]:
        sizes = re.search(r"sizes = \[([^\]]*)\]", chunk)
        shape = tuple(int(s) for s in sizes.group(1).split(",") if s.strip())
        data = chunk.split("data =", 1)[1]
        values = [float(v) for v in _NUMBER.findall(data)]
        results.append((shape, np.array(values, dtype=np.float64)))
    return results


def parse_expected(text: str):
    results = []
    for line in text.splitlines():
        if not line.strip():
            continue
        shape_text, values_text = line.split(":", 1)
        shape = tuple(int(s) for s in shape_text.split(",") if s)
        values = np.array([float(v) for v in values_text.split()],
                          dtype=np.float64)
        results.append((shape, values))
    return results


def compare(expected_path: str, actual_path: str, rtol: float, atol: float):
    expected = parse_expected(open(expected_path).read())
    actual = parse_runner_output(open(actual_path).read())
    if len(expected) != len(actual):
        print("error: expected %d outputs, the runner printed %d"
              % (len(expected), len(actual)))
        return 1
    status = 0
    for i, ((eshape, evals), (ashape, avals)) in enumerate(zip(expected,
                                                               actual)):
        if eshape != ashape or evals.size != avals.size:
            print("error: output %d has shape %s (%d values), expected %s"
                  % (i, ashape, avals.size, eshape))
            status = 1
            continue
        close = np.isclose(avals, evals, rtol=rtol, atol=atol, equal_nan=True)
        if not close.all():
            bad = np.flatnonzero(~close)
            print("error: output %d: %d of %d values differ, first at flat "
                  "index %d: got %r, expected %r"
                  % (i, bad.size, evals.size, bad[0], avals[bad[0]],
                     evals[bad[0]]))
            status = 1
        else:
            print("output %d: %d values match (max abs diff %.3g)"
                  % (i, evals.size, float(np.max(np.abs(avals - evals)))
                     if evals.size else 0.0))
    return status


#===------------------------------------------------------------------------===#
# Imported models
#===------------------------------------------------------------------------===#


def wrap_model(text: str, sample: np.ndarray) -> str:
    """`text` (a module whose @main takes one tensor and returns one) with
    @main renamed @model and a new @main that runs it on `sample`."""
    match = re.search(r"func\.func @main\(%\w+: (tensor<[^>]*>)[^)]*\) -> "
                      r"\(?(tensor<[^>]*>)", text)
    if not match:
        raise SystemExit("error: no @main(tensor) -> tensor in the module")
    in_type, out_type = match.group(1), match.group(2)
    text = text.replace("func.func @main(", "func.func @model(", 1)
    # The module's closing brace comes before the dense_resource section.
    body, sep, resources = text.partition("{-#")
    end = body.rstrip().rfind("}")
    main = """
  func.func private @printMemrefF32(tensor<*xf32>)
  func.func @main() {
    %%x = arith.constant %s : %s
    %%y = func.call @model(%%x) : (%s) -> %s
    %%u = tensor.cast %%y : %s to tensor<*xf32>
    func.call @printMemrefF32(%%u) : (tensor<*xf32>) -> ()
    return
  }
""" % (_reshaped_literal(sample), in_type, in_type, out_type, out_type)
    return body[:end] + main + body[end:] + sep + resources


if __name__ == "__main__":
    import argparse
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    cmp = commands.add_parser("compare")
    cmp.add_argument("expected")
    cmp.add_argument("actual")
    cmp.add_argument("--rtol", type=float, default=1e-4)
    cmp.add_argument("--atol", type=float, default=1e-5)
    wrap = commands.add_parser("wrap")
    wrap.add_argument("model")
    wrap.add_argument("inputs")
    wrap.add_argument("index", type=int)
    args = parser.parse_args()
    if args.command == "compare":
        sys.exit(compare(args.expected, args.actual, args.rtol, args.atol))
    samples = np.load(args.inputs).astype(np.float32)
    sys.stdout.write(wrap_model(open(args.model).read(),
                                samples[args.index:args.index + 1]))
