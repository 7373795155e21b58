#!/usr/bin/env bash
# Runs the importer's libFuzzer target for a bounded time, seeded with the
# ONNX backend node-test models and the bundled models. Exits non-zero if the
# fuzzer finds a crash, a hang, a sanitizer report or a module that fails to
# verify; the reproducer is left in the working directory (crash-*).
# usage: fuzz-importer.sh BUILD_DIR [SECONDS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$1"
SECONDS_TO_RUN="${2:-120}"
FUZZER="$BUILD/bin/qopt-import-fuzzer"
[ -x "$FUZZER" ] || { echo "error: $FUZZER not built (configure with -DQOPT_ENABLE_FUZZER=ON)"; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/seeds" "$WORK/corpus"
i=0
# Plus the models the quantization import tests wrote (QDQ, QOperator and
# com.microsoft ops, none of which the node tests have), where they exist.
for m in /usr/share/libonnx-testdata/data/node/*/model.onnx "$ROOT"/examples/models/*.onnx \
    "$BUILD"/test/Import/Output/quantization.py.tmp/*.onnx \
    "$BUILD"/test/Import/Output/microsoft-quant-ops.py.tmp/*.onnx; do
  [ -f "$m" ] || continue
  i=$((i + 1))
  cp "$m" "$WORK/seeds/seed_$i.onnx"
done
echo "fuzzing the ONNX importer for ${SECONDS_TO_RUN}s from $i seeds"
# Leak checking is off: libonnx and protobuf keep global registries alive.
# Manual poisoning is ignored: see scripts/test.sh.
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:allow_user_poisoning=0}" "$FUZZER" "$WORK/corpus" "$WORK/seeds" \
  -max_total_time="$SECONDS_TO_RUN" -timeout=60 -rss_limit_mb=4096 \
  -max_len=65536 -print_final_stats=1 -artifact_prefix="$PWD/" 2>&1 |
  grep -vE "^#[0-9]+\s+(NEW|REDUCE|pulse)" | tail -n 30
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
  echo "error: the importer fuzzer failed (exit $status); reproducer: crash-*/timeout-*/oom-* in $PWD"
  exit 1
fi
echo "importer fuzzer: no crash, hang or sanitizer report"
