//===- ParallelLoopsToQOptRuntime.cpp - scf.parallel to the thread pool ---===//
//
// The loops that linalg leaves after the runtime has taken the contractions
// (bias + activation, residual adds, pooling, LayerNorm, softmax) ran on the
// calling thread: 12 % of MobileNetV2's single-thread time, all of it serial
// when the kernels around it used two threads. This pass hands the big ones
// to the runtime's pool, the way the kernels split their own work: the loop
// body becomes a function over a range of iterations, called by
// qopt_rt_parallel_for with a context array that carries what the body
// reads from outside.
//
// The body gets its memrefs back as LLVM memref descriptors built from the
// context words and cast to the memref type with
// builtin.unrealized_conversion_cast; finalize-memref-to-llvm's own casts of
// the same value cancel against them (reconcile-unrealized-casts). Static
// offsets, sizes and strides come from the type, so the vectorizer still
// sees unit strides as constants.
//
//===----------------------------------------------------------------------===//

#include "qopt/Conversion/ParallelLoopsToQOptRuntime/ParallelLoopsToQOptRuntime.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMTypes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_CONVERTPARALLELLOOPSTOQOPTRUNTIMEPASS
#include "qopt/Conversion/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kParallelFor = "qopt_rt_parallel_for";

/// A trip count we cannot know statically counts as this many iterations in
/// the work estimate.
constexpr int64_t kUnknownTripCount = 16;

std::optional<int64_t> tripCount(Value lb, Value ub, Value step) {
  std::optional<int64_t> l = getConstantIntValue(lb), u = getConstantIntValue(ub),
                         s = getConstantIntValue(step);
  if (!l || !u || !s || *s <= 0)
    return std::nullopt;
  return *u <= *l ? 0 : (*u - *l + *s - 1) / *s;
}

int64_t saturatingMul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r))
    return INT64_MAX;
  return r;
}

/// Ops executed by one run of `block`, nested loops multiplied out.
int64_t workOf(Block &block) {
  int64_t work = 0;
  for (Operation &op : block) {
    if (op.hasTrait<OpTrait::IsTerminator>())
      continue;
    int64_t w = 1;
    if (auto loop = dyn_cast<scf::ForOp>(op)) {
      int64_t trips = tripCount(loop.getLowerBound(), loop.getUpperBound(),
                                loop.getStep())
                          .value_or(kUnknownTripCount);
      w = saturatingMul(trips, workOf(*loop.getBody()));
    } else if (auto loop = dyn_cast<scf::ParallelOp>(op)) {
      int64_t trips = 1;
      for (auto [lb, ub, step] : llvm::zip(
               loop.getLowerBound(), loop.getUpperBound(), loop.getStep()))
        trips = saturatingMul(
            trips, tripCount(lb, ub, step).value_or(kUnknownTripCount));
      w = saturatingMul(trips, workOf(*loop.getBody()));
    } else {
      for (Region &region : op.getRegions())
        for (Block &nested : region)
          w = std::max(w, 1 + workOf(nested));
    }
    work = work > INT64_MAX - w ? INT64_MAX : work + w;
  }
  return work;
}

/// Values the body can recompute itself instead of reading from the context.
bool isRematerializable(Value v) {
  Operation *def = v.getDefiningOp();
  return def && def->getNumOperands() == 0 && def->getNumRegions() == 0 &&
         def->getNumResults() == 1 &&
         (def->hasTrait<OpTrait::ConstantLike>() ||
          isa<memref::GetGlobalOp>(def));
}

bool isScalarWord(Type t) {
  return t.isIndex() || (t.isIntOrFloat() && t.getIntOrFloatBitWidth() <= 64);
}

/// A memref the context can carry: a strided layout in the default memory
/// space.
bool isCarriedMemRef(Type t) {
  auto type = dyn_cast<MemRefType>(t);
  if (!type || type.getMemorySpace() || !isScalarWord(type.getElementType()))
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(type.getStridesAndOffset(strides, offset));
}

/// How one captured value travels: `words` context slots starting at
/// `slot`.
struct Capture {
  Value value;
  unsigned slot;
};

class Outliner {
public:
  Outliner(ModuleOp module, int64_t minWork, int64_t minChunks)
      : module(module), minWork(minWork), minChunks(minChunks) {}

  void run(scf::ParallelOp loop);

private:
  func::FuncOp declareParallelFor(Type fnType);
  func::FuncOp createBody(scf::ParallelOp loop, unsigned numLinear,
                          ArrayRef<int64_t> linearTrips,
                          ArrayRef<Capture> captures, unsigned numSlots);
  /// Context words of a memref: aligned pointer, then the dynamic offset,
  /// sizes and strides in that order.
  static unsigned wordsOf(Type t);

