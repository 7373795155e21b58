#!/usr/bin/env python3
"""Executes notebooks headless with nbclient and fails if a cell fails.

    PYTHONPATH=build/python /usr/bin/python3 examples/notebooks/run_notebooks.py \
        examples/notebooks/quickstart.ipynb examples/notebooks/vit_integer_only.ipynb

Each notebook runs in a fresh kernel with its own directory as the working
directory. The kernel is this interpreter (sys.executable, /usr/bin/python3
for qopt), not whatever a `python3` kernelspec on the machine points to: a
kernelspec naming it is written to a temporary JUPYTER_PATH, which Jupyter
searches first. The kernel inherits the environment (PYTHONPATH).

With --write, the executed notebooks, outputs included, replace the files:
that is how the committed outputs are produced.
"""
import argparse
import json
import os
import sys
import tempfile
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="+")
    parser.add_argument("--write", action="store_true",
                        help="save the executed notebooks in place")
    parser.add_argument("--timeout", type=int, default=600,
                        help="seconds one cell may run (default 600)")
    args = parser.parse_args()

    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError, CellTimeoutError

    failures = 0
    with tempfile.TemporaryDirectory(prefix="qopt-kernels-") as jupyter_path:
        spec_dir = os.path.join(jupyter_path, "kernels", "python3")
        os.makedirs(spec_dir)
        with open(os.path.join(spec_dir, "kernel.json"), "w") as f:
            json.dump({"argv": [sys.executable, "-m", "ipykernel_launcher", "-f",
                                "{connection_file}"],
                       "display_name": "Python 3 (ipykernel)", "language": "python"}, f)
        os.environ["JUPYTER_PATH"] = os.pathsep.join(
            [jupyter_path] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p])
        # debugpy's warning about frozen modules is noise on stderr.
        os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        os.environ.setdefault("MPLBACKEND", "Agg")
        # The kernels run in the notebooks' directories: make the package
        # path absolute (PYTHONPATH=build/python from the repository root).
        os.environ["PYTHONPATH"] = os.pathsep.join(
            os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p)

        for path in args.notebooks:
            nb = nbformat.read(path, as_version=4)
            client = NotebookClient(
                nb, timeout=args.timeout, kernel_name="python3",
                resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
            start = time.monotonic()
            try:
                client.execute()
            except CellExecutionError as e:
                failures += 1
                print(f"error: {path}: a cell failed:\n{e}", file=sys.stderr)
                continue
            except (DeadKernelError, CellTimeoutError) as e:
                # The kernel crashed (e.g. a segfault in the extension) or a
                # cell ran past --timeout: name the cell that was running.
                failures += 1
                running = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                                and c.get("execution_count") is None and c.source), None)
                print(f"error: {path}: {type(e).__name__}: {e} (cell {running})",
                      file=sys.stderr)
                continue
            finally:
                elapsed = time.monotonic() - start
            print(f"{path}: {len(nb.cells)} cells ran in {elapsed:.1f} s")
            if args.write:
                nbformat.write(nb, path)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
