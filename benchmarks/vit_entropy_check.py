# The bundled ViT with entropy calibration after the softmax rule of
# lib/Quantization/Calibration.cpp: float, W8A8 and integer-only top-1 over the
# 2000 evaluation images (docs/Quantization.md). Run from the repository root:
#   /usr/bin/python3 benchmarks/vit_entropy_check.py
import sys, numpy as np
sys.path.insert(0, "build/python")
import qopt
x = np.load("examples/models/data/eval_2k_x.npy"); y = np.load("examples/models/data/eval_2k_y.npy")
calib = np.load("examples/models/data/calib_256.npy")
m = qopt.load_onnx("examples/models/fashion_vit_opset17.onnx"); m.cleanup()
f = m.compile_cpu().run({"input": x})["logits"].argmax(1)
print("float", 100 * (f == y).mean())
for kw in (dict(form="integer"), dict(integer_only=True)):
    q = m.quantize(calib, method="entropy", **kw)
    p = q.compile_cpu(opt_level=1).run({"input": x})["logits"].argmax(1)
    print(kw, "top-1 %.2f agreement %.2f" % (100 * (p == y).mean(), 100 * (p == f).mean()))
