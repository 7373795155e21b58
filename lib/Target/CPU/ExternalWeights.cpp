//===- ExternalWeights.cpp - weights into the object, not through LLVM IR -===//
//
// Translated to LLVM IR, a weight global of type tensor<2048x512x1x1xf32>
// becomes nested constant arrays down to one ConstantDataArray per innermost
// row (here a million arrays of one float), each uniqued in the LLVMContext,
// then walked again by the optimizer and the AsmPrinter: for ResNet-50's
// 100 MB of weights that was most of the compile time and of its 4 GB peak.
//
// So the AOT path takes the bytes of each large constant global straight
// from its MLIR attribute (the importer's resource blob, owned by the
// MLIRContext, or a folded DenseElementsAttr), leaves a hidden declaration
// in the IR, and lets the integrated assembler copy the bytes from a
// temporary file (`.incbin`) into a read-only section of the same object.
// The JIT keeps the in-IR globals: it never writes an object.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/AOTCompiler.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::qopt;

/// The bytes of a constant global's initializer as the target lays them out
/// (x86-64: little endian, as the host), or nullopt where that is not simply
/// the attribute's storage: splats (stored once), sub-byte or packed element
/// types, elided resources, a size that disagrees with the type.
static std::optional<ArrayRef<char>> rawInitializer(Attribute value) {
  auto elements = dyn_cast_or_null<ElementsAttr>(value);
  if (!elements)
    return std::nullopt;
  Type elementType = elements.getShapedType().getElementType();
  if (!elementType.isIntOrFloat())
    return std::nullopt;
  unsigned bits = elementType.getIntOrFloatBitWidth();
  if (bits % 8 != 0 || !llvm::isPowerOf2_32(bits))
    return std::nullopt;
  std::optional<ArrayRef<char>> bytes;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(elements)) {
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      bytes = blob->getData();
  } else if (auto dense = dyn_cast<DenseElementsAttr>(elements)) {
    if (!dense.isSplat())
      bytes = dense.getRawData();
  }
  if (!bytes ||
      bytes->size() != uint64_t(elements.getNumElements()) * (bits / 8))
    return std::nullopt;
  return bytes;
}

/// Symbols go into assembly text unquoted: keep to the plain characters.
static bool isPlainAsmSymbol(StringRef name) {
  return !name.empty() && !llvm::isDigit(name[0]) &&
         llvm::all_of(name, [](char c) {
           return llvm::isAlnum(c) || c == '_' || c == '.';
         });
}

std::vector<ExternalWeight>
mlir::qopt::externalizeWeights(ModuleOp module, uint64_t minBytes) {
  std::vector<ExternalWeight> weights;
  for (auto global : module.getOps<LLVM::GlobalOp>()) {
    if (!global.getConstant() || global.getInitializerBlock() ||
        !isPlainAsmSymbol(global.getSymName()))
      continue;
    std::optional<ArrayRef<char>> bytes =
        rawInitializer(global.getValueOrNull());
    if (!bytes || bytes->size() < minBytes)
      continue;
    weights.push_back({global.getSymName().str(), *bytes,
                       std::max<uint64_t>(global.getAlignment().value_or(1),
                                          16)});
    // A declaration the assembler defines; hidden, so the code addresses it
    // PC-relative, without a GOT entry.
    global.removeValueAttr();
    global.setLinkage(LLVM::Linkage::External);
    global.setVisibility_(LLVM::Visibility::Hidden);
    global.setDsoLocal(true);
  }
  return weights;
}

std::string mlir::qopt::WeightsFile::write(ArrayRef<ExternalWeight> weights,
                                           llvm::Module &module) {
  if (weights.empty())
    return "";
  int fd;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
          "qopt-weights", "bin", fd, path))
    return "cannot create a temporary file: " + ec.message();
  // One file and one .incbin (the assembler reads an included file whole);
  // each weight is a symbol at its offset, aligned as its global was, and
  // the section as the most aligned of them.
  uint64_t sectionAlignment = 64;
  for (const ExternalWeight &weight : weights)
    sectionAlignment = std::max(sectionAlignment,
                                llvm::PowerOf2Ceil(weight.alignment));
  std::string symbols;
  llvm::raw_string_ostream sets(symbols);
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    uint64_t offset = 0;
    for (const ExternalWeight &weight : weights) {
      uint64_t aligned =
          llvm::alignTo(offset, llvm::PowerOf2Ceil(weight.alignment));
      os.write_zeros(aligned - offset);
      os.write(weight.bytes.data(), weight.bytes.size());
      sets << "\t.set " << weight.symbol << ", .Lqopt_weights+" << aligned
           << "\n\t.type " << weight.symbol << ",@object\n\t.size "
           << weight.symbol << ", " << weight.bytes.size() << "\n";
      offset = aligned + weight.bytes.size();
    }
    os.close();
    if (os.has_error()) {
      std::string message = os.error().message();
      os.clear_error(); // else the stream's destructor aborts
      return "cannot write " + path.str().str() + ": " + message;
    }
  }
  std::string escaped;
  for (char c : path) {
    if (c == '"' || c == '\\')
      escaped += '\\';
    escaped += c;
  }
  // Local symbols (no .globl): two models' objects link together.
  module.appendModuleInlineAsm(
      "\t.pushsection .rodata.qopt_weights,\"a\",@progbits\n"
      "\t.p2align " + std::to_string(llvm::Log2_64(sectionAlignment)) +
      "\n.Lqopt_weights:\n\t.incbin \"" + escaped + "\"\n" + symbols +
      "\t.popsection");
  return "";
}

mlir::qopt::WeightsFile::~WeightsFile() {
  if (!path.empty())
    llvm::sys::fs::remove(path);
}
