# --emit=obj|shared keep the weights out of LLVM IR (ExternalWeights.cpp):
# every initializer of 1 KiB or more is a local, read-only symbol in the
# object's .rodata.qopt_weights section, holding exactly the ONNX
# initializer's bytes (checked against the model file read with numpy);
# smaller tables stay in the IR (.rodata). The object links into a shared
# library with the runtime and computes what the independent numpy
# interpreter of examples/models computes.
#
# RUN: rm -rf %t && mkdir -p %t
# RUN: qopt-compile %qopt_src/examples/models/fashion_cnn_opset13.onnx --emit=obj -o %t/cnn.o
# RUN: llvm-readelf-22 -SW %t/cnn.o | FileCheck %s --check-prefix=SECTIONS
# RUN: llvm-nm-22 %t/cnn.o | FileCheck %s --check-prefix=SYMS
# RUN: llvm-readelf-22 -sW %t/cnn.o > %t/symbols.txt
# RUN: llvm-readelf-22 -SW %t/cnn.o > %t/sections.txt
# RUN: llvm-objcopy-22 --dump-section=.rodata.qopt_weights=%t/weights.bin %t/cnn.o %t/copy.o
# RUN: %python %s %t weights | FileCheck %s --check-prefix=WEIGHTS
# RUN: clang-22 -shared -o %t/cnn.so %t/cnn.o %qopt_lib/libqopt_runtime.a %qopt_runtime_link_flags -Wl,--exclude-libs,ALL -lstdc++ -lm -lpthread
# RUN: %python %s %t prepare
# RUN: qopt-run %t/cnn.so --input input=%t/x4.npy --output-dir %t/out --threads 1
# RUN: %python %s %t check | FileCheck %s --check-prefix=NUMPY
#
# SECTIONS: .rodata.qopt_weights PROGBITS
#
# The weights are local ('r'): two models' objects link into one program
# (c-abi.py); none is left undefined.
# SYMS-NOT: U __constant
# SYMS: r __constant_16x16x3x3xf32
# SYMS-NOT: U __constant
#
# fashion_cnn has 20 initializers, 9 of at least 1 KiB (the 16x1x3x3 stem is
# 576 bytes).
# WEIGHTS: 9 weights in .rodata.qopt_weights, 9 initializers >= 1024 bytes, all bytes equal
#
# NUMPY: agrees with numpy

import os
import sys

sys.dont_write_bytecode = True
import numpy as np  # noqa: E402

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
sys.path.insert(0, os.path.join(root, "examples", "models"))
from onnx_numpy_ref import Model  # noqa: E402

tmp, step = sys.argv[1], sys.argv[2]
model_path = os.path.join(root, "examples", "models", "fashion_cnn_opset13.onnx")

if step == "weights":
    # The section's index, then each symbol defined in it: Value Size Ndx Name.
    index = None
    for line in open(os.path.join(tmp, "sections.txt")):
        if ".rodata.qopt_weights" in line:
            index = line.split("[", 1)[1].split("]", 1)[0].strip()
    assert index is not None
    data = open(os.path.join(tmp, "weights.bin"), "rb").read()
    symbols = {}
    for line in open(os.path.join(tmp, "symbols.txt")):
        fields = line.split()
        if len(fields) == 8 and fields[6] == index and fields[3] == "OBJECT":
            assert fields[4] == "LOCAL", line
            value, size = int(fields[1], 16), int(fields[2])
            assert value % 16 == 0, line
            symbols[fields[7]] = data[value:value + size]
    model = Model(model_path)
    initializers = [np.ascontiguousarray(a).tobytes() for a in model.consts.values()]
    large = [b for b in initializers if len(b) >= 1024]
    assert sorted(symbols.values()) == sorted(large), "weight bytes differ"
    print(f"{len(symbols)} weights in .rodata.qopt_weights, {len(large)} "
          f"initializers >= 1024 bytes, all bytes equal")
elif step == "prepare":
    x = np.load(os.path.join(root, "examples", "models", "data", "eval_2k_x.npy"))[:4]
    np.save(os.path.join(tmp, "x4.npy"), x)
else:
    x = np.load(os.path.join(tmp, "x4.npy"))
    got = np.load(os.path.join(tmp, "out", "logits.npy"))
    ref_model = Model(model_path)
    ref = np.concatenate([ref_model.run({"input": x[i:i + 1]})[0] for i in range(len(x))])
    rel = np.linalg.norm(got - ref) / np.linalg.norm(ref)
    assert got.shape == ref.shape and rel < 1e-4, (got.shape, rel)
    print("agrees with numpy")
