// convert-qopt-to-linalg: dynamic_quantize (ONNX DynamicQuantizeLinear)
// becomes a min and a max reduction over all elements, the scale and zero
// point computed on scalars (range widened to hold 0), and one elementwise
// quantize to uint8 bits (docs/Numerics.md). Values are checked against
// numpy in python/tests/test_numerics_dynamic_quantize.py.
// RUN: qopt-opt %s --convert-qopt-to-linalg | FileCheck %s

// CHECK-LABEL: func.func @dq(
// CHECK-SAME:    %[[X:.*]]: tensor<2x3xf32>
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[MIN:.*]] = linalg.reduce ins(%[[X]] : tensor<2x3xf32>) {{.*}} dimensions = [0, 1]
// CHECK:           arith.minimumf
// CHECK:         %[[MINS:.*]] = tensor.extract %[[MIN]][] : tensor<f32>
// CHECK:         %[[LO:.*]] = arith.minimumf %[[MINS]], %[[ZERO]] : f32
// CHECK:         %[[MAX:.*]] = linalg.reduce ins(%[[X]] : tensor<2x3xf32>) {{.*}} dimensions = [0, 1]
// CHECK:           arith.maximumf
// CHECK:         %[[MAXS:.*]] = tensor.extract %[[MAX]][] : tensor<f32>
// CHECK:         %[[HI:.*]] = arith.maximumf %[[MAXS]], %[[ZERO]] : f32
// CHECK:         %[[RANGE:.*]] = arith.subf %[[HI]], %[[LO]] : f32
// CHECK:         %[[SCALE:.*]] = arith.divf %[[RANGE]], %{{.*}} : f32
// CHECK:         %[[Q:.*]] = arith.divf %[[LO]], %[[SCALE]] : f32
// CHECK:         %[[NEG:.*]] = arith.subf %[[ZERO]], %[[Q]] : f32
// CHECK:         %[[R:.*]] = math.roundeven %[[NEG]] : f32
// CHECK:         arith.maxnumf %[[R]]
// CHECK:         arith.minnumf
// CHECK:         %[[ZP:.*]] = arith.fptoui %{{.*}} : f32 to i8
// CHECK:         %[[ZPF:.*]] = arith.uitofp %[[ZP]] : i8 to f32
// CHECK:         %[[Y:.*]] = linalg.generic {{.*}} ins(%[[X]] : tensor<2x3xf32>) outs(%{{.*}} : tensor<2x3xi8>)
// CHECK:           %[[D:.*]] = arith.divf %{{.*}}, %[[SCALE]] : f32
// CHECK:           %[[RE:.*]] = math.roundeven %[[D]] : f32
// CHECK:           %[[A:.*]] = arith.addf %[[RE]], %[[ZPF]] : f32
// CHECK:           arith.maxnumf %[[A]]
// CHECK:           arith.minnumf
// CHECK:           arith.fptoui %{{.*}} : f32 to i8
// CHECK:         %[[S:.*]] = tensor.from_elements %[[SCALE]] : tensor<f32>
// CHECK:         %[[Z:.*]] = tensor.from_elements %[[ZP]] : tensor<i8>
// CHECK:         return %[[Y]], %[[S]], %[[Z]]
func.func @dq(%x: tensor<2x3xf32>) -> (tensor<2x3xi8>, tensor<f32>, tensor<i8>) {
  %y, %s, %z = qopt.dynamic_quantize %x : (tensor<2x3xf32>) -> (tensor<2x3xi8>, tensor<f32>, tensor<i8>)
  return %y, %s, %z : tensor<2x3xi8>, tensor<f32>, tensor<i8>
}
