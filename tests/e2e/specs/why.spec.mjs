// Lesson 1, why convolution saves parameters: counts from the real layer, sliders, deep links,
// the traced dot product on hover and tap, the animation frame in the URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  browser, useBrowser, withPage, openRoute, screenshots, waitForDrawnCanvas,
  byId, text, digits, until,
} from '../lib.mjs';

useBrowser();

/** Polls of 50 ms `until` makes in this spec before it fails (4 s). */
const UNTIL_TRIES = 80;

test('counts equal the lecture formulas, from the real Conv2d', () =>
  withPage(browser, async (page) => {
    for (const [k, c, d, s, m, bias, params, macs] of [
      [3, 3, 4, 1, 8, 1, 3 * 3 * 3 * 4 + 4, 3 * 3 * 3 * 8 * 8 * 4],
      [5, 16, 16, 2, 32, 0, 5 * 5 * 16 * 16, 5 * 5 * 16 * 16 * 16 * 16],
      [1, 7, 3, 1, 5, 1, 7 * 3 + 3, 7 * 5 * 5 * 3],
    ]) {
      await openRoute(page, `#/why?K=${k}&C=${c}&D=${d}&s=${s}&M=${m}&N=${m}&bias=${bias}`);
      await page.waitForSelector(byId('params-value'));
      assert.equal(digits(await text(page, 'params-value')), params, `params for K=${k} C=${c} D=${d}`);
      assert.equal(digits(await text(page, 'macs-value')), macs, `MACs for K=${k} C=${c} D=${d} s=${s}`);
    }
  }));

test('the slide-says callout gives PyTorch\'s exact output size when M/s is not whole', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/why?M=7&N=7&s=2&K=3&p=1');
    const text = await page.locator(byId('slide-says')).innerText();
    assert.match(text, /here 4×4 where the slide's formula gives 3\.50×3\.50/);
  }));

test('the 1-D comparison counts N×N against K and N×K', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/why?len=10&K=3');
    assert.match(await page.locator(byId('one-d-dense')).innerText(), /weights N×N = 100.*operations N×N = 100/s);
    assert.match(await page.locator(byId('one-d-conv')).innerText(), /weights K = 3.*operations N×K = 30/s);
  }));

test('a slider changes the numbers and the URL (replaceState, no new history entry)', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/why?C=3&K=3&D=4');
    const before = digits(await text(page, 'params-value'));
    const histLen = await page.evaluate(() => history.length);
    const slider = page.locator(`${byId('slider-C')}`);
    await slider.focus();
    await slider.press('ArrowRight');
    await until(page, async () => digits(await text(page, 'params-value')) !== before, 'params changed', UNTIL_TRIES);
    assert.equal(digits(await text(page, 'params-value')), 3 * 3 * 4 * 4 + 4);
    await page.waitForFunction(() => location.hash.includes('C=4'));
    assert.equal(await page.evaluate(() => history.length), histLen, 'no history spam');
  }));

test('a deep link restores every control and the frame exactly', () =>
  withPage(browser, async (page) => {
    const r = '#/why?M=12&N=9&C=5&K=5&D=7&s=2&p=2&bias=0&w=random&len=11&t=17&input=checker';
    await openRoute(page, r);
    await page.waitForSelector(byId('lesson-why'));
    for (const [id, v] of [['slider-M', '12'], ['slider-N', '9'], ['slider-C', '5'], ['slider-K', '5'],
      ['slider-D', '7'], ['slider-s', '2'], ['slider-p', '2'], ['slider-len', '11']]) {
      assert.equal(await page.locator(byId(id)).inputValue(), v, id);
    }
    assert.equal(await page.locator(`${byId('player')} input[type="range"]`).inputValue(), '17', 'frame');
    assert.match(await page.locator(byId('dot-cell')).innerText(), /y\[0, 3, 2\]/, 'frame 17 explains cell (0, 3, 2) of a 6×5 map');
    assert.equal(await page.locator(byId('bias')).isChecked(), false);
    assert.equal(await page.locator(byId('weights')).inputValue(), 'random');
    await page.waitForTimeout(400);
    const hash = await page.evaluate(() => location.hash);
    for (const kv of r.slice(r.indexOf('?') + 1).split('&')) assert.ok(hash.includes(kv), `${kv} kept in ${hash}`);
    assert.equal(await page.locator(byId('notes')).count(), 0, 'no notes for a valid link');
  }));

test('hovering and tapping an output cell shows its dot product with numbers', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/why?M=6&N=6&C=1&D=2&K=3');
    await waitForDrawnCanvas(page);
    const canvas = page.locator(`${byId('output-view')} canvas`).first();
    const box = await canvas.boundingBox();
    assert.ok(box, 'output canvas has a box');
    const before = await page.locator(byId('dot-product')).innerText();
    // Sweep across the canvas until the explained cell changes.
    let after = before;
    for (let f = 0.15; f < 0.9 && after === before; f += 0.1) {
      await page.mouse.move(box.x + box.width * f, box.y + box.height * 0.35);
      await page.waitForTimeout(60);
      after = await page.locator(byId('dot-product')).innerText();
    }
    assert.notEqual(after, before, 'hover changes the explained cell');
    assert.match(after, /×.*=\s*-?[\d.]+/s);
    assert.match(await page.locator(byId('dot-cell')).innerText(), /under the pointer/);
    await screenshots(page, 'why-hover', [{ width: 1280, height: 800 }]);
  }));

test('the lesson works at phone width with touch', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/why');
    await waitForDrawnCanvas(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no horizontal overflow at 390 px (${overflow})`);
    const canvas = page.locator(`${byId('output-view')} canvas`).first();
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    const before = await page.locator(byId('dot-product')).innerText();
    await page.touchscreen.tap(box.x + box.width * 0.6, box.y + box.height * 0.3);
    await until(page, async () => (await page.locator(byId('dot-product')).innerText()) !== before, 'tap explains a cell', UNTIL_TRIES);
    await screenshots(page, 'why-phone', [{ width: 390, height: 844 }, { width: 360, height: 740 }]);
  }, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true }));

test('the jump buttons show one pixel, one channel, the whole map', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/why?M=4&N=4&D=2&K=3&C=1');
    await page.click(byId('jump-one-channel'));
    await page.waitForFunction(() => location.hash.includes('t=15'));
    assert.match(await page.locator(byId('stage')).innerText(), /One channel.*16 of 32 cells/);
    await page.click(byId('jump-whole-map'));
    await page.waitForFunction(() => location.hash.includes('t=31'));
    assert.match(await page.locator(byId('stage')).innerText(), /32 of 32 cells.*9 multiply–adds each = 288 so far/);
    // The running total at the end equals the layer's MAC count.
    assert.equal(digits(await text(page, 'macs-value')), 288);
  }));

test('screenshots of the lesson at lecture sizes', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/why');
    await waitForDrawnCanvas(page);
    await screenshots(page, 'why');
  }));
