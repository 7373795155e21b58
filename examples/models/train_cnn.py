#!/usr/bin/env python3
"""Train a small ResNet-style CNN on Fashion-MNIST and export it to ONNX.

Outputs (next to this script):
  fashion_cnn_opset13.onnx, fashion_cnn_opset17.onnx   input "input" [1,1,28,28] -> "logits" [1,10]
  fashion_cnn.json                                     accuracy / params / timing metadata

Deterministic: seeds 0, 2 CPU threads, torch.use_deterministic_algorithms(True).
Requires data/eval_2k_{x,y}.npy (run fashion_data.py first).
"""
import argparse
import os

# Must be set before torch (and its OpenMP runtime) is loaded: with the default active
# spin-waiting, 2 OpenMP threads on a machine where other jobs compete for the cores slow
# down ~10x. Passive waiting does not change any result, only the scheduling.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch
import torch.nn as nn

import common
import fashion_data


def conv_bn(cin, cout, k=3, stride=1):
    return nn.Sequential(
        nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, bias=False),
        nn.BatchNorm2d(cout))


class BasicBlock(nn.Module):
    """conv3x3-BN-ReLU-conv3x3-BN (+ shortcut) -ReLU; 1x1 conv projection when shape changes."""

    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = conv_bn(cin, cout, 3, stride)
        self.relu1 = nn.ReLU()
        self.conv2 = conv_bn(cout, cout, 3, 1)
        self.shortcut = (conv_bn(cin, cout, 1, stride)
                         if stride != 1 or cin != cout else nn.Identity())
        self.relu2 = nn.ReLU()

    def forward(self, x):
        out = self.conv2(self.relu1(self.conv1(x)))
        return self.relu2(out + self.shortcut(x))


class FashionCNN(nn.Module):
    def __init__(self, widths=(16, 32, 64), num_classes=10):
        super().__init__()
        w0, w1, w2 = widths
        self.stem = nn.Sequential(conv_bn(1, w0, 3), nn.ReLU())   # 28x28
        self.pool = nn.MaxPool2d(2)                                # -> 14x14
        self.block1 = BasicBlock(w0, w0, 1)                        # 14x14
        self.block2 = BasicBlock(w0, w1, 2)                        # -> 7x7
        self.block3 = BasicBlock(w1, w2, 2)                        # -> 4x4
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(w2, num_classes)

    def forward(self, x):
        x = self.pool(self.stem(x))
        x = self.block3(self.block2(self.block1(x)))
        return self.fc(self.flatten(self.gap(x)))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--lr", type=float, default=4e-3)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-onnx-check", action="store_true",
                    help="skip running the exported files with onnx_numpy_ref.py on eval_2k")
    ap.add_argument("--train-limit", type=int, default=None,
                    help="train on the first N images only (smoke test; results not committed)")
    args = ap.parse_args()

    common.set_determinism(0, args.threads)
    model = FashionCNN()
    params = common.count_params(model)
    print(f"FashionCNN: {params} parameters")
    secs, log = common.train(model, args.epochs, args.lr, args.batch_size,
                             weight_decay=5e-4, train_limit=args.train_limit)
    model.eval()
    xte, yte = fashion_data.load_split("test")
    acc = common.evaluate(model, xte, yte)
    x2k, y2k = fashion_data.load_eval_2k()
    logits_2k = common.predict(model, x2k)
    acc2k = float((logits_2k.argmax(1) == y2k).mean())
    print(f"test accuracy {acc:.4f}, eval_2k accuracy {acc2k:.4f}, "
          f"training {secs['wall_seconds']}s wall / {secs['cpu_seconds']}s CPU")

    exports = common.export_onnx(model, "fashion_cnn")
    onnx_check = None
    if not args.no_onnx_check:
        onnx_check = common.verify_onnx(exports, logits_2k, x2k, y2k)

    common.write_json("fashion_cnn", {
        "model": "FashionCNN (ResNet-style: stem + 3 basic blocks, widths 16/32/64)",
        "accuracy": acc,
        "accuracy_eval_set": "Fashion-MNIST test split, 10000 images",
        "eval_2k_accuracy": acc2k,
        "eval_2k_onnx_numpy_check": onnx_check,
        "params": params,
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "optimizer": f"AdamW lr={args.lr} wd=5e-4, OneCycleLR",
        "training_seconds": secs["wall_seconds"],
        "training_cpu_seconds": secs["cpu_seconds"],
        "threads": args.threads,
        "epoch_log": log,
        "onnx": {f"opset{k}": v for k, v in exports.items()},
    })


if __name__ == "__main__":
    main()
