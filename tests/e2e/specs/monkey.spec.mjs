// Monkey test: a seeded stream of random actions across every route — clicks on random
// visible interactive elements, drags across canvases and sliders, key presses (arrows, Space,
// PageUp/PageDown, Home/End, Tab, Enter, Escape, digits) on random focused elements, and route
// changes. After every action: no panic overlay, no console error, no uncaught exception, no
// request off the app's origin; every 25 actions the page must answer an evaluate round trip in
// under a second (a frozen page or a runaway loop fails it).
//
// The action stream is deterministic for a seed (MONKEY_SEED, default 11); the page's response
// depends on timing (animations), so a failure prints the last actions taken. It runs as many
// actions as fit in MONKEY_BUDGET_S seconds (default 75), at least MONKEY_MIN (default 2000)
// and at most MONKEY_MAX (default 5000); an action takes ~100 ms, so make test runs ~2000
// (~3 min). A long soak: MONKEY_BUDGET_S=1800 MONKEY_MIN=20000.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, useBrowser, newPage, openRoute, assertNoProblems, APP_ORIGIN, prng, pageRoutes } from '../lib.mjs';

const SEED = Number(process.env.MONKEY_SEED || 11);
const BUDGET_S = Number(process.env.MONKEY_BUDGET_S || 75);
const MIN_ACTIONS = Number(process.env.MONKEY_MIN || 2000);
const MAX_ACTIONS = Number(process.env.MONKEY_MAX || 5000);
const RESPONSIVE_MS = 1000;

const KEYS = [
  'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Space', 'PageUp', 'PageDown', 'Home', 'End',
  'Tab', 'Shift+Tab', 'Enter', 'Escape', 'k', '1', '5', '0', 'Backspace', 'Delete', '-', '+',
];

// Candidates for clicks and drags: visible, enabled, inside the app, not leaving it.
const CANDIDATES = `
  a[href], button, input, select, textarea, summary, label, canvas, svg,
  [role="button"], [role="slider"], [role="tab"], [tabindex]
`;

/** In the page: the n-th (mod count) visible candidate, scrolled into view; its box or null. */
function pickElement({ selector, n, kind, origin }) {
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none' && !el.closest('[hidden]');
  };
  const leaves = (el) => {
    if (el.tagName !== 'A') return false;
    if (el.hasAttribute('download') || el.target === '_blank') return true;
    try {
      const u = new URL(el.href, location.href);
      return u.origin !== origin || u.pathname !== location.pathname;
    } catch {
      return true;
    }
  };
  let els = [...document.querySelectorAll(selector)].filter(
    (el) => visible(el) && !leaves(el) && !el.disabled && el.type !== 'file' && !el.closest('#panic'),
  );
  if (kind === 'drag') els = els.filter((el) => el.tagName === 'CANVAS' || el.type === 'range' || el.tagName === 'svg' || el.getAttribute('role') === 'slider');
  if (els.length === 0) return null;
  const el = els[n % els.length];
  el.scrollIntoView({ block: 'center', inline: 'center' });
  const r = el.getBoundingClientRect();
  const tag = `${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ''}${el.type ? `:${el.type}` : ''}`;
  return { x: r.left, y: r.top, w: r.width, h: r.height, tag, count: els.length };
}

let routes;
useBrowser(async (b) => {
  routes = await pageRoutes(b);
});

