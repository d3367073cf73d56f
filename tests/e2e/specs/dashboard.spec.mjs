// Home: the savings dashboard — every method at one setting, live on the sliders, in the URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  browser, useBrowser, withPage, openRoute, screenshots, waitForDrawnCanvas, byId, digits, until,
} from '../lib.mjs';

useBrowser();

const cell = async (page, row, id) =>
  (await page.locator(`${byId(`dash-row-${row}`)} ${byId(id)}`).innerText()).trim();

test("the lecture's setting: standard 147,584 vs Fire 12,432", () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/?cin=128&cout=128&k=3&hw=8&g=4');
    await page.locator(byId('dashboard-table')).waitFor();
    assert.equal(await cell(page, 0, 'dash-params'), '147,584');
    assert.equal(await cell(page, 4, 'dash-params'), '12,432');
    assert.equal(digits(await cell(page, 0, 'dash-macs')), 9 * 128 * 64 * 128);
    assert.equal(await page.locator(`${byId('dashboard-table')} tbody tr`).count(), 9);
    await waitForDrawnCanvas(page);
    await page.locator(byId('dashboard')).scrollIntoViewIfNeeded();
    await screenshots(page, 'dashboard');
  }));

test('moving a slider updates the table and the URL', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/?cin=128&cout=128&k=3&hw=8');
    await page.locator(byId('dashboard-table')).waitFor();
    await page.locator(byId('dash-cout')).fill('64');
    await until(page, async () => (await cell(page, 0, 'dash-params')) === String((9 * 128 * 64 + 64).toLocaleString('en-US')), 'standard recount');
    await until(page, async () => /cout=64/.test(page.url()), 'URL has ' + /cout=64/);
    // C_in ≠ C_out: the bottleneck and the stride-1 ShuffleNet unit say why instead of a number.
    assert.match(await cell(page, 1, 'dash-why'), /C_in = C_out/);
    assert.match(await cell(page, 6, 'dash-why'), /C_in = C_out/);
  }));

test('groups that do not divide: the group conv row says why', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/?cin=30&cout=30&g=4');
    await page.locator(byId('dashboard-table')).waitFor();
    assert.match(await cell(page, 2, 'dash-why'), /30/);
    assert.ok(digits(await cell(page, 3, 'dash-params')) > 0);
  }));

test('an invalid URL gives notes and no console error', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/?cin=99999&k=4&hw=abc');
    await page.locator(byId('notes')).waitFor();
    const notes = await page.locator(byId('notes')).innerText();
    assert.match(notes, /cin/);
    assert.match(notes, /k=4/);
    assert.match(notes, /hw/);
    assert.equal(await cell(page, 0, 'dash-params'), (9 * 512 * 128 + 128).toLocaleString('en-US'));
  }));
