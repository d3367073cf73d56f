// Lesson 3, group convolution: the counts for the lecture's formula, the groups slider,
// invalid M from the URL, and the live proof that groups do not communicate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, useBrowser, withPage, openRoute, screenshots, byId, value, canvasSum, changed } from '../lib.mjs';

useBrowser();

test('the counts equal K·K·C·N/M (+N) and the ratio 1/M, from the real tensors', () =>
  withPage(browser, async (page) => {
    for (const [m, weights] of [[1, 2304], [2, 1152], [4, 576], [8, 288], [16, 144]]) {
      await openRoute(page, `#/group?C=16&N=16&K=3&M=${m}&bias=0`);
      assert.equal(await value(page, 'grouped-weights'), weights, `M=${m}`);
      assert.equal(await value(page, 'grouped-params'), weights, `M=${m}`);
      assert.equal(await value(page, 'standard-params'), 2304);
      const ratio = await page.locator(byId('formula-ratio')).innerText();
      assert.match(ratio.replace(/\s+/g, ''), new RegExp(`=${String(1 / m).replace('.', '\\.')}`), `ratio for M=${m}`);
    }
    await openRoute(page, '#/group?C=16&N=16&K=3&M=4&bias=1');
    assert.equal(await value(page, 'grouped-params'), 576 + 16);
    assert.equal(await value(page, 'standard-params'), 2304 + 16);
    const f = (await page.locator(byId('formula-grouped')).innerText()).replace(/\s+/g, '');
    assert.ok(f.includes('592'), f);
    assert.match(await page.locator(byId('kind')).innerText(), /group convolution/);
  }));

test('the groups slider stops only at divisors and updates formula, counts, plot and maps', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/group?C=12&N=8&K=3&M=1&bias=1');
    assert.match(await page.locator(byId('valid-M')).innerText(), /1, 2, 4/);
    await page.waitForTimeout(300);
    const plot0 = await canvasSum(page, 'params-plot');
    const maps0 = await canvasSum(page, 'output-view');
    const blocks0 = await canvasSum(page, 'weight-blocks');
    const formula0 = await page.locator(byId('formula-grouped')).innerText();
    // The range runs over the valid values only: position 2 is M = 4.
    await page.locator(byId('slider-M')).fill('2');
    await changed(page, () => value(page, 'grouped-params'), 9 * 12 * 8 + 8, 'the parameter count');
    assert.equal(await value(page, 'grouped-params'), (9 * 12 * 8) / 4 + 8);
    assert.notEqual(await page.locator(byId('formula-grouped')).innerText(), formula0);
    await changed(page, () => canvasSum(page, 'params-plot'), plot0, 'the plot');
    await changed(page, () => canvasSum(page, 'output-view'), maps0, 'the output maps');
    await page.waitForTimeout(900); // the morph has finished
    await changed(page, () => canvasSum(page, 'weight-blocks'), blocks0, 'the weight blocks');
    await page.waitForFunction(() => location.hash.includes('M=4'));
    await screenshots(page, 'group-M4');
  }));

test('an impossible M in the URL says why and links to the nearest valid values', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/group?C=16&N=16&M=3');
    const note = page.locator(byId('invalid-groups'));
    assert.match(await note.innerText(), /not divisible by M = 3/);
    assert.equal(await page.locator(byId('suggest-M-2')).count(), 1);
    assert.equal(await page.locator(byId('suggest-M-4')).count(), 1);
    await page.locator(byId('suggest-M-4')).click();
    await page.waitForFunction(() => location.hash.includes('M=4'));
    await page.locator(byId('grouped-params')).waitFor();
    assert.equal(await value(page, 'grouped-params'), (9 * 16 * 16) / 4 + 16);
    // Other bad values: clamped or replaced, with notes, never a crash.
    await openRoute(page, '#/group?C=abc&N=99999&K=4&M=-2&bias=maybe');
    assert.ok((await page.locator(byId('notes')).innerText()).length > 0);
    assert.equal(await page.locator(byId('grouped-params')).count(), 1);
  }));

