#!/usr/bin/env node
// App benchmarks of the release build in headless Chromium (playwright-core, /usr/bin/chromium),
// served from localhost by scripts/serve-dist.mjs. Prints Markdown tables and writes them into
// docs/PERFORMANCE.md between <!-- app:start --> and <!-- app:end --> (the file is created with
// its markers if missing; the rest of it is left alone).
//
//   node scripts/bench-app.mjs [--dist dist] [--runs 5] [--moves 100] [--no-write]
//                              [--only load,interaction,animation] [--lessons why,group]
//
// Load: for the home page and every lesson, --runs cold loads (a fresh browser context each, the
//   server sends no-store): gzipped bytes (level 9) of every response the view downloads, and the
//   time from navigation start to the first drawn figure = the first animation frame in which a
//   canvas has a non-transparent pixel or the lesson's figure holds a drawn SVG (median).
// Interaction: per lesson, its main slider (the first range input among the controls) swept
//   across its range and back in >= --moves steps, once with the other sliders at their
//   defaults and once with every other slider at its maximum ("largest"). Each step: set the
//   value, dispatch `input`, then wait for the next requestAnimationFrame and the task after it
//   (the frame that shows the result has been produced); latency = that time since the event.
//   Chromium runs with its frame-rate limit off, so the wait for vsync is not counted.
// Animation: per Player (and the group lesson's morph), play and record requestAnimationFrame
//   intervals at the normal 60 Hz for up to 3 s: median fps, and long tasks (> 50 ms, from a
//   PerformanceObserver) while it plays.
// Targets (issue 9): p95 <= 8 ms default / <= 16 ms largest; >= 58 fps, no long task; load
// <= 250 KB gzipped, first figure <= 300 ms.
import { chromium } from '../tests/e2e/node_modules/playwright-core/index.mjs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { startServer } from './serve-dist.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const BASE_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update'];
const TARGET = { loadKB: 250, firstMs: 300, p95Default: 8, p95Largest: 16, fps: 58, longMs: 50 };

function parseArgs(argv) {
  const o = { dist: path.join(REPO, 'dist'), runs: 5, moves: 100, write: true, only: ['load', 'interaction', 'animation'], lessons: null };
  for (let i = 0; i < argv.length; i += 1) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--dist') o.dist = path.resolve(v);
    else if (k === '--runs') o.runs = Number(v);
    else if (k === '--moves') o.moves = Number(v);
    else if (k === '--only') o.only = v.split(',');
    else if (k === '--lessons') o.lessons = v.split(',');
    else if (k === '--no-write') { o.write = false; i -= 1; } else throw new Error(`unknown option ${k}`);
    i += 1;
  }
  return o;
}

const median = (xs) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const ok = (good) => (good ? 'yes' : '**no**');

