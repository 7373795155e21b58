//===- WeightSlot.h - constant weights packed once per call site -*- C++ -*-===//
//
// A kernel call whose weights are constant gets a slot (a pointer-sized
// global of the compiled model, null at first) and keeps its packed or
// transformed weights there after the first call. Racing first calls each
// pack; one copy is published, the others are freed.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_RUNTIME_WEIGHTSLOT_H
#define QOPT_LIB_RUNTIME_WEIGHTSLOT_H

#include <atomic>
#include <cstdlib>

namespace qopt_rt {

/// What `slot` holds, or pack() (a malloc'ed buffer) published there.
template <typename T, typename PackFn>
T *cachedPacking(std::atomic<T *> *slot, PackFn pack) {
  T *packed = slot->load(std::memory_order_acquire);
  if (packed)
    return packed;
  T *mine = pack();
  if (slot->compare_exchange_strong(packed, mine, std::memory_order_acq_rel))
    return mine;
  std::free(mine); // another thread's copy won
  return packed;
}

/// As cachedPacking, and without a slot (null) a copy of this call's:
/// `owned` is then set to it (the caller frees it), null otherwise.
template <typename T, typename PackFn>
T *cachedOrOwnedPacking(std::atomic<T *> *slot, PackFn pack, T *&owned) {
  owned = slot ? nullptr : pack();
  return slot ? cachedPacking(slot, pack) : owned;
}

} // namespace qopt_rt

#endif // QOPT_LIB_RUNTIME_WEIGHTSLOT_H
