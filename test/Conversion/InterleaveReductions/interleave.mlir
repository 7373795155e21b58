// RUN: qopt-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(qopt-interleave-reductions))" | FileCheck %s
// RUN: qopt-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(qopt-interleave-reductions{unroll=4}))" | FileCheck %s --check-prefix=U4

// A LayerNorm mean as convert-linalg-to-parallel-loops writes it: 16 rows of
// 64. Eight rows per parallel iteration (step 8), their accumulators loaded
// before one scf.for, each row's add cloned with its row index (in the
// original operand order), the results stored after the loop.

// CHECK-LABEL: func.func @row_sums
// CHECK:         %[[ACC:.*]] = memref.alloca() : memref<1x16xf32>
// CHECK:         %[[C8:.*]] = arith.constant 8 : index
// CHECK:         %[[O1:.*]] = arith.constant 1 : index
// CHECK:         %[[O7:.*]] = arith.constant 7 : index
// CHECK:         scf.parallel (%[[I:.*]], %[[J:.*]]) = (%{{.*}}, %{{.*}}) to (%{{.*}}, %{{.*}}) step (%{{.*}}, %[[C8]]) {
// CHECK:           %[[INIT0:.*]] = memref.load %[[ACC]][%[[I]], %[[J]]]
// CHECK:           %[[J1:.*]] = arith.addi %[[J]], %[[O1]] : index
// CHECK:           %[[INIT1:.*]] = memref.load %[[ACC]][%[[I]], %[[J1]]]
// CHECK:           %[[J7:.*]] = arith.addi %[[J]], %[[O7]] : index
// CHECK:           %[[INIT7:.*]] = memref.load %[[ACC]][%[[I]], %[[J7]]]
// CHECK:           %[[R:.*]]:8 = scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[A0:.*]] = %[[INIT0]], %[[A1:.*]] = %[[INIT1]], {{.*}}, %[[A7:.*]] = %[[INIT7]]) -> (f32, f32, f32, f32, f32, f32, f32, f32) {
// CHECK:             %[[X0:.*]] = memref.load %arg0[%[[I]], %[[J]], %[[K]]]
// CHECK:             %[[S0:.*]] = arith.addf %[[X0]], %[[A0]] : f32
// CHECK:             %[[X1:.*]] = memref.load %arg0[%[[I]], %[[J1]], %[[K]]]
// CHECK:             %[[S1:.*]] = arith.addf %[[X1]], %[[A1]] : f32
// CHECK:             %[[X7:.*]] = memref.load %arg0[%[[I]], %[[J7]], %[[K]]]
// CHECK:             %[[S7:.*]] = arith.addf %[[X7]], %[[A7]] : f32
// CHECK:             scf.yield %[[S0]], %[[S1]], {{.*}}, %[[S7]] : f32, f32, f32, f32, f32, f32, f32, f32
// CHECK:           }
// CHECK:           memref.store %[[R]]#0, %[[ACC]][%[[I]], %[[J]]]
// CHECK:           memref.store %[[R]]#1, %[[ACC]][%[[I]], %[[J1]]]
// CHECK:           memref.store %[[R]]#7, %[[ACC]][%[[I]], %[[J7]]]
// CHECK-NOT:       memref.store
// CHECK:           scf.reduce
// U4-LABEL: func.func @row_sums
// U4:         %[[R:.*]]:4 = scf.for
func.func @row_sums(%arg0: memref<1x16x64xf32>, %out: memref<1x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  %acc = memref.alloca() : memref<1x16xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c1, %c16) step (%c1, %c1) {
    memref.store %zero, %acc[%i, %j] : memref<1x16xf32>
    scf.reduce
  }
  scf.parallel (%i, %j) = (%c0, %c0) to (%c1, %c16) step (%c1, %c1) {
    scf.for %k = %c0 to %c64 step %c1 {
      %x = memref.load %arg0[%i, %j, %k] : memref<1x16x64xf32>
      %a = memref.load %acc[%i, %j] : memref<1x16xf32>
      %s = arith.addf %x, %a : f32
      memref.store %s, %acc[%i, %j] : memref<1x16xf32>
    }
    scf.reduce
  }
  memref.copy %acc, %out : memref<1x16xf32> to memref<1x16xf32>
  return
}

// -----

// A sum of squares (LayerNorm's variance) over 6 rows of a heap buffer:
// 6 is not a multiple of 8 or 4, so two rows at a time; the square is
// cloned per row. A softmax max over rows of a 4-D view: the last parallel
// dimension is the one interleaved.

