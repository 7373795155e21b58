"""The GIL is released while the compiler and the compiled model work: the
main Python thread keeps running during Executable.run and
Module.compile_cpu in another thread."""
import os
import threading
import time

import numpy as np

import qopt

SRC = os.environ.get("QOPT_SRC_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
MODELS = os.path.join(SRC, "examples", "models")
X = np.load(os.path.join(MODELS, "data", "eval_2k_x.npy"))


def longest_stall(work):
    """Runs `work` in a thread; returns (the longest time the main thread
    went without executing Python meanwhile, how long `work` took). Were
    the GIL held during `work`, the stall would be about its duration."""
    done = threading.Event()
    span = [0.0, 0.0]

    def worker():
        span[0] = time.perf_counter()
        work()
        span[1] = time.perf_counter()
        done.set()

    thread = threading.Thread(target=worker)
    last = time.perf_counter()
    thread.start()
    stall = 0.0
    while not done.is_set():
        now = time.perf_counter()
        stall = max(stall, now - last)
        last = now
    thread.join()
    return stall, span[1] - span[0]


def test_run_and_compile_release_the_gil():
    m = qopt.load_onnx(os.path.join(MODELS, "fashion_cnn_opset17.onnx"))
    m.cleanup()
    exe = m.compile_cpu()
    exe.set_threads(1)
    # The 2000 images run, and the CNN compiles, in under the 0.2 s the
    # test needs to tell a stall from the work: several of each.
    def run_three_times():
        for _ in range(3):
            exe.run({"input": X})

    def compile_five_times():
        for _ in range(5):
            m.compile_cpu()
    for work in [run_three_times, compile_five_times]:
        stall, duration = longest_stall(work)
        assert duration > 0.2, duration      # long enough to tell
        assert stall < duration / 2, (stall, duration)
