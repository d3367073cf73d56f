// Hostile URLs: for every route (home and each lesson of the outline), a seeded stream of
// generated query strings (huge numbers, negatives, NaN, infinities, text, repeated keys,
// unicode, empty and very long values, broken escapes, unknown keys, too many pairs) applied by
// changing location.hash in one loaded page, plus a few full reloads. After each: the app is
// still mounted and shows the route's content, no panic overlay, no console error or uncaught
// exception, and every clearly invalid value, unknown key, repeated key and over-long link has
// a visible note (an <li data-key="KEY"> in a notes box; data-key="" for the whole link).
//
// The stream is deterministic (FUZZ_SEED, default 9): case i of a route is always the same
// string, so a failure names its seed, route and case index and replays exactly. Each route gets
// an equal share of FUZZ_BUDGET_S seconds (default 75) and runs as many cases as fit, at least
// FUZZ_MIN_CASES (default 15) and at most FUZZ_MAX_CASES (default 2000); each case packs up to a
// dozen generated key=value pairs. For a long soak: FUZZ_BUDGET_S=1800 FUZZ_MIN_CASES=1000.
//
// A rendered case costs ~100 ms (the whole page is rebuilt), so this spec runs hundreds of links
// in make test. The URL readers alone (the functions every page starts from) get thousands per
// route with the same kinds of values: 3000 natively (tests/url_fuzz.rs, ~4 s) and 2000 compiled
// to wasm32 in Chromium, where usize is 32 bits (tests/web_widgets.rs, ~5 s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  browser, useBrowser, newPage, withPage, openRoute, assertNoProblems, routeUrl, waitForApp, prng,
  pageRoutes, followHash,
} from '../lib.mjs';

const SEED = Number(process.env.FUZZ_SEED || 9);
const BUDGET_S = Number(process.env.FUZZ_BUDGET_S || 75);
const MIN_CASES = Number(process.env.FUZZ_MIN_CASES || 15);
const MAX_CASES = Number(process.env.FUZZ_MAX_CASES || 2000);
// Cases applied by a full page load instead of a hash change.
const RELOAD_AT = [3, 9];
// FUZZ_KEEP_GOING=1: collect every failing case and report them together (for triage).
const KEEP_GOING = process.env.FUZZ_KEEP_GOING === '1';

/** Keys each route reads (from the lesson sources); extended at run time by the keys the page writes. */
const KNOWN_KEYS = {
  '': ['cin', 'cout', 'g', 'hw', 'k'],
  why: ['len', 'M', 'N', 'C', 'K', 'D', 's', 'p', 'bias', 'w', 't', 'input'],
  bottleneck: ['K', 'M', 'N', 'bias', 'input'],
  group: ['C', 'K', 'M', 'N', 'bias', 'edit', 'input'],
  depthwise: ['C', 'K', 'N', 'bias', 'mult', 'input'],
  dilated: ['L', 'n', 'c', 'f', 'T'],
  equivariant: ['f', 'K', 'G', 'h', 'input'],
  ghost: ['C', 'n', 'K', 's', 'd', 'bias', 'input'],
  squeezenet: ['C', 'E1', 'E3', 'S', 'bn', 'box'],
  mobilenet: ['C', 'N', 'bn', 'box', 's', 't', 'v'],
  shufflenet: ['B', 'C', 'bn', 'box', 'f', 'g', 'n'],
  shiftnet: ['k', 'm', 'f', 'depth', 'C', 'H', 'in'],
  zoo: ['model', 'width', 'res', 'g', 'eps', 'classes', 'conv', 'units', 'sort', 'dir', 'twin'],
};
const GLOBAL_KEYS = ['theme', 'embed'];
// Mirrors src/route.rs.
const MAX_URL_CHARS = 4096;
const MAX_PAIRS = 64;

const enc = (s) => encodeURIComponent(s);

