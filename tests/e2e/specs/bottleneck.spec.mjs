// Lesson 2, bottleneck: 2NM vs N², the ratio 2M/N and the slide's typo, the sliders, bad URLs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, useBrowser, withPage, openRoute, screenshots, byId, value, canvasSum, changed } from '../lib.mjs';

useBrowser();

test('the counts are 2NM vs N² from the real matrices, ratio 2M/N', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/bottleneck?N=128&M=32&K=3&bias=0');
    assert.equal(await value(page, 'bottleneck-weights'), 2 * 128 * 32);
    assert.equal(await value(page, 'original-weights'), 128 * 128);
    const ratio = (await page.locator(byId('formula-ratio')).innerText()).replace(/\s+/g, '');
    assert.ok(ratio.endsWith('=0.5'), ratio);
    await openRoute(page, '#/bottleneck?N=16&M=4&K=3&bias=1');
    assert.equal(await value(page, 'bottleneck-params'), 2 * 16 * 4 + 4 + 16);
    assert.equal(await value(page, 'original-params'), 16 * 16 + 16);
    assert.equal(await value(page, 'conv-chain-params'), (16 * 4 + 4) + (9 * 4 * 4 + 4) + (4 * 16 + 16));
    assert.equal(await value(page, 'conv-standard-params'), 9 * 16 * 16 + 16);
    const note = await page.locator(byId('slide-says')).innerText();
    assert.match(note, /2N\/M/);
    assert.match(note, /2M\/N = 0\.500 while 2N\/M would be 8\.000/);
  }));

test('sliders update formula, counts, plot and maps', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/bottleneck?N=16&M=4&K=3&bias=1');
    await page.waitForTimeout(300);
    const plot0 = await canvasSum(page, 'ratio-plot');
    const mats0 = await canvasSum(page, 'matrices-plot');
    const maps0 = await canvasSum(page, 'reduced-view');
    const f0 = await page.locator(byId('formula-bottleneck')).innerText();
    await page.locator(byId('slider-M')).fill('8');
    await changed(page, () => value(page, 'bottleneck-params'), 148, 'the count');
    assert.equal(await value(page, 'bottleneck-params'), 2 * 16 * 8 + 8 + 16);
    assert.notEqual(await page.locator(byId('formula-bottleneck')).innerText(), f0);
    await changed(page, () => canvasSum(page, 'ratio-plot'), plot0, 'the plot');
    await changed(page, () => canvasSum(page, 'matrices-plot'), mats0, 'the matrices');
    await changed(page, () => canvasSum(page, 'reduced-view'), maps0, 'the maps');
    await page.waitForFunction(() => location.hash.includes('M=8'));
    await screenshots(page, 'bottleneck-M8');
  }));

test('bad URL values show a note, never an error; embed and phone width work', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/bottleneck?N=8&M=999&K=x');
    const notes = await page.locator(byId('notes')).innerText();
    assert.match(notes, /M=999/);
    assert.equal(await value(page, 'bottleneck-weights'), 2 * 8 * 8);
    await openRoute(page, '?embed=1#/bottleneck');
    assert.equal(await page.locator(byId('lesson-bottleneck')).count(), 1);
    await screenshots(page, 'bottleneck-embed', [{ width: 960, height: 540 }]);
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`);
  }));
