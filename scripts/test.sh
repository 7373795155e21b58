#!/usr/bin/env bash
# Builds qopt and runs the whole test suite:
#   1. build/: ctest — the lit/FileCheck suite and the GoogleTest unit tests;
#   2. build-asan/: the same suite under AddressSanitizer and
#      UndefinedBehaviorSanitizer (minus the two long sweeps over external
#      models, which the normal build runs). Manual poisoning is ignored
#      (allow_user_poisoning=0): LLVM's BumpPtrAllocator poisons its slabs
#      only in instrumented code, and Debian's libMLIR.so is not, so the
#      poison would give false reports;
#   3. the importer's libFuzzer target for a bounded time ($QOPT_FUZZ_SECONDS,
#      default 120).
# QOPT_QUICK=1 runs stage 1 only.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${QOPT_BUILD_DIR:-$ROOT/build}"
ASAN_BUILD="${QOPT_ASAN_BUILD_DIR:-$ROOT/build-asan}"
passed=0
failed=0
stage() {
  local name="$1"
  shift
  echo "== $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    echo "== FAILED: $name"
    failed=$((failed + 1))
  fi
}

bash "$ROOT/scripts/build.sh" "$@" || { echo "error: the build failed"; exit 1; }
stage "tests (build/)" bash -c "cd '$BUILD' && ctest --output-on-failure -j $(nproc)"

if [ "${QOPT_QUICK:-0}" != 1 ]; then
  if QOPT_BUILD_DIR="$ASAN_BUILD" bash "$ROOT/scripts/build.sh" \
      -DQOPT_ENABLE_SANITIZERS=ON -DQOPT_ENABLE_FUZZER=ON; then
    stage "tests under ASan+UBSan (build-asan/)" bash -c "cd '$ASAN_BUILD' && \
      ASAN_OPTIONS=detect_leaks=0:allow_user_poisoning=0 LIT_FILTER_OUT='onnx-node-tests|torchvision' \
      ctest --output-on-failure -j $(nproc)"
    stage "importer fuzzing" bash "$ROOT/scripts/fuzz-importer.sh" "$ASAN_BUILD" \
      "${QOPT_FUZZ_SECONDS:-120}"
  else
    echo "== FAILED: the sanitizer build"
    failed=$((failed + 1))
  fi
fi

echo "stages: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
