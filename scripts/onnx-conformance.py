#!/usr/bin/python3
"""ONNX backend node-test conformance runner for qopt.

Runs every node test of ONNX's backend suite (Debian libonnx-testdata:
NODE_DIR/*/model.onnx with test_data_set_*/input_*.pb and output_*.pb)
through qopt: import (qopt.load_onnx), the qopt-cleanup pipeline, the CPU
JIT (compile_cpu) and a run on the stored inputs, then compares with the
stored outputs the way ONNX's own runner does
(onnx/backend/test/runner: the dtype must match, then
numpy.testing.assert_allclose with rtol=1e-3, atol=1e-7, the defaults of
onnx/backend/test/loader; node tests carry no per-test override).

Each test runs in its own subprocess (this script with --one) under a
timeout, so a crash or a hang of one test cannot end the run; the tests run
over --jobs workers. A test is

  pass         every data set ran and matched;
  unsupported  qopt refused it with a clear error at import or compile (the
               first error line is the reason);
  fail         it ran but a value, shape or dtype differs (max abs/rel error
               recorded), or it crashed, hung, or failed at run time.

--table writes the markdown report (docs/ONNXNodeTestConformance.md through
scripts/onnx-conformance.sh). The exit status is 1 when fewer tests than
--min-pass pass, when a test crashes or hangs, or when a fail has no
explanation in --explanations (scripts/onnx-conformance-explained.txt:
`REGEX: text` lines matched against test names); the lit test
test/Conformance/onnx-node-tests-conformance.test relies on that.
"""

import argparse
import concurrent.futures
import glob
import json
import os
import re
import subprocess
import sys
import time

TIMEOUT = 60
RTOL = 1e-3
ATOL = 1e-7


# --------------------------------------------------------------------------
# One test, in the child process.
# --------------------------------------------------------------------------

def first_error_line(message):
    """The first line that says what went wrong, without the model's path."""
    lines = [l.strip() for l in str(message).splitlines() if l.strip()]
    for line in lines:
        if line.startswith("error:"):
            return line
    return lines[0] if lines else "(no message)"


def load_tensor(path):
    import onnx
    from onnx import numpy_helper
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def run_one(test_dir):
    """Returns {"status", "reason"} for one test directory."""
    import numpy as np
    import onnx
    import qopt

    model_path = os.path.join(test_dir, "model.onnx")
    model = onnx.load(model_path)
    initializers = {t.name for t in model.graph.initializer}
    graph_inputs = [i.name for i in model.graph.input if i.name not in initializers]
    graph_outputs = [o.name for o in model.graph.output]

    def clean(message):
        line = first_error_line(message)
        return line.replace(model_path + ": ", "")

    try:
        m = qopt.load_onnx(model_path)
        m.cleanup()
        exe = m.compile_cpu()
        # The signatures name numpy dtypes; a type numpy lacks (bf16) is
        # refused here.
        out_sigs = {o["name"]: o for o in exe.outputs}
        in_sigs = {i["name"]: i for i in exe.inputs}
    except qopt.Error as e:
        return {"status": "unsupported", "reason": clean(e)}

    data_sets = sorted(glob.glob(os.path.join(test_dir, "test_data_set_*")))
    if not data_sets:
        return {"status": "fail", "reason": "the test has no test_data_set_*"}
    for ds in data_sets:
        feeds = {}
        n_in = len(glob.glob(os.path.join(ds, "input_*.pb")))
        for k in range(n_in):
            if k >= len(graph_inputs):
                break
            name = graph_inputs[k]
            value = load_tensor(os.path.join(ds, "input_%d.pb" % k))
            sig = in_sigs.get(name)
            if sig is None:
                # An input the graph never reads (qopt drops it).
                continue
            want = np.dtype(sig["dtype"])
            if value.dtype != want:
                # qopt's integer types are signless: an unsigned ONNX tensor
                # is the same bits as the signed one of its width.
                if value.dtype.kind in "ui" and want.kind in "ui" and \
                        value.dtype.itemsize == want.itemsize:
                    value = value.view(want)
                else:
                    return {"status": "unsupported",
                            "reason": "input '%s' is %s, the compiled graph takes %s"
                                      % (name, value.dtype, want)}
            # (np.ascontiguousarray would turn a 0-d array into 1-d.)
            feeds[name] = np.array(value, order="C")
        try:
            got = exe.run(feeds)
        except qopt.Error as e:
            return {"status": "fail", "reason": "run: " + clean(e)}
        refs = [load_tensor(p) for p in
                sorted(glob.glob(os.path.join(ds, "output_*.pb")),
                       key=lambda p: int(re.findall(r"(\d+)\.pb$", p)[0]))]
        if len(refs) != len(graph_outputs):
            return {"status": "fail", "reason": "%d stored outputs for %d graph outputs"
                                                % (len(refs), len(graph_outputs))}
        for name, ref in zip(graph_outputs, refs):
            if name not in got:
                return {"status": "fail", "reason": "output '%s' missing" % name}
            out = got[name]
            if out_sigs[name]["shape"] == [] and out.shape == (1,):
                out = out.reshape(())    # the binding returns rank 0 as [1]
            if out.dtype != ref.dtype and out.dtype.kind in "ui" and \
                    ref.dtype.kind in "ui" and out.dtype.itemsize == ref.dtype.itemsize:
                out = out.view(ref.dtype)  # signless i8 holding uint8, ...
            if out.dtype != ref.dtype:
                return {"status": "fail", "reason": "output '%s' has dtype %s, expected %s"
                                                    % (name, out.dtype, ref.dtype)}
            if out.shape != ref.shape:
                return {"status": "fail", "reason": "output '%s' has shape %s, expected %s"
                                                    % (name, list(out.shape), list(ref.shape))}
            if ref.dtype.kind in "biu" or ref.size == 0:
                if not np.array_equal(out, ref):
                    bad = int(np.count_nonzero(out != ref))
                    return {"status": "fail",
                            "reason": "output '%s': %d of %d elements differ (exact compare)"
                                      % (name, bad, ref.size)}
                continue
            try:
                np.testing.assert_allclose(out, ref, rtol=RTOL, atol=ATOL)
            except AssertionError:
                o = out.astype(np.float64)
                r = ref.astype(np.float64)
                finite = np.isfinite(o) & np.isfinite(r)
                diff = np.abs(o - r)
                abs_err = float(np.max(diff[finite])) if finite.any() else float("nan")
                rel = diff[finite] / np.maximum(np.abs(r[finite]), 1e-30)
                rel_err = float(np.max(rel)) if finite.any() else float("nan")
                nan_mismatch = int(np.count_nonzero(np.isnan(o) != np.isnan(r)))
                inf_mismatch = int(np.count_nonzero(np.isinf(o) != np.isinf(r)))
                extra = ""
                if nan_mismatch or inf_mismatch:
                    extra = ", %d NaN and %d inf mismatches" % (nan_mismatch, inf_mismatch)
                return {"status": "fail",
                        "reason": "output '%s': max abs error %.3g, max rel error %.3g%s"
                                  % (name, abs_err, rel_err, extra)}
    return {"status": "pass", "reason": ""}


