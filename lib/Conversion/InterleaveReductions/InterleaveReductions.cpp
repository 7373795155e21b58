//===- InterleaveReductions.cpp - rows of a reduction side by side --------===//
//
// linalg.reduce over the last dimension lowers to an scf.parallel over the
// rows around an scf.for that loads the row's accumulator, combines it with
// one element and stores it back. After LLVM promotes the accumulator to a
// register each row is one chain of dependent float ops, which the loop
// vectorizer leaves scalar (reassociating would change the rounding): for
// the ViT's LayerNorms (16 rows of 64) and softmaxes (64 rows of 16) the
// chains' latency, not the arithmetic, was the time. Running several rows'
// loops as one loop with an accumulator per row keeps each row's order of
// operations (bit-identical results) and lets the chains overlap.
//
//===----------------------------------------------------------------------===//

#include "qopt/Conversion/InterleaveReductions/InterleaveReductions.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_QOPTINTERLEAVEREDUCTIONSPASS
#include "qopt/Conversion/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {

/// The buffer a memref view is taken from (through view-like ops).
Value baseBuffer(Value memref) {
  while (auto view = memref.getDefiningOp<ViewLikeOpInterface>())
    memref = view.getViewSource();
  return memref;
}

/// A matched reduction: the row loop, its accumulator load and store.
struct Reduction {
  scf::ForOp loop;
  memref::LoadOp load;
  memref::StoreOp store;
};

/// The reduction in `par`'s body, if it has the form the pass handles (see
/// Passes.td); `dim` is the parallel dimension whose rows are interleaved.
std::optional<Reduction> matchReduction(scf::ParallelOp par, unsigned dim) {
  if (par.getNumResults() != 0)
    return std::nullopt;
  Block *body = par.getBody();
  // The loop and the terminator (an empty scf.reduce).
  if (!llvm::hasNItems(*body, 2))
    return std::nullopt;
  auto loop = dyn_cast<scf::ForOp>(body->front());
  if (!loop || !loop.getInitArgs().empty())
    return std::nullopt;
  auto reduce = dyn_cast<scf::ReduceOp>(body->back());
  if (!reduce || reduce.getNumOperands() != 0)
    return std::nullopt;

  memref::StoreOp store;
  for (Operation &op : loop.getBody()->without_terminator()) {
    if (auto st = dyn_cast<memref::StoreOp>(op)) {
      if (store)
        return std::nullopt;
      store = st;
    }
  }
  if (!store)
    return std::nullopt;
  Value acc = store.getMemRef();
  // A buffer of the function (not an argument that could alias a loaded
  // operand): every other load below reads a different allocation.
  Value accBase = baseBuffer(acc);
  if (!accBase.getDefiningOp<memref::AllocOp>() &&
      !accBase.getDefiningOp<memref::AllocaOp>())
    return std::nullopt;
  ValueRange indices = store.getIndices();
  // The same address on every iteration of the row loop, a different one
  // for each row of `dim`.
  if (!llvm::all_of(indices,
                    [&](Value v) { return loop.isDefinedOutsideOfLoop(v); }))
    return std::nullopt;
  if (!llvm::is_contained(indices, par.getInductionVars()[dim]))
    return std::nullopt;

  memref::LoadOp load;
  for (Operation &op : loop.getBody()->without_terminator()) {
    if (&op == store.getOperation())
      continue;
    if (auto ld = dyn_cast<memref::LoadOp>(op)) {
      if (baseBuffer(ld.getMemRef()) != accBase)
        continue;
      if (load || ld.getMemRef() != acc || !llvm::equal(ld.getIndices(), indices) ||
          !ld->isBeforeInBlock(store))
        return std::nullopt;
      load = ld;
      continue;
    }
    // Anything else must be free of side effects and regions (so that
    // cloning it once per row is the same computation).
    if (op.getNumRegions() != 0 || !isMemoryEffectFree(&op))
      return std::nullopt;
  }
  if (!load)
    return std::nullopt;
  // No other use of the accumulator inside the loop (e.g. a view of it).
  for (Operation *user : acc.getUsers())
    if (loop->isAncestor(user) && user != load && user != store)
      return std::nullopt;
  return Reduction{loop, load, store};
}

