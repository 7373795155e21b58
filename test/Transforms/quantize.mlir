// qopt-quantize: float graph with qopt.calib ranges -> quant-typed graph.
// Scales and zero points below are computed by hand from the formulas in
// include/qopt/Quantization/QuantParams.h:
//   asymmetric: s = (hi - lo)/255, zp = -128 - rne(lo/s)
//   symmetric:  s = max(|lo|, |hi|)/127, zp = 0
//   weights:    s[c] = max|W[c]|/(2^(b-1)-1), q = clamp(rne(W/s[c]), ±(2^(b-1)-1))
//   bias:       rne(b[c]/(s_in·s_w[c])) in i32
// A blob is a 4-byte alignment header (0x08000000) and little-endian values.
// RUN: qopt-opt %s --pass-pipeline='builtin.module(func.func(qopt-quantize))' -split-input-file | FileCheck %s
// RUN: qopt-opt %s --pass-pipeline='builtin.module(func.func(qopt-quantize{weight-bits=4 per-channel=0}))' -split-input-file | FileCheck %s --check-prefix=W4
// RUN: qopt-opt %s --pass-pipeline='builtin.module(func.func(qopt-quantize{act-symmetric=1}))' -split-input-file | FileCheck %s --check-prefix=SYM
// RUN: qopt-opt %s --pass-pipeline='builtin.module(func.func(qopt-quantize{fake-quant=1}))' -split-input-file | FileCheck %s --check-prefix=FAKE

// Input [-1, 3]: s = 4/255 = 0.01568627..., zp = -128 - rne(-63.75) = -64.
// Output [-2, 6]: s = 8/255 = 0.03137254..., zp = -128 - rne(-63.75) = -64.
// Weights per output channel (axis 0), max|W| = 1, 0.25, 2:
//   s = 1/127, 0.25/127, 2/127; q = [127, rne(-63.5) = -64], [127, rne(63.5) = 64],
//   [-127, rne(63.5) = 64] -> bytes 7F C0 7F 40 81 40 (ties to even).
// Bias: 0.5·255·127/4 = 4048.125 -> 4048 (0x00000FD0),
//       -0.25·255·127/(4·0.25) = -8096.25 -> -8096 (0xFFFFE060),
//       1.0·255·127/(4·2) = 4048.125 -> 4048.
// CHECK-LABEL: func.func @conv(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x2x4x4xf32>
// CHECK-DAG:     %[[W:.+]] = qopt.constant dense_resource<[[WB:qweight[_0-9]*]]> : tensor<3x2x1x1xi8> -> tensor<3x2x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.0078740157480314{{[0-9]*}},0.0019685039370078{{[0-9]*}},0.015748031496062{{[0-9]*}}}>>
// CHECK-DAG:     %[[B:.+]] = qopt.constant dense_resource<[[BB:qbias[_0-9]*]]> : tensor<3xi32> -> tensor<3x!quant.uniform<i32:f32:0, {1.2351397251814{{[0-9]*}}E-4,3.0878493129535{{[0-9]*}}E-5,2.4702794503628{{[0-9]*}}E-4}>>
// CHECK-DAG:     %[[Q:.+]] = qopt.quantize %[[X]] : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.015686274509803{{[0-9]*}}:-64>>
// CHECK:         %[[C:.+]] = qopt.conv2d %[[Q]], %[[W]], %[[B]] {{.*}} -> tensor<1x3x4x4x!quant.uniform<i8:f32, 0.031372549019607{{[0-9]*}}:-64>>
// CHECK:         %[[D:.+]] = qopt.dequantize %[[C]] : {{.*}} -> tensor<1x3x4x4xf32>
// CHECK:         return %[[D]]
// CHECK:       dialect_resources: {
// CHECK-DAG:     [[WB]]: "0x080000007FC07F408140"
// CHECK-DAG:     [[BB]]: "0x08000000D00F000060E0FFFFD00F0000"

// Per-tensor int4 weights: max|W| = 2, s = 2/7 = 0.2857...;
//   q = rne([3.5, -1.75, 0.875, 0.4375, -7, 3.5]) = [4, -2, 1, 0, -7, 4].
// W4-LABEL: func.func @conv(
// W4:         qopt.constant dense_resource<[[WB:qweight[_0-9]*]]> : tensor<3x2x1x1xi8> -> tensor<3x2x1x1x!quant.uniform<i8<-7:7>:f32, 0.2857142857142{{[0-9]*}}>>
// W4:         qopt.constant dense_resource<{{qbias[_0-9]*}}> : tensor<3xi32> -> tensor<3x!quant.uniform<i32:f32, 0.00448179271708{{[0-9]*}}>>
// W4:       dialect_resources: {
// W4:         [[WB]]: "0x0800000004FE0100F904"

