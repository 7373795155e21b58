//===- ModelRunner.cpp - run a compiled model on .npy arrays --------------===//

#include "qopt/Target/CPU/ModelRunner.h"

#include <chrono>

using namespace mlir::qopt;

std::string mlir::qopt::bindInputs(
    const CompiledModel &model,
    const std::vector<std::pair<std::string, NpyArray>> &given,
    BoundInputs &bound) {
  const auto &sigs = model.inputs();
  bound.arrays.assign(sigs.size(), nullptr);
  for (const auto &[name, array] : given) {
    size_t index = sigs.size();
    if (name.empty()) {
      if (sigs.size() != 1)
        return "the model has " + std::to_string(sigs.size()) +
               " inputs: name each one, --input NAME=FILE.npy";
      index = 0;
    } else {
      for (size_t i = 0; i < sigs.size(); ++i)
        if (sigs[i].name == name)
          index = i;
      if (index == sigs.size()) {
        std::string names;
        for (const auto &sig : sigs)
          names += (names.empty() ? "" : ", ") + sig.name;
        return "the model has no input named '" + name + "' (its inputs: " +
               names + ")";
      }
    }
    if (bound.arrays[index])
      return "input '" + sigs[index].name + "' is given twice";
    bound.arrays[index] = &array;
  }

  bound.batches = -1;
  for (size_t i = 0; i < sigs.size(); ++i) {
    const TensorSignature &sig = sigs[i];
    const NpyArray *array = bound.arrays[i];
    if (!array)
      return "missing input '" + sig.name + "' (" + sig.dtype + " " +
             sig.shapeString() + ")";
    // u8 data is accepted for i8 inputs only if the model says i8: no
    // silent reinterpretation.
    if (array->dtype != sig.dtype)
      return "input '" + sig.name + "' has dtype " + array->dtype +
             ", the model expects " + sig.dtype;
    int64_t batch = sig.shape.empty() ? 1 : sig.shape[0];
    bool ok = array->shape.size() == sig.shape.size();
    for (size_t d = 1; ok && d < sig.shape.size(); ++d)
      ok = array->shape[d] == sig.shape[d];
    int64_t batches = 1;
    if (ok && !sig.shape.empty()) {
      ok = batch > 0 && array->shape[0] > 0 && array->shape[0] % batch == 0;
      batches = ok ? array->shape[0] / batch : 0;
    }
    if (!ok)
      return "input '" + sig.name + "' has shape " + array->shapeString() +
             ", the model expects " + sig.shapeString() +
             (sig.shape.empty() ? ""
                                : " (the leading axis may be any multiple of " +
                                      std::to_string(batch) + ")");
    if (bound.batches >= 0 && batches != bound.batches)
      return "input '" + sig.name + "' holds " + std::to_string(batches) +
             " batches, the inputs before it " + std::to_string(bound.batches);
    bound.batches = batches;
  }
  if (bound.batches < 0)
    bound.batches = 1;
  return "";
}

static void pointersFor(const CompiledModel &model, const BoundInputs &bound,
                        int64_t batch, std::vector<NpyArray> *outputs,
                        std::vector<const void *> &in, std::vector<void *> &out,
                        std::vector<std::vector<char>> &scratch) {
  in.clear();
  out.clear();
  for (size_t i = 0; i < model.inputs().size(); ++i)
    in.push_back(bound.arrays[i]->data.data() +
                 batch * model.inputs()[i].numBytes());
  for (size_t i = 0; i < model.outputs().size(); ++i) {
    int64_t bytes = model.outputs()[i].numBytes();
    if (outputs) {
      out.push_back((*outputs)[i].data.data() + batch * bytes);
    } else {
      scratch.resize(model.outputs().size());
      scratch[i].resize(bytes);
      out.push_back(scratch[i].data());
    }
  }
}

std::string mlir::qopt::runBatches(CompiledModel &model,
                                   const BoundInputs &bound,
                                   std::vector<NpyArray> &outputs) {
  outputs.clear();
  for (const TensorSignature &sig : model.outputs()) {
    NpyArray array;
    array.dtype = sig.dtype;
    array.shape = sig.shape;
    if (array.shape.empty())
      array.shape.push_back(1);
    array.shape[0] *= bound.batches;
    array.data.resize(sig.numBytes() * bound.batches);
    outputs.push_back(std::move(array));
  }
  std::vector<const void *> in;
  std::vector<void *> out;
  std::vector<std::vector<char>> scratch;
  for (int64_t b = 0; b < bound.batches; ++b) {
    pointersFor(model, bound, b, &outputs, in, out, scratch);
    std::string error = model.run(in, out);
    if (!error.empty())
      return error;
  }
  return "";
}

std::string mlir::qopt::benchmark(CompiledModel &model,
                                  const BoundInputs &bound, int warmup,
                                  int runs, std::vector<double> &millis) {
  std::vector<const void *> in;
  std::vector<void *> out;
  std::vector<std::vector<char>> scratch;
  pointersFor(model, bound, 0, nullptr, in, out, scratch);
  millis.clear();
  for (int i = 0; i < warmup + runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    std::string error = model.run(in, out);
    auto stop = std::chrono::steady_clock::now();
    if (!error.empty())
      return error;
    if (i >= warmup)
      millis.push_back(
          std::chrono::duration<double, std::milli>(stop - start).count());
  }
  return "";
}
