# Every class of import error prints exactly one `error:` line naming the file
# (and the node, where there is one) and exits 1; none crashes.
#
# RUN: %python %s %t
#
# Unsupported ops, domains and opsets.
# RUN: not qopt-compile %t/unsupported_op.onnx 2>&1 | FileCheck %s --check-prefix=UNSUPPORTED-OP --implicit-check-not=error:
# RUN: not qopt-compile %t/unknown_domain.onnx 2>&1 | FileCheck %s --check-prefix=UNKNOWN-DOMAIN --implicit-check-not=error:
# RUN: qopt-compile %t/opset6.onnx --stage=import | FileCheck %s --check-prefix=OPSET6
# RUN: not qopt-compile %t/opset18.onnx 2>&1 | FileCheck %s --check-prefix=OPSET18 --implicit-check-not=error:
# RUN: not qopt-compile %t/no_default_opset.onnx 2>&1 | FileCheck %s --check-prefix=NO-OPSET --implicit-check-not=error:
#
# Files that are not ONNX models.
# RUN: not qopt-compile %t/malformed.onnx 2>&1 | FileCheck %s --check-prefix=MALFORMED --implicit-check-not=error:
# RUN: not qopt-compile %t/truncated.onnx 2>&1 | FileCheck %s --check-prefix=TRUNCATED --implicit-check-not=error:
# RUN: not qopt-compile %t/empty.onnx 2>&1 | FileCheck %s --check-prefix=EMPTY --implicit-check-not=error:
# RUN: not qopt-compile %t/no_graph.onnx 2>&1 | FileCheck %s --check-prefix=NO-GRAPH --implicit-check-not=error:
# RUN: not qopt-compile %t 2>&1 | FileCheck %s --check-prefix=DIRECTORY --implicit-check-not=error:
# RUN: not qopt-compile %t/does-not-exist.onnx 2>&1 | FileCheck %s --check-prefix=MISSING-FILE --implicit-check-not=error:
#
# Broken graphs.
# RUN: not qopt-compile %t/dangling.onnx 2>&1 | FileCheck %s --check-prefix=DANGLING --implicit-check-not=error:
# RUN: not qopt-compile %t/missing_initializer.onnx 2>&1 | FileCheck %s --check-prefix=MISSING-INIT --implicit-check-not=error:
# RUN: not qopt-compile %t/cycle.onnx 2>&1 | FileCheck %s --check-prefix=CYCLE --implicit-check-not=error:
# RUN: not qopt-compile %t/bad_attribute.onnx 2>&1 | FileCheck %s --check-prefix=BAD-ATTRIBUTE --implicit-check-not=error:
# RUN: not qopt-compile %t/unproduced_output.onnx 2>&1 | FileCheck %s --check-prefix=UNPRODUCED --implicit-check-not=error:
# RUN: not qopt-compile %t/bad_broadcast.onnx 2>&1 | FileCheck %s --check-prefix=BAD-BROADCAST --implicit-check-not=error:
#
# Bad shapes, types and tensor data.
# RUN: not qopt-compile %t/negative_dim.onnx 2>&1 | FileCheck %s --check-prefix=NEGATIVE-DIM --implicit-check-not=error:
# RUN: not qopt-compile %t/absurd_dim.onnx 2>&1 | FileCheck %s --check-prefix=ABSURD-DIM --implicit-check-not=error:
# RUN: not qopt-compile %t/negative_init_dim.onnx 2>&1 | FileCheck %s --check-prefix=NEGATIVE-INIT-DIM --implicit-check-not=error:
# RUN: not qopt-compile %t/absurd_init_dim.onnx 2>&1 | FileCheck %s --check-prefix=ABSURD-INIT-DIM --implicit-check-not=error:
# RUN: not qopt-compile %t/raw_data_short.onnx 2>&1 | FileCheck %s --check-prefix=RAW-SHORT --implicit-check-not=error:
# RUN: not qopt-compile %t/typed_data_short.onnx 2>&1 | FileCheck %s --check-prefix=TYPED-SHORT --implicit-check-not=error:
# RUN: not qopt-compile %t/string_input.onnx 2>&1 | FileCheck %s --check-prefix=STRING-INPUT --implicit-check-not=error:
#
# External data.
# RUN: qopt-compile %t/ext_ok/model.onnx --stage=import | FileCheck %s --check-prefix=EXT-OK
# RUN: not qopt-compile %t/ext_absolute/model.onnx 2>&1 | FileCheck %s --check-prefix=EXT-ABSOLUTE --implicit-check-not=error:
# RUN: not qopt-compile %t/ext_dotdot/model.onnx 2>&1 | FileCheck %s --check-prefix=EXT-DOTDOT --implicit-check-not=error:
# RUN: not qopt-compile %t/ext_symlink/model.onnx 2>&1 | FileCheck %s --check-prefix=EXT-SYMLINK --implicit-check-not=error:
# RUN: not qopt-compile %t/ext_missing/model.onnx 2>&1 | FileCheck %s --check-prefix=EXT-MISSING --implicit-check-not=error:
# RUN: not qopt-compile %t/ext_short/model.onnx 2>&1 | FileCheck %s --check-prefix=EXT-SHORT --implicit-check-not=error:
# RUN: not qopt-compile %t/ext_offset/model.onnx 2>&1 | FileCheck %s --check-prefix=EXT-OFFSET --implicit-check-not=error:
# RUN: not qopt-compile %t/ext_no_location/model.onnx 2>&1 | FileCheck %s --check-prefix=EXT-NO-LOCATION --implicit-check-not=error:
#
# --input-shape.
# RUN: not qopt-compile %t/relu.onnx --input-shape=x 2>&1 | FileCheck %s --check-prefix=SPEC-NO-COLON --implicit-check-not=error:
# RUN: not qopt-compile %t/relu.onnx --input-shape=x: 2>&1 | FileCheck %s --check-prefix=SPEC-NO-DIMS --implicit-check-not=error:
# RUN: not qopt-compile %t/relu.onnx --input-shape=:2x3 2>&1 | FileCheck %s --check-prefix=SPEC-NO-NAME --implicit-check-not=error:
# RUN: not qopt-compile %t/relu.onnx --input-shape=x:2xax3 2>&1 | FileCheck %s --check-prefix=SPEC-LETTER --implicit-check-not=error:
# RUN: not qopt-compile %t/relu.onnx --input-shape=x:2x-3 2>&1 | FileCheck %s --check-prefix=SPEC-NEGATIVE --implicit-check-not=error:
# RUN: not qopt-compile %t/relu.onnx --input-shape=x:2x3x 2>&1 | FileCheck %s --check-prefix=SPEC-EMPTY-DIM --implicit-check-not=error:
# RUN: not qopt-compile %t/relu.onnx --input-shape=x:99999999999x3 2>&1 | FileCheck %s --check-prefix=SPEC-HUGE --implicit-check-not=error:
# RUN: not qopt-compile %t/relu.onnx --input-shape=y:2x3 2>&1 | FileCheck %s --check-prefix=SPEC-NOT-INPUT --implicit-check-not=error:
# RUN: not qopt-compile %t/relu.onnx --input-shape=x:2x3x4 2>&1 | FileCheck %s --check-prefix=SPEC-RANK --implicit-check-not=error:
# RUN: not qopt-compile %t/relu.onnx --input-shape=w:3 2>&1 | FileCheck %s --check-prefix=SPEC-INITIALIZER --implicit-check-not=error:

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "Inputs"))
from onnxtest import *  # noqa: E402,F401,F403

