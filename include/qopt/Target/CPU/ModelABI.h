/*===- ModelABI.h - the C ABI of qopt's ahead-of-time compiled models -*- C -*-=
 *
 * A model compiled with `qopt-compile --emit=obj|shared` exports, for its
 * symbol prefix PREFIX (--symbol-prefix, default qopt_model):
 *
 *   int PREFIX_abi_version(void);          returns QOPT_ABI_VERSION
 *   int PREFIX_num_inputs(void);
 *   int PREFIX_num_outputs(void);
 *   const qopt_tensor_info *PREFIX_input_info(int i);   NULL if out of range
 *   const qopt_tensor_info *PREFIX_output_info(int i);  NULL if out of range
 *   int PREFIX_run(const void *const *inputs, void *const *outputs);
 *   void PREFIX_set_num_threads(int n);    n <= 0: all cores
 *   int PREFIX_get_num_threads(void);
 *
 * PREFIX_run returns 0 on success, QOPT_ERR_NULL_ARGUMENT when an array or
 * one of its buffers is NULL. The generated header PREFIX.h repeats these
 * declarations and the definitions below so that it stands alone; this file
 * is the one qopt's own loader compiles against. docs/CABI.md describes it.
 *
 *===----------------------------------------------------------------------===*/

#ifndef QOPT_TARGET_CPU_MODELABI_H
#define QOPT_TARGET_CPU_MODELABI_H

#include <stdint.h>

#define QOPT_ABI_VERSION 1

#define QOPT_ERR_NULL_ARGUMENT 1

/* Element types; the values are part of the ABI. */
typedef enum qopt_dtype {
  QOPT_DTYPE_F32 = 0,
  QOPT_DTYPE_F64 = 1,
  QOPT_DTYPE_F16 = 2,
  QOPT_DTYPE_BF16 = 3,
  QOPT_DTYPE_I8 = 4,
  QOPT_DTYPE_I16 = 5,
  QOPT_DTYPE_I32 = 6,
  QOPT_DTYPE_I64 = 7,
  QOPT_DTYPE_BOOL = 8
} qopt_dtype;

/* One input or output: a dense row-major (C order) buffer of `shape`. */
typedef struct qopt_tensor_info {
  const char *name;
  int32_t dtype; /* a qopt_dtype */
  int32_t rank;
  const int64_t *shape; /* rank entries */
} qopt_tensor_info;

#endif /* QOPT_TARGET_CPU_MODELABI_H */
