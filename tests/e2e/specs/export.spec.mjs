// Export menu (every lesson): PNG of a figure at HiDPI, SVG of a plot, an animated GIF of a
// Player's animation, CSV of a cost table, PyTorch code of the current settings. Each file is
// caught as a download, checked, and saved under tests/e2e/out/export/ for review.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { browser, useBrowser, withPage, openRoute, waitForDrawnCanvas, OUT_DIR, byId } from '../lib.mjs';

const EXPORT_DIR = path.join(OUT_DIR, 'export');

useBrowser(async () => {
  await mkdir(EXPORT_DIR, { recursive: true });
});

/** A control of the Export menu (other parts of a page may reuse a test id). */
const inMenu = (id) => `${byId('export-menu')} ${byId(id)}`;

async function openMenu(page) {
  await waitForDrawnCanvas(page);
  // Let the debounced URL write land: the PyTorch code reads the URL state.
  await page.waitForTimeout(400);
  const details = page.locator(byId('export-menu'));
  if (!(await details.evaluate((d) => d.open))) await page.locator(byId('export-open')).click();
  await page.locator(byId('export-pytorch')).waitFor();
}

/** Picks the option of select `id` whose text matches `re`; returns its text. */
async function pick(page, id, re) {
  // The menu lists the page's figures and tables when its `toggle` event (queued
  // after it opens) has run: wait for the list.
  const list = page.locator(`${inMenu(id)} option`);
  for (let t = 0; t < 50 && (await list.count()) === 0; t += 1) await page.waitForTimeout(100);
  const options = await list.allInnerTexts();
  const i = options.findIndex((o) => re.test(o));
  assert.ok(i >= 0, `${id} offers ${re} (has: ${options.join(' | ')})`);
  await page.locator(inMenu(id)).selectOption(String(i));
  return options[i];
}

/** Clicks export button `id`, waits for the download; returns its name and bytes (also saved). */
async function download(page, id, timeout = 60000) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout }), page.locator(inMenu(id)).click()]);
  const file = await dl.path();
  const buf = await readFile(file);
  const name = dl.suggestedFilename();
  await writeFile(path.join(EXPORT_DIR, name), buf);
  return { name, buf };
}

function pngSize(buf) {
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(buf.subarray(12, 16).toString('latin1'), 'IHDR');
  return { w: buf.readUInt32BE(16), h: buf.readUInt32BE(20) };
}

/** Screen size and image frames of a GIF, walking its blocks. */
function gifInfo(buf) {
  assert.equal(buf.subarray(0, 6).toString('latin1'), 'GIF89a', 'GIF signature');
  const w = buf.readUInt16LE(6);
  const h = buf.readUInt16LE(8);
  let i = 13 + (buf[10] & 0x80 ? 3 * (2 << (buf[10] & 7)) : 0);
  let frames = 0;
  const skipBlocks = () => {
    while (buf[i] !== 0) i += buf[i] + 1;
    i += 1;
  };
  for (;;) {
    const b = buf[i];
    if (b === 0x3b) break;
    if (b === 0x21) {
      i += 2;
      skipBlocks();
    } else if (b === 0x2c) {
      const fx = buf.readUInt16LE(i + 1);
      const fy = buf.readUInt16LE(i + 3);
      const fw = buf.readUInt16LE(i + 5);
      const fh = buf.readUInt16LE(i + 7);
      assert.ok(fx + fw <= w && fy + fh <= h, 'frame inside the screen');
      const packed = buf[i + 9];
      i += 10 + (packed & 0x80 ? 3 * (2 << (packed & 7)) : 0);
      i += 1; // LZW minimum code size
      skipBlocks();
      frames += 1;
    } else {
      assert.fail(`unexpected GIF block 0x${b?.toString(16)} at ${i}`);
    }
    assert.ok(i < buf.length, 'GIF ends with its trailer');
  }
  assert.equal(i, buf.length - 1, 'trailer is the last byte');
  return { w, h, frames };
}

