"""Shared training / evaluation / ONNX export helpers for the Fashion-MNIST examples."""
import json
import os
import platform
import random
import time

import numpy as np
import torch
import torch.nn.functional as F

import fashion_data

HERE = os.path.dirname(os.path.abspath(__file__))
INPUT_SHAPE = (1, 1, 28, 28)
OPSETS = (13, 17)


def set_determinism(seed=0, threads=2):
    """Fixed seeds, fixed thread count, deterministic kernels (CPU only)."""
    torch.set_num_threads(threads)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)


def count_params(model):
    return sum(p.numel() for p in model.parameters())


@torch.no_grad()
def evaluate(model, x, y, batch_size=1000):
    """Top-1 accuracy of `model` (put in eval mode) on numpy arrays x, y."""
    model.eval()
    correct = 0
    for i in range(0, len(x), batch_size):
        xb = torch.from_numpy(x[i:i + batch_size])
        pred = model(xb).argmax(dim=1).numpy()
        correct += int((pred == y[i:i + batch_size]).sum())
    return correct / len(x)


def train(model, epochs, lr, batch_size=128, weight_decay=0.0, label_smoothing=0.0,
          seed=0, log_every=100, train_limit=None):
    """Train on the full Fashion-MNIST train split with AdamW + one-cycle schedule.

    Returns (timing dict {"wall_seconds", "cpu_seconds"}, per-epoch log list).
    Wall time is what matters on an idle machine; process CPU time (all threads) is
    reported as well because wall time balloons when other jobs compete for the cores.
    """
    xtr, ytr = fashion_data.load_split("train")
    if train_limit:  # smoke tests only
        xtr, ytr = xtr[:train_limit], ytr[:train_limit]
    xte, yte = fashion_data.load_split("test")
    xtr_t = torch.from_numpy(xtr)
    ytr_t = torch.from_numpy(ytr)
    n = len(xtr)
    steps_per_epoch = (n + batch_size - 1) // batch_size
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=lr, total_steps=epochs * steps_per_epoch, pct_start=0.2)
    gen = torch.Generator().manual_seed(seed)
    log = []
    train_secs, cpu_secs = 0.0, 0.0
    for epoch in range(epochs):
        t0, c0 = time.perf_counter(), time.process_time()
        model.train()
        perm = torch.randperm(n, generator=gen)
        running, seen = 0.0, 0
        for step in range(steps_per_epoch):
            idx = perm[step * batch_size:(step + 1) * batch_size]
            xb, yb = xtr_t[idx], ytr_t[idx]
            loss = F.cross_entropy(model(xb), yb, label_smoothing=label_smoothing)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            running += float(loss) * len(idx)
            seen += len(idx)
            if log_every and (step + 1) % log_every == 0:
                print(f"  epoch {epoch + 1} step {step + 1}/{steps_per_epoch} "
                      f"loss {running / seen:.4f} ({train_secs + time.perf_counter() - t0:.0f}s)",
                      flush=True)
        train_secs += time.perf_counter() - t0  # evaluation below is not counted
        cpu_secs += time.process_time() - c0
        acc = evaluate(model, xte, yte)
        print(f"epoch {epoch + 1}/{epochs}: train loss {running / seen:.4f} "
              f"test acc {acc:.4f} ({train_secs:.0f}s)", flush=True)
        log.append({"epoch": epoch + 1, "train_loss": round(running / seen, 5),
                    "test_accuracy": acc, "wall_seconds_so_far": round(train_secs, 1)})
    return {"wall_seconds": round(train_secs, 1), "cpu_seconds": round(cpu_secs, 1)}, log


def export_onnx(model, name):
    """Export `model` at every opset in OPSETS to <name>_opset<N>.onnx (batch fixed to 1).

    Returns {opset: {"path": ..., "converted_from": ... or None}}.
    """
    import onnx
    model.eval()
    dummy = torch.zeros(INPUT_SHAPE, dtype=torch.float32)
    results = {}
    for opset in OPSETS:
        path = os.path.join(HERE, f"{name}_opset{opset}.onnx")
        converted_from = None
        try:
            torch.onnx.export(model, dummy, path, input_names=["input"],
                              output_names=["logits"], opset_version=opset,
                              do_constant_folding=True)
            m = onnx.load(path)
        except Exception as e:  # pragma: no cover - depends on torch version
            print(f"torch.onnx.export at opset {opset} failed ({e!r}); "
                  f"converting the opset 13 model with onnx.version_converter")
            from onnx import version_converter
            base = onnx.load(os.path.join(HERE, f"{name}_opset13.onnx"))
            m = version_converter.convert_version(base, opset)
            onnx.save(m, path)
            converted_from = 13
        onnx.checker.check_model(m, full_check=True)
        ops = sorted({n.op_type for n in m.graph.node})
        print(f"wrote {path} (opset {opset}, {os.path.getsize(path)} bytes): {ops}")
        results[opset] = {"path": os.path.basename(path), "converted_from": converted_from,
                          "op_types": ops}
    return results


@torch.no_grad()
def predict(model, x, batch_size=1000):
    """Logits of `model` (eval mode) on numpy x, as a numpy array."""
    model.eval()
    return np.concatenate([model(torch.from_numpy(x[i:i + batch_size])).numpy()
                           for i in range(0, len(x), batch_size)])


def verify_onnx(exports, torch_logits, x, y):
    """Run every exported file with the numpy interpreter (onnx_numpy_ref.py) on (x, y).

    Returns {"opset13": {"accuracy", "max_abs_logit_diff_vs_torch", "argmax_agreement"}, ...}.
    """
    import onnx_numpy_ref
    out = {}
    for opset, e in exports.items():
        acc, logits = onnx_numpy_ref.accuracy(os.path.join(HERE, e["path"]), x, y)
        diff = float(np.abs(logits - torch_logits).max())
        agree = float((logits.argmax(1) == torch_logits.argmax(1)).mean())
        print(f"{e['path']}: numpy-interpreter accuracy on eval_2k {acc:.4f}, "
              f"max |logit diff| vs torch {diff:.2e}, argmax agreement {agree:.4f}", flush=True)
        out[f"opset{opset}"] = {"accuracy": acc, "max_abs_logit_diff_vs_torch": diff,
                                "argmax_agreement": agree}
    return out


def write_json(name, info):
    path = os.path.join(HERE, f"{name}.json")
    info = dict(info)
    info.setdefault("torch_version", torch.__version__)
    info.setdefault("numpy_version", np.__version__)
    import onnx
    info.setdefault("onnx_version", onnx.__version__)
    info.setdefault("python_version", platform.python_version())
    with open(path, "w") as f:
        json.dump(info, f, indent=2, sort_keys=False)
        f.write("\n")
    print(f"wrote {path}")