test('a seeded monkey across every route: no panic, no console error, always responsive', { timeout: (Math.max(BUDGET_S, MIN_ACTIONS * 0.25) + 120) * 1000 }, async () => {
  const rand = prng(SEED);
  const int = (n) => Math.floor(rand() * n);
  const { context, page, problems } = await newPage(browser, { viewport: { width: 1100, height: 760 } });
  page.on('dialog', (d) => d.dismiss().catch(() => {}));
  const log = [];
  const start = Date.now();
  let i = 0;
  const kinds = {};
  try {
    await openRoute(page, routes[1] || '#/');
    for (; i < MAX_ACTIONS && (i < MIN_ACTIONS || Date.now() - start < BUDGET_S * 1000); i += 1) {
      const r = rand();
      let what;
      if (r < 0.06) {
        const route = routes[int(routes.length)];
        what = `route ${route}`;
        await page.evaluate((h) => { location.hash = h; }, route);
      } else if (r < 0.5) {
        const box = await page.evaluate(pickElement, { selector: CANDIDATES, n: int(1e6), kind: 'click', origin: APP_ORIGIN });
        if (!box) what = 'click (nothing)';
        else {
          const x = box.x + box.w * (0.1 + 0.8 * rand());
          const y = box.y + box.h * (0.1 + 0.8 * rand());
          what = `click ${box.tag} at ${x.toFixed(0)},${y.toFixed(0)}`;
          await page.mouse.click(x, y);
        }
      } else if (r < 0.7) {
        const box = await page.evaluate(pickElement, { selector: CANDIDATES, n: int(1e6), kind: 'drag', origin: APP_ORIGIN });
        if (!box) what = 'drag (nothing)';
        else {
          const p = () => [box.x + box.w * rand(), box.y + box.h * rand()];
          const [x0, y0] = p();
          what = `drag ${box.tag} from ${x0.toFixed(0)},${y0.toFixed(0)}`;
          await page.mouse.move(x0, y0);
          await page.mouse.down();
          for (let s = 0, n = 2 + int(6); s < n; s += 1) {
            const [x, y] = p();
            await page.mouse.move(x, y, { steps: 2 });
          }
          await page.mouse.up();
        }
      } else if (r < 0.97) {
        const key = KEYS[int(KEYS.length)];
        if (rand() < 0.5) {
          const box = await page.evaluate(pickElement, { selector: CANDIDATES, n: int(1e6), kind: 'click', origin: APP_ORIGIN });
          if (box) await page.evaluate(({ x, y }) => {
            const el = document.elementFromPoint(x, y);
            if (el && el.focus) el.focus();
          }, { x: box.x + box.w / 2, y: box.y + box.h / 2 });
          what = `key ${key} on ${box ? box.tag : 'body'}`;
        } else what = `key ${key}`;
        await page.keyboard.press(key);
      } else {
        what = 'scroll';
        await page.mouse.wheel(0, (rand() - 0.5) * 2000);
      }
      const kind = what.split(' ')[0];
      kinds[kind] = (kinds[kind] || 0) + 1;
      log.push(`${i}: ${what}`);
      if (log.length > 25) log.shift();
      const where = () => `after action ${i} (seed ${SEED}); last actions:\n    ${log.join('\n    ')}`;
      if (problems.length) assertNoProblems(problems.map((p) => `${p}\n  ${where()}`));
      if (i % 25 === 0) {
        const t0 = Date.now();
        const state = await page.evaluate(() => ({
          panic: document.querySelector('[data-testid="panic"]')?.textContent ?? null,
          ready: !!document.querySelector('[data-testid="app-ready"]'),
        }));
        const ms = Date.now() - t0;
        assert.equal(state.panic, null, `panic overlay ${where()}`);
        assert.ok(state.ready, `app not mounted ${where()}`);
        assert.ok(ms < RESPONSIVE_MS, `page took ${ms} ms to answer ${where()}`);
      }
    }
    // Settle, then a last full check.
    await page.waitForTimeout(300);
    const panic = await page.evaluate(() => document.querySelector('[data-testid="panic"]')?.textContent ?? null);
    assert.equal(panic, null, `panic overlay at the end; last actions:\n    ${log.join('\n    ')}`);
    assertNoProblems(problems);
  } finally {
    await context.close();
  }
  console.log(`monkey: seed ${SEED}, ${i} actions in ${((Date.now() - start) / 1000).toFixed(1)} s: ${JSON.stringify(kinds)}`);
});
