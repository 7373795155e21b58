# Imports every trained example model in examples/models/*.onnx (the
# Fashion-MNIST CNN and, once trained, the ViT, each at opset 13 and 17),
# verifies the IR with qopt-opt and checks each model family's key ops.
#
# RUN: %python %s qopt-compile qopt-opt %qopt_src/examples/models | FileCheck %s
#
# CHECK-DAG: fashion_cnn_opset13.onnx: ok
# CHECK-DAG: fashion_cnn_opset17.onnx: ok
# CHECK: all {{[0-9]+}} models imported

import glob
import os
import re
import subprocess
import sys

# Ops every model of a family must contain after import, by file name prefix.
# The CNN is a ResNet-style stack (conv, batch norm folded by the exporter,
# residual adds, max pool, global average pool, a linear head); the ViT has a
# patch-embedding convolution, attention (matmul, softmax) and layer norms,
# which opset 17 spells as LayerNormalization and opset 13 as a ReduceMean
# decomposition.
FAMILIES = {
    "fashion_cnn": {"qopt.conv2d", "qopt.relu", "qopt.add", "qopt.max_pool2d",
                    "qopt.global_avg_pool2d", "qopt.gemm|qopt.matmul"},
    "fashion_vit": {"qopt.conv2d|qopt.matmul", "qopt.matmul", "qopt.softmax",
                    "qopt.add"},
}
BY_OPSET = {
    ("fashion_vit", 17): {"qopt.layer_norm"},
    ("fashion_vit", 13): {"qopt.reduce"},
}


def main():
    compile_tool, opt_tool, models_dir = sys.argv[1:4]
    paths = sorted(glob.glob(os.path.join(models_dir, "*.onnx")))
    if not paths:
        print("no .onnx models in %s" % models_dir)
        return 1
    failures = 0
    for path in paths:
        name = os.path.basename(path)
        imported = subprocess.run([compile_tool, path, "--stage=import"],
                                  capture_output=True, text=True, timeout=120)
        if imported.returncode != 0:
            print("%s: FAILED to import: %s" % (name, imported.stderr.strip()))
            failures += 1
            continue
        verified = subprocess.run([opt_tool], input=imported.stdout,
                                  capture_output=True, text=True, timeout=120)
        if verified.returncode != 0:
            print("%s: FAILED verification: %s" % (name, verified.stderr.strip()))
            failures += 1
            continue
        ops = {}
        for op in re.findall(r"= (qopt\.[a-z_0-9]+)", imported.stdout):
            ops[op] = ops.get(op, 0) + 1
        m = re.match(r"(.*)_opset(\d+)\.onnx$", name)
        family, opset = (m.group(1), int(m.group(2))) if m else (name, None)
        required = FAMILIES.get(family, set()) | BY_OPSET.get((family, opset), set())
        missing = sorted(r for r in required
                         if not any(alt in ops for alt in r.split("|")))
        summary = ", ".join("%s %d" % (k[5:], v) for k, v in sorted(ops.items()))
        if missing:
            print("%s: FAILED: missing %s (has %s)" % (name, ", ".join(missing), summary))
            failures += 1
        else:
            print("%s: ok (%s)" % (name, summary))
    if failures:
        print("%d of %d models failed" % (failures, len(paths)))
        return 1
    print("all %d models imported" % len(paths))
    return 0


if __name__ == "__main__":
    sys.exit(main())