// Installed before any page script: records the time of the first drawn figure.
const FIRST_FIGURE = () => {
  window.__firstFigure = null;
  const drawn = () => {
    for (const c of document.querySelectorAll('canvas')) {
      if (!c.width || !c.height) continue;
      const ctx = c.getContext('2d', { willReadFrequently: true });
      if (!ctx) continue;
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return 'canvas';
    }
    const svg = document.querySelector('[data-testid="figure"] svg');
    if (svg && svg.querySelectorAll('rect,path,circle,line,polygon,polyline,text').length > 4) return 'svg';
    return null;
  };
  const tick = () => {
    const what = document.readyState === 'loading' ? null : drawn();
    if (what) window.__firstFigure = { ms: performance.now(), what };
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
};

async function lessonIds(browser, base) {
  const page = await browser.newPage();
  await page.goto(base);
  await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached' });
  const ids = await page.$$eval('nav a[href^="#/"]', (as) => as.map((a) => a.getAttribute('href').slice(2)).filter(Boolean));
  await page.close();
  return [...new Set(ids)];
}

async function benchLoad(browser, base, routes, runs) {
  const rows = [];
  for (const route of routes) {
    const times = [];
    let bytes = null;
    let what = '';
    for (let r = 0; r < runs; r += 1) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript(FIRST_FIGURE);
      const page = await context.newPage();
      const responses = [];
      page.on('response', (res) => responses.push(res));
      await page.goto(`${base}${route}`, { waitUntil: 'load' });
      await page.waitForFunction(() => window.__firstFigure, null, { timeout: 30000, polling: 100 });
      const ff = await page.evaluate(() => window.__firstFigure);
      times.push(ff.ms);
      what = ff.what;
      if (bytes === null) {
        bytes = { total: 0, files: {} };
        for (const res of responses) {
          const body = await res.body().catch(() => null);
          if (!body) continue;
          const gz = gzipSync(body, { level: 9 }).length;
          const name = new URL(res.url()).pathname.split('/').pop() || 'index.html';
          const kind = name.replace(/^.*\./, '');
          bytes.files[kind] = (bytes.files[kind] || 0) + gz;
          bytes.total += gz;
        }
      }
      await context.close();
    }
    rows.push({ route: route || '#/', first: median(times), min: Math.min(...times), what, bytes });
    console.error(`load ${route || '#/'}: first figure ${f1(median(times))} ms, ${(bytes.total / 1024).toFixed(1)} KiB gz`);
  }
  return rows;
}

// In the page: sweep one range input; returns latencies in ms.
async function sweep({ selector, moves }) {
  const el = document.querySelector(selector);
  if (!el) return null;
  const min = Number(el.min || 0);
  const max = Number(el.max || 100);
  const step = Number(el.step) > 0 ? Number(el.step) : 1;
  const values = [];
  for (let v = min; v <= max + 1e-9; v += step) values.push(v);
  if (values.length > 400) {
    const keep = [];
    for (let i = 0; i < 200; i += 1) keep.push(values[Math.round((i / 199) * (values.length - 1))]);
    values.splice(0, values.length, ...keep);
  }
  // Ping-pong across the range (no value twice in a row), at least `moves` steps.
  const seq = [];
  const back = [...values].reverse().slice(1, -1);
  while (seq.length < moves + 1) seq.push(...values, ...back);
  const frameEnd = () => new Promise((res) => requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => res();
    ch.port2.postMessage(0);
  }));
  await frameEnd();
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  const out = [];
  let prev = el.value;
  for (const v of seq) {
    if (String(v) === prev) continue;
    const t0 = performance.now();
    setter.call(el, String(v));
    el.dispatchEvent(new Event('input', { bubbles: true }));
    await frameEnd();
    out.push(performance.now() - t0);
    prev = el.value;
    if (out.length >= Math.max(moves, 100)) break;
  }
  el.dispatchEvent(new Event('change', { bubbles: true }));
  return out;
}

const SLIDERS = () => [...document.querySelectorAll('[data-testid="controls"] input[type="range"]')]
  .filter((e) => !e.classList.contains('cl-scrub') && e.offsetParent !== null)
  .map((e, i) => ({ i, id: e.dataset.testid || e.getAttribute('aria-label') || `range-${i}`, min: e.min, max: e.max }));

