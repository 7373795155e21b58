# Real exporter output: torchvision's resnet18, mobilenet_v2 and a small
# VisionTransformer, randomly initialised, exported by torch.onnx.export at
# opset 13 with batch 1, then imported (converted to opset 17 on the way).
#
# RUN: %python %s %t
# RUN: qopt-compile %t/resnet18.onnx --stage=import --elide-weights | FileCheck %s --check-prefix=RESNET
# RUN: qopt-compile %t/mobilenet_v2.onnx --stage=import --elide-weights | FileCheck %s --check-prefix=MOBILENET
# RUN: qopt-compile %t/vit.onnx --stage=import -o %t/vit.mlir
# RUN: qopt-opt %t/vit.mlir | FileCheck %s --check-prefix=VIT

import os
import sys

# This file is named torchvision.py: keep `import torchvision` from finding it.
_here = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or os.curdir) != _here]

# Passive OpenMP waiting: spinning threads slow everything down when lit runs
# tests in parallel. Must be set before torch loads its OpenMP runtime.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402
import torchvision  # noqa: E402
from torchvision.models.vision_transformer import VisionTransformer  # noqa: E402

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.set_num_threads(2)
torch.manual_seed(0)


def export(model, name, shape):
    # Eval mode, but with autograd on: in torch 1.13 nn.MultiheadAttention
    # takes a fused fast path (aten::_native_multi_head_attention, which has
    # no ONNX export) whenever grad is off.
    model.eval()
    torch.onnx.export(model, torch.randn(*shape), os.path.join(out, name + ".onnx"),
                      opset_version=13, input_names=["input"],
                      output_names=["logits"])


# Conv with batch norm folded in, residual adds, max pool, global average pool,
# flatten and a Gemm head.
export(torchvision.models.resnet18(weights=None), "resnet18", (1, 3, 224, 224))
# RESNET: func.func @main(%arg0: tensor<1x3x224x224xf32> {qopt.name = "input"}) -> (tensor<1x1000xf32> {qopt.name = "logits"})
# RESNET: qopt.conv2d %arg0, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, pads = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>} : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x112x112xf32>
# RESNET: qopt.relu
# RESNET: qopt.max_pool2d %{{.*}} {dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
# RESNET: qopt.add
# RESNET: qopt.global_avg_pool2d %{{.*}} : (tensor<1x512x7x7xf32>) -> tensor<1x512x1x1xf32>
# RESNET: qopt.flatten %{{.*}} {axis = 1 : i64} : (tensor<1x512x1x1xf32>) -> tensor<1x512xf32>
# RESNET: qopt.gemm %{{.*}}, %{{.*}}, %{{.*}} {trans_b = true} : (tensor<1x512xf32>, tensor<1000x512xf32>, tensor<1000xf32>) -> tensor<1x1000xf32>
# RESNET-NOT: qopt.batch_norm

# Depthwise convolutions (group = channels), ReLU6 as Clip(0, 6).
export(torchvision.models.mobilenet_v2(weights=None), "mobilenet_v2", (1, 3, 224, 224))
# MOBILENET: func.func @main(%arg0: tensor<1x3x224x224xf32> {qopt.name = "input"}) -> (tensor<1x1000xf32> {qopt.name = "logits"})
# MOBILENET: qopt.clamp %{{.*}} {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32}
# MOBILENET: qopt.conv2d %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, group = 32 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x32x112x112xf32>, tensor<32x1x3x3xf32>, tensor<32xf32>) -> tensor<1x32x112x112xf32>
# MOBILENET: qopt.add
# MOBILENET: qopt.global_avg_pool2d
# MOBILENET: qopt.gemm

# A small ViT: patch-embedding conv, class token concat, multi-head
# attention, layer norm (a ReduceMean decomposition at opset 13), GELU (Erf).
export(VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=2,
                         hidden_dim=64, mlp_dim=128, num_classes=10),
       "vit", (1, 3, 32, 32))
# VIT: func.func @main(%arg0: tensor<1x3x32x32xf32> {qopt.name = "input"}) -> (tensor<1x10xf32> {qopt.name = "logits"})
# VIT: qopt.conv2d %arg0, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 8, 8>} : (tensor<1x3x32x32xf32>, tensor<64x3x8x8xf32>, tensor<64xf32>) -> tensor<1x64x4x4xf32>
# VIT: qopt.concat %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<1x1x64xf32>, tensor<1x16x64xf32>) -> tensor<1x17x64xf32>
# VIT: qopt.reduce mean
# VIT: qopt.matmul
# VIT: qopt.softmax %{{.*}} {axis = 2 : i64} : (tensor<2x17x17xf32>) -> tensor<2x17x17xf32>
# VIT: qopt.erf
# VIT: qopt.gemm %{{.*}}, %{{.*}}, %{{.*}} {trans_b = true} : (tensor<1x64xf32>, tensor<10x64xf32>, tensor<10xf32>) -> tensor<1x10xf32>
