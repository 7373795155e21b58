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
const {ort, openSession, inputDims, readFloats, firstOutputBytes, runMain} =
    require('./ort_session');

async function main([model, inputPath, threads, runs, warmup, outputPath]) {
  const session = await openSession(model, threads);
  const feeds = {[session.inputNames[0]]:
                     new ort.Tensor('float32', readFloats(fs, inputPath), inputDims(session))};
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
  fs.writeFileSync(outputPath, firstOutputBytes(session, result));
  console.log(JSON.stringify({median_ms: median, min_ms: times[0], runs: n,
                              ort_version: ort.env.versions.common}));
}

runMain(main, 'node ort_bench.js MODEL.onnx INPUT.bin THREADS RUNS WARMUP OUTPUT.bin', 6);
