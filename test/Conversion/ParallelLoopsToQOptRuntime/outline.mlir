// RUN: qopt-opt %s --convert-parallel-loops-to-qopt-runtime --split-input-file | FileCheck %s
// RUN: qopt-opt %s --convert-parallel-loops-to-qopt-runtime='min-work=1000000000' --split-input-file | FileCheck %s --check-prefix=HIGH

// A bias + ReLU over 1x32x56x56: the leading dims 1·32·56 = 1792 >= 64
// iterations are linearized, the innermost stays an scf.parallel. Work per
// linear iteration: 56 · 5 body ops = 280, so grain = ceil(32768 / 280) = 118.
// The context carries the three aligned pointers (static layouts); the zero
// constant is cloned into the body.

// CHECK-LABEL: func.func private @bias_relu_parallel0(
// CHECK-SAME:      %[[CTX:.*]]: !llvm.ptr, %[[BEGIN:.*]]: i64, %[[END:.*]]: i64)
// CHECK:         %[[A0:.*]] = llvm.getelementptr %[[CTX]][0]
// CHECK:         %[[W0:.*]] = llvm.load %[[A0]] : !llvm.ptr -> i64
// CHECK:         %[[P0:.*]] = llvm.inttoptr %[[W0]] : i64 to !llvm.ptr
// CHECK:         llvm.insertvalue %[[P0]], %{{.*}}[0]
// CHECK:         %[[X:.*]] = builtin.unrealized_conversion_cast %{{.*}} : !llvm.struct<(ptr, ptr, i64, array<4 x i64>, array<4 x i64>)> to memref<1x32x56x56xf32>
// CHECK:         llvm.getelementptr %[[CTX]][1]
// CHECK:         %[[B:.*]] = builtin.unrealized_conversion_cast %{{.*}} : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> to memref<32xf32>
// CHECK:         llvm.getelementptr %[[CTX]][2]
// CHECK:         %[[Y:.*]] = builtin.unrealized_conversion_cast %{{.*}} to memref<1x32x56x56xf32>
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[LO:.*]] = arith.index_cast %[[BEGIN]] : i64 to index
// CHECK:         %[[HI:.*]] = arith.index_cast %[[END]] : i64 to index
// CHECK:         scf.for %[[L:.*]] = %[[LO]] to %[[HI]]
// CHECK:           %[[W:.*]] = arith.remui %[[L]], %{{.*}}
// CHECK:           %[[L1:.*]] = arith.divui %[[L]], %{{.*}}
// CHECK:           %[[H:.*]] = arith.remui %[[L1]], %{{.*}}
// CHECK:           %[[L2:.*]] = arith.divui %[[L1]], %{{.*}}
// CHECK:           scf.parallel (%[[J:.*]]) =
// CHECK:             memref.load %[[X]][%{{.*}}, %{{.*}}, %{{.*}}, %[[J]]]
// CHECK:             memref.load %[[B]]
// CHECK:             arith.maximumf %{{.*}}, %[[ZERO]]
// CHECK:             memref.store %{{.*}}, %[[Y]]
// CHECK:         return

// CHECK-LABEL: func.func @bias_relu(
// CHECK:         %[[SLOTS:.*]] = arith.constant 3 : i64
// CHECK-NEXT:    %[[C:.*]] = llvm.alloca %[[SLOTS]] x i64
// CHECK:         %[[PX:.*]] = memref.extract_aligned_pointer_as_index %arg0
// CHECK:         %[[IX:.*]] = arith.index_cast %[[PX]] : index to i64
// CHECK:         %[[A0:.*]] = llvm.getelementptr %[[C]][0]
// CHECK:         llvm.store %[[IX]], %[[A0]]
// CHECK:         %[[F:.*]] = constant @bias_relu_parallel0
// CHECK-DAG:     %[[N:.*]] = arith.constant 1792 : i64
// CHECK-DAG:     %[[GRAIN:.*]] = arith.constant 118 : i64
// CHECK:         call @qopt_rt_parallel_for(%[[N]], %[[GRAIN]], %[[F]], %[[C]])
// CHECK-NOT:     scf.parallel

// HIGH-LABEL: func.func @bias_relu(
// HIGH:         scf.parallel
// HIGH-NOT:     call
// HIGH:         return
func.func @bias_relu(%x: memref<1x32x56x56xf32>, %b: memref<32xf32>, %y: memref<1x32x56x56xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c56 = arith.constant 56 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%n, %c, %h, %w) = (%c0, %c0, %c0, %c0) to (%c1, %c32, %c56, %c56) step (%c1, %c1, %c1, %c1) {
    %a = memref.load %x[%n, %c, %h, %w] : memref<1x32x56x56xf32>
    %bb = memref.load %b[%c] : memref<32xf32>
    %s = arith.addf %a, %bb : f32
    %r = arith.maximumf %s, %zero : f32
    memref.store %r, %y[%n, %c, %h, %w] : memref<1x32x56x56xf32>
    scf.reduce
  }
  return
}

