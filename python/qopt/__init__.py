"""qopt: an MLIR-based quantization compiler.

    import qopt
    m = qopt.load_onnx("model.onnx", input_shapes={"x": [1, 3, 32, 32]})
    m.cleanup()                      # the qopt-cleanup pipeline
    print(m.mlir(elide_weights=True))
    m.run_pipeline("builtin.module(func.func(qopt-verify-integer-only))")
    exe = m.compile_cpu()            # JIT for this CPU
    logits = exe.run({"input": x})["logits"]      # C-contiguous x: not copied
    exe.run({"input": x}, out={"logits": buf})    # writes buf in place
    q = m.quantize(calib, method="percentile", form="integer")   # PTQ
    q.report()["layers"][0]["sqnr_db"]            # the per-layer report
    probe = m.with_outputs([op["name"] for op in m.ops()][:3])  # intermediates
    m.compile_shared("model.so")     # ahead of time: weights embedded, C ABI
    lib = qopt.load_library("model.so")   # runs like exe

Errors of the compiler (a bad model, a bad pipeline string, invalid IR) raise
qopt.Error with the compiler's diagnostics as its message.
"""

from ._qopt import (Error, Executable, Module, calibration_range, load_library,
                    load_onnx, parse_mlir, supported_onnx_ops)

__all__ = ["Error", "Executable", "Module", "calibration_range", "load_library",
           "load_onnx", "parse_mlir", "supported_onnx_ops"]