async function benchInteraction(browser, base, ids, moves) {
  const rows = [];
  for (const id of ids) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    for (const mode of ['default', 'largest']) {
      await page.goto('about:blank');
      await page.goto(`${base}#/${id}`);
      await page.waitForSelector(`[data-testid="lesson-${id}"]`);
      await page.waitForTimeout(300);
      const sliders = await page.evaluate(SLIDERS);
      if (sliders.length === 0) {
        if (mode === 'default') rows.push({ id, slider: '(no slider)', mode, n: 0 });
        continue;
      }
      const sel = `[data-testid="controls"] input[type="range"]:not(.cl-scrub)`;
      if (mode === 'largest') {
        await page.evaluate((s) => {
          const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
          const els = [...document.querySelectorAll(s)].filter((e) => e.offsetParent !== null);
          for (const e of els.slice(1)) {
            setter.call(e, e.max);
            e.dispatchEvent(new Event('input', { bubbles: true }));
            e.dispatchEvent(new Event('change', { bubbles: true }));
          }
        }, sel);
        await page.waitForTimeout(500);
      }
      const main = sliders[0];
      const mainSel = main.id.startsWith('range-') ? sel : `[data-testid="controls"] input[type="range"][data-testid="${main.id}"]`;
      const lat = await page.evaluate(sweep, { selector: mainSel, moves });
      if (!lat || lat.length === 0) continue;
      const row = { id, slider: `${main.id} (${main.min}–${main.max})`, mode, n: lat.length, p50: pct(lat, 50), p95: pct(lat, 95), max: Math.max(...lat) };
      rows.push(row);
      console.error(`interaction ${id} ${mode}: ${row.slider} p50 ${f1(row.p50)} p95 ${f1(row.p95)} ms (n=${row.n})`);
    }
    await page.close();
  }
  return rows;
}

// In the page: play and sample frame intervals and long tasks for up to `ms`.
async function sampleFrames({ ms, start }) {
  const longs = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longs.push(e.duration);
  });
  try {
    obs.observe({ type: 'longtask' });
  } catch {
    /* no longtask support */
  }
  const stamps = [];
  let running = true;
  const tick = (t) => {
    stamps.push(t);
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const done = (window[start] || (() => null))();
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    await new Promise((r) => setTimeout(r, 50));
    if (done && done()) break;
  }
  running = false;
  obs.disconnect();
  const iv = [];
  for (let i = 1; i < stamps.length; i += 1) iv.push(stamps[i] - stamps[i - 1]);
  return { iv, longs, playedMs: performance.now() - t0 };
}

// The largest state the UI allows, per animated lesson: every animation is measured at the
// lesson's defaults and again here ("largest" rows).
const ANIM_LARGEST = {
  dilated: 'L=7d1,7d2,7d4,7d8,7d16,7d16&n=49&f=0',
  shiftnet: 'k=5&m=3&depth=8&f=0',
  shufflenet: 'C=480',
  why: 'M=32',
};

async function benchAnimation(browser, base, ids) {
  const rows = [];
  const visits = [];
  for (const id of ids) {
    visits.push({ id, query: '', tag: '' });
    if (ANIM_LARGEST[id]) visits.push({ id, query: `?${ANIM_LARGEST[id]}`, tag: ' [largest]' });
  }
  for (const { id, query, tag } of visits) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${base}#/${id}${query}`);
    await page.waitForSelector(`[data-testid="lesson-${id}"]`);
    await page.waitForTimeout(300);
    const players = await page.$$eval('.cl-player', (ps) => ps.map((p, i) => p.getAttribute('data-testid') || `player-${i}`));
    const jobs = players.map((name, i) => ({ name: `${name}${tag}`, kind: 'player', i }));
    if (id === 'group' && !query) jobs.push({ name: 'morph (M slider)', kind: 'morph' });
    for (const job of jobs) {
      await page.evaluate(({ kind, i }) => {
        window.__benchStart = () => {
          if (kind === 'player') {
            const p = document.querySelectorAll('.cl-player')[i];
            const play = p.querySelector('.cl-play');
            const scrub = p.querySelector('.cl-scrub');
            if (scrub) {
              const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
              setter.call(scrub, scrub.min || 0);
              scrub.dispatchEvent(new Event('input', { bubbles: true }));
            }
            play.click();
            return () => play.getAttribute('aria-label') === 'play';
          }
          const el = document.querySelector('[data-testid="controls"] input[type="range"][data-testid="slider-M"]') || document.querySelector('[data-testid="controls"] input[type="range"]');
          const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
          setter.call(el, String(Number(el.value) === Number(el.max) ? el.min : el.max));
          el.dispatchEvent(new Event('input', { bubbles: true }));
          el.dispatchEvent(new Event('change', { bubbles: true }));
          return null;
        };
      }, job);
      const s = await page.evaluate(sampleFrames, { ms: job.kind === 'morph' ? 1200 : 3000, start: '__benchStart' });
      const fps = 1000 / median(s.iv);
      const longest = s.longs.length ? Math.max(...s.longs) : 0;
      const row = { id, name: job.name, frames: s.iv.length, fps, p95iv: pct(s.iv, 95), longs: s.longs.length, longest };
      rows.push(row);
      console.error(`animation ${id} ${job.name}: ${f1(fps)} fps median, p95 interval ${f1(row.p95iv)} ms, ${row.longs} long tasks`);
      // Stop a player still running.
      await page.evaluate(() => document.querySelectorAll('.cl-play[aria-label="pause"]').forEach((b) => b.click()));
    }
    await page.close();
  }
  return rows;
}

