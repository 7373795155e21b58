//===- ElementsUtils.cpp - read and write constant tensor values ----------===//

#include "qopt/Dialect/QOpt/IR/ElementsUtils.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/APFloat.h"

using namespace mlir;

static std::optional<double> decode(FloatType type, const char *bytes) {
  unsigned width = type.getWidth();
  uint64_t raw = 0;
  std::memcpy(&raw, bytes, width / 8);
  llvm::APFloat value(type.getFloatSemantics(), llvm::APInt(width, raw));
  bool losesInfo = false;
  value.convert(llvm::APFloat::IEEEdouble(),
                llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  return value.convertToDouble();
}

std::optional<std::vector<double>>
qopt::readFloatElements(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  auto floatType = dyn_cast<FloatType>(type.getElementType());
  if (!floatType || floatType.getWidth() % 8 != 0 || floatType.getWidth() > 64)
    return std::nullopt;
  std::vector<double> values;
  values.reserve(type.getNumElements());
  if (auto dense = dyn_cast<DenseFPElementsAttr>(attr)) {
    for (llvm::APFloat v : dense.getValues<llvm::APFloat>()) {
      bool losesInfo = false;
      v.convert(llvm::APFloat::IEEEdouble(),
                llvm::APFloat::rmNearestTiesToEven, &losesInfo);
      values.push_back(v.convertToDouble());
    }
    return values;
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return std::nullopt;
    ArrayRef<char> data = blob->getData();
    size_t elementBytes = floatType.getWidth() / 8;
    if (data.size() != elementBytes * type.getNumElements())
      return std::nullopt;
    for (int64_t i = 0, e = type.getNumElements(); i < e; ++i)
      values.push_back(*decode(floatType, data.data() + i * elementBytes));
    return values;
  }
  return std::nullopt;
}

ElementsAttr qopt::makeFloatResource(ShapedType type, StringRef nameHint,
                                     ArrayRef<double> values) {
  auto floatType = cast<FloatType>(type.getElementType());
  unsigned bytes = floatType.getWidth() / 8;
  std::vector<char> data(values.size() * bytes);
  for (size_t i = 0; i < values.size(); ++i) {
    llvm::APFloat v(values[i]);
    bool losesInfo = false;
    v.convert(floatType.getFloatSemantics(),
              llvm::APFloat::rmNearestTiesToEven, &losesInfo);
    uint64_t raw = v.bitcastToAPInt().getZExtValue();
    std::memcpy(data.data() + i * bytes, &raw, bytes);
  }
  auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
      ArrayRef<char>(data), std::max<size_t>(bytes, alignof(uint64_t)));
  return DenseResourceElementsAttr::get(type, nameHint, std::move(blob));
}
