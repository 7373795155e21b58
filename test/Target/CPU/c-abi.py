# The C ABI from C: two models compiled with --emit=obj under different
# symbol prefixes link into one program with libqopt_runtime.a, are driven
# through their generated headers alone, and compute what the independent
# numpy interpreter of examples/models computes.
#
# RUN: rm -rf %t && mkdir -p %t
# RUN: qopt-compile %qopt_src/examples/models/fashion_cnn_opset13.onnx --emit=obj --symbol-prefix=cnn -o %t/cnn.o
# RUN: qopt-compile %qopt_src/examples/models/fashion_vit_opset13.onnx --emit=obj --symbol-prefix=vit --header=%t/vit.h -o %t/vit.o
# RUN: llvm-nm-22 %t/cnn.o | FileCheck %s --check-prefix=OBJ
# RUN: clang-22 -std=c99 -Wall -Werror -pedantic -I%t %S/Inputs/two_models.c %t/cnn.o %t/vit.o %qopt_lib/libqopt_runtime.a %qopt_runtime_link_flags -lstdc++ -lm -lpthread -o %t/two_models
# RUN: %python %s %t prepare
# RUN: %t/two_models %t/image.bin > %t/stdout.txt
# RUN: FileCheck %s < %t/stdout.txt
# RUN: %python %s %t check
#
# The object has no `main` and exports only the ABI; the runtime is
# undefined until linked.
# OBJ-NOT: {{ T main$}}
# OBJ-DAG: T cnn_run
# OBJ-DAG: U qopt_rt_set_num_threads
# OBJ-DAG: U qopt_rt_conv2d_nchw_f32
#
# CHECK: abi 1 1 (header 1)
# CHECK-NEXT: cnn 1 inputs 1 outputs
# CHECK-NEXT: cnn input dtype=0 rank=4 shape=1x1x28x28
# CHECK-NEXT: cnn logits dtype=0 rank=2 shape=1x10
# CHECK-NEXT: vit input dtype=0 rank=4 shape=1x1x28x28
# CHECK-NEXT: vit logits dtype=0 rank=2 shape=1x10
# CHECK-NEXT: out of range: NULL NULL
# CHECK-NEXT: threads 2
# CHECK-NEXT: null buffer: 1
# CHECK-NEXT: null array: 1
# CHECK-NEXT: run: 0 0

import os
import sys

sys.dont_write_bytecode = True
import numpy as np  # noqa: E402

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
sys.path.insert(0, os.path.join(root, "examples", "models"))
from onnx_numpy_ref import Model  # noqa: E402

tmp, step = sys.argv[1], sys.argv[2]
x = np.load(os.path.join(root, "examples", "models", "data", "eval_2k_x.npy"))[3:4]
if step == "prepare":
    x.astype(np.float32).tofile(os.path.join(tmp, "image.bin"))
else:
    lines = open(os.path.join(tmp, "stdout.txt")).read().splitlines()
    for model in ["cnn", "vit"]:
        line = next(l for l in lines if l.startswith(model + " logits:"))
        got = np.array([float(v) for v in line.split(":")[1].split()], np.float32)
        ref = Model(os.path.join(root, "examples", "models",
                                 f"fashion_{model}_opset13.onnx")).run({"input": x})[0][0]
        rel = np.linalg.norm(got - ref) / np.linalg.norm(ref)
        assert rel < 1e-4, f"{model}: relative L2 error {rel}"
        print(f"{model}: relative L2 error {rel:.2e}")
