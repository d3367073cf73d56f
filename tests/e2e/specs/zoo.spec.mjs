// Lesson 12, the model zoo: published totals under torchvision's convention, the convention
// and unit toggles, sorting by click and keyboard, CSV export, deep links and hostile URLs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, useBrowser, withPage, openRoute, screenshots, byId, text, digits, until } from '../lib.mjs';

useBrowser();

test('published totals appear exactly under the torchvision convention', () =>
  withPage(browser, async (page) => {
    for (const [q, want] of [
      ['model=squeezenet1_0', '1,248,424'],
      ['model=mobilenet_v2', '3,504,872'],
      ['model=shufflenet_v2&width=1', '2,278,604'],
    ]) {
      await openRoute(page, `#/zoo?${q}&conv=torchvision`);
      await page.locator(byId('total-params')).waitFor();
      assert.equal(await text(page, 'total-params'), want, q);
      assert.equal(await text(page, 'foot-params'), want, `${q} table footer`);
      assert.match(await text(page, 'convention-label'), /torchvision/);
    }
    await screenshots(page, 'zoo');
  }));

test('convention and units toggles change the numbers and say so', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/zoo?model=mobilenet_v2');
    const macs = digits(await text(page, 'total-ops'));
    assert.equal(macs, 300_774_272);
    await page.locator(byId('units-flops')).click();
    await until(page, async () => digits(await text(page, 'total-ops')) === 2 * macs, 'FLOPs = 2 MACs');
    assert.match(await text(page, 'convention-label'), /FLOPs = 2·MACs/);
    await until(page, async () => /units=flops/.test(page.url()), 'URL has ' + /units=flops/);
    await page.locator(byId('conv-lecture')).click();
    await until(page, async () => (await text(page, 'total-params')) !== '3,504,872', 'lecture convention recount');
    assert.match(await text(page, 'convention-label'), /lecture/);
    await until(page, async () => /conv=lecture/.test(page.url()), 'URL has ' + /conv=lecture/);
    // The twin sits beside the network with its ratio.
    assert.ok(digits(await text(page, 'twin-params')) > 0);
    assert.match(await text(page, 'ratio-params'), /×$/);
  }));

test('clicking a header sorts; Enter on a focused header reverses', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/zoo?model=squeezenet1_0');
    await page.locator(byId('sort-params')).click();
    const cells = async () => (await page.locator(byId('cell-params')).allInnerTexts()).map(digits);
    await until(page, async () => {
      const v = await cells();
      return v.length > 10 && v.every((x, i) => i === 0 || v[i - 1] >= x);
    }, 'descending params');
    assert.equal((await cells())[0], 513_000);
    await until(page, async () => /sort=params/.test(page.url()), 'URL has ' + /sort=params/);
    await until(page, async () => /dir=desc/.test(page.url()), 'URL has ' + /dir=desc/);
    await page.locator(byId('sort-params')).focus();
    await page.keyboard.press('Enter');
    await until(page, async () => {
      const v = await cells();
      return v.every((x, i) => i === 0 || v[i - 1] <= x);
    }, 'ascending params');
    // Deep link restores the sort.
    await openRoute(page, '#/zoo?model=squeezenet1_0&sort=params&dir=desc');
    await page.locator(byId('cell-params')).first().waitFor();
    assert.equal((await cells())[0], 513_000);
  }));

test('CSV export downloads the table rows with a total', () =>
  withPage(
    browser,
    async (page) => {
      await openRoute(page, '#/zoo?model=squeezenet1_0&sort=params&dir=desc');
      // The table renders the rows near its view; the label counts them all.
      const rows = digits((await text(page, 'row-count')).split(' ')[0]);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator(byId('export-csv')).click(),
      ]);
      assert.equal(download.suggestedFilename(), 'squeezenet1_0-torchvision.csv');
      const csv = (await page.locator('pre' + byId('csv-text')).textContent()).trim().split('\n');
      assert.equal(csv.length, rows + 2);
      assert.match(csv[0], /^#,stage,layer,type,input \(CxHxW\),output \(CxHxW\),params \(torchvision\),MACs/);
      assert.equal(csv[1].split(',')[6], '513000');
      const total = csv[csv.length - 1].split(',');
      assert.equal(total[1], 'total');
      assert.equal(total[6], '1248424');
      const sum = csv.slice(1, -1).reduce((s, l) => s + Number(l.split(',')[6]), 0);
      assert.equal(sum, 1_248_424);
    },
    { acceptDownloads: true },
  ));

