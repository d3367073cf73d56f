// Shared helpers for ConvLab's browser end-to-end tests.
//
// Layout and how to add tests
// ---------------------------
//   tests/e2e/lib.mjs            this file: browser launch, page watchers, route opening, screenshots,
//                                readers and waits (byId, value, until, …)
//   tests/e2e/smoke.spec.mjs     app loads from a sub-path, every nav route renders, iframe works
//   tests/e2e/specs/*.spec.mjs   one file per lesson or widget (add yours here; picked up automatically)
//   tests/e2e/run.mjs            serves dist/ under a sub-path, runs every spec with `node --test`
//   tests/e2e/out/               screenshots (git-ignored)
//
// A spec is a plain `node:test` file:
//
//   import { test } from 'node:test';
//   import assert from 'node:assert/strict';
//   import { browser, useBrowser, withPage, openRoute, text } from '../lib.mjs';
//   useBrowser();
//   test('K slider changes the parameter count', () => withPage(browser, async (page) => {
//     await openRoute(page, '#/why?K=3');
//     const before = await text(page, 'params-value');
//     ...
//   }));
//
// `useBrowser()` launches the spec's `browser` before its tests and closes it after them. The
// readers at the end of this file (`byId`, `text`, `value`, `canvasSum`, `until`, `changed`, …)
// are what specs use to read the page and wait for it; add one here rather than in a spec.
//
// `withPage` fails the test if the page logged a console error, threw an uncaught exception
// (a Rust panic shows up as one of these), or sent any request off the app's origin (every
// spec gets this check: nothing may be loaded from another origin). Options of `newPage`:
// `origin` (the one origin allowed, default the app's), `serviceWorkers` ('block' by default,
// 'allow' to test the offline cache), and any Playwright context option.
// Select elements by `data-testid` only. The app marks itself mounted with an element
// carrying `data-testid="app-ready"`; `openRoute` waits for it.
//
// Run everything:   make e2e                      (builds dist/, serves it under /convlab/)
// Against a server: BASE_URL=http://127.0.0.1:8080/ node --test tests/e2e/smoke.spec.mjs
//                   (for example while `trunk serve` runs)

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Directory where screenshots are written. */
export const OUT_DIR = path.join(HERE, 'out');

/** Where the app is served, always ending in `/` (set by run.mjs; defaults to `trunk serve`). */
export const BASE_URL = withSlash(process.env.BASE_URL || 'http://127.0.0.1:8080/');

/** The only origin the page may talk to. */
export const APP_ORIGIN = new URL(BASE_URL).origin;

/** Viewports the screenshot helper renders: laptop, projector-ish small, phone. */
export const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 960, height: 540 },
  { width: 390, height: 844 },
];

/** How long to wait for the app to mount after a navigation (ms). */
export const READY_TIMEOUT_MS = Number(process.env.E2E_READY_TIMEOUT_MS || 30000);

/** Selector of the element the app renders once it is mounted. */
export const READY_SELECTOR = '[data-testid="app-ready"]';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

function withSlash(url) {
  return url.endsWith('/') ? url : `${url}/`;
}

/** Starts Debian's headless Chromium. Close it in an `after` hook. */
export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** The spec's browser, set by `useBrowser()`'s `before` hook (a live binding: read it in tests and hooks). */
export let browser;

/**
 * Launches `browser` before the spec's tests, then runs `setup(browser)` if given, and closes the
 * browser after the tests; call once, at the top level. Put setup that needs the browser in
 * `setup`: node 20 starts a file's top-level `before` hooks together, not one after another.
 */
export function useBrowser(setup) {
  before(async () => {
    browser = await launch();
    await setup?.(browser);
  });
  after(async () => {
    await browser?.close();
  });
}

/**
 * Opens a fresh browser context and page with the watchers attached.
 * Returns `{ context, page, problems }`; `problems` lists every console error, uncaught
 * exception and off-origin request seen so far. Prefer `withPage`, which also checks them.
 */
