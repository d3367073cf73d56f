// The kernel benchmark page: our conv2d (wasm32 + simd128) and TensorFlow.js's
// wasm (XNNPACK, SIMD, one thread) and cpu backends on the same shapes and the
// same data, in the same page, timed in interleaved rounds (timeInterleaved) with
// the same sampling as the native harness (crates/convlab-bench/src/lib.rs).
// Results are POSTed to /result (run.mjs), which prints and stores the table.
import init, * as ours from '/pkg/convlab_bench.js';

const params = new URLSearchParams(location.search);
const MIN_SECONDS = Number(params.get('seconds') ?? 1);
const MIN_RUNS = Number(params.get('runs') ?? 20);
const TOLERANCE = 1e-4;
const log = (s) => {
  document.getElementById('log').textContent += `\n${s}`;
  console.log(s);
};
const tick = () => new Promise((r) => setTimeout(r, 0));

const SAMPLE_MS = 2;

// Times several engines of one case in interleaved rounds (one sample of each
// per round), so that a busy machine disturbs them alike. `engines` maps a name
// to { run(n): makes n calls, enter(): untimed set-up before each sample }. Each gets 3 warm-up calls, then samples of as
// many calls as take SAMPLE_MS, until it has MIN_RUNS samples and MIN_SECONDS
// of samples. Returns name → { median_ms, best_ms, runs } per call.
function timeInterleaved(engines) {
  const state = Object.entries(engines).map(([name, { run, enter }]) => {
    enter();
    const w0 = performance.now();
    run(3);
    const batch = Math.max(1, Math.ceil(SAMPLE_MS / Math.max((performance.now() - w0) / 3, 1e-3)));
    return { name, run, enter, batch, times: [], total: 0 };
  });
  const busy = (e) => e.times.length < MIN_RUNS || e.total < MIN_SECONDS * 1e3;
  while (state.some(busy)) {
    for (const e of state.filter(busy)) {
      e.enter();
      const t0 = performance.now();
      e.run(e.batch);
      const dt = performance.now() - t0;
      e.total += dt;
      e.times.push(dt / e.batch);
    }
  }
  const out = {};
  for (const e of state) {
    e.times.sort((a, b) => a - b);
    out[e.name] = { median_ms: e.times[e.times.length >> 1], best_ms: e.times[0], runs: e.times.length * e.batch };
  }
  return out;
}

// CHW → NHWC ([1, H, W, C]) and back.
function chwToHwc(data, c, h, w) {
  const out = new Float32Array(data.length);
  for (let ch = 0; ch < c; ch++)
    for (let i = 0; i < h * w; i++) out[i * c + ch] = data[ch * h * w + i];
  return out;
}
function hwcToChw(data, c, h, w) {
  const out = new Float32Array(data.length);
  for (let ch = 0; ch < c; ch++)
    for (let i = 0; i < h * w; i++) out[ch * h * w + i] = data[i * c + ch];
  return out;
}

// Weights [out, in/groups, kh, kw] → tf.conv2d [kh, kw, in, out], or for a
// depthwise conv (groups = in) tf.depthwiseConv2d [kh, kw, in, out/in].
function filterFor(c, weight) {
  const [kh, kw] = c.kernel;
  const ipg = c.in / c.groups;
  if (c.groups === 1) {
    const f = new Float32Array(weight.length);
    for (let o = 0; o < c.out; o++)
      for (let i = 0; i < ipg; i++)
        for (let t = 0; t < kh * kw; t++)
          f[(t * c.in + i) * c.out + o] = weight[(o * ipg + i) * kh * kw + t];
    return { depthwise: false, data: f, shape: [kh, kw, c.in, c.out] };
  }
  if (ipg === 1) {
    const m = c.out / c.in;
    const f = new Float32Array(weight.length);
    for (let o = 0; o < c.out; o++)
      for (let t = 0; t < kh * kw; t++)
        f[(t * c.in + Math.floor(o / m)) * m + (o % m)] = weight[o * kh * kw + t];
    return { depthwise: true, data: f, shape: [kh, kw, c.in, m] };
  }
  throw new Error(`case ${c.name}: grouped convolution has no TensorFlow.js op`);
}

