#!/usr/bin/env python3
"""Fashion-MNIST loading for the qopt example models.

Reads the IDX files shipped by Debian's ``dataset-fashion-mnist`` package
(/usr/share/datasets/fashion-mnist/*-ubyte.gz) with numpy only, and normalises
images to float32 N x 1 x 28 x 28:  (x / 255 - MEAN) / STD.

Run as a script to (re)write the fixed data files in examples/models/data/:
  calib_256.npy   first 256 TRAIN images   float32 [256, 1, 28, 28]
  eval_2k_x.npy   first 2000 TEST images   float32 [2000, 1, 28, 28]
  eval_2k_y.npy   their labels             int64   [2000]
"""
import argparse
import gzip
import os

import numpy as np

DATA_DIR = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
MEAN = 0.2860
STD = 0.3530
HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, "data")

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}


def _read_idx(path):
    """Parse an (optionally gzipped) IDX file into a numpy array."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if data[0] != 0 or data[1] != 0:
        raise ValueError(f"{path}: bad IDX magic")
    dtype_code, ndim = data[2], data[3]
    if dtype_code != 0x08:
        raise ValueError(f"{path}: expected unsigned byte data (0x08), got {dtype_code:#x}")
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    offset = 4 + 4 * ndim
    arr = np.frombuffer(data, dtype=np.uint8, count=int(np.prod(dims)), offset=offset)
    return arr.reshape(dims)


def normalize(images_u8):
    """uint8 [N, 28, 28] -> float32 [N, 1, 28, 28], (x/255 - MEAN) / STD."""
    x = images_u8.astype(np.float32) / np.float32(255.0)
    x = (x - np.float32(MEAN)) / np.float32(STD)
    return np.ascontiguousarray(x[:, None, :, :], dtype=np.float32)


def load_split(split):
    """Return (x float32 [N,1,28,28], y int64 [N]) for split 'train' or 'test'."""
    img_name, lbl_name = _FILES[split]
    images = _read_idx(os.path.join(DATA_DIR, img_name))
    labels = _read_idx(os.path.join(DATA_DIR, lbl_name))
    assert images.shape[0] == labels.shape[0]
    return normalize(images), labels.astype(np.int64)


def load_eval_2k():
    """The fixed evaluation subset (first 2000 test images) from data/."""
    x = np.load(os.path.join(OUT_DIR, "eval_2k_x.npy"))
    y = np.load(os.path.join(OUT_DIR, "eval_2k_y.npy"))
    return x, y


def make_data(out_dir=OUT_DIR):
    os.makedirs(out_dir, exist_ok=True)
    xtr, _ = load_split("train")
    xte, yte = load_split("test")
    files = {
        "calib_256.npy": xtr[:256],
        "eval_2k_x.npy": xte[:2000],
        "eval_2k_y.npy": yte[:2000],
    }
    for name, arr in files.items():
        path = os.path.join(out_dir, name)
        np.save(path, np.ascontiguousarray(arr))
        print(f"wrote {path}: {arr.dtype} {list(arr.shape)}")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out-dir", default=OUT_DIR)
    args = ap.parse_args()
    make_data(args.out_dir)


if __name__ == "__main__":
    main()