/// Interleaves `unroll` rows of `par`'s dimension `dim` (see Passes.td).
void interleave(scf::ParallelOp par, unsigned dim, int64_t unroll,
                Reduction red) {
  Location loc = par.getLoc();
  OpBuilder b(par);
  int64_t step = *getConstantIntValue(par.getStep()[dim]);
  SmallVector<Value> steps(par.getStep());
  steps[dim] = arith::ConstantIndexOp::create(b, loc, step * unroll);
  par.getStepMutable().assign(steps);

  // The rows' offsets u·step, created before the parallel loop.
  SmallVector<Value> offsets(unroll);
  for (int64_t u = 1; u < unroll; ++u)
    offsets[u] = arith::ConstantIndexOp::create(b, loc, u * step);

  b.setInsertionPoint(red.loop);
  Value iv = par.getInductionVars()[dim];
  // One mapping per row: the parallel index of row u is iv + u·step.
  SmallVector<IRMapping> rows(unroll);
  SmallVector<Value> inits;
  for (int64_t u = 0; u < unroll; ++u) {
    Value row = iv;
    if (u != 0)
      row = arith::AddIOp::create(b, loc, iv, offsets[u]);
    rows[u].map(iv, row);
    inits.push_back(b.clone(*red.load, rows[u])->getResult(0));
  }

  scf::ForOp loop = red.loop;
  auto fused = scf::ForOp::create(
      b, loc, loop.getLowerBound(), loop.getUpperBound(), loop.getStep(),
      inits, [&](OpBuilder &nb, Location, Value k, ValueRange accs) {
        SmallVector<Value> next;
        for (int64_t u = 0; u < unroll; ++u) {
          IRMapping &map = rows[u];
          map.map(loop.getInductionVar(), k);
          map.map(red.load.getResult(), accs[u]);
          for (Operation &op : loop.getBody()->without_terminator())
            if (&op != red.load.getOperation() &&
                &op != red.store.getOperation())
              nb.clone(op, map);
          next.push_back(map.lookup(red.store.getValueToStore()));
        }
        scf::YieldOp::create(nb, loc, next);
      });

  for (int64_t u = 0; u < unroll; ++u) {
    SmallVector<Value> indices;
    for (Value v : red.store.getIndices())
      indices.push_back(rows[u].lookupOrDefault(v));
    memref::StoreOp::create(b, loc, fused.getResult(u), red.store.getMemRef(),
                            indices);
  }
  loop.erase();
}

struct QOptInterleaveReductionsPass
    : qopt::impl::QOptInterleaveReductionsPassBase<
          QOptInterleaveReductionsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (unroll < 2)
      return;
    SmallVector<scf::ParallelOp> loops;
    getOperation().walk([&](scf::ParallelOp par) { loops.push_back(par); });
    for (scf::ParallelOp par : loops) {
      // The innermost dimension with constant bounds and a trip count the
      // unroll factor divides (the largest of unroll, 4, 2 that does).
      unsigned dim = par.getNumLoops() - 1;
      std::optional<int64_t> lb = getConstantIntValue(par.getLowerBound()[dim]),
                             ub = getConstantIntValue(par.getUpperBound()[dim]),
                             step = getConstantIntValue(par.getStep()[dim]);
      if (!lb || !ub || !step || *step <= 0 || *ub <= *lb)
        continue;
      int64_t trips = (*ub - *lb + *step - 1) / *step;
      int64_t factor = 0;
      for (int64_t f : {int64_t(unroll), int64_t(4), int64_t(2)})
        if (f <= unroll && f >= 2 && trips % f == 0) {
          factor = f;
          break;
        }
      if (!factor)
        continue;
      std::optional<Reduction> red = matchReduction(par, dim);
      if (!red)
        continue;
      interleave(par, dim, factor, *red);
    }
  }
};

} // namespace