// One TF.js backend on case `c`: its output (CHW) and a function making `n`
// calls. Both backends compute synchronously inside the op, so a call is the
// whole convolution (as ours, output allocation included); the output is not
// copied out of the backend inside the timed calls.
async function tfjsEngine(backend, c, x, filter, bias) {
  await tf.setBackend(backend);
  const side = c.side;
  const xt = tf.tensor4d(chwToHwc(x, c.in, side, side), [1, side, side, c.in]);
  const ft = tf.tensor4d(filter.data, filter.shape);
  const bt = bias.length ? tf.tensor1d(bias) : undefined;
  const pad = [[0, 0], [c.padding[0], c.padding[0]], [c.padding[1], c.padding[1]], [0, 0]];
  const args = { x: xt, filter: ft, strides: c.stride, pad, dilations: c.dilation, bias: bt };
  const op = filter.depthwise ? tf.fused.depthwiseConv2d : tf.fused.conv2d;
  const y0 = op(args);
  const [, oh, ow, oc] = y0.shape;
  const out = hwcToChw(y0.dataSync(), oc, oh, ow);
  y0.dispose();
  const run = (n) => {
    for (let i = 0; i < n; i++) op(args).dispose();
  };
  // An initialised backend is switched synchronously (setBackend awaits nothing then).
  const enter = () => {
    if (tf.getBackend() !== backend) tf.setBackend(backend);
  };
  const dispose = () => {
    for (const v of [xt, ft, bt]) v?.dispose();
  };
  return { out, run, enter, dispose };
}

function maxDiff(a, b) {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

async function main() {
  await init();
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  tf.wasm.setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
  tf.wasm.setThreadsCount(1);
  await tf.setBackend('wasm');
  await tf.ready();
  const env = {
    userAgent: navigator.userAgent,
    tfjs: tf.version_core,
    wasmSimd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    wasmThreads: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
    crossOriginIsolated: self.crossOriginIsolated === true,
    minSeconds: MIN_SECONDS,
    minRuns: MIN_RUNS,
    sampleMs: SAMPLE_MS,
  };
  log(JSON.stringify(env));
  const rows = [];
  for (let i = 0; i < ours.case_count(); i++) {
    const c = JSON.parse(ours.case_json(i));
    const x = ours.case_input(i);
    const w = ours.case_weight(i);
    const bias = ours.case_bias(i);
    const mine = ours.case_output(i);
    const filter = filterFor(c, w);
    const runner = new ours.Runner(i);
    const tfWasm = await tfjsEngine('wasm', c, x, filter, bias);
    const tfCpu = await tfjsEngine('cpu', c, x, filter, bias);
    await tick();
    const t = timeInterleaved({
      ours: { run: (n) => runner.run(n), enter: () => {} },
      tfjs_wasm: tfWasm,
      tfjs_cpu: tfCpu,
    });
    const row = {
      case: c,
      ours: t.ours,
      tfjs_wasm: { ...t.tfjs_wasm, max_diff: maxDiff(mine, tfWasm.out) },
      tfjs_cpu: { ...t.tfjs_cpu, max_diff: maxDiff(mine, tfCpu.out) },
    };
    runner.free();
    await tf.setBackend('wasm');
    tfWasm.dispose();
    await tf.setBackend('cpu');
    tfCpu.dispose();
    log(JSON.stringify(row));
    rows.push(row);
  }
  const ok = rows.every((r) => r.tfjs_wasm.max_diff <= TOLERANCE && r.tfjs_cpu.max_diff <= TOLERANCE);
  return { env, rows, tolerance: TOLERANCE, ok };
}

main()
  .then((result) => fetch('/result', { method: 'POST', body: JSON.stringify(result) }))
  .catch((e) => fetch('/result', { method: 'POST', body: JSON.stringify({ error: String(e?.stack ?? e) }) }));