// CHECK-LABEL: func.func @squares_and_max
// CHECK:         %[[ACC:.*]] = memref.alloc() : memref<6xf32>
// CHECK:         scf.parallel (%[[J:.*]]) = (%{{.*}}) to (%{{.*}}) step (%[[C2:.*]]) {
// CHECK:           %[[R:.*]]:2 = scf.for %[[K:.*]] = {{.*}} iter_args(%[[A0:.*]] = %{{.*}}, %[[A1:.*]] = %{{.*}}) -> (f32, f32) {
// CHECK:             %[[X0:.*]] = memref.load
// CHECK:             %[[Q0:.*]] = arith.mulf %[[X0]], %[[X0]] : f32
// CHECK:             %[[S0:.*]] = arith.addf %[[Q0]], %[[A0]] : f32
// CHECK:             %[[X1:.*]] = memref.load
// CHECK:             %[[Q1:.*]] = arith.mulf %[[X1]], %[[X1]] : f32
// CHECK:             %[[S1:.*]] = arith.addf %[[Q1]], %[[A1]] : f32
// CHECK:             scf.yield %[[S0]], %[[S1]] : f32, f32
// CHECK:         scf.parallel (%{{.*}}, %{{.*}}, %{{.*}}) = {{.*}} step (%{{.*}}, %{{.*}}, %[[C8:.*]]) {
// CHECK:           scf.for {{.*}} -> (f32, f32, f32, f32, f32, f32, f32, f32) {
// CHECK-COUNT-8:     arith.maximumf
// CHECK:             scf.yield
func.func @squares_and_max(%x: memref<6x32xf32>, %y: memref<1x4x16x16xf32>, %m: memref<1x4x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c6 = arith.constant 6 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %acc = memref.alloc() : memref<6xf32>
  scf.parallel (%j) = (%c0) to (%c6) step (%c1) {
    scf.for %k = %c0 to %c32 step %c1 {
      %v = memref.load %x[%j, %k] : memref<6x32xf32>
      %a = memref.load %acc[%j] : memref<6xf32>
      %q = arith.mulf %v, %v : f32
      %s = arith.addf %q, %a : f32
      memref.store %s, %acc[%j] : memref<6xf32>
    }
    scf.reduce
  }
  memref.dealloc %acc : memref<6xf32>
  %mx = memref.alloca() : memref<1x4x16xf32>
  scf.parallel (%a0, %a1, %a2) = (%c0, %c0, %c0) to (%c1, %c4, %c16) step (%c1, %c1, %c1) {
    scf.for %k = %c0 to %c16 step %c1 {
      %v = memref.load %y[%a0, %a1, %a2, %k] : memref<1x4x16x16xf32>
      %a = memref.load %mx[%a0, %a1, %a2] : memref<1x4x16xf32>
      %r = arith.maximumf %v, %a : f32
      memref.store %r, %mx[%a0, %a1, %a2] : memref<1x4x16xf32>
    }
    scf.reduce
  }
  memref.copy %mx, %m : memref<1x4x16xf32> to memref<1x4x16xf32>
  return
}

// -----

// Left alone: the accumulator is a function argument (it could alias the
// loaded operand); 15 rows (no factor divides the trip count); a second
// store in the loop; accumulator indices without the row index (every row
// would share it); a loop with its own iter_args; a call in the body.

// CHECK-LABEL: func.func @left_alone
// CHECK-NOT:     iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}})
// CHECK-NOT:     step (%c8
// CHECK:         return
func.func private @effect(f32)
func.func @left_alone(%x: memref<16x64xf32>, %arg: memref<16xf32>, %w: memref<16x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c15 = arith.constant 15 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%j) = (%c0) to (%c16) step (%c1) {
    scf.for %k = %c0 to %c64 step %c1 {
      %v = memref.load %x[%j, %k] : memref<16x64xf32>
      %a = memref.load %arg[%j] : memref<16xf32>
      %s = arith.addf %v, %a : f32
      memref.store %s, %arg[%j] : memref<16xf32>
    }
    scf.reduce
  }
  %acc = memref.alloca() : memref<16xf32>
  scf.parallel (%j) = (%c0) to (%c15) step (%c1) {
    scf.for %k = %c0 to %c64 step %c1 {
      %v = memref.load %x[%j, %k] : memref<16x64xf32>
      %a = memref.load %acc[%j] : memref<16xf32>
      %s = arith.addf %v, %a : f32
      memref.store %s, %acc[%j] : memref<16xf32>
    }
    scf.reduce
  }
  scf.parallel (%j) = (%c0) to (%c16) step (%c1) {
    scf.for %k = %c0 to %c64 step %c1 {
      %v = memref.load %x[%j, %k] : memref<16x64xf32>
      %a = memref.load %acc[%j] : memref<16xf32>
      %s = arith.addf %v, %a : f32
      memref.store %s, %acc[%j] : memref<16xf32>
      memref.store %s, %w[%j, %k] : memref<16x64xf32>
    }
    scf.reduce
  }
  scf.parallel (%j) = (%c0) to (%c16) step (%c1) {
    scf.for %k = %c0 to %c64 step %c1 {
      %v = memref.load %x[%j, %k] : memref<16x64xf32>
      %a = memref.load %acc[%c0] : memref<16xf32>
      %s = arith.addf %v, %a : f32
      memref.store %s, %acc[%c0] : memref<16xf32>
    }
    scf.reduce
  }
  scf.parallel (%j) = (%c0) to (%c16) step (%c1) {
    %r = scf.for %k = %c0 to %c64 step %c1 iter_args(%t = %zero) -> (f32) {
      %v = memref.load %x[%j, %k] : memref<16x64xf32>
      %a = memref.load %acc[%j] : memref<16xf32>
      %s = arith.addf %v, %a : f32
      memref.store %s, %acc[%j] : memref<16xf32>
      scf.yield %s : f32
    }
    scf.reduce
  }
  scf.parallel (%j) = (%c0) to (%c16) step (%c1) {
    scf.for %k = %c0 to %c64 step %c1 {
      %v = memref.load %x[%j, %k] : memref<16x64xf32>
      %a = memref.load %acc[%j] : memref<16xf32>
      %s = arith.addf %v, %a : f32
      func.call @effect(%s) : (f32) -> ()
      memref.store %s, %acc[%j] : memref<16xf32>
    }
    scf.reduce
  }
  memref.copy %acc, %arg : memref<16xf32> to memref<16xf32>
  return
}
