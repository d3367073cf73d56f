#!/usr/bin/env node
// Runs the kernel benchmark page (index.html, bench.mjs) in headless Chromium and
// prints its table: our conv2d in wasm and natively, TensorFlow.js's wasm and cpu
// backends, GFLOP/s at the median and the best run, and how far TF.js's outputs
// are from ours. Called by scripts/bench-kernels-wasm:
//
//   node web/run.mjs --pkg DIR [--native native.json] [--docs docs/PERFORMANCE.md]
//                    [--seconds 1] [--runs 20] [--chromium /usr/bin/chromium]
//
// --pkg is the wasm-bindgen (--target web) output of this crate; --native is the
// JSON of `cargo run --release -p convlab-bench -- --json`; --docs replaces the
// text between `<!-- kernels:start -->` and `<!-- kernels:end -->` of that file
// (creating the file, or the section, when missing) and touches nothing else.
// Serves only this crate's web/, node_modules/ and the pkg folder on 127.0.0.1.
// Exits non-zero when the page fails or an output differs by more than 1e-4.
import http from 'node:http';
import { spawn, execFileSync } from 'node:child_process';
import { readFile, writeFile, mkdtemp, mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const crate = path.dirname(here);

function args() {
  const a = { seconds: '1', runs: '20', chromium: '/usr/bin/chromium' };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i += 2) {
    if (!v[i].startsWith('--') || v[i + 1] === undefined) throw new Error(`bad argument ${v[i]}`);
    a[v[i].slice(2)] = v[i + 1];
  }
  if (!a.pkg) throw new Error('--pkg DIR is required');
  return a;
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

function serve(pkg, onResult) {
  const roots = { '/web/': here, '/node_modules/': path.join(crate, 'node_modules'), '/pkg/': path.resolve(pkg) };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (req.method === 'POST' && url.pathname === '/result') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.end('ok');
        onResult(body);
      });
      return;
    }
    const p = url.pathname === '/' ? '/web/index.html' : url.pathname;
    const prefix = Object.keys(roots).find((r) => p.startsWith(r));
    const file = prefix && path.join(roots[prefix], decodeURIComponent(p.slice(prefix.length)));
    if (!file || !file.startsWith(roots[prefix]) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    // Cross-origin isolated: performance.now() then ticks in 5 µs, not 100 µs.
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    res.end(await readFile(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const gf = (flops, ms) => flops / (ms * 1e6);
const cell = (flops, r) => (r ? `${gf(flops, r.median_ms).toFixed(1)} / ${gf(flops, r.best_ms).toFixed(1)}` : '–');

function table(result, native) {
  const lines = [
    '| case | shape | MFLOP | ours wasm | ours native | TF.js wasm | TF.js cpu | ours ÷ TF.js wasm (median) | max \\|Δ\\| vs ours (TF.js wasm, cpu) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of result.rows) {
    const c = r.case;
    const n = native?.find((x) => x.name === c.name);
    const ratio = r.tfjs_wasm.median_ms / r.ours.median_ms;
    lines.push(
      `| ${c.name} | ${c.label} | ${(c.flops / 1e6).toFixed(1)} | ${cell(c.flops, r.ours)} | ${cell(c.flops, n)} | ${cell(c.flops, r.tfjs_wasm)} | ${cell(c.flops, r.tfjs_cpu)} | ${ratio.toFixed(2)}× | ${r.tfjs_wasm.max_diff.toExponential(1)}, ${r.tfjs_cpu.max_diff.toExponential(1)} |`,
    );
  }
  return lines.join('\n');
}

function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const load = os.loadavg().map((l) => l.toFixed(1)).join(', ');
  let chromium = '';
  try {
    chromium = execFileSync(args().chromium, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    chromium = 'chromium';
  }
  return { cpu, cores: os.cpus().length, load, chromium };
}

async function writeDocs(file, text) {
  const start = '<!-- kernels:start -->';
  const end = '<!-- kernels:end -->';
  const block = `${start}\n${text}\n${end}`;
  let doc = existsSync(file) ? await readFile(file, 'utf8') : '# Performance\n';
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i >= 0 && j > i) doc = doc.slice(0, i) + block + doc.slice(j + end.length);
  else doc = `${doc.trimEnd()}\n\n## Kernels\n\n${block}\n`;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, doc);
}

async function main() {
  const a = args();
  const native = a.native ? JSON.parse(await readFile(a.native, 'utf8')) : null;
  const before = machine();
  let finish;
  const got = new Promise((r) => (finish = r));
  const server = await serve(a.pkg, finish);
  const url = `http://127.0.0.1:${server.address().port}/?seconds=${a.seconds}&runs=${a.runs}`;
  const profile = await mkdtemp(path.join(os.tmpdir(), 'convlab-bench-'));
  const browser = spawn(
    a.chromium,
    [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-background-timer-throttling', '--disable-renderer-backgrounding',
      `--user-data-dir=${profile}`, url,
    ],
    { stdio: 'ignore' },
  );
  browser.once('error', (e) => finish(JSON.stringify({ error: `could not start ${a.chromium}: ${e.message}` })));
  browser.once('exit', (code) => finish(JSON.stringify({ error: `${a.chromium} exited (${code}) before the page reported` })));
  const timeout = setTimeout(() => finish(JSON.stringify({ error: 'timed out after 20 minutes' })), 20 * 60e3);
  const body = await got;
  clearTimeout(timeout);
  browser.kill();
  server.close();
  await new Promise((r) => (browser.exitCode !== null ? r() : browser.once('exit', r)));
  await rm(profile, { recursive: true, force: true });
  const result = JSON.parse(body);
  if (result.error) throw new Error(`benchmark page failed: ${result.error}`);
  const m = machine();
  const e = result.env;
  const text = [
    `GFLOP/s (FLOPs = 2 · multiply–adds), **median / best** of ≥ ${e.minRuns} timed samples and ≥ ${e.minSeconds} s per engine and case (a sample is as many back-to-back calls as take ≥ ${e.sampleMs} ms, timed together, so the timer's resolution does not matter; cross-origin isolated page: ${e.crossOriginIsolated ? 'yes' : 'no'}), one thread, all in the same page of headless ${m.chromium}.`,
    `Machine: ${m.cpu}, ${m.cores} cores, shared with other work while measured (load average ${before.load} before, ${m.load} after; the median suffers first).`,
    `TF.js ${e.tfjs}: wasm backend (XNNPACK) with SIMD ${e.wasmSimd ? 'on' : 'OFF'}, threads ${e.wasmThreads ? 'ON' : 'off'} (the non-threaded SIMD binary), and the plain-JS cpu backend, both through \`tf.fused.conv2d\` / \`tf.fused.depthwiseConv2d\` with bias, NHWC; ours: \`Conv2d::forward\` (wasm32 + simd128; native = the same harness, \`cargo run --release -p convlab-bench\`). Inputs and weights are the same numbers; "max |Δ|" is the largest difference between TF.js's output and ours (limit ${result.tolerance}).`,
    '',
    table(result, native),
    '',
    'Targets: issue 2, ≥ 10 GFLOP/s on B and D and ≥ 6.7 on C in wasm; issue 9, faster than TF.js\'s wasm backend on every case. On a machine shared with other work, compare the best columns (least disturbed) and the ratio column (both engines timed in the same interleaved rounds, so equally disturbed); the medians alone mostly measure the load.',
    '',
    `Regenerate: \`make bench\` or \`scripts/bench-kernels-wasm\` (writes this section).`,
  ].join('\n');
  console.log(text);
  if (a.docs) await writeDocs(a.docs, text);
  if (!result.ok) {
    console.error(`outputs differ from TF.js by more than ${result.tolerance}`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e.stack ?? String(e));
  process.exitCode = 1;
});
