#!/usr/bin/env bash
# Links qopt-compile against LLVM/MLIR's static archives instead of
# libLLVM.so/libMLIR.so, from the objects of an existing build, so that it
# runs on an x86-64 Linux machine without LLVM 22 (benchmarks/device_cpu.sh
# carries it to the AVX-512 machine this project measures on). It still
# needs libonnx, libonnx_proto and libprotobuf (carried beside it), a C
# compiler driver to link model libraries, and the runtime archive
# (QOPT_RUNTIME_ARCHIVE).
# usage: scripts/link-static-qopt-compile.sh OUT_FILE   (QOPT_BUILD_DIR: build/)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$(cd "${QOPT_BUILD_DIR:-$ROOT/build}" && pwd)"
OUT="$(realpath -m "${1:?usage: link-static-qopt-compile.sh OUT_FILE}")"
LLVM_LIB=/usr/lib/llvm-22/lib
ninja -C "$BUILD" qopt-compile >/dev/null
# The link line CMake wrote for the dylib build, with the two dylibs
# replaced by every static MLIR and LLVM archive in one group (the linker
# takes what is referenced; --gc-sections drops the rest).
cmd="$(ninja -C "$BUILD" -t commands bin/qopt-compile | tail -1)"
archives="-Wl,--start-group $(ls $LLVM_LIB/libMLIR*.a $LLVM_LIB/libLLVM*.a | tr '\n' ' ') -Wl,--end-group"
cmd="${cmd//$LLVM_LIB\/libMLIR.so.22.1/$archives -lz -lzstd -ltinfo}"
cmd="${cmd//$LLVM_LIB\/libLLVM.so.1/}"
cmd="${cmd//-o bin\/qopt-compile/-o $OUT -s -fuse-ld=lld}"
case "$cmd" in *"-o $OUT"*) ;; *) echo "error: unexpected link line for qopt-compile" >&2; exit 1 ;; esac
(cd "$BUILD" && eval "$cmd")
echo "$OUT: $(du -h "$OUT" | cut -f1), needs: $(ldd "$OUT" | awk '/=>/ {print $1}' | tr '\n' ' ')"
