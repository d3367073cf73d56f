#!/usr/bin/env node
// Size and load report of the release build (run `make dist` first; `make bench` does both).
//
//   node scripts/size-report.mjs [--dist dist] [--runs 5] [--route '#/why'] ...
//
// Prints two Markdown tables:
//  1. gzipped (level 9) and raw bytes of the wasm, js and css of dist/ (after wasm-opt), and of
//     the same build without wasm-opt (trunk keeps wasm-bindgen's output in
//     target/wasm-bindgen/release/);
//  2. time from navigation start to the first canvas with a drawn pixel, and to the app's ready
//     marker, in headless Chromium from a local server (median of --runs fresh page loads), for
//     both builds. The build without wasm-opt is dist/ with its wasm swapped (integrity attributes
//     dropped) in target/size-report/no-wasm-opt/.
import { chromium } from '../tests/e2e/node_modules/playwright-core/index.mjs';
import { copyFile, cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { startServer } from './serve-dist.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
  const opts = { dist: path.join(REPO, 'dist'), runs: 5, routes: [], target: process.env.CARGO_TARGET_DIR || path.join(REPO, 'target') };
  for (let i = 0; i < argv.length; i += 1) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--dist') opts.dist = path.resolve(v);
    else if (k === '--runs') opts.runs = Number(v);
    else if (k === '--route') opts.routes.push(v);
    else throw new Error(`unknown option ${k}`);
    i += 1;
  }
  if (opts.routes.length === 0) opts.routes = ['', '#/why'];
  return opts;
}

const opts = parseArgs(process.argv.slice(2));

async function filesOf(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? e.path, e.name));
}

async function sizes(file) {
  const buf = await readFile(file);
  return { raw: buf.length, gz: gzipSync(buf, { level: 9 }).length };
}

async function sumSizes(files) {
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const s = await sizes(f);
    raw += s.raw;
    gz += s.gz;
  }
  return { raw, gz };
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

const distFiles = await filesOf(opts.dist);
const byExt = (ext) => distFiles.filter((f) => f.endsWith(ext));
const wasmFiles = byExt('.wasm');
if (wasmFiles.length !== 1) throw new Error(`expected one .wasm in ${opts.dist}, found ${wasmFiles.length}`);
const distWasm = wasmFiles[0];

// wasm-bindgen's output before wasm-opt, kept by trunk in the target dir.
const bindgenDir = path.join(opts.target, 'wasm-bindgen', 'release');
const unopt = (await readdir(bindgenDir).catch(() => [])).filter((f) => f.endsWith('_bg.wasm'));
if (unopt.length !== 1) throw new Error(`expected one *_bg.wasm in ${bindgenDir} (run \`make dist\`)`);
const unoptWasm = path.join(bindgenDir, unopt[0]);
const [distStat, unoptStat] = await Promise.all([stat(distWasm), stat(unoptWasm)]);
if (unoptStat.mtimeMs + 60_000 < distStat.mtimeMs) {
  console.error(`warning: ${unoptWasm} is older than ${distWasm}; rebuild with \`make dist\``);
}

const js = await sumSizes(byExt('.js'));
const css = await sumSizes(byExt('.css'));
const html = await sumSizes(byExt('.html'));
const wasmOpt = await sizes(distWasm);
const wasmRaw = await sizes(unoptWasm);

console.log('\n### Release build size (gzip -9)\n');
console.log('| asset | without wasm-opt | with wasm-opt (dist/) |');
console.log('|---|---:|---:|');
const row = (name, a, b) => console.log(`| ${name} | ${kib(a.gz)} gz (${kib(a.raw)}) | ${kib(b.gz)} gz (${kib(b.raw)}) |`);
row('wasm', wasmRaw, wasmOpt);
row('js', js, js);
row('css', css, css);
row('html', html, html);
const total = (w) => ({ raw: w.raw + js.raw + css.raw + html.raw, gz: w.gz + js.gz + css.gz + html.gz });
row('**total**', total(wasmRaw), total(wasmOpt));

// The same build with wasm-bindgen's unoptimised module, to time it side by side.
const noOptDir = path.join(opts.target, 'size-report', 'no-wasm-opt');
await rm(noOptDir, { recursive: true, force: true });
await mkdir(path.dirname(noOptDir), { recursive: true });
await cp(opts.dist, noOptDir, { recursive: true });
await copyFile(unoptWasm, path.join(noOptDir, path.relative(opts.dist, distWasm)));
const indexPath = path.join(noOptDir, 'index.html');
const index = await readFile(indexPath, 'utf8');
await writeFile(indexPath, index.replace(/\s+integrity="[^"]*"/g, ''));

// Marks the first moment a canvas shows a pixel (checked every frame from navigation on).
const PROBE = () => {
  const look = () => {
    for (const c of document.querySelectorAll('canvas')) {
      if (!c.width || !c.height) continue;
      const ctx = c.getContext('2d');
      if (!ctx) continue;
      const { data } = ctx.getImageData(0, 0, c.width, c.height);
      for (let i = 3; i < data.length; i += 4) {
        if (data[i] !== 0) {
          window.__firstCanvasMs = performance.now();
          return;
        }
      }
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
  new MutationObserver((_, obs) => {
    if (document.querySelector('[data-testid="app-ready"]')) {
      window.__readyMs = performance.now();
      obs.disconnect();
    }
  }).observe(document, { childList: true, subtree: true, attributes: true });
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--disable-sync'],
});
const results = [];
try {
  for (const [label, dir] of [['with wasm-opt', opts.dist], ['without wasm-opt', noOptDir]]) {
    const server = await startServer({ dir, base: '/convlab/' });
    try {
      for (const route of opts.routes) {
        const canvas = [];
        const ready = [];
        const errors = [];
        for (let i = 0; i < opts.runs; i += 1) {
          const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
          const page = await context.newPage();
          page.on('pageerror', (e) => errors.push(e.message));
          await page.addInitScript(PROBE);
          await page.goto(new URL(route, server.url).href);
          const got = await page
            .waitForFunction(() => window.__firstCanvasMs !== undefined, null, { timeout: 20000 })
            .then(() => true, () => false);
          const t = await page.evaluate(() => [window.__firstCanvasMs, window.__readyMs]);
          if (got) canvas.push(t[0]);
          if (t[1] !== undefined) ready.push(t[1]);
          await context.close();
        }
        results.push({ label, route: route || '(home)', canvas, ready, errors });
      }
    } finally {
      await server.close();
    }
  }
} finally {
  await browser.close();
}

const ms = (xs, n) => (xs.length ? `${median(xs).toFixed(0)} ms${xs.length < n ? ` (${xs.length}/${n} loads)` : ''}` : 'never');
console.log(`\n### Load time, headless Chromium, local server, median of ${opts.runs} fresh loads\n`);
console.log('| build | route | navigation → app ready | navigation → first drawn canvas |');
console.log('|---|---|---:|---:|');
for (const r of results) {
  console.log(`| ${r.label} | ${r.route} | ${ms(r.ready, opts.runs)} | ${ms(r.canvas, opts.runs)} |`);
}
const failed = results.filter((r) => r.errors.length);
for (const r of failed) console.error(`page errors (${r.label}, ${r.route}): ${[...new Set(r.errors)].join('; ')}`);
process.exit(failed.length ? 1 : 0);
