#!/usr/bin/env bash
# qopt vs ONNX Runtime on the CPU (float models); writes docs/Benchmarks-CPU.md.
# Arguments go to cpu_float.py (--threads, --runs, --models, ...); with_ort.sh
# installs onnxruntime-node on first use.
exec "$(dirname "${BASH_SOURCE[0]}")/with_ort.sh" cpu_float.py "$@"
