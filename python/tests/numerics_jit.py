"""Compiles one small qopt function through the real CPU backend
(convert-qopt-to-linalg, the CPU lowering, the JIT) for the numerics tests."""
import numpy as np

import qopt

NUMPY_DTYPES = {"i8": np.int8, "i16": np.int16, "i32": np.int32,
                "f32": np.float32}


def tensor(shape, elem):
    return "tensor<" + "x".join(str(d) for d in shape) + "x" + elem + ">"


def compile_main(args, results, body):
    """`args`/`results`: lists of MLIR tensor types; `body`: the ops, with the
    arguments named %a0, %a1, ... and returning through `return`."""
    params = ", ".join(f"%a{i}: {t}" for i, t in enumerate(args))
    text = (f"func.func @main({params}) -> ({', '.join(results)}) {{\n"
            f"{body}\n}}\n")
    try:
        return qopt.parse_mlir(text).compile_cpu()
    except Exception as error:  # keep the module text in the failure report
        raise AssertionError(f"{error}\n{text}") from error


def run(exe, *inputs):
    outs = exe.run({f"input{i}": x for i, x in enumerate(inputs)})
    return [outs[f"output{i}"] for i in range(len(outs))]
