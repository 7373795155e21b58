// What qopt's ONNX Runtime scripts (ort_bench.js, ort_outputs.js) share: the
// session options that make ORT comparable with qopt (CPU execution provider,
// the given intra-op thread count, one inter-op thread, sequential), the
// input shape, and the error exit.
'use strict';
const ort = require('onnxruntime-node');

// graphOptimizationLevel: 'all' unless QOPT_ORT_OPT says otherwise
// (QOPT_ORT_OPT=disabled runs QDQ nodes as written: float reference
// semantics, no fused int8 kernels).
function openSession(model, threads) {
  return ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: Number(threads),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: process.env.QOPT_ORT_OPT || 'all',
    logSeverityLevel: 3,
  });
}

// The first input's shape: from the model, or from QOPT_ORT_SHAPE (a JSON
// list) where the model leaves dimensions symbolic.
function inputDims(session) {
  const meta = session.inputMetadata ? session.inputMetadata[0] : null;
  const dims = meta && meta.shape ? meta.shape : null;
  if (dims && dims.every((d) => typeof d === 'number'))
    return dims;
  return JSON.parse(process.env.QOPT_ORT_SHAPE || 'null');
}

// Reads a raw little-endian float32 file.
function readFloats(fs, path) {
  const bytes = fs.readFileSync(path);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}

// The bytes of the session's first output in a run result.
function firstOutputBytes(session, result) {
  const out = result[session.outputNames[0]].data;
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

// Runs an async main; any failure is one `error:` line and exit 1.
function runMain(main, usage, argc) {
  if (process.argv.length - 2 < argc) {
    console.error('usage: ' + usage);
    process.exit(1);
  }
  main(process.argv.slice(2)).catch((e) => {
    console.error('error: ' + (e && e.message ? e.message : e));
    process.exit(1);
  });
}

module.exports = {ort, openSession, inputDims, readFloats, firstOutputBytes, runMain};
