// Runs ONNX Runtime (onnxruntime-node, CPU execution provider) on N samples
// one at a time and writes the first output of each, for comparing qopt's
// outputs with ONNX Runtime's on many inputs.
//
//   node ort_outputs.js MODEL.onnx INPUTS.bin N THREADS OUTPUTS.bin
//
// INPUTS.bin holds N float32 samples of the model's single input (raw,
// little-endian, each in the shape the model declares); OUTPUTS.bin
// receives the N first outputs, concatenated (float32).
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

async function main() {
  const [model, inputPath, count, threads, outputPath] = process.argv.slice(2);
  if (!outputPath) {
    console.error('usage: node ort_outputs.js MODEL.onnx INPUTS.bin N THREADS OUTPUTS.bin');
    process.exit(1);
  }
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: Number(threads),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    // QOPT_ORT_OPT=disabled runs the QDQ nodes as written (float reference
    // semantics, no fused int8 kernels).
    graphOptimizationLevel: process.env.QOPT_ORT_OPT || 'all',
    logSeverityLevel: 3,
  });
  const name = session.inputNames[0];
  const dims = session.inputMetadata[0].shape;
  const bytes = fs.readFileSync(inputPath);
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const n = Number(count);
  const size = all.length / n;
  const chunks = [];
  for (let i = 0; i < n; ++i) {
    const feeds = {[name]: new ort.Tensor('float32', all.slice(i * size, (i + 1) * size), dims)};
    const out = (await session.run(feeds))[session.outputNames[0]].data;
    chunks.push(Buffer.from(out.buffer, out.byteOffset, out.byteLength));
  }
  fs.writeFileSync(outputPath, Buffer.concat(chunks));
  console.log(JSON.stringify({samples: n, ort_version: ort.env.versions.common}));
}

main().catch((e) => {
  console.error('error: ' + (e && e.message ? e.message : e));
  process.exit(1);
});
