// Lesson 7, the Ghost module: counts for the curriculum's settings equal the formula and the
// allocated weights, the paper's ratios (1.93 at c = 256, 1.28 at c = 16), sliders, bad URLs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, useBrowser, withPage, openRoute, screenshots, byId, value, canvasSum, changed } from '../lib.mjs';

useBrowser();

/** Ghost params by the formula: primary K²·C·m (+m), cheap d²·(s−1)·m (+(s−1)·m). */
function ghostParams({ C, n, K, s, d, bias }) {
  const m = Math.ceil(n / s);
  const g = (s - 1) * m;
  const b = bias ? 1 : 0;
  return K * K * C * m + b * m + d * d * g + b * g;
}

/** The paper's ratio. */
const paper = (c, k, d, s) => (c * k * k) / ((c * k * k) / s + ((s - 1) / s) * d * d);

const SETTINGS = [
  { C: 16, n: 16, K: 1, s: 2, d: 3, bias: 1 },   // GhostNet, c = 16
  { C: 256, n: 64, K: 1, s: 2, d: 3, bias: 1 },  // GhostNet, c = 256
  { C: 16, n: 16, K: 3, s: 2, d: 1, bias: 1 },   // the slide's "1+1"
  { C: 32, n: 30, K: 3, s: 4, d: 3, bias: 0 },   // n not a multiple of s: ghosts trimmed
];

test("ghost counts for the curriculum's settings equal the formula and the allocated weights", () =>
  withPage(browser, async (page) => {
    for (const st of SETTINGS) {
      const q = Object.entries(st).map(([k, v]) => `${k}=${v}`).join('&');
      await openRoute(page, `#/ghost?${q}`);
      const want = ghostParams(st);
      assert.equal(await value(page, 'ghost-params'), want, q);
      assert.equal(await value(page, 'ghost-params-formula'), want, q);
      assert.equal(await value(page, 'standard-params'), st.K * st.K * st.C * st.n + (st.bias ? st.n : 0), q);
      assert.equal(await value(page, 'intrinsic'), Math.ceil(st.n / st.s));
      assert.equal(await value(page, 'ghosts'), (st.s - 1) * Math.ceil(st.n / st.s));
      assert.equal(await value(page, 'per-map-conv'), st.K * st.K * st.C + 1);
      assert.equal(await value(page, 'per-map-depthwise'), st.K * st.K + 1);
      assert.equal(await value(page, 'per-map-ghost'), st.d * st.d + 1);
      const r = await value(page, 'ratio-exact');
      assert.ok(Math.abs(r - paper(st.C, st.K, st.d, st.s)) < 1e-9, `${q}: ${r}`);
      const a = await value(page, 'ratio-approx');
      assert.ok(Math.abs(a - (st.s * st.C) / (st.s + st.C - 1)) < 1e-9, `${q}: ${a}`);
    }
    // GhostNet's own setting, always shown.
    assert.equal((await value(page, 'ghostnet-256')).toFixed(2), '1.93');
    assert.equal((await value(page, 'ghostnet-16')).toFixed(2), '1.28');
    assert.match(await page.locator(byId('one-plus-one')).innerText(), /d = 1/);
  }));

test('sliders update counts, maps, ratio and plot; the setting buttons load GhostNet', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/ghost?C=16&n=16&K=1&s=2&d=3&bias=1');
    await page.waitForTimeout(300);
    const maps0 = await canvasSum(page, 'groups-plot');
    const plot0 = await canvasSum(page, 'ratio-plot');
    await page.locator(byId('slider-s')).fill('4');
    await page.waitForFunction(() => /[?&]s=4(&|$)/.test(location.hash));
    assert.equal(await value(page, 'intrinsic'), 4);
    assert.equal(await value(page, 'ghost-params'), ghostParams({ C: 16, n: 16, K: 1, s: 4, d: 3, bias: 1 }));
    await changed(page, () => canvasSum(page, 'groups-plot'), maps0, 'the grouped maps');
    await changed(page, () => canvasSum(page, 'ratio-plot'), plot0, 'the ratio plot');
    await page.locator(byId('slider-d')).fill('0'); // index 0 of 1, 3, 5
    await page.waitForFunction(() => /[?&]d=1(&|$)/.test(location.hash));
    assert.equal(await value(page, 'per-map-ghost'), 2);
    await page.locator(byId('setting-256')).click();
    await page.waitForFunction(() => /[?&]C=256(&|$)/.test(location.hash));
    assert.equal((await value(page, 'ratio-exact')).toFixed(2), '1.93');
    await screenshots(page, 'ghost-c256');
  }));

test('bad URL values show a note, never an error; embed and phone width work', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/ghost?C=0&n=999&K=4&s=x&d=2&zzz=1');
    const notes = await page.locator(byId('notes')).innerText();
    for (const s of ['C=0', 'n=999', 'K=4', 's=x', 'd=2', 'zzz']) assert.ok(notes.includes(s), `${s} in ${notes}`);
    assert.equal(await value(page, 'intrinsic'), 32);
    await openRoute(page, '?embed=1#/ghost');
    assert.equal(await page.locator(byId('lesson-ghost')).count(), 1);
    await screenshots(page, 'ghost-embed', [{ width: 960, height: 540 }]);
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`);
  }));