  ModuleOp module;
  int64_t minWork, minChunks;
  unsigned counter = 0;
};

unsigned Outliner::wordsOf(Type t) {
  auto type = dyn_cast<MemRefType>(t);
  if (!type)
    return 1;
  SmallVector<int64_t> strides;
  int64_t offset;
  (void)type.getStridesAndOffset(strides, offset);
  unsigned words = 1 + ShapedType::isDynamic(offset);
  words += llvm::count_if(type.getShape(), ShapedType::isDynamic);
  words += llvm::count_if(strides, ShapedType::isDynamic);
  return words;
}

func::FuncOp Outliner::declareParallelFor(Type fnType) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(kParallelFor))
    return existing;
  OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
  Type i64 = b.getI64Type();
  Type ptr = LLVM::LLVMPointerType::get(b.getContext());
  auto func = func::FuncOp::create(
      b, module.getLoc(), kParallelFor,
      b.getFunctionType({i64, i64, fnType, ptr}, {}));
  func.setPrivate();
  return func;
}

void Outliner::run(scf::ParallelOp loop) {
  if (loop.getNumResults() != 0)
    return;
  auto parent = loop->getParentOfType<func::FuncOp>();
  if (!parent)
    return;
  unsigned numDims = loop.getNumLoops();

  // Leading dims to split: as few as give minChunks iterations, all but the
  // innermost (which stays a loop the vectorizer sees) unless there is one.
  SmallVector<int64_t> trips;
  int64_t linear = 1;
  unsigned maxLinear = numDims > 1 ? numDims - 1 : 1;
  for (unsigned d = 0; d < maxLinear && linear < minChunks; ++d) {
    std::optional<int64_t> t =
        tripCount(loop.getLowerBound()[d], loop.getUpperBound()[d],
                  loop.getStep()[d]);
    if (!t)
      break;
    trips.push_back(*t);
    linear = saturatingMul(linear, *t);
  }
  if (trips.empty() || linear < 2)
    return;
  unsigned numLinear = trips.size();

  int64_t perIteration = workOf(*loop.getBody());
  for (unsigned d = numLinear; d < numDims; ++d)
    perIteration = saturatingMul(
        perIteration,
        tripCount(loop.getLowerBound()[d], loop.getUpperBound()[d],
                  loop.getStep()[d])
            .value_or(kUnknownTripCount));
  if (saturatingMul(perIteration, linear) < minWork)
    return;
  int64_t grain = std::max<int64_t>(
      1, (minWork + perIteration - 1) / std::max<int64_t>(perIteration, 1));

  // What the body reads from outside: the region's free values and the
  // bounds of the dims that stay loops.
  llvm::SetVector<Value> used;
  getUsedValuesDefinedAbove(loop.getRegion(), used);
  for (unsigned d = numLinear; d < numDims; ++d) {
    used.insert(loop.getLowerBound()[d]);
    used.insert(loop.getUpperBound()[d]);
    used.insert(loop.getStep()[d]);
  }
  SmallVector<Capture> captures;
  unsigned numSlots = 0;
  for (Value v : used) {
    if (isRematerializable(v))
      continue;
    if (!isScalarWord(v.getType()) && !isCarriedMemRef(v.getType()))
      return;
    captures.push_back({v, numSlots});
    numSlots += wordsOf(v.getType());
  }

  func::FuncOp body =
      createBody(loop, numLinear, trips, captures, std::max(numSlots, 1u));

  // The call site: fill the context (an alloca in the entry block, so loops
  // around the call do not grow the stack) and call the pool.
  OpBuilder b(loop);
  Location loc = loop.getLoc();
  Type i64 = b.getI64Type();
  Type ptrType = LLVM::LLVMPointerType::get(b.getContext());
  Value ctx;
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&parent.getBody().front());
    Value count = arith::ConstantIntOp::create(b, loc, i64,
                                               std::max(numSlots, 1u));
    ctx = LLVM::AllocaOp::create(b, loc, ptrType, i64, count);
  }
  auto store = [&](Value word, unsigned slot) {
    Value address = LLVM::GEPOp::create(
        b, loc, ptrType, i64, ctx, ArrayRef<LLVM::GEPArg>{int32_t(slot)});
    LLVM::StoreOp::create(b, loc, word, address);
  };
  auto storeIndex = [&](Value index, unsigned slot) {
    store(arith::IndexCastOp::create(b, loc, i64, index), slot);
  };
  for (const Capture &capture : captures) {
    Value v = capture.value;
    auto type = dyn_cast<MemRefType>(v.getType());
    if (!type) {
      if (v.getType().isIndex())
        storeIndex(v, capture.slot);
      else
        store(v, capture.slot);
      continue;
    }
    unsigned slot = capture.slot;
    storeIndex(memref::ExtractAlignedPointerAsIndexOp::create(b, loc, v),
               slot++);
    if (wordsOf(type) == 1)
      continue;
    auto metadata = memref::ExtractStridedMetadataOp::create(b, loc, v);
    SmallVector<int64_t> strides;
    int64_t offset;
    (void)type.getStridesAndOffset(strides, offset);
    if (ShapedType::isDynamic(offset))
      storeIndex(metadata.getOffset(), slot++);
    for (auto [size, value] : llvm::zip(type.getShape(), metadata.getSizes()))
      if (ShapedType::isDynamic(size))
        storeIndex(value, slot++);
    for (auto [stride, value] : llvm::zip(strides, metadata.getStrides()))
      if (ShapedType::isDynamic(stride))
        storeIndex(value, slot++);
  }
  func::FuncOp parallelFor = declareParallelFor(body.getFunctionType());
  Value fn = func::ConstantOp::create(b, loc, body.getFunctionType(),
                                      SymbolRefAttr::get(body));
  func::CallOp::create(
      b, loc, parallelFor,
      ValueRange{arith::ConstantIntOp::create(b, loc, i64, linear),
                 arith::ConstantIntOp::create(b, loc, i64, grain), fn, ctx});
  loop.erase();
}

