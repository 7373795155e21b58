"""One model at one thread count on the AVX-512 machine, qopt and ONNX Runtime
each alone in this process, then in alternating blocks with and without a
pause between them: whether the two tools' worker pools disturb each
other's timings in device_cpu.py's table (they did not: see
docs/Benchmarks-CPU-AVX512.md). Run there after device_cpu.py compiled the
model into the carried folder:

    python3 OUT_DIR/device_probe.py OUT_DIR mobilenet_v2 16
"""
import os
import statistics
import sys
import time

import numpy as np
import onnxruntime as ort

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from device_cpu import MODELS, QoptModel, median_ms  # noqa: E402


def main():
    carry, name, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    _, onnx, inputs, shape, _, _ = next(m for m in MODELS if m[0] == name)
    x = np.ascontiguousarray(np.load(os.path.join(carry, inputs)).astype(np.float32))
    q = QoptModel(os.path.join(carry, name + ".so"))
    out = np.zeros(shape, np.float32)
    q.bind([x], [out])
    q.set_threads(threads)
    r = lambda v: [round(a, 3) for a in v]  # noqa: E731
    print("qopt alone (ms):", r([median_ms(q.run, 60)[0] for _ in range(3)]))
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    sess = ort.InferenceSession(os.path.join(carry, onnx), so,
                                providers=["CPUExecutionProvider"])
    feed = {sess.get_inputs()[0].name: x}
    print("ONNX Runtime alone (ms):",
          r([median_ms(lambda: sess.run(None, feed), 60)[0] for _ in range(3)]))
    for pause in (0, 0.05):
        qt, ot = [], []
        for _ in range(3):
            time.sleep(pause)
            qt.append(median_ms(q.run, 20)[0])
            time.sleep(pause)
            ot.append(median_ms(lambda: sess.run(None, feed), 20)[0])
        print(f"alternating, pause {pause} s: qopt {r(qt)} ONNX Runtime {r(ot)} "
              f"ratio {statistics.median(qt) / statistics.median(ot):.2f}")


if __name__ == "__main__":
    main()
