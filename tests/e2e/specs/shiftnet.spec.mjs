// Lesson 11, ShiftNet: the shift's counts (0 parameters, 0 FLOPs, elements moved), the
// receptive fields of (shift + 1×1) and 3×3 stacks, deep links, keyboard stepping and notes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  browser, useBrowser, withPage, openRoute, screenshots, waitForDrawnCanvas, playsWithoutLongTasks,
  byId, text, textNumber, becomes,
} from '../lib.mjs';

useBrowser();

test('the shift has no parameters, no FLOPs, and moves what the kernel crate says', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/shiftnet?k=3&m=1');
    assert.equal(await textNumber(page, 'shift-groups'), 9);
    assert.equal(await textNumber(page, 'shift-channels'), 9);
    assert.equal(await textNumber(page, 'shift-params'), 0);
    assert.equal(await textNumber(page, 'shift-flops'), 0);
    // 16×16 input: 4 diagonal groups keep 15·15, 4 straight ones 15·16, the centre stays.
    assert.equal(await textNumber(page, 'shift-moved'), 4 * 225 + 4 * 240);
    assert.equal(await textNumber(page, 'shift-written'), 9 * 256);
    await openRoute(page, '#/shiftnet?k=5&m=2');
    assert.equal(await textNumber(page, 'shift-groups'), 25);
    assert.equal(await textNumber(page, 'shift-channels'), 50);
    assert.ok((await waitForDrawnCanvas(page, undefined, 3)) >= 3);
  }));

test('(shift + 1×1) stacks see as far as 3×3 convs of the same depth', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/shiftnet?k=3&depth=5');
    for (let n = 1; n <= 5; n += 1) {
      assert.equal(await textNumber(page, `rf-shift-${n}`), 2 * n + 1, `shift depth ${n}`);
      assert.equal(await textNumber(page, `rf-conv-${n}`), 2 * n + 1, `conv depth ${n}`);
    }
    assert.match(await text(page, 'field-summary'), /Both see 121 input cells \(11\u00d711\)/);
  }));

test('deep link, keyboard stepping and notes for a broken URL', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/shiftnet?k=5&f=3');
    assert.match(await text(page, 'frame-caption'), /Frame 4 of 26/);
    await page.locator(`${byId('player')} .cl-step`).focus();
    await page.keyboard.press('ArrowRight');
    await becomes(page, async () => /Frame 5 of 26/.test(await text(page, 'frame-caption')), true, 'stepped');
    await page.waitForTimeout(400);
    assert.ok(decodeURIComponent(new URL(page.url()).hash).includes('f=4'));
    await openRoute(page, '#/shiftnet?k=4&m=x&f=-2&in=nope');
    const notes = await text(page, 'notes');
    assert.match(notes, /k = 4/);
    assert.equal(await textNumber(page, 'shift-groups'), 9);
  }));

test('the largest animation the UI allows (k = 5 with 3 channels per group) plays without a long task', () =>
  withPage(browser, async (page) => {
    const runs = await playsWithoutLongTasks(page, '#/shiftnet?k=5&m=3&f=0');
    assert.deepEqual(runs.at(-1), [], `long tasks (ms) while playing, per run: ${JSON.stringify(runs)}`);
  }));

test('screenshots', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/shiftnet?f=5');
    await waitForDrawnCanvas(page);
    await screenshots(page, 'shiftnet');
  }));