// Symmetric activations: input s = 3/127, output s = 6/127, zp 0.
// SYM-LABEL: func.func @conv(
// SYM:         qopt.quantize {{.*}} -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.023622047244094{{[0-9]*}}>>
// SYM:         qopt.conv2d {{.*}} -> tensor<1x3x4x4x!quant.uniform<i8:f32, 0.047244094488188{{[0-9]*}}>>

// Fake quant: float conv between quantize/dequantize pairs, dequantized
// quantized weights and bias.
// FAKE-LABEL: func.func @conv(
// FAKE-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x2x4x4xf32>
// FAKE-DAG:     %[[WQ:.+]] = qopt.constant dense_resource<{{qweight[_0-9]*}}> : tensor<3x2x1x1xi8> -> tensor<3x2x1x1x!quant.uniform<i8<-127:127>:f32:0
// FAKE-DAG:     %[[W:.+]] = qopt.dequantize %[[WQ]] : {{.*}} -> tensor<3x2x1x1xf32>
// FAKE-DAG:     %[[BQ:.+]] = qopt.constant dense_resource<{{qbias[_0-9]*}}> : tensor<3xi32>
// FAKE-DAG:     %[[B:.+]] = qopt.dequantize %[[BQ]] : {{.*}} -> tensor<3xf32>
// FAKE-DAG:     %[[Q:.+]] = qopt.quantize %[[X]] : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.015686274509803{{[0-9]*}}:-64>>
// FAKE-DAG:     %[[XD:.+]] = qopt.dequantize %[[Q]] : {{.*}} -> tensor<1x2x4x4xf32>
// FAKE:         %[[C:.+]] = qopt.conv2d %[[XD]], %[[W]], %[[B]] {{.*}} : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
// FAKE:         %[[CQ:.+]] = qopt.quantize %[[C]] : {{.*}} -> tensor<1x3x4x4x!quant.uniform<i8:f32, 0.031372549019607{{[0-9]*}}:-64>>
// FAKE:         %[[CD:.+]] = qopt.dequantize %[[CQ]]
// FAKE:         return %[[CD]]
func.func @conv(%x: tensor<1x2x4x4xf32> {qopt.calib = {lo = -1.0 : f64, hi = 3.0 : f64}}) -> tensor<1x3x4x4xf32> {
  %w = qopt.constant dense<[[[[1.0]], [[-0.5]]], [[[0.25]], [[0.125]]], [[[-2.0]], [[1.0]]]]> : tensor<3x2x1x1xf32>
  %b = qopt.constant dense<[0.5, -0.25, 1.0]> : tensor<3xf32>
  %y = qopt.conv2d %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, qopt.calib = [{lo = -2.0 : f64, hi = 6.0 : f64}]} : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  return %y : tensor<1x3x4x4xf32>
}

// -----

