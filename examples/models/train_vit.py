#!/usr/bin/env python3
"""Train a small Vision Transformer on Fashion-MNIST and export it to ONNX.

Architecture: Conv2d patch embedding (kernel = stride = PATCH), learnable position
embedding, DEPTH pre-LayerNorm transformer blocks with explicit
multi-head self-attention (MatMul + Softmax, no fused attention op) and an exact-GELU MLP
(exported as the Erf decomposition), final LayerNorm, mean pooling over the tokens, Linear head.
(Mean pooling instead of a class token keeps the exported graph fully static: a class
token needs expand(batch) which exports as a Shape/ConstantOfShape/Where/Expand chain.)

Outputs (next to this script):
  fashion_vit_opset13.onnx, fashion_vit_opset17.onnx   input "input" [1,1,28,28] -> "logits" [1,10]
  fashion_vit.json                                     accuracy / params / timing metadata

Deterministic: seeds 0, 2 CPU threads, torch.use_deterministic_algorithms(True).
Requires data/eval_2k_{x,y}.npy (run fashion_data.py first).
"""
import argparse
import os

# Must be set before torch (and its OpenMP runtime) is loaded: with the default active
# spin-waiting, 2 OpenMP threads on a machine where other jobs compete for the cores slow
# down ~10x. Passive waiting does not change any result, only the scheduling.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import contextlib

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import common
import fashion_data


# ---------------------------------------------------------------------------------------
# Training-speed workaround.  Debian's python3-torch is linked against the reference
# (netlib) BLAS (torch.__config__.show() says BLAS_INFO=generic), so every nn.Linear /
# torch.matmul runs a single-threaded textbook GEMM; training this ViT that way takes
# ~7 minutes per epoch on 2 cores.  Convolutions go through oneDNN instead, so while
# training / evaluating in PyTorch we compute the *same* products as oneDNN convolutions:
#   Linear:  y = x W^T + b        == 1x1 Conv2d over [M, C_in, 1, 1]
#   matmul:  C[g] = A[g] @ B[g]   == grouped Conv1d (one group per batch*head matrix)
# Under torch.onnx.export (or inside `reference_kernels()`) the plain nn.Linear /
# torch.matmul code path is used, so the exported graph contains ordinary MatMul / Gemm
# nodes.  Both paths agree to float32 rounding; main() checks this on eval_2k.
# ---------------------------------------------------------------------------------------
_FAST_KERNELS = True


@contextlib.contextmanager
def reference_kernels():
    """Use the plain torch.matmul / F.linear path (the one that gets exported)."""
    global _FAST_KERNELS
    old, _FAST_KERNELS = _FAST_KERNELS, False
    try:
        yield
    finally:
        _FAST_KERNELS = old


def _use_fast_kernels():
    return _FAST_KERNELS and not torch.onnx.is_in_onnx_export()


def matmul(a, b):
    """torch.matmul(a, b) for a [..., N, K] and b [..., K, M] with equal batch dims."""
    if not _use_fast_kernels():
        return torch.matmul(a, b)
    *lead, n, k = a.shape
    m = b.shape[-1]
    a3, b3 = a.reshape(-1, n, k), b.reshape(-1, k, m)
    g = a3.shape[0]
    inp = a3.transpose(1, 2).reshape(1, g * k, n)          # [1, G*K, N]
    weight = b3.transpose(1, 2).reshape(g * m, k, 1)       # [G*M, K, 1]
    out = F.conv1d(inp, weight, groups=g)                  # [1, G*M, N]
    return out.reshape(g, m, n).transpose(1, 2).reshape(*lead, n, m)


class Linear(nn.Linear):
    """nn.Linear (same parameters / state_dict) with the oneDNN training path above."""

    def forward(self, x):
        if not _use_fast_kernels():
            return super().forward(x)
        shape = x.shape
        y = F.conv2d(x.reshape(-1, shape[-1], 1, 1), self.weight[:, :, None, None], self.bias)
        return y.reshape(*shape[:-1], self.out_features)


class Attention(nn.Module):
    def __init__(self, dim, heads, tokens):
        super().__init__()
        self.heads, self.head_dim, self.tokens = heads, dim // heads, tokens
        self.scale = self.head_dim ** -0.5
        self.qkv = Linear(dim, 3 * dim)
        self.proj = Linear(dim, dim)

    def forward(self, x):                      # x: [B, N, C]
        n, h, d = self.tokens, self.heads, self.head_dim
        qkv = self.qkv(x).reshape(-1, n, 3, h, d).permute(2, 0, 3, 1, 4)  # [3, B, H, N, D]
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = matmul(q, k.transpose(-2, -1)) * self.scale          # [B, H, N, N]
        attn = torch.softmax(attn, dim=-1)
        out = matmul(attn, v)                                         # [B, H, N, D]
        out = out.transpose(1, 2).reshape(-1, n, h * d)                     # [B, N, C]
        return self.proj(out)


