"""Small helpers for the importer's lit tests: build ONNX models with
onnx.helper and save them into the test's temporary folder.

Each test script is run as `%python %s %t`: sys.argv[1] is the folder the
models go to (created here). The `# RUN:` lines then import each model with
qopt-compile and FileCheck the result.

Needs Debian's python3-onnx and python3-numpy (lit's %python must be
/usr/bin/python3, not a pyenv interpreter earlier on PATH).
"""
import os
import shutil
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F32 = TensorProto.FLOAT
I64 = TensorProto.INT64
I32 = TensorProto.INT32
I8 = TensorProto.INT8
U8 = TensorProto.UINT8
BOOL = TensorProto.BOOL


def outdir():
    """The folder named by the first command-line argument, emptied (lit's
    shell environment has no `rm`) and created."""
    if len(sys.argv) < 2:
        sys.exit("usage: %s OUTPUT_DIR" % sys.argv[0])
    d = sys.argv[1]
    if os.path.isdir(d) and not os.path.islink(d):
        shutil.rmtree(d)
    os.makedirs(d)
    return d


def vi(name, elem, shape):
    """A ValueInfoProto; `shape` entries may be ints, strings (symbolic) or
    None (unknown); an int gives that rank with unknown dims (for outputs,
    left to shape inference)."""
    if isinstance(shape, int):
        shape = [None] * shape
    return helper.make_tensor_value_info(name, elem, shape)


def init(name, array):
    """An initializer from a numpy array (dtype decides the ONNX type)."""
    return numpy_helper.from_array(np.asarray(array), name)


def rand(shape, dtype=np.float32, seed=0):
    rng = np.random.default_rng(seed)
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return rng.integers(max(info.min, -100), min(info.max, 100) + 1,
                            size=shape).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


def model(nodes, inputs, outputs, initializers=(), opset=17, name="test",
          extra_opsets=(), value_info=(), ir_version=None):
    """A ModelProto. `inputs`/`outputs` are ValueInfoProtos (see vi())."""
    graph = helper.make_graph(list(nodes), name, list(inputs), list(outputs),
                              initializer=list(initializers),
                              value_info=list(value_info))
    opsets = [helper.make_opsetid("", opset)]
    opsets += [helper.make_opsetid(d, v) for d, v in extra_opsets]
    m = helper.make_model(graph, opset_imports=opsets,
                          producer_name="qopt-lit")
    # onnx 1.12's helper picks the newest IR version; opset 7 models of old
    # exporters used IR 3, which the checker accepts as well.
    if ir_version is not None:
        m.ir_version = ir_version
    return m


def save(d, name, m, check=True):
    """Saves `m` as d/NAME.onnx, after the ONNX checker accepted it (unless
    check=False, for models that are meant to be invalid)."""
    if check:
        onnx.checker.check_model(m)
    path = os.path.join(d, name + ".onnx")
    onnx.save(m, path)
    return path


def single(d, name, op, inputs, outputs, initializers=(), opset=17,
           attrs=None, node_inputs=None, node_outputs=None, domain=None):
    """A model of one node: `op` applied to `inputs` (in order, then the
    initializers' names unless node_inputs says otherwise)."""
    if node_inputs is None:
        node_inputs = [i.name for i in inputs] + [t.name for t in initializers]
    if node_outputs is None:
        node_outputs = [o.name for o in outputs]
    kwargs = dict(attrs or {})
    if domain is not None:
        kwargs["domain"] = domain
    node = helper.make_node(op, node_inputs, node_outputs, name=name, **kwargs)
    return save(d, name, model([node], inputs, outputs, initializers, opset))
