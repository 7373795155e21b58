"""Repeats the MobileNetV2 rows of device_cpu.py's table (run there, on the
AVX-512 machine, from the folder benchmarks/device_cpu.sh prepares, which
must hold mobilenet_v2.so, mobilenet_v2.onnx and imagenet.npy): two
rounds of ONNX Runtime and qopt at 1, 4 and 16 threads, and at 16 threads
also with QOPT_CHUNKS_PER_THREAD=2 and 4 (medians of 60 runs; qopt in a
fresh process per setting, since the runtime reads the variable once).

usage: python3 device_mbv2_repeat.py CARRY_DIR
"""
import json
import os
import subprocess
import sys

import numpy as np


def main():
    carry = os.path.abspath(sys.argv[1])
    sys.path.insert(0, carry)
    from device_cpu import QoptModel, median_ms
    x = np.load(os.path.join(carry, "imagenet.npy"))
    if len(sys.argv) > 2:  # the child: one thread count
        out = np.zeros((1, 1000), np.float32)
        q = QoptModel(os.path.join(carry, "mobilenet_v2.so"))
        q.bind([x], [out])
        q.set_threads(int(sys.argv[2]))
        q.run()
        print(json.dumps(median_ms(q.run, 60)))
        return
    import onnxruntime as ort
    for rnd in range(2):
        for t in [1, 4, 16]:
            so = ort.SessionOptions()
            so.intra_op_num_threads = t
            so.inter_op_num_threads = 1
            s = ort.InferenceSession(os.path.join(carry, "mobilenet_v2.onnx"), so,
                                     providers=["CPUExecutionProvider"])
            feed = {s.get_inputs()[0].name: x}
            ort_ms = median_ms(lambda: s.run(None, feed), 60)[0]
            s = None  # let the session go before qopt runs
            for chunks in (["1", "2", "4"] if t == 16 else ["1"]):
                env = dict(os.environ, QOPT_CHUNKS_PER_THREAD=chunks)
                p = subprocess.run([sys.executable, __file__, carry, str(t)], env=env,
                                   capture_output=True, text=True, check=True)
                q_ms = json.loads(p.stdout.strip().splitlines()[-1])[0]
                print(f"round {rnd} threads {t} chunks {chunks}: ORT {ort_ms:.3f} "
                      f"qopt {q_ms:.3f} ratio {q_ms / ort_ms:.2f}", flush=True)


if __name__ == "__main__":
    main()