// Values no key of any lesson accepts as given: each must produce a note for its key.
const INVALID = [
  'NaN', 'nan', 'inf', '-inf', 'Infinity', '-Infinity', '1e999', '-1e999', '1e30', '-1e30',
  '99999999999999999999999', '-99999999999999999999', '18446744073709551616', '1e308',
  'abc', 'three', 'null', 'undefined', 'true-ish', '<script>alert(1)</script>', "'; drop table",
  '\u{1F600}', '\u00e9\u00e8', '\u0663', '\uFF13', '\u202Eevil', 'K\u0301', '\u0000',
  'x'.repeat(300), '9'.repeat(300), '-' + '9'.repeat(80), '1'.repeat(70) + 'x',
];
// Values that may or may not be valid for a key: no expectation beyond "no crash".
const MAYBE = [
  '', ' ', '\n', '\t', '0', '-0', '1', '2', '3', '4', '5', '7', '8', '9', '16', '32', '64', '100', '1000',
  '-1', '-2', '-7', '1.5', '2.5', '0.5', '+3', ' 5 ', '1e2', '0x10', '1,2', '1;2', '3.', '.5',
  '0.0001', '1e-9', '2147483647', '2147483648', '-2147483649', '4294967296',
  'digit', 'edges', 'checker', 'photo', 'random-1', 'random-99999999999999999999', 'draw-', 'draw-zz',
  'dark', 'light', 'projector', 'desc', 'asc', 'macs', 'params', 'flops', 'lecture', 'torchvision',
  'mobilenet_v2', 'squeezenet1_0', 'shufflenet_v1', 'shufflenet_v2', 'p4', 'p4m', 'corner', 'edge',
  '3x3@1,3x3@2', '3@1,3@2,3@4', '1.1', '0.0', '9.9', '-1.-1', '3x3@0', '99x99@99', ',,,', 'x@',
];
// Raw (already URL-encoded or deliberately broken) pieces placed verbatim.
const RAW = ['%', '%zz', '%E0%A4', '%00', '%0A', '%FF%FE', '%25', '%2B', '+', '=', '==', '%26'];

/**
 * Case `index` of route `id`: `{ query, invalid, repeated, unknown }` where `query` is the raw
 * query string (ASCII only, so location.hash keeps it verbatim) and the sets name the keys that
 * must have a note (when they survive the length and pair limits).
 */
function makeCase(id, index, known) {
  const rand = prng((SEED * 1000003) ^ (index * 7919) ^ hashString(id));
  const pick = (arr) => arr[Math.floor(rand() * arr.length)];
  const pairs = [];
  const shape = rand();
  const count = shape < 0.03 ? 70 + Math.floor(rand() * 30) : 1 + Math.floor(rand() * 12);
  for (let i = 0; i < count; i += 1) {
    const r = rand();
    let key;
    if (r < 0.72) key = pick(known);
    else if (r < 0.8) key = pick(GLOBAL_KEYS);
    else if (r < 0.9 && pairs.length > 0) key = pick(pairs).key; // a repeat
    else key = `zz${pick(['', '_', '9', 'K', 'M'])}${Math.floor(rand() * 100)}`;
    const v = rand();
    let raw;
    let invalid = false;
    if (v < 0.45) {
      raw = enc(pick(INVALID));
      invalid = true;
    } else if (v < 0.85) raw = enc(pick(MAYBE));
    else if (v < 0.95) raw = pick(RAW);
    else {
      raw = enc(pick(['x', '9', '\u00e9', '-'])).repeat(500 + Math.floor(rand() * 5000));
      invalid = !raw.startsWith('9') && !raw.startsWith('-');
    }
    pairs.push({ key, raw, invalid });
  }
  if (shape > 0.97) pairs.push({ key: 'zzlong', raw: 'y'.repeat(MAX_URL_CHARS + 10), invalid: true });
  const query = pairs.map((p) => `${enc(p.key)}=${p.raw}`).join('&');
  return { query, pairs };
}

function hashString(s) {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.codePointAt(0), 16777619);
  return h >>> 0;
}