export async function newPage(
  browser,
  { viewport = VIEWPORTS[0], origin = APP_ORIGIN, serviceWorkers = 'block', ...options } = {},
) {
  // Service workers are blocked unless a spec asks for them (`serviceWorkers: 'allow'`, as the
  // offline spec does): each fresh context would otherwise install the offline cache again.
  const context = await browser.newContext({ viewport, serviceWorkers, ...options });
  const problems = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isAllowedUrl(url, origin)) return route.continue();
    problems.push(`request left the app's origin (${origin}): ${url}`);
    return route.abort('blockedbyclient');
  });
  // Also every request the context sees (a service worker's included), routed or not.
  context.on('request', (request) => {
    const url = request.url();
    if (!isAllowedUrl(url, origin)) {
      const line = `request left the app's origin (${origin}): ${url}`;
      if (!problems.includes(line)) problems.push(line);
    }
  });
  const page = await context.newPage();
  watchPage(page, problems);
  return { context, page, problems };
}

/** Records console errors and uncaught exceptions of `page` (all its frames) into `problems`. */
export function watchPage(page, problems) {
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      // Chromium itself fetches the favicon for a blank document (origin 'null', e.g. while a
      // page is replaced); that fetch is not the app's, and loopback blocks it from a null origin.
      const blankFavicon = /favicon/.test(`${msg.text()} ${loc?.url || ''}`) &&
        (page.url().startsWith('about:') || /origin 'null'|net::ERR_FAILED/.test(msg.text()));
      if (blankFavicon) return;
      const where = loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : '';
      problems.push(`console error: ${msg.text()}${where}`);
    }
  });
  page.on('pageerror', (err) => {
    problems.push(`uncaught exception: ${err.stack || err.message || String(err)}`);
  });
  page.on('crash', () => problems.push('page crashed'));
}