class Block(nn.Module):
    def __init__(self, dim, heads, tokens, mlp_ratio):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads, tokens)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(Linear(dim, mlp_ratio * dim), nn.GELU(),
                                 Linear(mlp_ratio * dim, dim))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class FashionViT(nn.Module):
    def __init__(self, patch=7, dim=64, depth=4, heads=4, mlp_ratio=2, num_classes=10):
        super().__init__()
        self.dim = dim
        self.num_patches = (28 // patch) ** 2
        tokens = self.num_patches
        self.patch_embed = nn.Conv2d(1, dim, kernel_size=patch, stride=patch)
        self.pos_embed = nn.Parameter(torch.zeros(1, tokens, dim))
        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        self.blocks = nn.Sequential(*[Block(dim, heads, tokens, mlp_ratio) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = Linear(dim, num_classes)
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, nn.Linear):
            nn.init.trunc_normal_(m.weight, std=0.02)
            nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.patch_embed(x)                              # [B, C, H/p, W/p]
        # reshape with constant sizes (not flatten(2)) so the export has no Shape op
        x = x.reshape(-1, self.dim, self.num_patches).transpose(1, 2) + self.pos_embed  # [B, P, C]
        x = self.norm(self.blocks(x))
        return self.head(x.mean(dim=1))                      # mean pooling over tokens


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--patch", type=int, default=7)
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--depth", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--mlp-ratio", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-onnx-check", action="store_true",
                    help="skip running the exported files with onnx_numpy_ref.py on eval_2k")
    ap.add_argument("--train-limit", type=int, default=None,
                    help="train on the first N images only (smoke test; results not committed)")
    args = ap.parse_args()

    common.set_determinism(0, args.threads)
    model = FashionViT(args.patch, args.dim, args.depth, args.heads, args.mlp_ratio)
    params = common.count_params(model)
    print(f"FashionViT: {params} parameters")
    secs, log = common.train(model, args.epochs, args.lr, args.batch_size,
                             weight_decay=0.05, train_limit=args.train_limit)
    model.eval()
    xte, yte = fashion_data.load_split("test")
    acc = common.evaluate(model, xte, yte)
    x2k, y2k = fashion_data.load_eval_2k()
    # eval_2k is measured with the plain torch.matmul / nn.Linear path, i.e. exactly the
    # computation that torch.onnx.export traces.
    with reference_kernels():
        logits_2k = common.predict(model, x2k)
    acc2k = float((logits_2k.argmax(1) == y2k).mean())
    fast_2k = common.predict(model, x2k)
    max_diff = float(np.abs(logits_2k - fast_2k).max())
    print(f"test accuracy {acc:.4f}, eval_2k accuracy {acc2k:.4f}, "
          f"training {secs['wall_seconds']}s wall / {secs['cpu_seconds']}s CPU; "
          f"max |logit diff| oneDNN vs reference path: {max_diff:.2e}")
    assert max_diff < 1e-3, max_diff

    exports = common.export_onnx(model, "fashion_vit")
    onnx_check = None
    if not args.no_onnx_check:
        onnx_check = common.verify_onnx(exports, logits_2k, x2k, y2k)

    common.write_json("fashion_vit", {
        "model": (f"FashionViT (patch {args.patch}, dim {args.dim}, depth {args.depth}, "
                  f"heads {args.heads}, mlp ratio {args.mlp_ratio}, mean pooling)"),
        "accuracy": acc,
        "accuracy_eval_set": "Fashion-MNIST test split, 10000 images",
        "eval_2k_accuracy": acc2k,
        "eval_2k_accuracy_note": "plain torch.matmul/nn.Linear path (the exported graph)",
        "max_logit_diff_fast_vs_reference_kernels": max_diff,
        "eval_2k_onnx_numpy_check": onnx_check,
        "params": params,
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "optimizer": f"AdamW lr={args.lr} wd=0.05, OneCycleLR",
        "training_seconds": secs["wall_seconds"],
        "training_cpu_seconds": secs["cpu_seconds"],
        "threads": args.threads,
        "epoch_log": log,
        "onnx": {f"opset{k}": v for k, v in exports.items()},
    })


if __name__ == "__main__":
    main()