/**
 * The note keys a page must show for `query` (as the app reads it, mirroring Query::parse:
 * the first 4096 characters, non-empty parts, first 64 pairs with a non-blank key).
 */
function expectedNoteKeys(query, pairs, known) {
  const want = new Set();
  let q = query;
  if ([...q].length > MAX_URL_CHARS) {
    q = [...q].slice(0, MAX_URL_CHARS).join('');
    want.add('');
  }
  const seen = new Map();
  let kept = 0;
  let offset = 0;
  const parts = q.split('&');
  let pairIdx = 0;
  for (let pi = 0; pi < parts.length; pi += 1) {
    const part = parts[pi];
    const start = offset;
    offset += part.length + 1;
    if (part === '') continue;
    if (kept === MAX_PAIRS) {
      want.add('');
      break;
    }
    // Map this part back to the generated pair (parts and pairs align: values never hold '&'
    // except %26, and generated keys are never empty).
    const gen = pairs[pairIdx];
    pairIdx += 1;
    const eq = part.indexOf('=');
    const key = decodeURIComponent(eq >= 0 ? part.slice(0, eq) : part);
    if (key.trim() === '') continue;
    kept += 1;
    const whole = start + part.length <= q.length && (gen ? `${enc(gen.key)}=${gen.raw}` === part : false);
    const first = !seen.has(key);
    seen.set(key, (seen.get(key) || 0) + 1);
    if (!known.includes(key) && !GLOBAL_KEYS.includes(key)) want.add(key);
    else if (seen.get(key) > 1) want.add(key);
    else if (first && whole && gen.invalid) want.add(key);
  }
  return want;
}

// Reads the page's state: mounted, showing route `id`, panic overlay, notes.
const PROBE = ({ id }) => {
  const ready = !!document.querySelector('[data-testid="app-ready"]');
  const content = !!document.querySelector(id ? `[data-testid="lesson-${id}"]` : '[data-testid="home"]');
  const panic = document.querySelector('[data-testid="panic"]');
  const items = [...document.querySelectorAll('[data-testid="notes"] li')];
  return {
    ready,
    content,
    panic: panic ? panic.textContent : null,
    noteKeys: items.map((li) => li.getAttribute('data-key') ?? ''),
    notes: items.map((li) => li.textContent),
  };
};

// Lesson ids, home as ''.
let routes;
useBrowser(async (b) => {
  routes = (await pageRoutes(b)).map((r) => r.slice(2).split('?')[0]);
});

function check(id, c, i, state, problems, known) {
  const where = `seed ${SEED}, route #/${id}, case ${i}: #/${id}?${c.query.slice(0, 300)}${c.query.length > 300 ? '…' : ''}`;
  assertNoProblems(problems.map((p) => `${p} [${where}]`));
  assert.equal(state.panic, null, `panic overlay [${where}]`);
  assert.ok(state.ready, `app-ready marker missing [${where}]`);
  assert.ok(state.content, `route content missing [${where}]`);
  const want = expectedNoteKeys(c.query, c.pairs, known);
  const have = new Set(state.noteKeys);
  for (const k of want) {
    assert.ok(have.has(k), `no note for key ${JSON.stringify(k)} [${where}]\n  notes shown: ${JSON.stringify(state.notes).slice(0, 600)}`);
  }
}

