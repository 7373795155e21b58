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
const {ort, openSession, inputDims, readFloats, firstOutputBytes, runMain} =
    require('./ort_session');

async function main([model, inputPath, count, threads, outputPath]) {
  const session = await openSession(model, threads);
  const name = session.inputNames[0];
  const dims = inputDims(session);
  const all = readFloats(fs, inputPath);
  const n = Number(count);
  const size = all.length / n;
  const chunks = [];
  for (let i = 0; i < n; ++i) {
    const feeds = {[name]: new ort.Tensor('float32', all.slice(i * size, (i + 1) * size), dims)};
    chunks.push(firstOutputBytes(session, await session.run(feeds)));
  }
  fs.writeFileSync(outputPath, Buffer.concat(chunks));
  console.log(JSON.stringify({samples: n, ort_version: ort.env.versions.common}));
}

runMain(main, 'node ort_outputs.js MODEL.onnx INPUTS.bin N THREADS OUTPUTS.bin', 5);
