// RUN: qopt-opt %s --qopt-approximate-math | FileCheck %s

// f32 exp, erf and tanh (scalars and vectors) become polynomial arith that
// the loop vectorizer handles; f64 and other functions stay math ops for
// convert-math-to-llvm / convert-math-to-libm.

// CHECK-LABEL: func.func @f32_scalars
// CHECK-NOT:     math.exp
// CHECK-NOT:     math.erf
// CHECK-NOT:     math.tanh
// CHECK:         math.fma
// CHECK:         return
func.func @f32_scalars(%x: f32) -> (f32, f32, f32) {
  %a = math.exp %x : f32
  %b = math.erf %x : f32
  %c = math.tanh %x : f32
  return %a, %b, %c : f32, f32, f32
}

// CHECK-LABEL: func.func @f32_vector
// CHECK-NOT:     math.exp
// CHECK:         math.fma {{.*}} : vector<8xf32>
// CHECK:         return
func.func @f32_vector(%x: vector<8xf32>) -> vector<8xf32> {
  %a = math.exp %x : vector<8xf32>
  return %a : vector<8xf32>
}

// CHECK-LABEL: func.func @left_alone
// CHECK:         math.exp %{{.*}} : f64
// CHECK:         math.log %{{.*}} : f32
// CHECK:         math.sin %{{.*}} : f32
func.func @left_alone(%x: f64, %y: f32) -> (f64, f32, f32) {
  %a = math.exp %x : f64
  %b = math.log %y : f32
  %c = math.sin %y : f32
  return %a, %b, %c : f64, f32, f32
}
