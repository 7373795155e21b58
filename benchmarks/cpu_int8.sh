#!/usr/bin/env bash
# qopt int8 vs float vs ONNX Runtime float and int8 (QDQ) on the CPU; writes
# docs/Benchmarks-CPU-int8.md. Needs Debian's python3-onnx and numpy.
# Arguments go to cpu_int8.py (--threads, --runs, --models, --compare);
# with_ort.sh installs onnxruntime-node on first use.
exec "$(dirname "${BASH_SOURCE[0]}")/with_ort.sh" cpu_int8.py "$@"