d = outdir()
N = helper.make_node


def write(name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


relu = model([N("Relu", ["x"], ["r"], name="relu"),
              N("Add", ["r", "w"], ["y"], name="add")],
             [vi("x", F32, ["N", 3])], [vi("y", F32, 2)],
             [init("w", np.ones([3], np.float32))])
save(d, "relu", relu)

#===--- Unsupported ops, domains and opsets ---------------------------------===#

save(d, "unsupported_op", model([N("TopK", ["x", "k"], ["v", "i"], name="topk")],
                                [vi("x", F32, [2, 5])],
                                [vi("v", F32, 2), vi("i", I64, 2)],
                                [init("k", np.array([2], np.int64))]))
# UNSUPPORTED-OP: error: {{.*}}unsupported_op.onnx: node 'topk' (#0, TopK, opset 17): unsupported op type 'TopK'

save(d, "unknown_domain", model([N("Gelu", ["x"], ["y"], name="gelu", domain="com.microsoft")],
                                [vi("x", F32, [2, 5])], [vi("y", F32, [2, 5])],
                                extra_opsets=[("com.microsoft", 1)]))
# UNKNOWN-DOMAIN: error: {{.*}}unknown_domain.onnx: com.microsoft op 'Gelu' (node 'gelu') is not supported; qopt imports these com.microsoft ops: QGemm, QLinearAdd,

save(d, "opset6", model([N("Relu", ["x"], ["y"])], [vi("x", F32, [2])],
                        [vi("y", F32, [2])], opset=6))
# Opsets below 7 go through ONNX's version converter like the others.
# OPSET6: qopt.relu %arg0 : (tensor<2xf32>) -> tensor<2xf32>
m = model([N("Relu", ["x"], ["y"])], [vi("x", F32, [2])], [vi("y", F32, [2])],
          opset=18)
save(d, "opset18", m, check=False)
# OPSET18: error: {{.*}}opset18.onnx: opset 18 is outside the supported range 1-17
m = model([N("Relu", ["x"], ["y"])], [vi("x", F32, [2])], [vi("y", F32, [2])])
del m.opset_import[:]
m.opset_import.append(helper.make_opsetid("com.example", 1))
save(d, "no_default_opset", m, check=False)
# NO-OPSET: error: {{.*}}no_default_opset.onnx: the model imports no version of the default ONNX domain

#===--- Files that are not ONNX models --------------------------------------===#

write("malformed.onnx", b"this is not an ONNX model\n")
# MALFORMED: error: {{.*}}malformed.onnx: not a valid ONNX model: the protobuf is malformed or truncated
big = model([N("MatMul", ["x", "w"], ["y"])], [vi("x", F32, [1, 64])],
            [vi("y", F32, 2)], [init("w", rand([64, 64]))])
data = big.SerializeToString()
write("truncated.onnx", data[:len(data) // 2])
# TRUNCATED: error: {{.*}}truncated.onnx: not a valid ONNX model: the protobuf is malformed or truncated
write("empty.onnx", b"")
# EMPTY: error: {{.*}}empty.onnx: not a valid ONNX model: the protobuf is malformed or truncated
m = onnx.ModelProto()
m.ir_version = 8
m.opset_import.append(helper.make_opsetid("", 17))
save(d, "no_graph", m, check=False)
# NO-GRAPH: error: {{.*}}no_graph.onnx: the model has no graph
# DIRECTORY: error: {{.*}}.tmp: is a directory, not an ONNX model
# MISSING-FILE: error: {{.*}}does-not-exist.onnx: cannot read the file: No such file or directory

#===--- Broken graphs --------------------------------------------------------===#

# A node input that nothing produces.
save(d, "dangling", model([N("Add", ["x", "nowhere"], ["y"], name="add")],
                          [vi("x", F32, [2])], [vi("y", F32, [2])]), check=False)
# DANGLING: error: {{.*}}dangling.onnx: node 'add' (#0, Add, opset 17): input 'nowhere' is not produced by any node, initializer or graph input (a dangling edge)
# An initializer named by a node but left out of the file.
m = model([N("Conv", ["x", "w"], ["y"], name="conv")], [vi("x", F32, [1, 1, 4, 4])],
          [vi("y", F32, 4)])
save(d, "missing_initializer", m, check=False)
# MISSING-INIT: error: {{.*}}missing_initializer.onnx: node 'conv' (#0, Conv, opset 17): input 'w' is not produced by any node, initializer or graph input (a dangling edge)
# a -> b -> a.
save(d, "cycle", model([N("Relu", ["x", ], ["a"]),
                        N("Add", ["a", "c"], ["b"], name="add"),
                        N("Neg", ["b"], ["c"], name="neg")],
                       [vi("x", F32, [2])], [vi("c", F32, [2])]), check=False)
# CYCLE: error: {{.*}}cycle.onnx: node 'add' (#1, Add, opset 17): input 'c' is used before it is produced (a graph cycle, or nodes out of topological order)
# The checker's messages span lines; they arrive as one.
save(d, "bad_attribute", model([N("Relu", ["x"], ["y"], name="relu", alpha=1.0)],
                               [vi("x", F32, [2])], [vi("y", F32, [2])]), check=False)
# BAD-ATTRIBUTE: error: {{.*}}bad_attribute.onnx: the ONNX checker rejected the model: Unrecognized attribute: alpha for operator Relu ==> Context: Bad node spec for node. Name: relu OpType: Relu
save(d, "unproduced_output", model([N("Relu", ["x"], ["y"])], [vi("x", F32, [2])],
                                   [vi("y", F32, [2]), vi("z", F32, [2])]),
     check=False)
# UNPRODUCED: error: {{.*}}unproduced_output.onnx: graph output 'z' is not produced by any node, initializer or graph input
save(d, "bad_broadcast", model([N("Add", ["a", "b"], ["y"], name="add")],
                               [vi("a", F32, [2, 3]), vi("b", F32, [4])],
                               [vi("y", F32, 2)]))
# BAD-BROADCAST: error: {{.*}}bad_broadcast.onnx: ONNX shape inference failed: {{.*}}(op_type:Add, node name: add): [ShapeInferenceError] Incompatible dimensions

#===--- Bad shapes, types and tensor data ------------------------------------===#

save(d, "negative_dim", model([N("Relu", ["x"], ["y"])], [vi("x", F32, [-2, 3])],
                              [vi("y", F32, 2)]), check=False)
# NEGATIVE-DIM: error: {{.*}}negative_dim.onnx: graph input 'x' has an invalid dimension -2
save(d, "absurd_dim", model([N("Relu", ["x"], ["y"])], [vi("x", F32, [1 << 50, 3])],
                            [vi("y", F32, 2)]), check=False)
# ABSURD-DIM: error: {{.*}}absurd_dim.onnx: graph input 'x' has an invalid dimension 1125899906842624
t = helper.make_tensor("w", F32, [1], [0.0])
t.dims[0] = -1
save(d, "negative_init_dim", model([N("Add", ["x", "w"], ["y"])], [vi("x", F32, [2])],
                                   [vi("y", F32, 1)], [t]), check=False)
# NEGATIVE-INIT-DIM: error: {{.*}}negative_init_dim.onnx: initializer 'w' has an invalid dimension -1
t = helper.make_tensor("w", F32, [1], [0.0])
t.dims[:] = [1 << 40, 1 << 40]
save(d, "absurd_init_dim", model([N("Add", ["x", "w"], ["y"])], [vi("x", F32, [2])],
                                 [vi("y", F32, 2)], [t]), check=False)
# ABSURD-INIT-DIM: error: {{.*}}absurd_init_dim.onnx: initializer 'w' has an invalid dimension 1099511627776
# raw_data of 2 floats, and float_data of 3, for a shape of 4.
t = helper.make_tensor("w", F32, [2], np.ones(2, np.float32).tobytes(), raw=True)
t.dims[:] = [4]
save(d, "raw_data_short", model([N("Add", ["x", "w"], ["y"])], [vi("x", F32, [4])],
                                [vi("y", F32, 1)], [t]), check=False)
# RAW-SHORT: error: {{.*}}raw_data_short.onnx: initializer 'w' holds 8 bytes but its shape needs 16
t = helper.make_tensor("w", F32, [3], [1.0, 2.0, 3.0])
t.dims[:] = [4]
save(d, "typed_data_short", model([N("Add", ["x", "w"], ["y"])], [vi("x", F32, [4])],
                                  [vi("y", F32, 1)], [t]), check=False)
# TYPED-SHORT: error: {{.*}}typed_data_short.onnx: initializer 'w' holds 12 bytes but its shape needs 16
save(d, "string_input", model([N("Identity", ["s"], ["y"])],
                              [vi("s", TensorProto.STRING, [2])],
                              [vi("y", TensorProto.STRING, 1)]))
# STRING-INPUT: error: {{.*}}string_input.onnx: graph input 's' has unsupported data type string

#===--- External data --------------------------------------------------------===#

ext_model = model([N("MatMul", ["x", "w"], ["y"])], [vi("x", F32, [1, 8])],
                  [vi("y", F32, 2)], [init("w", rand([8, 4])), init("b", rand([4]))])


def ext_dir(name):
    sub = os.path.join(d, name)
    os.makedirs(sub)
    return sub


def save_external(sub, m=ext_model):
    m = onnx.ModelProto.FromString(m.SerializeToString())
    onnx.save_model(m, os.path.join(sub, "model.onnx"), save_as_external_data=True,
                    all_tensors_to_one_file=True, location="weights.bin",
                    size_threshold=0)
    return onnx.load_model(os.path.join(sub, "model.onnx"), load_external_data=False)


def relocate(sub, m, location, extra=None):
    """Points every external tensor of `m` at `location` and saves it."""
    for t in m.graph.initializer:
        for kv in t.external_data:
            if kv.key == "location":
                kv.value = location
        if extra:
            extra(t)
    onnx.save_model(m, os.path.join(sub, "model.onnx"))


# onnx.save(..., save_as_external_data=True): imports like the inline model.
sub = ext_dir("ext_ok")
save_external(sub)
# EXT-OK: %[[W:.*]] = qopt.constant dense_resource<w> : tensor<8x4xf32>
# EXT-OK: qopt.matmul %arg0, %[[W]] : (tensor<1x8xf32>, tensor<8x4xf32>) -> tensor<1x4xf32>

# An absolute location, even of a real file, is refused.
sub = ext_dir("ext_absolute")
m = save_external(sub)
relocate(sub, m, os.path.abspath(os.path.join(sub, "weights.bin")))
# EXT-ABSOLUTE: error: {{.*}}model.onnx: tensor 'w' has an absolute external data location '/{{.*}}weights.bin', which is refused

# `..` leaves the folder.
sub = ext_dir("ext_dotdot")
m = save_external(sub)
os.rename(os.path.join(sub, "weights.bin"), os.path.join(d, "outside.bin"))
relocate(sub, m, "../outside.bin")
# EXT-DOTDOT: error: {{.*}}model.onnx: tensor 'w' has an external data location '../outside.bin' that leaves the model's folder

# A symbolic link inside the folder that leads out of it.
sub = ext_dir("ext_symlink")
m = save_external(sub)
os.rename(os.path.join(sub, "weights.bin"), os.path.join(d, "outside2.bin"))
os.symlink(os.path.join("..", "outside2.bin"), os.path.join(sub, "weights.bin"))
# EXT-SYMLINK: error: {{.*}}model.onnx: tensor 'w' has an external data location 'weights.bin' that resolves outside the model's folder

sub = ext_dir("ext_missing")
m = save_external(sub)
os.remove(os.path.join(sub, "weights.bin"))
# EXT-MISSING: error: {{.*}}model.onnx: tensor 'w' has external data in 'weights.bin', which cannot be opened

# A data file shorter than the tensors in it.
sub = ext_dir("ext_short")
m = save_external(sub)
with open(os.path.join(sub, "weights.bin"), "r+b") as f:
    f.truncate(40)
# EXT-SHORT: error: {{.*}}model.onnx: tensor 'w' has external data past the end of 'weights.bin'

sub = ext_dir("ext_offset")
m = save_external(sub)


def bad_offset(t):
    for kv in t.external_data:
        if kv.key == "offset":
            kv.value = "12x"


relocate(sub, m, "weights.bin", bad_offset)
# EXT-OFFSET: error: {{.*}}model.onnx: tensor 'w' has an invalid external data offset

sub = ext_dir("ext_no_location")
m = save_external(sub)


def drop_location(t):
    kept = [(kv.key, kv.value) for kv in t.external_data if kv.key != "location"]
    del t.external_data[:]
    for k, v in kept:
        e = t.external_data.add()
        e.key, e.value = k, v


relocate(sub, m, "weights.bin", drop_location)
# EXT-NO-LOCATION: error: {{.*}}model.onnx: tensor 'w' has external data without a location

#===--- --input-shape ---------------------------------------------------------===#

# SPEC-NO-COLON: error: --input-shape expects NAME:DIMS such as x:1x3x224x224, got 'x'
# SPEC-NO-DIMS: error: --input-shape expects NAME:DIMS such as x:1x3x224x224, got 'x:'
# SPEC-NO-NAME: error: --input-shape expects NAME:DIMS such as x:1x3x224x224, got ':2x3'
# SPEC-LETTER: error: --input-shape for 'x': 'a' is not a valid dimension
# SPEC-NEGATIVE: error: --input-shape for 'x': '-3' is not a valid dimension
# SPEC-EMPTY-DIM: error: --input-shape for 'x': '' is not a valid dimension
# SPEC-HUGE: error: --input-shape for 'x': '99999999999' is not a valid dimension
# SPEC-NOT-INPUT: error: {{.*}}relu.onnx: --input-shape names 'y', which is not a graph input (inputs: x)
# SPEC-RANK: error: {{.*}}relu.onnx: graph input 'x' has rank 2 but --input-shape gives 3 dims
# SPEC-INITIALIZER: error: {{.*}}relu.onnx: --input-shape names 'w', which is not a graph input (inputs: x)
