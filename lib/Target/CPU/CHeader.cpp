//===- CHeader.cpp - the C header of an AOT-compiled model ----------------===//
//
// PREFIX.h stands alone: it repeats the ABI's types (guarded, so that headers
// of several models can be included together) and documents the model's
// inputs and outputs in comments and macros.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/AOTCompiler.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::qopt;

static const char *cTypeOf(const std::string &dtype) {
  if (dtype == "f32") return "float";
  if (dtype == "f64") return "double";
  if (dtype == "i8") return "int8_t";
  if (dtype == "i16" || dtype == "f16" || dtype == "bf16") return "uint16_t";
  if (dtype == "i32") return "int32_t";
  if (dtype == "i64") return "int64_t";
  return "uint8_t"; // i1: one byte per bool
}

std::string mlir::qopt::generateCHeader(
    StringRef prefix, const std::vector<TensorSignature> &inputs,
    const std::vector<TensorSignature> &outputs) {
  std::string text;
  llvm::raw_string_ostream os(text);
  std::string P = prefix.str(), U = llvm::StringRef(P).upper();
  os << "/* " << P << ".h: C interface of a model compiled by qopt-compile.\n"
     << " * Generated; do not edit. The ABI is described in qopt's "
        "docs/CABI.md. */\n"
     << "#ifndef " << U << "_H\n#define " << U << "_H\n\n"
     << "#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
     << "#ifndef QOPT_ABI_VERSION\n#define QOPT_ABI_VERSION 1\n"
     << "#define QOPT_ERR_NULL_ARGUMENT 1\n"
     << "typedef enum qopt_dtype {\n"
     << "  QOPT_DTYPE_F32 = 0,\n  QOPT_DTYPE_F64 = 1,\n  QOPT_DTYPE_F16 = 2,\n"
     << "  QOPT_DTYPE_BF16 = 3,\n  QOPT_DTYPE_I8 = 4,\n  QOPT_DTYPE_I16 = 5,\n"
     << "  QOPT_DTYPE_I32 = 6,\n  QOPT_DTYPE_I64 = 7,\n  QOPT_DTYPE_BOOL = 8\n"
     << "} qopt_dtype;\n"
     << "typedef struct qopt_tensor_info {\n  const char *name;\n"
     << "  int32_t dtype; /* a qopt_dtype */\n  int32_t rank;\n"
     << "  const int64_t *shape;\n} qopt_tensor_info;\n#endif\n\n";

  auto describe = [&](const std::vector<TensorSignature> &sigs,
                      StringRef kind) {
    for (size_t i = 0; i < sigs.size(); ++i) {
      const TensorSignature &sig = sigs[i];
      os << "/* " << kind << " " << i << ": \"" << sig.name << "\", "
         << sig.dtype << " [" << llvm::join(llvm::map_range(sig.shape, [](int64_t d) {
              return std::to_string(d);
            }), ", ")
         << "] (" << cTypeOf(sig.dtype) << "[" << sig.numElements()
         << "]) */\n";
      os << "#define " << U << "_" << llvm::StringRef(kind).upper() << i
         << "_SIZE " << sig.numElements() << "\n";
    }
  };
  describe(inputs, "input");
  describe(outputs, "output");
  os << "#define " << U << "_NUM_INPUTS " << inputs.size() << "\n"
     << "#define " << U << "_NUM_OUTPUTS " << outputs.size() << "\n\n"
     << "/* Returns QOPT_ABI_VERSION of the library. */\n"
     << "int " << P << "_abi_version(void);\n"
     << "int " << P << "_num_inputs(void);\n"
     << "int " << P << "_num_outputs(void);\n"
     << "/* NULL when i is out of range. */\n"
     << "const qopt_tensor_info *" << P << "_input_info(int i);\n"
     << "const qopt_tensor_info *" << P << "_output_info(int i);\n"
     << "/* Runs the model once: inputs[i] and outputs[i] are dense C-order\n"
     << " * buffers of the shapes above. Returns 0, or QOPT_ERR_NULL_ARGUMENT\n"
     << " * when an array or buffer is NULL. Calls from several threads at\n"
     << " * once are not supported. */\n"
     << "int " << P << "_run(const void *const *inputs, void *const *outputs);\n"
     << "/* Threads the kernels use (n <= 0: all cores). */\n"
     << "void " << P << "_set_num_threads(int n);\n"
     << "int " << P << "_get_num_threads(void);\n\n"
     << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << U << "_H */\n";
  return text;
}