test('knobs come from the zoo; an invalid URL gives notes, no console error', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/zoo?model=shufflenet_v1&g=8&width=1');
    await page.locator(byId('knob-g')).waitFor();
    assert.ok(digits(await text(page, 'total-params')) > 0);
    await openRoute(page, '#/zoo?model=resnet50&width=99&sort=nope&units=x');
    await page.locator(byId('notes')).waitFor();
    const notes = await text(page, 'notes');
    assert.match(notes, /resnet50/);
    assert.match(notes, /width/);
    assert.match(notes, /sort/);
    assert.ok(digits(await text(page, 'total-params')) > 0);
  }));

test('the layer table renders the rows near its view and keeps its height and columns while scrolling', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/zoo?model=mobilenet_v2');
    await page.locator(byId('cell-params')).first().waitFor();
    const total = digits((await text(page, 'row-count')).split(' ')[0]);
    assert.ok(total > 100, `${total} layers`);
    const probe = () => page.evaluate(() => {
      const sc = document.querySelector('[data-testid="layer-scroll"]');
      const r = sc.getBoundingClientRect();
      // The row under the middle of the view (below the sticky header).
      const el = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      const row = el && el.closest('tr');
      const rows = [...sc.querySelectorAll('tr[data-testid="layer-row"]')];
      return {
        rendered: rows.length,
        last: rows.length ? Number(rows[rows.length - 1].cells[0].textContent) : 0,
        middle: row && row.dataset.testid === 'layer-row' ? Number(row.cells[0].textContent) : null,
        scrollH: sc.scrollHeight,
        clientH: sc.clientHeight,
        widths: [...sc.querySelectorAll('thead th')].map((th) => Math.round(th.getBoundingClientRect().width)),
      };
    });
    await page.evaluate(() => document.querySelector('[data-testid="layer-scroll"]').scrollIntoView({ block: 'start' }));
    const before = await probe();
    assert.ok(before.rendered < total, `${before.rendered} of ${total} rows in the page`);
    assert.ok(before.middle >= 1, 'a layer row under the middle of the view');
    for (const frac of [0.37, 0.71, 1]) {
      await page.evaluate((f) => {
        const sc = document.querySelector('[data-testid="layer-scroll"]');
        sc.scrollTop = (sc.scrollHeight - sc.clientHeight) * f;
      }, frac);
      await until(page, async () => (await probe()).middle !== null, `a layer row in view at ${frac}`);
      const now = await probe();
      assert.ok(Math.abs(now.scrollH - before.scrollH) < 40, `height kept: ${before.scrollH} -> ${now.scrollH}`);
      for (const [i, w] of now.widths.entries()) {
        assert.ok(Math.abs(w - before.widths[i]) <= 2, `column ${i} kept its width: ${before.widths[i]} -> ${w}`);
      }
      if (frac === 1) assert.equal(now.last, total, 'the last layer at the end');
    }
  }));

test('moving a knob keeps the layer table where the reader scrolled it', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/zoo?model=mobilenet_v2');
    await page.locator(byId('cell-params')).first().waitFor();
    await page.evaluate(() => document.querySelector('[data-testid="layer-scroll"]').scrollIntoView({ block: 'start' }));
    const where = () => page.evaluate(() => {
      const sc = document.querySelector('[data-testid="layer-scroll"]');
      const r = sc.getBoundingClientRect();
      const row = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)?.closest('tr');
      return {
        top: sc.scrollTop,
        middle: row && row.dataset.testid === 'layer-row' ? Number(row.cells[0].textContent) : null,
        params: document.querySelector('[data-testid="foot-params"]')?.textContent,
      };
    });
    await page.evaluate(() => {
      const sc = document.querySelector('[data-testid="layer-scroll"]');
      sc.scrollTop = (sc.scrollHeight - sc.clientHeight) / 2;
    });
    await until(page, async () => (await where()).middle !== null, 'a layer row in view');
    const before = await where();
    assert.ok(before.top > 100, `scrolled: ${before.top}`);
    await page.locator(byId('knob-width')).first().evaluate((el) => {
      const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      set.call(el, el.max);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await until(page, async () => (await where()).params !== before.params, 'the totals follow the knob');
    const after = await where();
    assert.ok(Math.abs(after.top - before.top) < 2, `scroll kept: ${before.top} -> ${after.top}`);
    assert.equal(after.middle, before.middle, 'the same layer under the middle of the view');
  }));
