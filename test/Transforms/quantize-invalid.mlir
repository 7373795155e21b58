// RUN: not qopt-opt %s --pass-pipeline='builtin.module(func.func(qopt-quantize{weight-bits=3}))' 2>&1 | FileCheck %s
// CHECK: error: qopt-quantize: weight-bits must be 8 or 4, not 3
func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