# --------------------------------------------------------------------------
# The driver.
# --------------------------------------------------------------------------

def classify(test_dir, timeout, env):
    """Runs one test in a subprocess; a crash or hang becomes a fail."""
    start = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, os.path.abspath(__file__), "--one", test_dir],
                              capture_output=True, text=True, errors="replace",
                              timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"status": "fail", "kind": "hang",
                "reason": "hang: no result within %d s" % timeout,
                "seconds": time.monotonic() - start}
    seconds = time.monotonic() - start
    results = [l for l in proc.stdout.splitlines() if l.startswith("RESULT ")]
    if proc.returncode != 0 or not results:
        tail = [l for l in proc.stderr.splitlines() if l.strip()]
        what = ("signal %d" % -proc.returncode) if proc.returncode < 0 \
            else "exit status %d" % proc.returncode
        return {"status": "fail", "kind": "crash",
                "reason": "crash: %s %s" % (what, tail[-1][:200] if tail else ""),
                "seconds": seconds}
    result = json.loads(results[-1][len("RESULT "):])
    result["seconds"] = seconds
    return result


def esc(text):
    return text.replace("|", "\\|").replace("\n", " ")


def load_explanations(path):
    """[(regex, text)] from lines `REGEX: explanation` (# comments); the first
    regex that fully matches a failing test's name explains it."""
    out = []
    if not path:
        return out
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            pattern, _, text = line.partition(": ")
            out.append((re.compile(pattern), text.strip()))
    return out


def explain(name, explanations):
    for pattern, text in explanations:
        if pattern.fullmatch(name):
            return text
    return ""