// -----

// Below min-work (16 iterations · 3 ops) the loop stays inline.
// CHECK-LABEL: func.func @small
// CHECK:         scf.parallel
// CHECK-NOT:     call
// CHECK:         return
func.func @small(%x: memref<4x4xf32>, %y: memref<4x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c4) step (%c1, %c1) {
    %a = memref.load %x[%i, %j] : memref<4x4xf32>
    %e = math.exp %a : f32
    memref.store %e, %y[%i, %j] : memref<4x4xf32>
    scf.reduce
  }
  return
}

// -----

// One dim: it is split as a whole (lower bound 2, step 3: 22 iterations,
// index 2 + l·3). A dynamic memref carries its size and stride words after
// the pointer; a scalar argument travels as a word of its own type; the
// nested loop counts 1024 times in the work estimate (22 · 1024 · 3 ops).
// The loop sits in an scf.for: the context is allocated in the entry block.

// CHECK-LABEL: func.func private @dynamic_parallel0(
// CHECK-SAME:      %[[CTX:.*]]: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64)
// CHECK:         %[[A0:.*]] = llvm.getelementptr %[[CTX]][0]
// CHECK:         %[[P:.*]] = llvm.load %[[A0]] : !llvm.ptr -> i64
// CHECK:         %[[A1:.*]] = llvm.getelementptr %[[CTX]][1]
// CHECK:         %[[SIZE:.*]] = llvm.load %[[A1]] : !llvm.ptr -> i64
// CHECK:         llvm.insertvalue %[[SIZE]], %{{.*}}[3, 0]
// CHECK:         %[[A2:.*]] = llvm.getelementptr %[[CTX]][2]
// CHECK:         %[[STRIDE:.*]] = llvm.load %[[A2]] : !llvm.ptr -> i64
// CHECK:         llvm.insertvalue %[[STRIDE]], %{{.*}}[4, 0]
// CHECK:         %[[X:.*]] = builtin.unrealized_conversion_cast %{{.*}} to memref<?xf32, strided<[?]>>
// CHECK:         %[[A3:.*]] = llvm.getelementptr %[[CTX]][3]
// CHECK:         %[[S:.*]] = llvm.load %[[A3]] : !llvm.ptr -> f32
// CHECK:         scf.for %[[L:.*]] =
// CHECK:           %[[M:.*]] = arith.muli %[[L]], %{{.*}}
// CHECK:           %[[I:.*]] = arith.addi %{{.*}}, %[[M]]
// CHECK-NOT:       scf.parallel
// CHECK:           scf.for
// CHECK:             memref.load %[[X]]
// CHECK:             arith.mulf %{{.*}}, %[[S]]

// CHECK-LABEL: func.func @dynamic(
// CHECK:         %[[SLOTS:.*]] = arith.constant 5 : i64
// CHECK-NEXT:    %[[C:.*]] = llvm.alloca %[[SLOTS]] x i64
// CHECK:         scf.for
// CHECK:           memref.extract_strided_metadata %arg0
// CHECK:           llvm.store %arg2, %{{.*}} : f32, !llvm.ptr
// CHECK:           call @qopt_rt_parallel_for
func.func @dynamic(%x: memref<?xf32, strided<[?]>>, %y: memref<70xf32>, %s: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c1024 = arith.constant 1024 : index
  %c68 = arith.constant 68 : index
  scf.for %t = %c0 to %c2 step %c1 {
    scf.parallel (%i) = (%c2) to (%c68) step (%c3) {
      scf.for %k = %c0 to %c1024 step %c1 {
        %a = memref.load %x[%k] : memref<?xf32, strided<[?]>>
        %m = arith.mulf %a, %s : f32
        memref.store %m, %y[%i] : memref<70xf32>
      }
      scf.reduce
    }
  }
  return
}

// -----

// A loop with results (a reduction) and one with non-constant leading
// bounds are left alone.
// CHECK-LABEL: func.func @left_alone
// CHECK:         scf.parallel
// CHECK:         scf.parallel
// CHECK-NOT:     call
// CHECK:         return
func.func @left_alone(%x: memref<100000xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100000 = arith.constant 100000 : index
  %zero = arith.constant 0.0 : f32
  %sum = scf.parallel (%i) = (%c0) to (%c100000) step (%c1) init (%zero) -> f32 {
    %a = memref.load %x[%i] : memref<100000xf32>
    scf.reduce(%a : f32) {
    ^bb0(%l: f32, %r: f32):
      %s = arith.addf %l, %r : f32
      scf.reduce.return %s : f32
    }
  }
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    memref.store %zero, %x[%i] : memref<100000xf32>
    scf.reduce
  }
  return %sum : f32
}
