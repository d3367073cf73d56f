// Lesson 5, dilated convolution: the highlighted cells equal the receptive-field recurrence
// for several stacks, WaveNet sees 1024 inputs once each, deep links restore stack / cell /
// frame, the keyboard alone picks a cell and steps frames, and a broken URL gives notes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  browser, useBrowser, withPage, openRoute, screenshots, waitForDrawnCanvas, playsWithoutLongTasks,
  byId, text, textNumber, becomes,
} from '../lib.mjs';

useBrowser();

// [stack, n, receptive field r, highlighted input cells, holes?]
const STACKS = [
  ['3d1,3d2,3d4,3d8', 35, 31, 31 * 31, false],
  ['3d2,3d2,3d2', 35, 13, 49, true],
  ['3d1,3d2,3d5', 35, 17, 17 * 17, false],
  ['3d1,3d1,3d1,3d1', 21, 9, 81, false],
  ['5d1s2,3d2', 35, 13, 13 * 13, false],
];

test('highlighted cells equal the receptive-field recurrence for several stacks', () =>
  withPage(browser, async (page) => {
    for (const [L, n, r, cells, holes] of STACKS) {
      await openRoute(page, `#/dilated?L=${L}&n=${n}`);
      assert.equal(await textNumber(page, 'rf-size'), r, `r for ${L}`);
      assert.equal(await text(page, 'fed-extent'), `${r}\u00d7${r}`, `extent for ${L}`);
      assert.equal(await textNumber(page, 'fed-input'), cells, `cells for ${L}`);
      assert.equal((await textNumber(page, 'holes')) > 0, holes, `holes for ${L}`);
      assert.equal(await page.locator(byId('clipped')).count(), 0, `${L} is not clipped`);
    }
    // Frame 0 shows the output cell alone; the last frame is the input.
    await openRoute(page, '#/dilated?L=3d1,3d2,3d4,3d8&n=35&f=0');
    assert.equal(await textNumber(page, 'fed-frame'), 1);
    await openRoute(page, '#/dilated?L=3d1,3d2,3d4,3d8&n=35&f=4');
    assert.equal(await textNumber(page, 'fed-frame'), 961);
    assert.ok((await waitForDrawnCanvas(page, undefined, 3)) >= 3);
  }));

test('the WaveNet tree sees 1024 inputs, each by one path', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/dilated');
    assert.equal(await textNumber(page, 'tree-rf'), 1024);
    assert.equal(await textNumber(page, 'tree-fed'), 1024);
    assert.equal(await text(page, 'tree-paths'), '1');
    // Repeated dilations: unequal contributions.
    await page.locator(byId('tree-preset-plain')).click();
    await becomes(page, () => textNumber(page, 'tree-rf'), 5, 'field of 1,1,1,1');
    assert.equal(await text(page, 'tree-paths'), '1\u20136');
    // Zoom buttons and keys change the view.
    await page.locator(byId('tree-preset-wavenet')).click();
    await becomes(page, () => textNumber(page, 'tree-rf'), 1024, 'field of WaveNet');
    const whole = await text(page, 'tree-view');
    await page.locator(byId('tree-zoom-in')).click();
    await becomes(page, async () => (await text(page, 'tree-view')) !== whole, true, 'zoomed view');
    await page.locator(byId('tree-canvas')).focus();
    await page.keyboard.press('0');
    await becomes(page, () => text(page, 'tree-view'), whole, 'reset view');
  }));

test('a deep link restores stack, cell and frame, and stays in the URL', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/dilated?L=3d1,3d2&n=21&c=3.4&f=1');
    assert.equal(await text(page, 'stack-code'), '3d1,3d2');
    assert.match(await text(page, 'cell'), /row 3, column 4 of 21\u00d721/);
    assert.match(await text(page, 'frame-caption'), /Frame 2 of 3/);
    assert.equal(await textNumber(page, 'fed-frame'), 9);
    await page.waitForTimeout(400);
    const hash = decodeURIComponent(new URL(page.url()).hash);
    for (const part of ['L=3d1,3d2', 'c=3.4', 'f=1', 'n=21']) assert.ok(hash.includes(part), `${part} in ${hash}`);
  }));

test('keyboard alone: pick a cell with arrows, step frames with the player', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/dilated?L=3d1,3d2,3d4&n=21&c=10.10&f=3');
    await page.locator(byId('cell-picker')).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    await becomes(page, () => text(page, 'cell'), 'row 11, column 11 of 21\u00d721', 'cell after arrows');
    await page.locator(`${byId('player')} .cl-step-back`).focus();
    await page.keyboard.press('ArrowLeft');
    await becomes(page, async () => /Frame 3 of 4/.test(await text(page, 'frame-caption')), true, 'stepped back');
    await page.keyboard.press('Home');
    await becomes(page, async () => /Frame 1 of 4/.test(await text(page, 'frame-caption')), true, 'first frame');
    assert.equal(await textNumber(page, 'fed-frame'), 1);
    // Editing the stack by keyboard: add a layer.
    await page.locator(byId('layer-add')).focus();
    await page.keyboard.press('Enter');
    await becomes(page, () => text(page, 'stack-code'), '3d1,3d2,3d4,3d8', 'added layer');
  }));

test('an invalid URL gives notes, sane values and no console error', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/dilated?L=zz,99d0&n=abc&c=x.y&f=77&T=2dq&bogus=1');
    const notes = await text(page, 'notes');
    assert.match(notes, /kernel 99/);
    assert.match(notes, /bogus/);
    assert.equal(await text(page, 'stack-code'), '7d1');
    assert.equal(await textNumber(page, 'tree-rf'), 1024);
  }));

test('the largest animation the UI allows (six 7×7 layers on a 49×49 input) plays without a long task', () =>
  withPage(browser, async (page) => {
    const runs = await playsWithoutLongTasks(page, '#/dilated?L=7d1,7d2,7d4,7d8,7d16,7d16&n=49&f=0');
    assert.deepEqual(runs.at(-1), [], `long tasks (ms) while playing, per run: ${JSON.stringify(runs)}`);
  }));

test('screenshots', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/dilated?L=3d2,3d2,3d2&n=35');
    await waitForDrawnCanvas(page);
    await screenshots(page, 'dilated');
  }));
