// Lesson 6, group-equivariant filters (p4m): the computed equivariance error for every
// transform, the rotate/flip buttons, parameter counts, drawn-filter deep links, bad URLs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, useBrowser, withPage, openRoute, screenshots, byId, value, canvasSum, changed } from '../lib.mjs';

useBrowser();

const P4M = ['0', '90', '180', '270', 'flip', 'flip90', 'flip180', 'flip270'];

test('the equivariance error shown is below 1e-5 for all 8 transforms on random inputs', () =>
  withPage(browser, async (page) => {
    for (const [seed, f, k] of [[1, 'learned-5', 5], [2, 'corner', 3], [7, 'learned-9', 3], [13, 'edge', 5]]) {
      await openRoute(page, `#/equivariant?input=random-${seed}&f=${f}&K=${k}&G=p4m&h=90`);
      assert.equal(await page.locator(`${byId('eq-errors')} tbody tr`).count(), 8);
      for (const h of P4M) {
        const e = await value(page, `eq-error-${h}`);
        assert.ok(Number.isFinite(e) && e >= 0 && e < 1e-5, `${f} seed ${seed} h=${h}: ${e}`);
      }
      assert.ok((await value(page, 'eq-error')) < 1e-5);
    }
    // p4 shows 4 transforms and 4 maps.
    await openRoute(page, '#/equivariant?input=random-3&f=learned-2&G=p4');
    assert.equal(await page.locator(`${byId('eq-errors')} tbody tr`).count(), 4);
    assert.equal(await value(page, 'maps-count'), 4);
    for (const h of P4M.slice(0, 4)) assert.ok((await value(page, `eq-error-${h}`)) < 1e-5);
  }));

test('8 maps for the parameters of one filter; 8 independent filters would need 8x', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/equivariant?K=3&G=p4m');
    assert.equal(await value(page, 'shared-params'), 9);
    assert.equal(await value(page, 'independent-params'), 72);
    assert.equal(await value(page, 'maps-count'), 8);
    await page.locator(byId('K-5')).click();
    await page.waitForFunction(() => location.hash.includes('K=5'));
    assert.equal(await value(page, 'shared-params'), 25);
    assert.equal(await value(page, 'independent-params'), 200);
    await page.locator(byId('group-p4')).click();
    await page.waitForFunction(() => location.hash.includes('G=p4&') || location.hash.endsWith('G=p4'));
    assert.equal(await value(page, 'independent-params'), 100);
    assert.equal(await value(page, 'maps-count'), 4);
  }));

test('rotating and flipping the input permutes the maps; the error stays tiny', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/equivariant?input=digit&f=corner&h=0');
    await page.waitForTimeout(300);
    const perm0 = await canvasSum(page, 'permutation-plot');
    const maps0 = await canvasSum(page, 'maps-plot');
    await page.locator(byId('rotate-input')).click();
    await page.waitForFunction(() => /[?&]h=90(&|$)/.test(location.hash));
    assert.equal(await page.locator(byId('h-label')).getAttribute('data-value'), '90');
    await changed(page, () => canvasSum(page, 'permutation-plot'), perm0, 'the permutation figure');
    await changed(page, () => canvasSum(page, 'maps-plot'), maps0, 'the maps');
    assert.ok((await value(page, 'eq-error')) < 1e-5);
    await page.locator(byId('flip-input')).click();
    await page.waitForFunction(() => /[?&]h=flip/.test(location.hash));
    assert.ok((await value(page, 'eq-error')) < 1e-5);
    await screenshots(page, 'equivariant-flip');
    // Keyboard: the buttons are reachable and work with Enter.
    await page.locator(byId('reset-input')).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /[?&]h=0(&|$)/.test(location.hash));
    // p4 has no flip: the button is disabled.
    await page.locator(byId('group-p4')).click();
    assert.equal(await page.locator(byId('flip-input')).isDisabled(), true);
  }));

test('a drawn filter is kept in the URL and restored from it', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/equivariant?f=edge&K=3');
    await page.locator(byId('preset-draw')).click();
    await page.waitForFunction(() => /[?&]f=draw-/.test(location.hash));
    // Paint the top-left tap with +2 by keyboard.
    await page.locator(byId('pen-2')).click();
    const canvas = page.locator(byId('filter-canvas'));
    await canvas.focus();
    await page.keyboard.press('Space');
    await page.waitForTimeout(400);
    const hash = await page.evaluate(() => location.hash);
    const code = /f=draw-([A-Za-z0-9_-]+)/.exec(hash)[1];
    assert.equal(code.length, 5, `3x3 code is 5 characters: ${code}`);
    // Edge is [-1 0 1; -2 0 2; -1 0 1]; the top-left tap is now +2.
    await openRoute(page, hash);
    assert.equal(await page.locator(byId('filter-editor')).count(), 1);
    await page.waitForTimeout(400);
    assert.ok((await page.evaluate(() => location.hash)).includes(`f=draw-${code}`));
    assert.equal(await value(page, 'shared-params'), 9);
    // A 5x5 drawing in the link sets K = 5.
    await openRoute(page, '#/equivariant?f=draw-SSSSSSSSSSSSQ&K=3');
    assert.equal(await value(page, 'shared-params'), 25);
  }));

test('bad URL values show a note, never an error; embed and phone width work', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/equivariant?f=draw-%%%&K=4&G=p8&h=45&input=cat');
    const notes = await page.locator(byId('notes')).innerText();
    for (const s of ['f:', 'K=4', 'G=p8', 'h=45', 'input']) assert.ok(notes.includes(s), `${s} in ${notes}`);
    assert.equal(await value(page, 'shared-params'), 9);
    await openRoute(page, '#/equivariant?G=p4&h=flip90');
    assert.match(await page.locator(byId('notes')).innerText(), /rotations only/);
    await openRoute(page, '?embed=1#/equivariant');
    assert.equal(await page.locator(byId('lesson-equivariant')).count(), 1);
    await screenshots(page, 'equivariant-embed', [{ width: 960, height: 540 }]);
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`);
  }));