test('PNG of a figure is the figure at twice its CSS size or more', () =>
  withPage(browser, async (page) => {
    for (const [route, re] of [
      ['#/why?M=8&N=8&C=1&K=3&D=2', /^output y$/],
      ['#/group?C=8&N=8&K=3&M=2', /./],
      ['#/zoo?model=mobilenet_v2', /./],
    ]) {
      await openRoute(page, route);
      await openMenu(page);
      const label = await pick(page, 'export-figure', re);
      const css = await page.evaluate((name) => {
        const c = [...document.querySelectorAll('article canvas')].find(
          (el) => (el.getAttribute('data-name') || el.getAttribute('aria-label') || '') === name,
        );
        return c ? { w: c.clientWidth, h: c.clientHeight } : null;
      }, label);
      const { name, buf } = await download(page, 'export-png');
      assert.match(name, /\.png$/);
      const { w, h } = pngSize(buf);
      if (css) {
        assert.ok(w >= 2 * css.w - 2, `${route}: ${w} px wide for ${css.w} CSS px`);
        assert.ok(Math.abs(w / h - css.w / css.h) < 0.02, `${route}: aspect ${w}x${h} vs ${css.w}x${css.h}`);
      }
      await page.locator(byId('export-status')).filter({ hasText: 'Saved' }).waitFor();
    }
  }));

test('SVG of a plot parses and carries the plot\u2019s text', () =>
  withPage(browser, async (page) => {
    for (const [route, re, expect] of [
      ['#/why', /parameters against input channels/, /input channels C/],
      ['#/zoo?model=squeezenet1_0', /./, /./],
      ['#/depthwise', /./, /./],
    ]) {
      await openRoute(page, route);
      await openMenu(page);
      await pick(page, 'export-figure', re);
      const { name, buf } = await download(page, 'export-svg');
      assert.match(name, /\.svg$/);
      const svg = buf.toString('utf8');
      const parsed = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        const root = doc.documentElement;
        return {
          error: doc.querySelector('parsererror')?.textContent || null,
          tag: root.tagName,
          width: Number(root.getAttribute('width')),
          shapes: doc.querySelectorAll('rect, line, polyline, path, circle, polygon').length,
          text: [...doc.querySelectorAll('text')].map((t) => t.textContent.trim()).join(' '),
          title: doc.querySelector('title')?.textContent || '',
        };
      }, svg);
      assert.equal(parsed.error, null, `${route}: SVG parses`);
      assert.equal(parsed.tag, 'svg');
      assert.ok(parsed.width > 0 && parsed.shapes > 3, `${route}: SVG has shapes (${parsed.shapes})`);
      assert.ok(parsed.title.length > 0, `${route}: SVG has a title`);
      assert.match(parsed.text, expect, `${route}: SVG text`);
    }
  }));

test('GIF of the sliding window has one frame per step and the page returns to its frame', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/why?M=4&N=4&C=1&K=3&D=1&p=1&t=5');
    await openMenu(page);
    await pick(page, 'export-animation', /sliding window/);
    const before = await page.locator(`${byId('player')} input[type="range"]`).inputValue();
    const { name, buf } = await download(page, 'export-gif');
    assert.match(name, /\.gif$/);
    const info = gifInfo(buf);
    assert.equal(info.frames, 16, '4x4 outputs, one filter: 16 frames');
    assert.ok(info.w > 100 && info.w <= 800 && info.h > 50 && info.h <= 800, `${info.w}x${info.h}`);
    await page.locator(byId('export-status')).filter({ hasText: 'Saved' }).waitFor();
    assert.match(await page.locator(byId('export-status')).innerText(), /16 frames/);
    assert.equal(await page.locator(`${byId('player')} input[type="range"]`).inputValue(), before);

    // A longer animation is sampled down to at most 120 frames.
    await openRoute(page, '#/shufflenet');
    await openMenu(page);
    await pick(page, 'export-animation', /shuffle/);
    const total = Number(await page.locator(`${byId('shuffle-player')} input[type="range"]`).getAttribute('max')) + 1;
    const gif = gifInfo((await download(page, 'export-gif', 120000)).buf);
    assert.equal(gif.frames, Math.min(total, 120));
  }));

