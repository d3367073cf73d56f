// Lesson 4, depthwise-separable + 1×1: the lecture's numbers, the composition check, the
// sliders, the channel multiplier and bad URL values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, useBrowser, withPage, openRoute, screenshots, byId, value, canvasSum, changed } from '../lib.mjs';

useBrowser();

test('the lecture\'s example (C = N = 128, K = 3, with bias) gives 1280 + 16512 = 17792 vs 147584', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/depthwise?C=128&N=128&K=3&mult=1&bias=1');
    assert.equal(await value(page, 'depthwise-params'), 1280);
    assert.equal(await value(page, 'pointwise-params'), 16512);
    assert.equal(await value(page, 'separable-params'), 17792);
    assert.equal(await value(page, 'standard-params'), 147584);
    assert.equal((await value(page, 'ratio')).toFixed(2), '0.12');
    const ratio = (await page.locator(byId('formula-ratio')).innerText()).replace(/\s+/g, '');
    assert.ok(ratio.includes('0.1189'), `1/N + 1/K² = 0.1189 in ${ratio}`);
    const f = (await page.locator(byId('formula-separable')).innerText()).replace(/\s+/g, '');
    assert.ok(f.includes('17,792'), f);
    // Without bias: K·K·C + C·N vs K·K·C·N.
    await openRoute(page, '#/depthwise?C=128&N=128&K=3&bias=0');
    assert.equal(await value(page, 'separable-params'), 9 * 128 + 128 * 128);
    assert.equal(await value(page, 'standard-params'), 9 * 128 * 128);
  }));

test('the two steps equal one standard conv with the composed kernel (computed)', () =>
  withPage(browser, async (page) => {
    for (const q of ['C=8&N=16&K=3&mult=1', 'C=4&N=6&K=5&mult=3', 'C=3&N=5&K=7&mult=2&bias=0']) {
      await openRoute(page, `#/depthwise?${q}`);
      const d = await value(page, 'max-abs-diff');
      assert.ok(Number.isFinite(d) && d < 1e-4, `${q}: max |diff| = ${d}`);
    }
  }));

test('sliders update formula, counts, plot and maps; the multiplier is supported', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/depthwise?C=8&N=16&K=3&mult=1&bias=1');
    await page.waitForTimeout(300);
    const plot0 = await canvasSum(page, 'ratio-plot');
    const maps0 = await canvasSum(page, 'output-view');
    const f0 = await page.locator(byId('formula-ratio')).innerText();
    await page.locator(byId('slider-N')).fill('32');
    await changed(page, () => value(page, 'separable-params'), 9 * 8 + 8 + 8 * 16 + 16, 'the count');
    assert.equal(await value(page, 'separable-params'), 9 * 8 + 8 + 8 * 32 + 32);
    assert.notEqual(await page.locator(byId('formula-ratio')).innerText(), f0);
    await changed(page, () => canvasSum(page, 'ratio-plot'), plot0, 'the plot');
    await changed(page, () => canvasSum(page, 'output-view'), maps0, 'the output maps');
    const dw0 = await canvasSum(page, 'depthwise-view');
    await page.locator(byId('slider-mult')).fill('2');
    await changed(page, () => value(page, 'depthwise-params'), 9 * 8 + 8, 'the depthwise count');
    assert.equal(await value(page, 'depthwise-params'), 9 * 16 + 16);
    assert.equal(await value(page, 'pointwise-params'), 16 * 32 + 32);
    await changed(page, () => canvasSum(page, 'depthwise-view'), dw0, 'the depthwise maps');
    await page.waitForFunction(() => location.hash.includes('mult=2') && location.hash.includes('N=32'));
    await screenshots(page, 'depthwise-mult2');
  }));

test('bad URL values show a note, never an error', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/depthwise?C=0&N=1e9&K=4&mult=99&bias=maybe&zzz=1');
    const notes = await page.locator(byId('notes')).innerText();
    assert.match(notes, /C/);
    assert.match(notes, /mult/);
    assert.equal(await page.locator(byId('separable-params')).count(), 1);
    await openRoute(page, '?embed=1#/depthwise');
    assert.equal(await page.locator(byId('lesson-depthwise')).count(), 1);
    await screenshots(page, 'depthwise-embed', [{ width: 960, height: 540 }]);
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`);
  }));
