# The bundled trained Fashion-MNIST models end to end: ONNX import
# (qopt-compile), convert-qopt-to-linalg, upstream lowering and JIT; the
# logits of two evaluation images are compared with examples/models/
# onnx_numpy_ref.py, a pure-numpy ONNX interpreter that runs the .onnx file
# itself.
# RUN: qopt-compile %qopt_src/examples/models/fashion_cnn_opset13.onnx --emit=mlir -o %t.cnn.mlir
# RUN: %python %s %qopt_src/examples/models/fashion_cnn_opset13.onnx 0 > %t.cnn.expected
# RUN: %e2e_wrap %t.cnn.mlir %qopt_src/examples/models/data/eval_2k_x.npy 0 > %t.cnn0.mlir
# RUN: qopt-opt %t.cnn0.mlir --convert-qopt-to-linalg | %mlir_lower_to_llvm | %mlir_runner > %t.cnn0.out
# RUN: %e2e_compare %t.cnn.expected %t.cnn0.out
#
# The ViT (opset 17 export: LayerNormalization, decomposed GELU raised by
# qopt-cleanup), on image 1.
# RUN: qopt-compile %qopt_src/examples/models/fashion_vit_opset17.onnx --emit=mlir -o %t.vit.mlir
# RUN: %python %s %qopt_src/examples/models/fashion_vit_opset17.onnx 1 > %t.vit.expected
# RUN: %e2e_wrap %t.vit.mlir %qopt_src/examples/models/data/eval_2k_x.npy 1 > %t.vit1.mlir
# RUN: qopt-opt %t.vit1.mlir --convert-qopt-to-linalg | %mlir_lower_to_llvm | %mlir_runner > %t.vit1.out
# RUN: %e2e_compare %t.vit.expected %t.vit1.out

import os
import sys

import numpy as np

model_path, index = sys.argv[1], int(sys.argv[2])
models_dir = os.path.dirname(os.path.abspath(model_path))
sys.path.insert(0, models_dir)
import onnx_numpy_ref  # noqa: E402

x = np.load(os.path.join(models_dir, "data", "eval_2k_x.npy"))
model = onnx_numpy_ref.Model(model_path)
(logits,) = model.run({model.inputs[0]: x[index:index + 1].astype(np.float32)})
print("%s: %s" % (",".join(str(d) for d in logits.shape),
                  " ".join("%.9e" % v for v in logits.reshape(-1))))
