// ONNX Runtime (onnxruntime-node, CPU execution provider) side of qopt's
// CPU benchmarks.
//
//   node ort_bench.js MODEL.onnx INPUT.bin THREADS RUNS WARMUP OUTPUT.bin
//
// INPUT.bin holds the model's single float32 input (raw, little-endian, in
// the shape the model declares); OUTPUT.bin receives its first output.
// Prints one JSON line: {"median_ms": ..., "min_ms": ..., "runs": ...}.
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

async function main() {
  const [model, inputPath, threads, runs, warmup, outputPath] =
      process.argv.slice(2);
  if (!outputPath) {
    console.error('usage: node ort_bench.js MODEL.onnx INPUT.bin THREADS RUNS WARMUP OUTPUT.bin');
    process.exit(1);
  }
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: Number(threads),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const name = session.inputNames[0];
  const meta = session.inputMetadata ? session.inputMetadata[0] : null;
  const bytes = fs.readFileSync(inputPath);
  const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  let dims = meta && meta.shape ? meta.shape : null;
  if (!dims || dims.some((d) => typeof d !== 'number'))
    dims = JSON.parse(process.env.QOPT_ORT_SHAPE || 'null');
  const feeds = {[name]: new ort.Tensor('float32', data, dims)};
  let result;
  for (let i = 0; i < Number(warmup); ++i)
    result = await session.run(feeds);
  const times = [];
  for (let i = 0; i < Number(runs); ++i) {
    const start = process.hrtime.bigint();
    result = await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const n = times.length;
  const median = n % 2 ? times[(n - 1) / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
  const out = result[session.outputNames[0]].data;
  fs.writeFileSync(outputPath, Buffer.from(out.buffer, out.byteOffset, out.byteLength));
  console.log(JSON.stringify({median_ms: median, min_ms: times[0], runs: n,
                              ort_version: ort.env.versions.common}));
}

main().catch((e) => {
  console.error('error: ' + (e && e.message ? e.message : e));
  process.exit(1);
});