function tables({ load, inter, anim, meta }) {
  const out = [];
  out.push(`Measured ${meta.date} on ${meta.machine}; release build \`${meta.dist}\`, headless Chromium ${meta.chromium}, served from localhost. Regenerate: \`make bench\` (or \`node scripts/bench-app.mjs\`).`);
  out.push('');
  if (load) {
    out.push('### Load (cold, median of ' + meta.runs + ')');
    out.push('');
    out.push('First figure: time from navigation start to the first animation frame with a canvas holding a non-transparent pixel (or a drawn SVG in the lesson figure). Bytes: every response of that view, gzip -9. Targets: <= 250 KB gz, <= 300 ms.');
    out.push('');
    out.push('| route | downloaded (gz) | of which wasm | js | css | html | first figure (ms) | fastest (ms) | drawn by | meets targets |');
    out.push('|---|---:|---:|---:|---:|---:|---:|---:|---|---|');
    for (const r of load) {
      const kb = (n) => `${((n || 0) / 1024).toFixed(1)} KiB`;
      const good = r.bytes.total <= TARGET.loadKB * 1000 && r.first <= TARGET.firstMs;
      out.push(`| \`${r.route}\` | ${kb(r.bytes.total)} | ${kb(r.bytes.files.wasm)} | ${kb(r.bytes.files.js)} | ${kb(r.bytes.files.css)} | ${kb(r.bytes.files.html)} | ${f1(r.first)} | ${f1(r.min)} | ${r.what} | ${ok(good)} |`);
    }
    out.push('');
  }
  if (inter) {
    out.push('### Interaction (main slider swept across its range and back)');
    out.push('');
    out.push('Latency: `input` event dispatched -> end of the next animation frame (rAF, then the task after it), Chromium with its frame-rate limit off. "largest": every other slider of the lesson at its maximum. Targets: p95 <= 8 ms default, <= 16 ms largest.');
    out.push('');
    out.push('| lesson | slider | sizes | moves | p50 (ms) | p95 (ms) | max (ms) | meets target |');
    out.push('|---|---|---|---:|---:|---:|---:|---|');
    for (const r of inter) {
      if (!r.n) {
        out.push(`| ${r.id} | ${r.slider} | – | 0 | – | – | – | – |`);
        continue;
      }
      const limit = r.mode === 'default' ? TARGET.p95Default : TARGET.p95Largest;
      out.push(`| ${r.id} | ${r.slider} | ${r.mode} | ${r.n} | ${f1(r.p50)} | ${f1(r.p95)} | ${f1(r.max)} | ${ok(r.p95 <= limit)} |`);
    }
    out.push('');
  }
  if (anim) {
    out.push('### Animation (up to 3 s of playback each, 60 Hz)');
    out.push('');
    out.push('Targets: median >= 58 fps, no long task (> 50 ms) while playing.');
    out.push('');
    out.push('| lesson | animation | frames | median fps | p95 frame interval (ms) | long tasks | longest (ms) | meets target |');
    out.push('|---|---|---:|---:|---:|---:|---:|---|');
    for (const r of anim) {
      out.push(`| ${r.id} | ${r.name} | ${r.frames} | ${f1(r.fps)} | ${f1(r.p95iv)} | ${r.longs} | ${f1(r.longest)} | ${ok(r.fps >= TARGET.fps && r.longs === 0)} |`);
    }
    out.push('');
  }
  const missed = [];
  for (const r of load || []) {
    if (r.bytes.total > TARGET.loadKB * 1000) missed.push(`load \`${r.route}\`: ${(r.bytes.total / 1024).toFixed(0)} KiB gz > ${TARGET.loadKB} KB`);
    if (r.first > TARGET.firstMs) missed.push(`load \`${r.route}\`: first figure ${f1(r.first)} ms > ${TARGET.firstMs} ms`);
  }
  for (const r of inter || []) {
    const limit = r.mode === 'default' ? TARGET.p95Default : TARGET.p95Largest;
    if (r.n && r.p95 > limit) missed.push(`interaction ${r.id} (${r.mode}): p95 ${f1(r.p95)} ms > ${limit} ms`);
  }
  for (const r of anim || []) {
    if (r.fps < TARGET.fps || r.longs > 0) missed.push(`animation ${r.id} ${r.name}: ${f1(r.fps)} fps, ${r.longs} long task(s), longest ${f1(r.longest)} ms`);
  }
  out.push(`### Targets missed in this run: ${missed.length}`);
  out.push('');
  for (const m of missed) out.push(`- ${m}`);
  out.push('');
  out.push(WHERE_THE_TIME_GOES);
  return out.join('\n');
}

