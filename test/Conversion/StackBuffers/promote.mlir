// RUN: qopt-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(qopt-promote-small-buffers{max-buffer-bytes=1024 max-total-bytes=1536}))" | FileCheck %s

// Entry-block allocs with a static shape and one dealloc in the same block
// become allocas at the start of the block (alignment kept); the deallocs
// go. 1x16x16xi8 = 256 B and 64xf32 = 256 B fit; 512xf32 = 2048 B is over
// max-buffer-bytes and stays on the heap.

// CHECK-LABEL: func.func @promoted
// CHECK-NEXT:    %[[A:.*]] = memref.alloca() {alignment = 64 : i64} : memref<1x16x16xi8>
// CHECK-NEXT:    %[[B:.*]] = memref.alloca() : memref<64xf32>
// CHECK-NEXT:    arith.constant 7
// CHECK-NEXT:    linalg.fill ins(%{{.*}} : i8) outs(%[[A]] : memref<1x16x16xi8>)
// CHECK-NEXT:    memref.copy %[[A]], %arg0
// CHECK-NEXT:    arith.constant 1.0
// CHECK-NEXT:    linalg.fill ins(%{{.*}} : f32) outs(%[[B]] : memref<64xf32>)
// CHECK-NEXT:    memref.copy %[[B]], %arg1
// CHECK-NEXT:    %[[BIG:.*]] = memref.alloc() : memref<512xf32>
// CHECK:         memref.dealloc %[[BIG]]
// CHECK-NOT:     memref.dealloc
// CHECK:         return
func.func @promoted(%out0: memref<1x16x16xi8>, %out1: memref<64xf32>, %out2: memref<512xf32>) {
  %a = memref.alloc() {alignment = 64 : i64} : memref<1x16x16xi8>
  %c = arith.constant 7 : i8
  linalg.fill ins(%c : i8) outs(%a : memref<1x16x16xi8>)
  memref.copy %a, %out0 : memref<1x16x16xi8> to memref<1x16x16xi8>
  memref.dealloc %a : memref<1x16x16xi8>
  %b = memref.alloc() : memref<64xf32>
  %f = arith.constant 1.0 : f32
  linalg.fill ins(%f : f32) outs(%b : memref<64xf32>)
  memref.copy %b, %out1 : memref<64xf32> to memref<64xf32>
  memref.dealloc %b : memref<64xf32>
  %big = memref.alloc() : memref<512xf32>
  linalg.fill ins(%f : f32) outs(%big : memref<512xf32>)
  memref.copy %big, %out2 : memref<512xf32> to memref<512xf32>
  memref.dealloc %big : memref<512xf32>
  return
}

// -----

// The total is bounded: with 1536 B allowed, the first two 768 B buffers are
// promoted in program order, the third stays on the heap.

// CHECK-LABEL: func.func @budget
// CHECK-COUNT-2: memref.alloca() : memref<192xf32>
// CHECK-NOT:     memref.alloca
// CHECK:         %[[H:.*]] = memref.alloc() : memref<192xf32>
// CHECK-COUNT-1: memref.dealloc
// CHECK-NOT:     memref.dealloc
func.func @budget(%out: memref<192xf32>) {
  %f = arith.constant 1.0 : f32
  %a = memref.alloc() : memref<192xf32>
  linalg.fill ins(%f : f32) outs(%a : memref<192xf32>)
  memref.dealloc %a : memref<192xf32>
  %b = memref.alloc() : memref<192xf32>
  linalg.fill ins(%f : f32) outs(%b : memref<192xf32>)
  memref.dealloc %b : memref<192xf32>
  %c = memref.alloc() : memref<192xf32>
  linalg.fill ins(%f : f32) outs(%c : memref<192xf32>)
  memref.copy %c, %out : memref<192xf32> to memref<192xf32>
  memref.dealloc %c : memref<192xf32>
  return
}

// -----

// Left alone: a buffer that escapes (returned, no dealloc), one with a
// dynamic size, one in another memory space, one freed in a nested region,
// and one allocated inside a loop body.

// CHECK-LABEL: func.func @kept
// CHECK-NOT:     memref.alloca
// CHECK:         memref.alloc() : memref<8xf32>
// CHECK:         memref.alloc(%{{.*}}) : memref<?xf32>
// CHECK:         memref.dealloc
// CHECK:         memref.alloc() : memref<8xf32, 1>
// CHECK-NEXT:    memref.dealloc
// CHECK:         memref.alloc() : memref<8xf32>
// CHECK:         scf.if
// CHECK-NEXT:      memref.dealloc
// CHECK:         scf.for
// CHECK-NEXT:      memref.alloc() : memref<8xf32>
// CHECK-NEXT:      linalg.fill
// CHECK-NEXT:      memref.dealloc
// CHECK-NOT:     memref.alloca
func.func @kept(%n: index, %cond: i1) -> memref<8xf32> {
  %f = arith.constant 1.0 : f32
  %ret = memref.alloc() : memref<8xf32>
  linalg.fill ins(%f : f32) outs(%ret : memref<8xf32>)
  %dyn = memref.alloc(%n) : memref<?xf32>
  linalg.fill ins(%f : f32) outs(%dyn : memref<?xf32>)
  memref.dealloc %dyn : memref<?xf32>
  %space = memref.alloc() : memref<8xf32, 1>
  memref.dealloc %space : memref<8xf32, 1>
  %nested = memref.alloc() : memref<8xf32>
  linalg.fill ins(%f : f32) outs(%nested : memref<8xf32>)
  scf.if %cond {
    memref.dealloc %nested : memref<8xf32>
  }
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %loop = memref.alloc() : memref<8xf32>
    linalg.fill ins(%f : f32) outs(%loop : memref<8xf32>)
    memref.dealloc %loop : memref<8xf32>
  }
  return %ret : memref<8xf32>
}
