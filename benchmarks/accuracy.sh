#!/usr/bin/env bash
# Accuracy of qopt's PTQ (float, W8A8 per method, W4A8, integer-only) on the
# bundled Fashion-MNIST CNN and ViT, per-op SQNR of the integer
# non-linearities, and integer-only vs int8 speed; writes
# docs/Benchmarks-Accuracy.md. Needs a build (scripts/build.sh) with the
# Python module. Arguments go to accuracy.py (--limit, --threads, --runs).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
BUILD="${QOPT_BUILD_DIR:-$ROOT/build}"
exec /usr/bin/python3 "$HERE/accuracy.py" --build "$BUILD" "$@"