test('groups do not communicate: the other groups\u2019 outputs are bit-for-bit unchanged', () =>
  withPage(browser, async (page) => {
    for (const m of [1, 2, 4, 8]) {
      await openRoute(page, `#/group?C=8&N=8&K=3&M=${m}&edit=5`);
      const count = page.locator(byId('unchanged-count'));
      await count.waitFor();
      const unchanged = Number(await count.getAttribute('data-value'));
      assert.equal(unchanged, ((m - 1) * 8) / m, `M=${m}`);
      assert.equal(Number(await count.getAttribute('data-expected')), unchanged);
    }
    // Interactively: pick channel 0, randomise, compare; then undo.
    await openRoute(page, '#/group?C=8&N=12&K=3&M=4');
    assert.equal(await page.locator(byId('unchanged-count')).count(), 0);
    await page.locator(byId('edit-channel')).selectOption('0');
    await page.locator(byId('randomise')).click();
    await page.locator(byId('unchanged-count')).waitFor();
    assert.equal(await value(page, 'unchanged-count'), 9);
    assert.match(await page.locator(byId('isolation-result')).innerText(), /Changed: out 0, 1, 2\./);
    await screenshots(page, 'group-isolation');
    await page.locator(byId('reset-edit')).click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="unchanged-count"]'));
  }));

test('embed mode and phone width render the lesson', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '?embed=1#/group?C=16&N=16&M=4');
    assert.equal(await page.locator(byId('lesson-group')).count(), 1);
    await screenshots(page, 'group-embed', [{ width: 960, height: 540 }]);
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`);
  }));

test('a figure below the view waits while the slider moves, then shows exactly what a fresh page draws', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/group?C=16&N=16&K=3&M=4');
    await page.waitForTimeout(400);
    const inView = () => page.locator(byId('input-view')).first().evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top < innerHeight + 96 && r.bottom > -96;
    });
    assert.equal(await inView(), false, 'the input maps start below the view at 1280x800');
    const start = await canvasSum(page, 'input-view');
    // A drag across C: the input maps (below the view) keep their drawing meanwhile...
    const during = await page.evaluate(async () => {
      const el = document.querySelector('[data-testid="slider-C"] input[type="range"], input[type="range"][data-testid="slider-C"]');
      const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      const seen = new Set();
      const sum = () => {
        let s = 0;
        for (const c of document.querySelectorAll('[data-testid="input-view"] canvas')) {
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          for (let i = 0; i < d.length; i += 7) s = (s * 31 + d[i]) % 1000000007;
        }
        return s;
      };
      for (const v of [20, 24, 32, 40, 48, 8]) {
        set.call(el, String(v));
        el.dispatchEvent(new Event('input', { bubbles: true }));
        await new Promise((r) => setTimeout(r, 40));
        seen.add(sum());
      }
      return [...seen];
    });
    assert.deepEqual(during, [start], 'no redraw below the view while the slider moves');
    // ...then show the last value once the slider rests, as a fresh page of that URL does.
    const settled = await changed(page, () => canvasSum(page, 'input-view'), start, 'the input maps');
    assert.match(page.url(), /C=8/);
    const fresh = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await openRoute(fresh, new URL(page.url()).hash);
      await fresh.waitForTimeout(300);
      assert.equal(await canvasSum(fresh, 'input-view'), settled, 'the settled drawing equals a fresh render');
    } finally {
      await fresh.close();
    }
    // Scrolled into view, a figure redraws with the current value at once.
    await page.locator(byId('slider-C')).first().evaluate((el) => {
      const input = el.matches('input') ? el : el.querySelector('input[type="range"]');
      const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      set.call(input, '16');
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.locator(byId('input-view')).first().scrollIntoViewIfNeeded();
    await changed(page, () => canvasSum(page, 'input-view'), settled, 'the input maps in view');
  }));
