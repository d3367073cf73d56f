// Lesson 9, MobileNet block: the lecture's counts, v1/v2, sliders, convention, boxes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, useBrowser, withPage, openRoute, screenshots, byId, valueText, waitValue } from '../lib.mjs';

useBrowser();

test("the lecture's block: 1280 + 16512 = 17792 vs 147584 (0.12)", () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/mobilenet');
    assert.equal(await valueText(page, 'params-0'), '1280');
    assert.equal(await valueText(page, 'params-1'), '16512');
    assert.equal(await valueText(page, 'params-total'), '17792');
    assert.equal(await valueText(page, 'twin-total'), '147584');
    assert.equal(await valueText(page, 'ratio'), '0.12');
    const text = await page.locator(byId('cost')).innerText();
    for (const n of ['17,792', '147,584', '0.12']) assert.ok(text.includes(n), `${n} in ${text}`);
    await screenshots(page, 'mobilenet');
  }));

test('sliders, the BN convention and v2 recount', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/mobilenet?C=128&N=128');
    await page.locator(byId('slider-N')).fill('64');
    await waitValue(page, 'params-total', 1280 + 129 * 64);
    await waitValue(page, 'twin-total', (9 * 128 + 1) * 64);
    await page.locator(byId('bn')).check();
    await waitValue(page, 'params-total', 9 * 128 + 256 + 128 * 64 + 128);
    await page.waitForFunction(() => location.hash.includes('bn=1'));
    // v2 at C = N = 24, t = 6: torchvision's numbers.
    await openRoute(page, '#/mobilenet?v=2&C=24&N=24&t=6&bn=1');
    await waitValue(page, 'params-total', 3456 + 288 + 1296 + 288 + 3456 + 48);
    assert.equal(await page.locator(byId('box-3')).count(), 1);
    await page.locator(byId('slider-t')).fill('1');
    await waitValue(page, 'params-total', 9 * 24 + 48 + 24 * 24 + 48);
    await page.locator(byId('version-1')).click();
    await waitValue(page, 'params-total', 9 * 24 + 48 + 24 * 24 + 48);
    await page.waitForFunction(() => location.hash.includes('v=1'));
  }));

test('a box shows its weights and output maps', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/mobilenet?box=1');
    assert.match(await page.locator(byId('inspector-title')).innerText(), /pw 1×1/);
    assert.match(await page.locator(byId('inspector-weights')).innerText(), /Weights \[128, 128, 1, 1\]/);
    await page.locator(byId('box-0')).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash.includes('box=0'));
    assert.match(await page.locator(byId('inspector-weights')).innerText(), /Weights \[128, 1, 3, 3\]/);
    await page.locator(byId('inspector-output')).waitFor();
  }));

test('a hostile URL gives notes, no crash; phone width fits', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/mobilenet?v=9&C=-1&N=x&s=3&t=100&box=7');
    assert.ok((await page.locator(byId('notes')).innerText()).length > 0);
    await page.locator(byId('params-total')).waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`);
  }));
