//===- CompiledModel.cpp - tensor signatures and ABI dtype codes ----------===//

#include "qopt/Target/CPU/CompiledModel.h"
#include "qopt/Target/CPU/ModelABI.h"

using namespace mlir::qopt;

CompiledModel::~CompiledModel() = default;

int64_t TensorSignature::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

int64_t TensorSignature::elementSize() const {
  if (dtype == "f64" || dtype == "i64")
    return 8;
  if (dtype == "f32" || dtype == "i32")
    return 4;
  if (dtype == "f16" || dtype == "bf16" || dtype == "i16")
    return 2;
  return 1;
}

std::string TensorSignature::shapeString() const {
  if (shape.empty())
    return "scalar";
  std::string s;
  for (int64_t d : shape)
    s += (s.empty() ? "" : "x") + std::to_string(d);
  return s;
}

namespace {
struct DTypeCode {
  const char *dtype;
  int code;
};
} // namespace

// One table for both directions, so the two cannot drift apart.
static const DTypeCode kDTypeCodes[] = {
    {"f32", QOPT_DTYPE_F32}, {"f64", QOPT_DTYPE_F64},
    {"f16", QOPT_DTYPE_F16}, {"bf16", QOPT_DTYPE_BF16},
    {"i8", QOPT_DTYPE_I8},   {"i16", QOPT_DTYPE_I16},
    {"i32", QOPT_DTYPE_I32}, {"i64", QOPT_DTYPE_I64},
    {"i1", QOPT_DTYPE_BOOL}};

int mlir::qopt::abiDTypeCode(const std::string &dtype) {
  for (const DTypeCode &entry : kDTypeCodes)
    if (dtype == entry.dtype)
      return entry.code;
  return -1;
}

std::string mlir::qopt::dtypeOfABICode(int code) {
  for (const DTypeCode &entry : kDTypeCodes)
    if (code == entry.code)
      return entry.dtype;
  return "";
}