// From CPU profiles (CDP Profiler) of the release build; see the report of issue 9.
const WHERE_THE_TIME_GOES = `### Where the time goes (profiles)

- **Download** (the wasm module is ~97% of the gzipped bytes). The release profile is
  opt-level "z" with fat LTO, names stripped, the kernel crate at opt-level 3: ~805 KB gz
  (775 KB without LTO, 1,488 KB at opt-level 3). Of the code (a build with names kept):
  reactive_graph 20%, tachys 20% (leptos's reactive system and views: one instance per view
  shape), the app's own code 15%, core 13% (closures, formatting), convlab-core 7% (kernels,
  model tables), alloc 7%, plotters 3%; data 186 KB. Leptos and the app's views alone are over
  250 KB gzipped, so the target needs the lessons split into modules loaded on demand, which
  trunk 0.21's CSR build cannot do; Debian's wasm-opt 108 breaks the module's externref table
  and its -Oz output is larger gzipped (848 KB against 750 KB), so it is not used.
- **Start-up** (trace of a cold load of \`#/group\`): V8 compiles wasm lazily, each function on
  its first call, on the main thread. Without LTO the page compiled 3,822–4,444 functions while
  mounting (~70–140 ms of main-thread CPU, plus one instruction-cache flush each); with LTO it
  compiles 1,490 (~40 ms), and the mount's CPU fell from ~125 to ~73 ms. Figures below the fold
  are no longer drawn before the first frame: a figure is drawn once an IntersectionObserver has
  placed it (near the view: in the task after the first frame; further away: when the page is
  idle), and a canvas learns its width from its ResizeObserver's first report rather than
  \`clientWidth\`, which forced a layout per widget. What is left before the first figure: the
  download and streaming compile of the module (~40–110 ms on localhost), the mount (~70 ms CPU,
  half of it lazy compilation), style and layout of the page (~10–35 ms) and the first frame.
- **Slider to frame**, from CPU profiles and traces of 40–60 move sweeps:
  - canvas work was most of it: figures replay through a backend that caches the context state
    and keeps colour strings in JavaScript; a heat-map tile of opaque cells is one putImageData
    (pixel-equal, tested in Chromium at 1x and 2x);
  - figures away from the view are not redrawn while a control moves: the canvas widgets ask a
    gate (IntersectionObserver, 96 px margin) whose drawing effect returns without reading its
    data; stale figures draw when they come near, when the controls have rested for 160 ms
    (one per task), and at once for an export, a GIF recording or printing. At 1280x800 the
    group C slider redrew 5 canvases per move, now 2; p50 ~40 -> ~22 ms on the same machine;
  - the zoo's layer table was built anew on every knob move (new memos and effects, and a
    forced layout of the table to measure its rows): it now stays mounted, p50 ~44 -> ~15 ms;
    only the rows near the scroller's view are in the page (151 rows of MobileNet v2 cost
    ~14 ms layout and ~11 ms paint per move when all were);
  - what is left at the defaults (~10–25 ms at p50 on this shared 2-core machine): the visible
    figures' drawing (recording, replay, a font set and fillText per label), leptos updates of
    the text and formulas (MathML is re-set as a string), the URL update, and the browser's
    style, layout, paint and raster of the changed parts (~8–12 ms). 8 ms would need the visible
    figures drawn off the main thread (OffscreenCanvas in a worker) as well.
- **Animation**: a frame of the largest dilated stack (six 7×7 layers on 49×49, seven maps)
  was ~45 ms (drawing 19 000 cells, then rasterising them); same-coloured cells of a row are now
  one rectangle, ~24 ms, no long task. The machine's load (2 cores, shared) inflates every
  number here.
`;