// add -> relu -> softmax (float) -> matmul. [-1, 1]: s = 2/255,
// zp = -128 - rne(-127.5) = 0 (tie to even); [-2, 2]: s = 4/255, zp = 0;
// softmax output [0, 1]: s = 1/255, zp = -128; matmul output [0, 4]:
// s = 4/255, zp = -128. relu keeps the add's type; the quantized add feeds
// relu directly, and softmax sits between dequantize and quantize.
// CHECK-LABEL: func.func @chain(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x4xf32> {{.*}}, %[[Y:[a-zA-Z0-9_]+]]: tensor<2x4xf32>
// CHECK-DAG:     %[[QX:.+]] = qopt.quantize %[[X]] : (tensor<2x4xf32>) -> tensor<2x4x!quant.uniform<i8:f32, 0.0078431372549019{{[0-9]*}}>>
// CHECK-DAG:     %[[QY:.+]] = qopt.quantize %[[Y]] : (tensor<2x4xf32>) -> tensor<2x4x!quant.uniform<i8:f32, 0.0078431372549019{{[0-9]*}}>>
// CHECK:         %[[A:.+]] = qopt.add %[[QX]], %[[QY]] {{.*}} -> tensor<2x4x!quant.uniform<i8:f32, 0.015686274509803{{[0-9]*}}>>
// CHECK-NOT:     qopt.dequantize %[[A]]
// CHECK:         %[[R:.+]] = qopt.relu %[[A]] : (tensor<2x4x!quant.uniform<i8:f32, 0.015686274509803{{[0-9]*}}>>) -> tensor<2x4x!quant.uniform<i8:f32, 0.015686274509803{{[0-9]*}}>>
// CHECK:         %[[RD:.+]] = qopt.dequantize %[[R]]
// CHECK:         %[[S:.+]] = qopt.softmax %[[RD]] {{.*}} : (tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK:         %[[SQ:.+]] = qopt.quantize %[[S]] : {{.*}} -> tensor<2x4x!quant.uniform<i8:f32, 0.0039215686274509{{[0-9]*}}:-128>>
// CHECK:         %[[M:.+]] = qopt.matmul %[[SQ]], %{{[0-9]+}} {{.*}}: (tensor<2x4x!quant.uniform<i8:f32, 0.0039215686274509{{[0-9]*}}:-128>>, tensor<4x3x!quant.uniform<i8<-127:127>:f32:1, {{.*}}>>) -> tensor<2x3x!quant.uniform<i8:f32, 0.015686274509803{{[0-9]*}}:-128>>
// CHECK:         %[[MD:.+]] = qopt.dequantize %[[M]]
// CHECK:         return %[[MD]]
// Weights per column (axis 1), max|W| = 1, 2, 3: rows
//   [127, 127, 127], [rne(63.5) = 64, rne(-63.5) = -64, 0], [0, rne(31.75) = 32, rne(63.5) = 64],
//   [-127, rne(15.875) = 16, -127].
// CHECK:       dialect_resources: {
// CHECK:         qweight{{[_0-9]*}}: "0x080000007F7F7F40C000002040811081"
func.func @chain(%x: tensor<2x4xf32> {qopt.calib = {lo = -1.0 : f64, hi = 1.0 : f64}},
                 %y: tensor<2x4xf32> {qopt.calib = {lo = -1.0 : f64, hi = 1.0 : f64}}) -> tensor<2x3xf32> {
  %a = qopt.add %x, %y {qopt.calib = [{lo = -2.0 : f64, hi = 2.0 : f64}]} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %r = qopt.relu %a : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %s = qopt.softmax %r {axis = 1 : i64, qopt.calib = [{lo = 0.0 : f64, hi = 1.0 : f64}]} : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %w = qopt.constant dense<[[1.0, 2.0, 3.0], [0.5, -1.0, 0.0], [0.0, 0.5, 1.5], [-1.0, 0.25, -3.0]]> : tensor<4x3xf32>
  %m = qopt.matmul %s, %w {qopt.calib = [{lo = 0.0 : f64, hi = 4.0 : f64}]} : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  return %m : tensor<2x3xf32>
}

// -----

// A gemm with trans_b: per-channel weights along axis 0 (N). Without a
// range for its result the op stays float, and so does the matmul of two
// activations lacking one.
// CHECK-LABEL: func.func @gemm(
// CHECK:         qopt.gemm {{.*}} : (tensor<1x3x!quant.uniform<i8:f32, {{.*}}>>, tensor<2x3x!quant.uniform<i8<-127:127>:f32:0, {{.*}}>>, tensor<2x!quant.uniform<i32:f32:0, {{.*}}>>) -> tensor<1x2x!quant.uniform<i8:f32, {{.*}}>>
// CHECK:         qopt.gemm {{.*}} : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32>
// CHECK-NOT:     qopt.quantize
// CHECK:         return
func.func @gemm(%x: tensor<1x3xf32> {qopt.calib = {lo = -1.0 : f64, hi = 1.0 : f64}}) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %w = qopt.constant dense<[[0.7, -0.35, 0.1], [0.2, 0.05, -0.1]]> : tensor<2x3xf32>
  %c = qopt.constant dense<[0.3, -0.3]> : tensor<2xf32>
  %y = qopt.gemm %x, %w, %c {trans_b = true, qopt.calib = [{lo = -1.0 : f64, hi = 1.0 : f64}]} : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %z = qopt.gemm %x, %w, %c {trans_b = true} : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y, %z : tensor<1x2xf32>, tensor<1x2xf32>
}
