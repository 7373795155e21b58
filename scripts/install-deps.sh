#!/usr/bin/env bash
# Installs every Debian package qopt needs to build, test and run its examples.
# Idempotent: packages already present are skipped quickly. apt-get only; nothing is
# downloaded from anywhere else. Run as root (or with sudo available).
set -euo pipefail

PACKAGES=(
  # toolchain
  cmake ninja-build ccache g++ git pkg-config
  # LLVM / MLIR 22
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 libclang-rt-22-dev
  zlib1g-dev libzstd-dev libedit-dev libxml2-dev libffi-dev libcurl4-openssl-dev
  # ONNX 1.12 + protobuf
  libonnx-dev libprotobuf-dev protobuf-compiler
  # ILP solver
  coinor-libcbc-dev
  # C++ unit tests
  libgtest-dev
  # Python bindings and tooling (Debian's python3, not pyenv's)
  python3 python3-dev pybind11-dev python3-numpy python3-onnx python3-pytest
  python3-nbclient python3-ipykernel python3-matplotlib python3-nbformat
  # example models and test material
  python3-torch python3-torchvision dataset-fashion-mnist libonnx-testdata
  # benchmarks/ (ONNX Runtime through npm's onnxruntime-node; npm comes with
  # nodejs from NodeSource, or Debian's separate npm package)
  nodejs
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
