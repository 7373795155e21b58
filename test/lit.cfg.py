# -*- Python -*-
# lit configuration for qopt's FileCheck tests.

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "QOPT"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".py"]
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "Inputs", "CMakeLists.txt"]

config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.qopt_obj_root, "test")

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

# Tools first from the build, then from LLVM 22 (FileCheck, not, count).
# (append_path=True puts the directory in front of the inherited PATH.)
llvm_config.with_system_environment(["PATH"])
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.qopt_tools_dir, append_path=True)
llvm_config.with_environment("PYTHONPATH", config.qopt_python_dir, append_path=True)

config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%qopt_src", config.qopt_src_root))
config.substitutions.append(("%qopt_lib", os.path.join(config.qopt_obj_root, "lib")))
# Programs that link libqopt_runtime.a need the instrumentation runtimes of a
# sanitizer or fuzzer build, whose flags the archive was compiled with.
runtime_link_flags = []
if getattr(config, "qopt_sanitizers", False):
    runtime_link_flags.append("-fsanitize=address,undefined")
if getattr(config, "qopt_fuzzer", False):
    runtime_link_flags.append("-fsanitize=fuzzer-no-link")
config.substitutions.append(("%qopt_runtime_link_flags", " ".join(runtime_link_flags)))

tools = ["qopt-opt", "qopt-translate", "qopt-compile", "qopt-run"]
llvm_config.add_tool_substitutions(tools, [config.qopt_tools_dir])