func::FuncOp Outliner::createBody(scf::ParallelOp loop, unsigned numLinear,
                                  ArrayRef<int64_t> linearTrips,
                                  ArrayRef<Capture> captures,
                                  unsigned numSlots) {
  MLIRContext *context = module.getContext();
  OpBuilder b(context);
  Location loc = loop.getLoc();
  Type i64 = b.getI64Type();
  Type ptrType = LLVM::LLVMPointerType::get(context);
  auto parent = loop->getParentOfType<func::FuncOp>();

  b.setInsertionPoint(parent);
  std::string name;
  do {
    name = (parent.getSymName() + "_parallel" + Twine(counter++)).str();
  } while (module.lookupSymbol(name));
  auto func = func::FuncOp::create(
      b, loc, name, b.getFunctionType({ptrType, i64, i64}, {}));
  func.setPrivate();
  Block *entry = func.addEntryBlock();
  b.setInsertionPointToStart(entry);
  Value ctx = entry->getArgument(0);

  IRMapping mapping;
  auto load = [&](Type type, unsigned slot) -> Value {
    Value address = LLVM::GEPOp::create(
        b, loc, ptrType, i64, ctx, ArrayRef<LLVM::GEPArg>{int32_t(slot)});
    return LLVM::LoadOp::create(b, loc, type, address);
  };
  auto loadIndex = [&](unsigned slot) -> Value {
    return arith::IndexCastOp::create(b, loc, b.getIndexType(),
                                      load(i64, slot));
  };
  auto i64Constant = [&](int64_t v) -> Value {
    return LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(v));
  };
  (void)numSlots;
  for (const Capture &capture : captures) {
    Type t = capture.value.getType();
    auto type = dyn_cast<MemRefType>(t);
    if (!type) {
      mapping.map(capture.value,
                  t.isIndex() ? loadIndex(capture.slot) : load(t, capture.slot));
      continue;
    }
    // The descriptor finalize-memref-to-llvm uses: {allocated, aligned,
    // offset, sizes[rank], strides[rank]}; the body never frees, so the
    // allocated pointer is the aligned one.
    unsigned slot = capture.slot;
    SmallVector<int64_t> strides;
    int64_t offset;
    (void)type.getStridesAndOffset(strides, offset);
    unsigned rank = type.getRank();
    SmallVector<Type> fields{ptrType, ptrType, i64};
    if (rank) {
      fields.push_back(LLVM::LLVMArrayType::get(i64, rank));
      fields.push_back(LLVM::LLVMArrayType::get(i64, rank));
    }
    auto structType = LLVM::LLVMStructType::getLiteral(context, fields);
    Value descriptor = LLVM::PoisonOp::create(b, loc, structType);
    Value pointer = LLVM::IntToPtrOp::create(b, loc, ptrType, load(i64, slot++));
    descriptor = LLVM::InsertValueOp::create(b, loc, descriptor, pointer, ArrayRef<int64_t>{0});
    descriptor = LLVM::InsertValueOp::create(b, loc, descriptor, pointer, ArrayRef<int64_t>{1});
    descriptor = LLVM::InsertValueOp::create(
        b, loc, descriptor,
        ShapedType::isDynamic(offset) ? load(i64, slot++) : i64Constant(offset),
        ArrayRef<int64_t>{2});
    for (unsigned d = 0; d < rank; ++d) {
      int64_t size = type.getDimSize(d);
      descriptor = LLVM::InsertValueOp::create(
          b, loc, descriptor,
          ShapedType::isDynamic(size) ? load(i64, slot++) : i64Constant(size),
          ArrayRef<int64_t>{3, d});
    }
    for (unsigned d = 0; d < rank; ++d)
      descriptor = LLVM::InsertValueOp::create(
          b, loc, descriptor,
          ShapedType::isDynamic(strides[d]) ? load(i64, slot++)
                                            : i64Constant(strides[d]),
          ArrayRef<int64_t>{4, d});
    mapping.map(capture.value,
                UnrealizedConversionCastOp::create(b, loc, type, descriptor)
                    .getResult(0));
  }

  // Constants and globals the body uses are recreated inside it.
  llvm::SetVector<Value> used;
  getUsedValuesDefinedAbove(loop.getRegion(), used);
  for (unsigned d = numLinear; d < loop.getNumLoops(); ++d) {
    used.insert(loop.getLowerBound()[d]);
    used.insert(loop.getUpperBound()[d]);
    used.insert(loop.getStep()[d]);
  }
  for (Value v : used)
    if (!mapping.contains(v) && isRematerializable(v))
      mapping.map(v, b.clone(*v.getDefiningOp())->getResult(0));

  // for l in [begin, end): the linear index splits into the leading dims'
  // indices (innermost fastest), each lb + i·step.
  Value begin = arith::IndexCastOp::create(b, loc, b.getIndexType(),
                                           entry->getArgument(1));
  Value end = arith::IndexCastOp::create(b, loc, b.getIndexType(),
                                         entry->getArgument(2));
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto outer = scf::ForOp::create(b, loc, begin, end, one);
  b.setInsertionPointToStart(outer.getBody());
  Value rest = outer.getInductionVar();
  SmallVector<Value> ivs(numLinear);
  for (int d = numLinear - 1; d >= 0; --d) {
    Value trips = arith::ConstantIndexOp::create(b, loc, linearTrips[d]);
    Value i = d == 0 ? rest : arith::RemUIOp::create(b, loc, rest, trips);
    if (d > 0)
      rest = arith::DivUIOp::create(b, loc, rest, trips);
    Value lb = arith::ConstantIndexOp::create(
        b, loc, *getConstantIntValue(loop.getLowerBound()[d]));
    Value step =
        arith::ConstantIndexOp::create(b, loc, *getConstantIntValue(loop.getStep()[d]));
    ivs[d] = arith::AddIOp::create(b, loc, lb,
                                   arith::MulIOp::create(b, loc, i, step));
    mapping.map(loop.getInductionVars()[d], ivs[d]);
  }

  auto cloneBody = [&](OpBuilder &builder) {
    for (Operation &op : loop.getBody()->without_terminator())
      builder.clone(op, mapping);
  };
  if (numLinear == loop.getNumLoops()) {
    cloneBody(b);
  } else {
    SmallVector<Value> lbs, ubs, steps;
    for (unsigned d = numLinear; d < loop.getNumLoops(); ++d) {
      lbs.push_back(mapping.lookup(loop.getLowerBound()[d]));
      ubs.push_back(mapping.lookup(loop.getUpperBound()[d]));
      steps.push_back(mapping.lookup(loop.getStep()[d]));
    }
    scf::ParallelOp::create(
        b, loc, lbs, ubs, steps,
        [&](OpBuilder &nested, Location, ValueRange inner) {
          for (unsigned d = numLinear; d < loop.getNumLoops(); ++d)
            mapping.map(loop.getInductionVars()[d], inner[d - numLinear]);
          cloneBody(nested);
        });
  }
  b.setInsertionPointToEnd(entry);
  func::ReturnOp::create(b, loc);
  return func;
}

struct ConvertParallelLoopsToQOptRuntimePass
    : qopt::impl::ConvertParallelLoopsToQOptRuntimePassBase<
          ConvertParallelLoopsToQOptRuntimePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<scf::ParallelOp> candidates;
    module.walk([&](scf::ParallelOp loop) {
      if (!loop->getParentOfType<scf::ParallelOp>())
        candidates.push_back(loop);
    });
    Outliner outliner(module, minWork, minChunks);
    for (scf::ParallelOp loop : candidates)
      outliner.run(loop);
  }
};

} // namespace
