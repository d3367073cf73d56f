// Accessibility: axe-core on the home page and every lesson in the light, dark and projector
// themes (zero serious or critical violations); every control reachable by Tab shows a
// visible focus ring; touch targets are at least 44 px at phone width; a figure's text
// alternative follows the hovered cell through a live region.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { browser, useBrowser, withPage, openRoute, navRoutes, waitForDrawnCanvas, byId } from '../lib.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const THEMES = ['light', 'dark', 'projector'];

useBrowser();

/** Every route of the outline, plus home. */
async function allRoutes(page) {
  await openRoute(page, '');
  const routes = await navRoutes(page);
  assert.ok(routes.length >= 12, `the outline lists the lessons (${routes.length})`);
  return ['#/', ...routes.filter((r) => r !== '#/' && r !== '')];
}

/** `route` with `key=value` added to its hash query. */
function withParam(route, key, value) {
  const [path, query] = route.split('?');
  const q = new URLSearchParams(query || '');
  q.set(key, value);
  return `${path}?${q.toString()}`;
}

/** Serious and critical axe violations of the page as it is now, one line each. */
async function axeProblems(page) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} — ${n.failureSummary.split('\n').slice(1, 2).join('')}`),
      }));
  });
  return violations.map((v) => `${v.impact} ${v.id} (${v.help}):\n      ${v.nodes.join('\n      ')}`);
}

for (const theme of THEMES) {
  test(`axe: no serious or critical violations on any page (${theme} theme)`, () =>
    withPage(browser, async (page) => {
      const routes = await allRoutes(page);
      const found = [];
      for (const route of routes) {
        await openRoute(page, withParam(route, 'theme', theme));
        assert.equal(await page.getAttribute('html', 'data-theme'), theme, route);
        await waitForDrawnCanvas(page).catch(() => 0);
        // Let the debounced URL write and late effects settle before auditing.
        await page.waitForTimeout(300);
        for (const p of await axeProblems(page)) found.push(`${route}: ${p}`);
        // The open Export menu is audited too.
        const menu = page.locator(byId('export-open'));
        if (await menu.count()) {
          await menu.first().click();
          await page.locator(byId('export-pytorch')).first().waitFor();
          for (const p of await axeProblems(page)) found.push(`${route} (export menu open): ${p}`);
        }
      }
      assert.deepEqual(found, [], `axe found:\n  ${found.join('\n  ')}`);
    }));
}

test('Tab reaches every control of a lesson, each with a visible focus ring', () =>
  withPage(browser, async (page) => {
    for (const route of ['#/why', '#/group', '#/zoo']) {
      await openRoute(page, route);
      await waitForDrawnCanvas(page);
      const seen = new Set();
      const unringed = [];
      for (let i = 0; i < 160; i += 1) {
        await page.keyboard.press('Tab');
        const info = await page.evaluate(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          const cs = getComputedStyle(el);
          const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) ||
            (cs.boxShadow && cs.boxShadow !== 'none');
          const id = el.getAttribute('data-testid') || el.getAttribute('aria-label') || el.textContent.trim().slice(0, 30);
          return { key: `${el.tagName}:${id}:${Math.round(el.getBoundingClientRect().top + window.scrollY)}`, ring, tag: el.tagName };
        });
        if (!info) continue;
        if (seen.has(info.key)) break;
        seen.add(info.key);
        if (!info.ring) unringed.push(info.key);
      }
      assert.ok(seen.size >= 10, `${route}: Tab reached ${seen.size} controls`);
      assert.deepEqual(unringed, [], `${route}: focused without a visible ring`);
      // Every interactive element of the lesson is in the tab order (none has tabindex=-1
      // without another way in) and has an accessible name (checked by axe above).
      const unreachable = await page.evaluate(() =>
        [...document.querySelectorAll('article button, article select, article input, article summary, article a[href]')]
          .filter((el) => el.offsetParent !== null && el.tabIndex < 0)
          .map((el) => el.outerHTML.slice(0, 80)));
      assert.deepEqual(unreachable, [], `${route}: controls out of the tab order`);
    }
  }));

test('touch targets are at least 44 px at phone width', () =>
  withPage(
    browser,
    async (page) => {
      const small = [];
      for (const route of ['#/why', '#/group', '#/depthwise', '#/shufflenet', '#/zoo']) {
        await openRoute(page, route);
        await waitForDrawnCanvas(page);
        const found = await page.evaluate(() =>
          [...document.querySelectorAll('button, select, summary, input[type="range"], .outline a, label.check, label.select')]
            .filter((el) => el.offsetParent !== null && !el.closest('details:not([open]) > :not(summary)'))
            .map((el) => {
              const r = el.getBoundingClientRect();
              return { h: r.height, w: r.width, what: el.getAttribute('data-testid') || el.getAttribute('aria-label') || el.outerHTML.slice(0, 60) };
            })
            .filter((t) => t.h < 43.5 || t.w < 43.5)
            .map((t) => `${t.what} ${Math.round(t.w)}x${Math.round(t.h)}`));
        for (const f of found) small.push(`${route}: ${f}`);
      }
      assert.deepEqual(small, [], `targets under 44 px:\n  ${small.join('\n  ')}`);
    },
    { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true },
  ));

test('a figure describes the hovered cell in a live region, input rows and columns included', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/why?M=8&N=8&C=1&K=3&D=1&s=1&p=0');
    await waitForDrawnCanvas(page);
    const out = page.locator(`${byId('output-view')} canvas`);
    await out.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    const live = page.locator(`${byId('output-view')} [aria-live]`);
    await page.waitForFunction(
      (sel) => /row 1, column 1/.test(document.querySelector(sel)?.textContent || ''),
      `${byId('output-view')} [aria-live]`,
    );
    assert.match(await live.innerText(), /row 1, column 1/);
    // The input view says which input cells feed the cell (a 3×3 window at rows 1–3, columns 1–3).
    const inLive = page.locator(`${byId('input-view')} [aria-live]`);
    await page.waitForFunction(
      (sel) => /rows 1–3, columns 1–3/.test(document.querySelector(sel)?.textContent || ''),
      `${byId('input-view')} [aria-live]`,
    );
    assert.match(await inLive.innerText(), /rows 1–3, columns 1–3/);
  }));
