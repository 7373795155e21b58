//===- CalibAttr.cpp - calibration ranges as discardable attributes -------===//

#include "qopt/Quantization/CalibAttr.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace mlir::qopt;

static std::optional<CalibRange> fromDict(DictionaryAttr dict) {
  if (!dict)
    return std::nullopt;
  auto get = [&](StringRef name) -> std::optional<double> {
    if (auto f = dict.getAs<FloatAttr>(name))
      return f.getValueAsDouble();
    return std::nullopt;
  };
  auto lo = get("lo"), hi = get("hi");
  if (!lo || !hi)
    return std::nullopt;
  CalibRange range;
  range.lo = *lo;
  range.hi = *hi;
  range.min = get("min").value_or(*lo);
  range.max = get("max").value_or(*hi);
  if (auto method = dict.getAs<StringAttr>("method"))
    range.method = method.str();
  return range;
}

static DictionaryAttr toDict(MLIRContext *context, const CalibRange &range) {
  Builder b(context);
  SmallVector<NamedAttribute> entries{
      b.getNamedAttr("lo", b.getF64FloatAttr(range.lo)),
      b.getNamedAttr("hi", b.getF64FloatAttr(range.hi)),
      b.getNamedAttr("min", b.getF64FloatAttr(range.min)),
      b.getNamedAttr("max", b.getF64FloatAttr(range.max))};
  if (!range.method.empty())
    entries.push_back(b.getNamedAttr("method", b.getStringAttr(range.method)));
  return b.getDictionaryAttr(entries);
}

std::optional<CalibRange> qopt::getCalibRange(Value value) {
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    auto func = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp());
    if (!func || arg.getOwner() != &func.getBody().front())
      return std::nullopt;
    return fromDict(
        func.getArgAttrOfType<DictionaryAttr>(arg.getArgNumber(), kCalibAttrName));
  }
  auto result = cast<OpResult>(value);
  auto all = result.getOwner()->getAttrOfType<ArrayAttr>(kCalibAttrName);
  if (!all || all.size() <= result.getResultNumber())
    return std::nullopt;
  return fromDict(dyn_cast<DictionaryAttr>(all[result.getResultNumber()]));
}

void qopt::setCalibRange(Value value, const CalibRange &range) {
  MLIRContext *context = value.getContext();
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    auto func = cast<func::FuncOp>(arg.getOwner()->getParentOp());
    func.setArgAttr(arg.getArgNumber(), kCalibAttrName, toDict(context, range));
    return;
  }
  auto result = cast<OpResult>(value);
  Operation *op = result.getOwner();
  SmallVector<Attribute> entries(op->getNumResults(),
                                 DictionaryAttr::get(context, {}));
  if (auto old = op->getAttrOfType<ArrayAttr>(kCalibAttrName))
    for (unsigned i = 0; i < std::min<unsigned>(old.size(), entries.size()); ++i)
      entries[i] = old[i];
  entries[result.getResultNumber()] = toDict(context, range);
  op->setAttr(kCalibAttrName, ArrayAttr::get(context, entries));
}