function isAllowedUrl(url, origin = APP_ORIGIN) {
  if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return true;
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/** Throws if the page misbehaved (see `newPage`). */
export function assertNoProblems(problems) {
  if (problems.length > 0) {
    throw new Error(`page reported ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Runs `fn(page, problems)` in a fresh page and fails if the page logged a console error,
 * threw, or requested anything off-origin — checked after `fn`, even if `fn` passed.
 */
export async function withPage(browser, fn, options = {}) {
  const { context, page, problems } = await newPage(browser, options);
  try {
    await fn(page, problems);
    // Let late errors (an effect that panics after the assertion) surface.
    await page.waitForTimeout(150);
    assertNoProblems(problems);
  } finally {
    await context.close();
  }
}

/** Absolute URL of a route: `routeUrl('#/why?K=3')`, `routeUrl('?embed=1#/why')`, `routeUrl('')`. */
export function routeUrl(route = '') {
  return new URL(route, BASE_URL).href;
}

/**
 * Loads the app afresh at `route` (relative to BASE_URL, e.g. '#/why?K=3') and waits until it
 * has mounted (`data-testid="app-ready"` present). A full load every time, so a deep link is
 * tested exactly as a shared link would open.
 */
export async function openRoute(page, route = '') {
  if (page.url() !== 'about:blank') await page.goto('about:blank');
  const response = await page.goto(routeUrl(route), { waitUntil: 'load' });
  if (!response || !response.ok()) {
    throw new Error(`loading ${routeUrl(route)} answered ${response ? response.status() : 'nothing'}`);
  }
  await waitForApp(page);
  return page;
}

/** Waits until the app (in `page` or a frame) has rendered its ready marker. */
export async function waitForApp(pageOrFrame, timeout = READY_TIMEOUT_MS) {
  await pageOrFrame.waitForSelector(READY_SELECTOR, { state: 'attached', timeout });
}

/**
 * Waits until at least `atLeast` canvases on the page have a non-transparent pixel and returns
 * how many are drawn. Figures away from the view are drawn a moment after those in it (once the
 * page is idle), so ask for the count you expect. Throws after `timeout` ms.
 */
export async function waitForDrawnCanvas(page, timeout = READY_TIMEOUT_MS, atLeast = 1) {
  const handle = await page.waitForFunction(
    (atLeast) => {
      let drawn = 0;
      for (const c of document.querySelectorAll('canvas')) {
        if (c.width === 0 || c.height === 0) continue;
        const ctx = c.getContext('2d', { willReadFrequently: true });
        if (!ctx) continue;
        const { data } = ctx.getImageData(0, 0, c.width, c.height);
        for (let i = 3; i < data.length; i += 4) {
          if (data[i] !== 0) {
            drawn += 1;
            break;
          }
        }
      }
      return drawn >= atLeast ? drawn : false;
    },
    atLeast,
    { timeout, polling: 'raf' },
  );
  return handle.jsonValue();
}

/**
 * The in-app routes the navigation offers: hrefs of `nav a` links that stay in this document
 * (same path, different hash or query), as routes relative to BASE_URL (e.g. '#/why').
 */
export async function navRoutes(page) {
  const hrefs = await page.$$eval('nav a[href]', (as) => as.map((a) => a.href));
  const base = new URL(BASE_URL);
  const routes = [];
  for (const href of hrefs) {
    const u = new URL(href);
    const samePath = u.origin === base.origin && (u.pathname === base.pathname || u.pathname === `${base.pathname}index.html`);
    if (!samePath) continue;
    const route = `${u.search}${u.hash}`;
    if (!routes.includes(route)) routes.push(route);
  }
  return routes;
}

/** The routes of every page, home first (`#/`, then each lesson's `#/<id>`), read from the nav. */
export async function pageRoutes(browser) {
  const { context, page } = await newPage(browser);
  try {
    await openRoute(page, '');
    return ['#/', ...(await navRoutes(page)).filter((r) => r.startsWith('#/') && r !== '#/')];
  } finally {
    await context.close();
  }
}

/** A file-name-safe form of a route or label. */
export function slug(text) {
  const s = String(text).replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return s || 'home';
}

/**
 * Saves screenshots of the page as it is now at every size in VIEWPORTS (or `sizes`) to
 * tests/e2e/out/<name>-<w>x<h>.png and restores the viewport. Returns the file paths.
 */
export async function screenshots(page, name, sizes = VIEWPORTS) {
  await mkdir(OUT_DIR, { recursive: true });
  const original = page.viewportSize();
  const files = [];
  try {
    for (const size of sizes) {
      await page.setViewportSize(size);
      // Two frames: one for the resize observers to fire, one for the redraw they trigger.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const file = path.join(OUT_DIR, `${slug(name)}-${size.width}x${size.height}.png`);
      await page.screenshot({ path: file });
      files.push(file);
    }
  } finally {
    if (original) await page.setViewportSize(original);
  }
  return files;
}

/**
 * A small seeded PRNG (mulberry32): `const rand = prng(7); rand()` gives floats in [0, 1), the
 * same sequence for the same seed — for generated inputs that replay exactly.
 */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Plays the page's first Player for `ms` and returns the main-thread long tasks (> 50 ms,
 * from a PerformanceObserver) seen meanwhile, in ms; the player is paused again after.
 * A frame that takes that long is a visible stutter on the projector.
 */
export async function longTasksWhilePlaying(page, ms = 2500) {
  return page.evaluate(async (ms) => {
    const longs = [];
    const obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longs.push(Math.round(e.duration));
    });
    obs.observe({ type: 'longtask' });
    const play = document.querySelector('.cl-player .cl-play');
    play.click();
    await new Promise((r) => setTimeout(r, ms));
    if (play.getAttribute('aria-label') === 'pause') play.click();
    obs.disconnect();
    return longs;
  }, ms);
}

/**
 * `longTasksWhilePlaying` at `route`, measured up to `tries` times: passes on the first run
 * without a long task, so one stall of the machine running the tests does not fail it, while a
 * frame that is always too slow still does. Returns the long tasks of every run.
 */
export async function playsWithoutLongTasks(page, route, tries = 2) {
  const runs = [];
  for (let i = 0; i < tries; i += 1) {
    await openRoute(page, route);
    await waitForDrawnCanvas(page);
    await page.waitForTimeout(300);
    const longs = await longTasksWhilePlaying(page);
    runs.push(longs);
    if (longs.length === 0) break;
  }
  return runs;
}

/**
 * In the page (pass it to `page.evaluate`): follows the in-page link `h` unless it is already
 * the current one, and resolves once the app has handled the hashchange and its effects have
 * run (the task after it). Waits at most 3 s for the event.
 */
export async function followHash(h) {
  if (location.hash === h) return;
  const changed = new Promise((res) => {
    addEventListener('hashchange', res, { once: true });
    setTimeout(res, 3000);
  });
  location.hash = h;
  await changed;
  await new Promise((res) => setTimeout(res, 0));
}

// Reading the page and waiting for it
// -----------------------------------
// Element ids are `data-testid`s; each reader looks at the first element with that id.

/** CSS selector of the elements with `data-testid="id"`. */
export const byId = (id) => `[data-testid="${id}"]`;

/** The trimmed text of element `id`. */
export async function text(page, id) {
  return (await page.locator(byId(id)).first().innerText()).trim();
}

/** The number made of the digits of `s`, every other character dropped ('1,248,424' → 1248424). */
export function digits(s) {
  return Number(s.replace(/[^0-9]/g, ''));
}

/** The number in element `id`'s text, digits and '-' kept, everything else dropped ('-3 px' → -3). */
export async function textNumber(page, id) {
  return Number((await text(page, id)).replace(/[^0-9-]/g, ''));
}

/** The `data-value` of element `id` as a number; fails if the element has none. */
export async function value(page, id) {
  const v = await page.locator(byId(id)).first().getAttribute('data-value');
  assert.ok(v !== null, `${id} has no data-value`);
  return Number(v);
}

/** The `data-value` of element `id` once it is visible, or null without one. */
async function dataValue(page, id) {
  const loc = page.locator(byId(id)).first();
  await loc.waitFor();
  return loc.getAttribute('data-value');
}

/** The `data-value` of element `id` as the page wrote it (a string), once it is visible; fails if it has none. */
export async function valueText(page, id) {
  const v = await dataValue(page, id);
  assert.ok(v !== null, `${id} has no data-value`);
  return v;
}

/** Waits (80 polls of 50 ms) until element `id`'s `data-value` reads `want`, compared as strings. */
export async function waitValue(page, id, want) {
  for (let i = 0; i < 80; i += 1) {
    if ((await dataValue(page, id)) === String(want)) return;
    await page.waitForTimeout(50);
  }
  assert.equal(await valueText(page, id), String(want), id);
}

/** A checksum of every canvas inside element `id` (changes when its drawing changes). */
export async function canvasSum(page, id) {
  return page.locator(byId(id)).first().evaluate((el) => {
    let sum = 0;
    for (const c of el.querySelectorAll('canvas')) {
      if (!c.width || !c.height) continue;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < d.length; i += 7) sum = (sum * 31 + d[i]) % 1000000007;
    }
    return sum;
  });
}

/** Polls `fn()` every 50 ms until it is truthy; fails with `timed out: what` after `tries` polls. */
export async function until(page, fn, what, tries = 100) {
  for (let i = 0; i < tries; i += 1) {
    if (await fn()) return;
    await page.waitForTimeout(50);
  }
  assert.fail(`timed out: ${what}`);
}

/** Waits (60 polls of 50 ms) until `fn()` returns something other than `old` (a redraw or recount); returns it. */
export async function changed(page, fn, old, what) {
  for (let i = 0; i < 60; i += 1) {
    const now = await fn();
    if (now !== old) return now;
    await page.waitForTimeout(50);
  }
  assert.fail(`${what} did not change`);
}

/** Waits (80 polls of 50 ms) until `fn()` returns `want` (the page recomputes asynchronously). */
export async function becomes(page, fn, want, what) {
  let now;
  for (let i = 0; i < 80; i += 1) {
    now = await fn();
    if (now === want) return;
    await page.waitForTimeout(50);
  }
  assert.fail(`${what}: expected ${want}, got ${now}`);
}
