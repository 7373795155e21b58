// RUN: qopt-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(qopt-tabulate-int8))' | FileCheck %s
// RUN: qopt-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(qopt-tabulate-int8{min-elements=4096}))' | FileCheck %s --check-prefix=BIG

#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>

// GELU between dequantize and quantize, as qopt-fuse-elementwise leaves it
// (2048 elements): the payload is evaluated on the 256 bit patterns of the
// input (linalg.index cast to i8) into a table, and the loop reads the
// table at the input taken as unsigned (0 .. 255).

// CHECK-LABEL: func.func @gelu
// CHECK-SAME:    (%[[X:.*]]: tensor<16x128xi8>)
// CHECK:         %[[OUT:.*]] = tensor.empty() : tensor<16x128xi8>
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<256xi8>
// CHECK:         %[[T:.*]] = linalg.generic {indexing_maps = [#{{.*}}], iterator_types = ["parallel"]} outs(%[[E]] : tensor<256xi8>) {
// CHECK-NEXT:    ^bb0(%{{.*}}: i8):
// CHECK-NEXT:      %[[I:.*]] = linalg.index 0 : index
// CHECK-NEXT:      %[[B:.*]] = arith.index_cast %[[I]] : index to i8
// CHECK-NEXT:      %[[W:.*]] = arith.extsi %[[B]] : i8 to i32
// CHECK-NEXT:      %[[D:.*]] = arith.subi %[[W]], %{{.*}} : i32
// CHECK-NEXT:      %[[F:.*]] = arith.sitofp %[[D]] : i32 to f32
// CHECK:           math.erf
// CHECK:           %[[Q:.*]] = arith.fptosi %{{.*}} : f32 to i8
// CHECK-NEXT:      linalg.yield %[[Q]] : i8
// CHECK:         %[[R:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel"]} ins(%[[X]] : tensor<16x128xi8>) outs(%[[OUT]] : tensor<16x128xi8>) {
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: i8, %{{.*}}: i8):
// CHECK-NEXT:      %[[IX:.*]] = arith.index_castui %[[IN]] : i8 to index
// CHECK-NEXT:      %[[V:.*]] = tensor.extract %[[T]][%[[IX]]] : tensor<256xi8>
// CHECK-NEXT:      linalg.yield %[[V]] : i8
// CHECK:         return %[[R]]
// BIG-LABEL: func.func @gelu
// BIG-NOT:     tensor<256xi8>
// BIG:         math.erf
func.func @gelu(%x: tensor<16x128xi8>) -> tensor<16x128xi8> {
  %zp = arith.constant 12 : i32
  %s = arith.constant 0.0267409105 : f32
  %r2 = arith.constant 0.707106769 : f32
  %half = arith.constant 0.5 : f32
  %one = arith.constant 1.0 : f32
  %so = arith.constant 0.0126792546 : f32
  %zo = arith.constant -115.0 : f32
  %lo = arith.constant -128.0 : f32
  %hi = arith.constant 127.0 : f32
  %out = tensor.empty() : tensor<16x128xi8>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<16x128xi8>) outs(%out : tensor<16x128xi8>) {
  ^bb0(%in: i8, %o: i8):
    %0 = arith.extsi %in : i8 to i32
    %1 = arith.subi %0, %zp : i32
    %2 = arith.sitofp %1 : i32 to f32
    %3 = arith.mulf %2, %s : f32
    %4 = arith.mulf %3, %r2 : f32
    %5 = math.erf %4 : f32
    %6 = arith.mulf %3, %half : f32
    %7 = arith.addf %5, %one : f32
    %8 = arith.mulf %6, %7 : f32
    %9 = arith.divf %8, %so : f32
    %10 = math.roundeven %9 : f32
    %11 = arith.addf %10, %zo : f32
    %12 = arith.maxnumf %11, %lo : f32
    %13 = arith.minnumf %12, %hi : f32
    %14 = arith.fptosi %13 : f32 to i8
    linalg.yield %14 : i8
  } -> tensor<16x128xi8>
  return %r : tensor<16x128xi8>
}

// -----

// A transposing loop with a float result: the lookup keeps the loop's
// indexing maps; the table has the result's element type.

