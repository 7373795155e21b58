//===- ModelRunner.h - run a compiled model on .npy arrays ------*- C++ -*-===//
//
// What qopt-run does, as a library: match named arrays to a model's inputs,
// check dtypes and shapes, run inputs whose leading axis is a multiple of
// the model's batch slice by slice, and concatenate the outputs.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_TARGET_CPU_MODELRUNNER_H
#define QOPT_TARGET_CPU_MODELRUNNER_H

#include "qopt/Support/Npy.h"
#include "qopt/Target/CPU/CompiledModel.h"

#include <string>
#include <utility>
#include <vector>

namespace mlir::qopt {

/// Inputs bound to a model: one array per model input, in the model's order,
/// each holding `batches` consecutive batches.
struct BoundInputs {
  std::vector<const NpyArray *> arrays;
  int64_t batches = 1;
};

/// Binds `given` (name, array) pairs to the model's inputs. An empty name is
/// allowed only when the model has exactly one input. Returns an error
/// message or "".
std::string bindInputs(const CompiledModel &model,
                       const std::vector<std::pair<std::string, NpyArray>> &given,
                       BoundInputs &bound);

/// Runs every batch of `bound` and returns the outputs, concatenated along
/// the leading axis. Returns an error message or "".
std::string runBatches(CompiledModel &model, const BoundInputs &bound,
                       std::vector<NpyArray> &outputs);

/// Runs batch 0 of `bound` `warmup` times, then `runs` times, timing each.
/// Returns an error message or "".
std::string benchmark(CompiledModel &model, const BoundInputs &bound,
                      int warmup, int runs, std::vector<double> &millis);

} // namespace mlir::qopt

#endif // QOPT_TARGET_CPU_MODELRUNNER_H
