/* Links two models compiled with different symbol prefixes into one program
 * and drives them through the generated headers alone. Reads one 1x1x28x28
 * float image from argv[1] (raw, native order) and prints each model's
 * metadata and logits. */
#include "cnn.h"
#include "vit.h"

#include <stdio.h>

static void describe(const char *model, const qopt_tensor_info *t) {
  printf("%s %s dtype=%d rank=%d shape=", model, t->name, (int)t->dtype,
         (int)t->rank);
  for (int i = 0; i < t->rank; ++i)
    printf("%s%lld", i ? "x" : "", (long long)t->shape[i]);
  printf("\n");
}

static void print_logits(const char *model, const float *logits) {
  printf("%s logits:", model);
  for (int i = 0; i < 10; ++i)
    printf(" %.9g", logits[i]);
  printf("\n");
}

int main(int argc, char **argv) {
  static float image[CNN_INPUT0_SIZE];
  float cnn_out[CNN_OUTPUT0_SIZE], vit_out[VIT_OUTPUT0_SIZE];
  FILE *f = argc > 1 ? fopen(argv[1], "rb") : NULL;
  if (!f || fread(image, sizeof(float), CNN_INPUT0_SIZE, f) != CNN_INPUT0_SIZE) {
    fprintf(stderr, "cannot read the image\n");
    return 2;
  }
  fclose(f);
  printf("abi %d %d (header %d)\n", cnn_abi_version(), vit_abi_version(),
         QOPT_ABI_VERSION);
  printf("cnn %d inputs %d outputs\n", cnn_num_inputs(), cnn_num_outputs());
  describe("cnn", cnn_input_info(0));
  describe("cnn", cnn_output_info(0));
  describe("vit", vit_input_info(0));
  describe("vit", vit_output_info(0));
  printf("out of range: %s %s\n", cnn_input_info(1) ? "info" : "NULL",
         vit_output_info(-1) ? "info" : "NULL");

  cnn_set_num_threads(2);
  printf("threads %d\n", cnn_get_num_threads());
  const void *inputs[1] = {image};
  void *cnn_outputs[1] = {cnn_out};
  void *vit_outputs[1] = {vit_out};
  void *null_outputs[1] = {NULL};
  printf("null buffer: %d\n", cnn_run(inputs, null_outputs));
  printf("null array: %d\n", vit_run(NULL, vit_outputs));
  printf("run: %d %d\n", cnn_run(inputs, cnn_outputs),
         vit_run(inputs, vit_outputs));
  print_logits("cnn", cnn_out);
  print_logits("vit", vit_out);
  return 0;
}