#tr2 = affine_map<(d0, d1) -> (d1, d0)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @exp_transposed
// CHECK:         linalg.generic {{.*}} outs(%{{.*}} : tensor<256xf32>)
// CHECK:           math.exp
// CHECK:         linalg.generic {indexing_maps = [#[[TR:.*]], #{{.*}}], {{.*}} ins(%{{.*}} : tensor<32x64xi8>) outs(%{{.*}} : tensor<64x32xf32>)
// CHECK:           tensor.extract %{{.*}} : tensor<256xf32>
// CHECK-NOT:       math.exp
// CHECK:         return
func.func @exp_transposed(%x: tensor<32x64xi8>) -> tensor<64x32xf32> {
  %s = arith.constant 0.05 : f32
  %out = tensor.empty() : tensor<64x32xf32>
  %r = linalg.generic {indexing_maps = [#tr2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<32x64xi8>) outs(%out : tensor<64x32xf32>) {
  ^bb0(%in: i8, %o: f32):
    %0 = arith.uitofp %in : i8 to f32
    %1 = arith.mulf %0, %s : f32
    %2 = math.exp %1 : f32
    linalg.yield %2 : f32
  } -> tensor<64x32xf32>
  return %r : tensor<64x32xf32>
}

// -----

// Left alone: fewer elements than min-elements (16x16); no math op (a
// requantization is cheaper than a lookup); the payload reads the output;
// two inputs; linalg.index in the payload; a 32-bit input.

#id3 = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT:     tensor<256x
// CHECK-NOT:     tensor.extract
// CHECK:         return
func.func @left_alone(%x: tensor<16x16xi8>, %y: tensor<32x64xi8>, %z: tensor<32x64xi8>,
                      %w: tensor<32x64xi32>) -> (tensor<16x16xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>) {
  %s = arith.constant 0.05 : f32
  %small = tensor.empty() : tensor<16x16xf32>
  %out = tensor.empty() : tensor<32x64xf32>
  %0 = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<16x16xi8>) outs(%small : tensor<16x16xf32>) {
  ^bb0(%in: i8, %o: f32):
    %a = arith.sitofp %in : i8 to f32
    %b = math.exp %a : f32
    linalg.yield %b : f32
  } -> tensor<16x16xf32>
  %1 = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<32x64xi8>) outs(%out : tensor<32x64xf32>) {
  ^bb0(%in: i8, %o: f32):
    %a = arith.sitofp %in : i8 to f32
    %b = arith.mulf %a, %s : f32
    linalg.yield %b : f32
  } -> tensor<32x64xf32>
  %2 = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<32x64xi8>) outs(%1 : tensor<32x64xf32>) {
  ^bb0(%in: i8, %o: f32):
    %a = arith.sitofp %in : i8 to f32
    %b = math.exp %a : f32
    %c = arith.addf %b, %o : f32
    linalg.yield %c : f32
  } -> tensor<32x64xf32>
  %3 = linalg.generic {indexing_maps = [#id3, #id3, #id3], iterator_types = ["parallel", "parallel"]}
      ins(%y, %z : tensor<32x64xi8>, tensor<32x64xi8>) outs(%out : tensor<32x64xf32>) {
  ^bb0(%in: i8, %in2: i8, %o: f32):
    %a = arith.sitofp %in : i8 to f32
    %a2 = arith.sitofp %in2 : i8 to f32
    %b = math.exp %a : f32
    %c = arith.addf %b, %a2 : f32
    linalg.yield %c : f32
  } -> tensor<32x64xf32>
  %4 = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<32x64xi8>) outs(%out : tensor<32x64xf32>) {
  ^bb0(%in: i8, %o: f32):
    %i = linalg.index 1 : index
    %ii = arith.index_cast %i : index to i32
    %fi = arith.sitofp %ii : i32 to f32
    %a = arith.sitofp %in : i8 to f32
    %b = math.exp %a : f32
    %c = arith.addf %b, %fi : f32
    linalg.yield %c : f32
  } -> tensor<32x64xf32>
  %5 = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel"]}
      ins(%w : tensor<32x64xi32>) outs(%out : tensor<32x64xf32>) {
  ^bb0(%in: i32, %o: f32):
    %a = arith.sitofp %in : i32 to f32
    %b = math.exp %a : f32
    linalg.yield %b : f32
  } -> tensor<32x64xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<16x16xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>
}
