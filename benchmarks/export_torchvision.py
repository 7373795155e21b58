#!/usr/bin/env python3
"""Exports random-init torchvision models (torch.manual_seed(0), eval mode)
to ONNX opset 17 with a static 1x3x224x224 input named "input" and output
"logits", for qopt's CPU benchmarks.

usage: export_torchvision.py OUT_DIR [MODEL ...]   (default: all of MODELS)"""
import inspect
import os
import sys

import torch
import torchvision

MODELS = ["resnet18", "mobilenet_v2", "vit_b_16", "resnet50"]


def export(name, out_dir):
    path = os.path.join(out_dir, name + ".onnx")
    if os.path.exists(path):
        return path
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(weights=None).eval()
    if name.startswith("vit_"):
        # torchvision initializes the ViT head to zeros: every logit would be
        # 0 and output comparisons meaningless. A seeded random head instead.
        torch.nn.init.normal_(model.heads.head.weight, std=0.02)
        torch.nn.init.normal_(model.heads.head.bias, std=0.02)
    x = torch.randn(1, 3, 224, 224)
    # Not under torch.no_grad(): there nn.MultiheadAttention takes its fused
    # fast path (aten::_native_multi_head_attention), which has no ONNX
    # export; with gradients enabled it traces to plain MatMul/Softmax.
    # Newer torch (2.9+) exports through torch.export by default; the
    # TorchScript exporter (dynamo=False) writes the graphs qopt's benchmarks
    # were measured on, also on the AVX-512 machine's torch 2.11.
    legacy = ({"dynamo": False}
              if "dynamo" in inspect.signature(torch.onnx.export).parameters else {})
    torch.onnx.export(model, x, path + ".tmp", opset_version=17,
                      input_names=["input"], output_names=["logits"],
                      do_constant_folding=True, **legacy)
    os.replace(path + ".tmp", path)
    return path


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    for name in sys.argv[2:] or MODELS:
        print(export(name, out_dir), flush=True)


if __name__ == "__main__":
    main()
