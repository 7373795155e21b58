# qopt-compile --emit=shared: a shared library with the weights embedded, the
# C ABI of docs/CABI.md and a generated header; its outputs match the
# independent numpy interpreter of examples/models on 16 evaluation images,
# run in one call of qopt-run (16 batches of 1, concatenated).
#
# RUN: rm -rf %t && mkdir -p %t
# RUN: qopt-compile %qopt_src/examples/models/fashion_cnn_opset13.onnx --emit=shared -o %t/cnn.so
# RUN: FileCheck %s --check-prefix=HEADER < %t/qopt_model.h
# RUN: llvm-nm-22 -D --defined-only %t/cnn.so | FileCheck %s --check-prefix=SYMS --implicit-check-not=" T " --implicit-check-not=" D " --implicit-check-not=" R "
# RUN: qopt-run %t/cnn.so --print-signature | FileCheck %s --check-prefix=SIG
# RUN: %python %s %t prepare
# RUN: qopt-run %t/cnn.so --input input=%t/x16.npy --output-dir %t/out --threads 2 | FileCheck %s --check-prefix=OUT
# RUN: %python %s %t check
#
# HEADER: #ifndef QOPT_MODEL_H
# HEADER: typedef struct qopt_tensor_info {
# HEADER: /* input 0: "input", f32 [1, 1, 28, 28] (float[784]) */
# HEADER: #define QOPT_MODEL_INPUT0_SIZE 784
# HEADER: /* output 0: "logits", f32 [1, 10] (float[10]) */
# HEADER: int qopt_model_abi_version(void);
# HEADER: const qopt_tensor_info *qopt_model_input_info(int i);
# HEADER: int qopt_model_run(const void *const *inputs, void *const *outputs);
# HEADER: void qopt_model_set_num_threads(int n);
#
# Only the ABI is exported: the graph, the weights and the runtime are not.
# SYMS-DAG: T qopt_model_abi_version
# SYMS-DAG: T qopt_model_get_num_threads
# SYMS-DAG: T qopt_model_input_info
# SYMS-DAG: T qopt_model_num_inputs
# SYMS-DAG: T qopt_model_num_outputs
# SYMS-DAG: T qopt_model_output_info
# SYMS-DAG: T qopt_model_run
# SYMS-DAG: T qopt_model_set_num_threads
#
# SIG: input input: f32 1x1x28x28
# SIG-NEXT: output logits: f32 1x10
#
# OUT: wrote {{.*}}out/logits.npy (f32 16x10)

import os
import sys

sys.dont_write_bytecode = True
import numpy as np  # noqa: E402

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
sys.path.insert(0, os.path.join(root, "examples", "models"))
from onnx_numpy_ref import Model  # noqa: E402

tmp, step = sys.argv[1], sys.argv[2]
data = os.path.join(root, "examples", "models", "data")
x = np.load(os.path.join(data, "eval_2k_x.npy"))[:16]
if step == "prepare":
    np.save(os.path.join(tmp, "x16.npy"), x)
else:
    got = np.load(os.path.join(tmp, "out", "logits.npy"))
    ref_model = Model(os.path.join(root, "examples", "models", "fashion_cnn_opset13.onnx"))
    ref = np.concatenate([ref_model.run({"input": x[i:i + 1]})[0] for i in range(len(x))])
    assert got.dtype == np.float32 and got.shape == ref.shape, (got.dtype, got.shape)
    rel = np.linalg.norm(got - ref) / np.linalg.norm(ref)
    assert rel < 1e-4, f"relative L2 error {rel}"
    print(f"relative L2 error {rel:.2e}")