def markdown(rows, counts, source, elapsed, jobs, explanations):
    out = ["# ONNX backend node tests: conformance", "",
           "Generated by `scripts/onnx-conformance.sh` "
           "(`scripts/onnx-conformance.py`): every node test under `%s` "
           "imported with `qopt.load_onnx`, cleaned up (`qopt-cleanup`), "
           "compiled by the CPU JIT and run on each stored data set; outputs "
           "compared as ONNX's backend runner does (same dtype, then "
           "`numpy.testing.assert_allclose(rtol=%g, atol=%g)`; integer and "
           "bool outputs exactly). One subprocess per test, %d s timeout, "
           "%d workers; this run took %.0f s." % (source, RTOL, ATOL, TIMEOUT, jobs, elapsed),
           "",
           "- **pass**: every data set matched.",
           "- **unsupported**: qopt refused the model with a clear error at "
           "import or compile; the reason is the first error line.",
           "- **fail**: it compiled but a run failed or an output differs "
           "(value, shape or dtype), or the test crashed or hung.",
           "", "| status | count |", "|---|---:|"]
    for key in ["pass", "unsupported", "fail"]:
        out.append("| %s | %d |" % (key, counts.get(key, 0)))
    out.append("| total | %d |" % sum(counts.values()))
    crashes = sum(1 for r in rows if r[3] in ("crash", "hang"))
    out.append("| of the fails: crash or hang | %d |" % crashes)

    reasons = {}
    for _, status, reason, _ in rows:
        if status == "unsupported":
            key = re.sub(r"^error: ", "", reason)
            key = re.sub(r"^node '[^']*' \(#\d+, ", "(", key)
            key = re.sub(r"'[^']*'", "'…'", key)
            reasons[key] = reasons.get(key, 0) + 1
    if reasons:
        out += ["", "## Most common reasons for unsupported", "",
                "| count | reason |", "|---:|---|"]
        for reason, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:30]:
            out.append("| %d | %s |" % (n, esc(reason)))

    fails = [r for r in rows if r[1] == "fail"]
    out += ["", "## Fails", ""]
    if not fails:
        out.append("None.")
    else:
        out.append("Each fail with what was measured and why (the explanations "
                   "live in `scripts/onnx-conformance-explained.txt`).")
        out += ["", "| test | measured | explanation |", "|---|---|---|"]
        for name, _, reason, _ in fails:
            why = explain(name, explanations) or "**unexplained**"
            out.append("| %s | %s | %s |" % (name, esc(reason), esc(why)))

    out += ["", "## Per test", "", "| test | status | reason |", "|---|---|---|"]
    for name, status, reason, _ in rows:
        out.append("| %s | %s | %s |" % (name, status, esc(reason)))
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--one", metavar="TEST_DIR", help=argparse.SUPPRESS)
    parser.add_argument("--table", help="markdown report to write")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=TIMEOUT)
    parser.add_argument("--min-pass", type=int, default=0,
                        help="exit 1 when fewer tests pass")
    parser.add_argument("--filter", default="", help="regex on test names")
    parser.add_argument("--explanations",
                        default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                             "onnx-conformance-explained.txt"),
                        help="REGEX: text lines explaining fails")
    parser.add_argument("node_dir", nargs="?",
                        default="/usr/share/libonnx-testdata/data/node")
    args = parser.parse_args()

    if args.one:
        try:
            result = run_one(args.one)
        except Exception as e:  # a bug of the runner or a bad test file
            result = {"status": "fail", "reason": "runner: %s: %s"
                      % (type(e).__name__, first_error_line(e))}
        print("RESULT " + json.dumps(result), flush=True)
        return 0

    tests = sorted(os.path.dirname(p) for p in
                   glob.glob(os.path.join(args.node_dir, "*", "model.onnx")))
    if args.filter:
        tests = [t for t in tests if re.search(args.filter, os.path.basename(t))]
    if not tests:
        print("error: no node tests under %s" % args.node_dir)
        return 1
    explanations = load_explanations(args.explanations)
    env = dict(os.environ)
    # One thread per test process: the workers already fill the cores.
    env.setdefault("OMP_NUM_THREADS", "1")
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda t: classify(t, args.timeout, env), tests))
    elapsed = time.monotonic() - start
    rows = [(os.path.basename(t), r["status"], r["reason"], r.get("kind", ""))
            for t, r in zip(tests, results)]
    counts = {}
    for _, status, _, _ in rows:
        counts[status] = counts.get(status, 0) + 1
    if args.table:
        with open(args.table, "w") as f:
            f.write(markdown(rows, counts, args.node_dir, elapsed, args.jobs,
                             explanations))

    crashes = [r for r in rows if r[3] in ("crash", "hang")]
    unexplained = [r for r in rows if r[1] == "fail" and not explain(r[0], explanations)]
    print("pass: %d" % counts.get("pass", 0))
    print("unsupported: %d" % counts.get("unsupported", 0))
    print("fail: %d" % counts.get("fail", 0))
    print("crash or hang: %d" % len(crashes))
    print("unexplained fails: %d" % len(unexplained))
    for name, _, reason, _ in unexplained:
        print("UNEXPLAINED: %s: %s" % (name, reason))
    print("total: %d (%.0f s)" % (len(rows), elapsed))
    for name, _, reason, _ in crashes:
        print("CRASH: %s: %s" % (name, reason))
    if crashes or unexplained:
        return 1
    if counts.get("pass", 0) < args.min_pass:
        print("FAILED: %d tests pass, the threshold is %d"
              % (counts.get("pass", 0), args.min_pass))
        return 1
    print("conformance: %d tests pass (threshold %d)" % (counts.get("pass", 0), args.min_pass))
    return 0


if __name__ == "__main__":
    sys.exit(main())