test('CSV of a cost table has the page\u2019s numbers', () =>
  withPage(browser, async (page) => {
    for (const [route, re] of [
      ['#/why?C=3&K=3&D=4&M=8&N=8', /real tensors/],
      ['#/zoo?model=squeezenet1_0', /./],
    ]) {
      await openRoute(page, route);
      await openMenu(page);
      const label = await pick(page, 'export-table', re);
      const { name, buf } = await download(page, 'export-csv');
      assert.match(name, /\.csv$/);
      const csv = buf.toString('utf8').trimEnd().split('\n');
      const pageRows = await page.evaluate((wanted) => {
        const tables = [...document.querySelectorAll('article table')];
        const t = tables.find((x) => (x.querySelector('caption')?.textContent || '').trim().replace(/\s+/g, ' ') === wanted) ||
          tables.find((x) => x.closest('[data-testid]')?.getAttribute('data-testid') === wanted) || tables[0];
        return [...t.querySelectorAll('tr')].map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent.replace(/[▲▼]/g, '').trim().replace(/\s+/g, ' ')));
      }, label);
      assert.equal(csv.length, pageRows.filter((r) => r.length).length, `${route}: one CSV line per table row`);
      // Every number on the page is in the same row of the CSV, without digit grouping.
      let checked = 0;
      pageRows.filter((r) => r.length).forEach((cells, i) => {
        for (const cell of cells) {
          if (/^-?\d{1,3}(,\d{3})+$|^-?\d+$/.test(cell)) {
            assert.ok(csv[i].split(',').includes(cell.replace(/,/g, '')), `${route} row ${i}: ${cell} in "${csv[i]}"`);
            checked += 1;
          }
        }
      });
      assert.ok(checked >= 3, `${route}: ${checked} numbers compared`);
    }
    // The why lesson's parameter count, as the page shows it.
    await openRoute(page, '#/why?C=3&K=3&D=4&M=8&N=8&bias=1');
    await openMenu(page);
    await pick(page, 'export-table', /real tensors/);
    const csv = (await download(page, 'export-csv')).buf.toString('utf8');
    assert.match(csv, /^parameters,112$/m, '3·3·3·4 + 4 = 112');
  }));

test('PyTorch code has the lesson\u2019s current arguments', () =>
  withPage(browser, async (page) => {
    for (const [route, wants] of [
      ['#/group?C=16&N=32&K=3&M=4', ['nn.Conv2d(16, 32, 3, stride=1, padding=1, dilation=1, groups=4, bias=True)']],
      ['#/why?C=3&K=5&D=4&M=8&N=8&s=2&p=2&bias=0', ['nn.Conv2d(3, 4, 5, stride=2, padding=2, dilation=1, groups=1, bias=False)']],
      ['#/depthwise?C=8&N=16&K=3', ['nn.Sequential(', 'groups=8', 'nn.Conv2d(8, 16, 1,']],
      ['#/squeezenet', ['fire = nn.Sequential(', '# concat']],
      ['#/shufflenet', ['nn.ChannelShuffle(']],
    ]) {
      await openRoute(page, route);
      await openMenu(page);
      const { name, buf } = await download(page, 'export-pytorch');
      assert.match(name, /\.py$/);
      const text = buf.toString('utf8');
      assert.match(text, /^import torch\nimport torch\.nn as nn\n/);
      for (const w of wants) assert.ok(text.includes(w), `${route}: ${w} in\n${text}`);
      assert.equal((await page.locator(byId('export-pytorch-text')).innerText()).trim(), text.trim());
    }
    // The code follows a slider moved on the page.
    await openRoute(page, '#/group?C=16&N=32&K=3&M=4');
    await openMenu(page);
    // K is picked from 1, 3, 5, 7: the slider's third stop is K = 5.
    await page.locator(byId('slider-K')).fill('2');
    await page.waitForFunction(() => /[?&]K=5(&|$)/.test(location.hash));
    const after = (await download(page, 'export-pytorch')).buf.toString('utf8');
    assert.ok(after.includes('nn.Conv2d(16, 32, 5, stride=1, padding=2,'), after);
  }));
