// Lesson 10, ShuffleNet: exact counts and the slide's, the shuffle animation's final order
// against the kernel's channel_shuffle, reachability, invalid g.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, useBrowser, withPage, openRoute, screenshots, byId, valueText, waitValue } from '../lib.mjs';

useBrowser();

/** perm[i] = (i mod g)·(n/g) + ⌊i/g⌋, written out independently of the app. */
function shuffleOrder(n, g) {
  return Array.from({ length: n }, (_, i) => (i % g) * (n / g) + Math.floor(i / g));
}

test("the lecture's unit: 9680 + 800 + 9840 = 20320 vs 518640 (0.039), and the slide's 9640 / 9720 / 20160", () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/shufflenet');
    assert.equal(await valueText(page, 'params-0'), '9680');
    assert.equal(await valueText(page, 'params-1'), '0');
    assert.equal(await valueText(page, 'params-2'), '800');
    assert.equal(await valueText(page, 'params-3'), '9840');
    assert.equal(await valueText(page, 'params-total'), '20320');
    assert.equal(await valueText(page, 'twin-total'), '518640');
    assert.equal(await valueText(page, 'ratio'), '0.039');
    const says = await page.locator(byId('slide-says')).innerText();
    for (const n of ['9640', '9720', '20160', '9680', '9840', '20320', '518640', '0.039', 'one bias per pair']) {
      assert.ok(says.includes(n), `${n} in the callout`);
    }
    await screenshots(page, 'shufflenet');
  }));

test("the animation's final order equals the kernel's channel_shuffle", () =>
  withPage(browser, async (page) => {
    for (const [c, b, g, n] of [[240, 80, 2, 12], [48, 24, 3, 12], [240, 80, 4, 12], [240, 80, 8, 16]]) {
      await openRoute(page, `#/shufflenet?C=${c}&B=${b}&g=${g}&n=${n}`);
      const shown = (await page.locator(byId('shuffle-final-order')).innerText()).trim();
      const kernel = (await page.locator(byId('kernel-shuffle-order')).innerText()).trim();
      assert.equal(shown, kernel, `n=${n} g=${g}`);
      assert.equal(shown, shuffleOrder(n, g).join(' '), `n=${n} g=${g}`);
    }
  }));

test('the player steps and scrubs through reshape, transpose, flatten; frame in the URL', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/shufflenet?n=12&g=2&f=0');
    const player = page.locator(byId('shuffle-player'));
    const caption = page.locator(byId('shuffle-caption'));
    assert.match(await caption.innerText(), /12 channels in 2 groups/);
    await player.locator('input[type="range"]').fill('8');
    await page.waitForFunction(() => document.querySelector('[data-testid="shuffle-caption"]').innerText.includes('Reshaped'));
    await player.getByRole('button', { name: 'step forward' }).click();
    await page.waitForFunction(() => location.hash.includes('f=9'));
    await player.locator('input[type="range"]').focus();
    await page.keyboard.press('End');
    await page.waitForFunction(() => document.querySelector('[data-testid="shuffle-caption"]').innerText.startsWith('Flattened'));
    await openRoute(page, '#/shufflenet?n=12&g=2&f=16');
    assert.match(await caption.innerText(), /Transposed/);
    await screenshots(page, 'shufflenet-transposed', [{ width: 1280, height: 800 }]);
  }));

test('information flow: groups stay apart without the shuffle, two units connect all when g² ≤ n', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/shufflenet?n=12&g=2');
    let text = await page.locator(byId('reach-summary')).innerText();
    assert.match(text, /Without the shuffle: 50%, 50%, 50%/);
    assert.match(text, /With it: 50%, 100%, 100%/);
    await openRoute(page, '#/shufflenet?C=240&B=80&g=4&n=12');
    text = await page.locator(byId('reach-summary')).innerText();
    assert.match(text, /Without the shuffle: 25%, 25%, 25%/);
    assert.doesNotMatch(text, /With it: 25%, 100%/);
    assert.match(await page.locator(byId('reach-rule')).innerText(), /16 > n = 12/);
  }));

test('sliders recount; an invalid g gives a note with valid values and no console error', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/shufflenet?g=7');
    const note = await page.locator(byId('invalid-g')).innerText();
    assert.match(note, /g = 7 must divide/);
    assert.match(note, /1, 2, 4, 5, 8, 10, 16/);
    await page.locator(byId('block-error')).waitFor();
    await page.locator(byId('use-g-4')).click();
    // 240→80 in 4 groups: 60·80 + 80; dw 800; 80→240: 20·240 + 240.
    await waitValue(page, 'params-total', 60 * 80 + 80 + 800 + 20 * 240 + 240);
    await page.waitForFunction(() => location.hash.includes('g=4'));
    assert.equal(await page.locator(byId('invalid-g')).count(), 0);
    await page.locator(byId('slider-B')).fill('40');
    await waitValue(page, 'params-total', 60 * 40 + 40 + 400 + 10 * 240 + 240);
    await openRoute(page, '#/shufflenet?g=abc&C=-5&n=999&f=-1&box=x');
    assert.ok((await page.locator(byId('notes')).innerText()).length > 0);
    await page.locator(byId('params-total')).waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`);
  }));