async function writeSection(text) {
  const file = path.join(REPO, 'docs', 'PERFORMANCE.md');
  await mkdir(path.dirname(file), { recursive: true });
  let doc = await readFile(file, 'utf8').catch(() => null);
  if (doc === null) {
    doc = '# Performance\n\n## Kernels\n\n<!-- kernels:start -->\n<!-- kernels:end -->\n\n## App\n\n<!-- app:start -->\n<!-- app:end -->\n';
  }
  if (!doc.includes('<!-- app:start -->') || !doc.includes('<!-- app:end -->')) {
    doc = `${doc.trimEnd()}\n\n## App\n\n<!-- app:start -->\n<!-- app:end -->\n`;
  }
  const a = doc.indexOf('<!-- app:start -->') + '<!-- app:start -->'.length;
  const b = doc.indexOf('<!-- app:end -->');
  doc = `${doc.slice(0, a)}\n${text}\n${doc.slice(b)}`;
  await writeFile(file, doc);
  console.error(`bench-app: wrote ${path.relative(REPO, file)}`);
}

const opts = parseArgs(process.argv.slice(2));
const server = await startServer({ dir: opts.dist, base: '/convlab/' });
const results = { meta: { date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', dist: opts.dist.startsWith(REPO) ? path.relative(REPO, opts.dist) || '.' : opts.dist, runs: opts.runs } };
try {
  const os = await import('node:os');
  results.meta.machine = `${os.cpus().length} × ${os.cpus()[0]?.model?.trim() || 'CPU'} (load average ${os.loadavg()[0].toFixed(1)} at start)`;
  const plain = await chromium.launch({ executablePath: CHROMIUM, args: BASE_ARGS, headless: true });
  results.meta.chromium = plain.version();
  const ids = opts.lessons || (await lessonIds(plain, server.url));
  if (opts.only.includes('load')) results.load = await benchLoad(plain, server.url, ['', ...ids.map((i) => `#/${i}`)], opts.runs);
  if (opts.only.includes('animation')) results.anim = await benchAnimation(plain, server.url, ids);
  await plain.close();
  if (opts.only.includes('interaction')) {
    const fast = await chromium.launch({ executablePath: CHROMIUM, args: [...BASE_ARGS, '--disable-frame-rate-limit', '--disable-gpu-vsync'], headless: true });
    results.inter = await benchInteraction(fast, server.url, ids, opts.moves);
    await fast.close();
  }
} finally {
  await server.close();
}
const text = tables(results);
console.log(text);
if (opts.write) await writeSection(text);