test('every route survives a seeded stream of hostile query strings with a note for each bad value', { timeout: (BUDGET_S + 120) * 1000 }, async () => {
  const perRouteMs = (BUDGET_S * 1000) / routes.length;
  const { context, page, problems } = await newPage(browser, { viewport: { width: 800, height: 600 } });
  const counts = {};
  const failures = [];
  try {
    for (const id of routes) {
      await openRoute(page, `#/${id}`);
      // Keys the page writes back (its state) join the known list.
      await page.waitForTimeout(250);
      const written = await page.evaluate(() => (location.hash.split('?')[1] || '').split('&').map((p) => decodeURIComponent(p.split('=')[0])).filter(Boolean));
      const known = [...new Set([...(KNOWN_KEYS[id] || []), ...written.filter((k) => !GLOBAL_KEYS.includes(k))])];
      const start = Date.now();
      let i = 0;
      for (; i < MAX_CASES && (i < MIN_CASES || Date.now() - start < perRouteMs); i += 1) {
        const c = makeCase(id, i, known);
        const hash = `#/${id}?${c.query}`;
        let state;
        if (RELOAD_AT.includes(i)) {
          // A full load of the same link, as a shared link opens.
          await page.goto('about:blank');
          await page.goto(routeUrl(hash), { waitUntil: 'load' });
          await waitForApp(page);
          state = await page.evaluate(PROBE, { id });
        } else {
          await page.evaluate(followHash, hash);
          state = await page.evaluate(PROBE, { id });
        }
        try {
          check(id, c, i, state, problems, known);
        } catch (err) {
          if (!KEEP_GOING) throw err;
          failures.push(err.message.split('\n').slice(0, 2).join(' | ').slice(0, 700));
          problems.length = 0;
        }
      }
      counts[id || 'home'] = i;
    }
  } finally {
    await context.close();
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(`fuzz-url: seed ${SEED}, ${total} query strings: ${JSON.stringify(counts)}`);
  assert.deepEqual(failures, [], `${failures.length} failing case(s)`);
});

// Cases the stream found, fixed at their root, kept as named tests.

test('an over-long link is noted on every lesson, also those that read their input key apart', () =>
  withPage(browser, async (page) => {
    for (const id of routes) {
      await openRoute(page, `#/${id}?zzpad=${'y'.repeat(MAX_URL_CHARS + 10)}`);
      const notes = await page.evaluate(PROBE, { id });
      const i = notes.noteKeys.indexOf('');
      assert.ok(i >= 0, `#/${id}: no note about the whole link: ${JSON.stringify(notes.notes)}`);
      assert.match(notes.notes[i], /longer than 4096 characters/);
    }
  }));

test('a link opened just after a slider move is not replaced by the pending state write', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/why?K=3');
    await page.waitForTimeout(400);
    // A slider move schedules the debounced state write; the reader follows another link to the
    // same lesson while the page is busy, and the write's timer comes due before the hashchange
    // is handled (the link is set from a task queued before the timer became due).
    await page.evaluate(async () => {
      const el = document.querySelector('[data-testid="slider-M"]');
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      setter.call(el, String(Number(el.value) + 1));
      el.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((r) => setTimeout(r, 0));
      const ch = new MessageChannel();
      ch.port1.onmessage = () => { location.hash = '#/why?K=5&zzopened=1'; };
      ch.port2.postMessage(0);
      const t0 = performance.now();
      while (performance.now() - t0 < 250) { /* busy past the write delay */ }
    });
    await page.waitForTimeout(600);
    const hash = await page.evaluate(() => location.hash);
    assert.match(hash, /(\?|&)K=5(&|$)/, `the opened link's K survives: ${hash}`);
    const state = await page.evaluate(PROBE, { id: 'why' });
    assert.ok(state.noteKeys.includes('zzopened'), `the page shows the opened link: ${JSON.stringify(state.notes)}`);
  }));

test('dilated and ShiftNet note a repeated key like every other lesson', () =>
  withPage(browser, async (page) => {
    for (const [route, keys] of [['dilated?L=3d1&L=3d2&c=+&c=2', ['L', 'c']], ['shiftnet?m=2&m=3&depth=2&depth=9', ['m', 'depth']]]) {
      const id = route.split('?')[0];
      await openRoute(page, `#/${route}`);
      const state = await page.evaluate(PROBE, { id });
      for (const k of keys) {
        const i = state.noteKeys.indexOf(k);
        assert.ok(i >= 0 && /is given 2 times; using the first/.test(state.notes[i]), `#/${route}: note for ${k}: ${JSON.stringify(state.notes)}`);
      }
    }
  }));
