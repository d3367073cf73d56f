// Lesson 8, SqueezeNet Fire module: the lecture's counts, sliders that recount,
// boxes that show their weights and maps, hostile URLs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, useBrowser, withPage, openRoute, screenshots, byId, valueText, waitValue } from '../lib.mjs';

useBrowser();

test("the lecture's Fire module: 2064 + 1088 + 9280 = 12432 vs 147584 (0.084)", () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/squeezenet');
    assert.equal(await valueText(page, 'params-0'), '2064');
    assert.equal(await valueText(page, 'params-1'), '1088');
    assert.equal(await valueText(page, 'params-2'), '9280');
    assert.equal(await valueText(page, 'params-total'), '12432');
    assert.equal(await valueText(page, 'twin-total'), '147584');
    assert.equal(await valueText(page, 'ratio'), '0.084');
    const text = await page.locator(byId('cost')).innerText();
    for (const n of ['12,432', '147,584', '0.084']) assert.ok(text.includes(n), `${n} in ${text}`);
    await screenshots(page, 'squeezenet');
  }));

test('sliders recount; the BN toggle keeps the Fire bias', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/squeezenet?C=128&S=16&E1=64&E3=64');
    await page.locator(byId('slider-S')).fill('8');
    // (128+1)·8 + (8+1)·64 + (9·8+1)·64
    await waitValue(page, 'params-total', 129 * 8 + 9 * 64 + 73 * 64);
    await page.waitForFunction(() => location.hash.includes('S=8'));
    await page.locator(byId('slider-E3')).fill('32');
    await waitValue(page, 'params-total', 129 * 8 + 9 * 64 + 73 * 32);
    await waitValue(page, 'twin-total', (9 * 128 + 1) * 96);
    await page.waitForFunction(() => /[?&]bn=0(&|$)/.test(location.hash));
    // torchvision's convention (no conv bias + BatchNorm) leaves a Fire module as it is: SqueezeNet
    // has no BatchNorm, so its convs keep their bias. The counts after the toggle equal those before
    // it, so first wait until the page has handled it: the URL it writes after a change reads bn=1.
    await page.locator(byId('bn')).check();
    await page.waitForFunction(() => /[?&]bn=1(&|$)/.test(location.hash));
    assert.match(await page.locator(byId('convention-note')).innerText(), /no BatchNorm/);
    // With bias, per layer; without bias + BatchNorm it would be 1040 + 640 + 2368 = 4048.
    assert.equal(await valueText(page, 'params-0'), String(129 * 8));
    assert.equal(await valueText(page, 'params-1'), String(9 * 64));
    assert.equal(await valueText(page, 'params-2'), String(73 * 32));
    assert.equal(await valueText(page, 'params-total'), String(129 * 8 + 9 * 64 + 73 * 32));
    assert.equal(await valueText(page, 'twin-total'), String((9 * 128 + 1) * 96));
    assert.match(await page.locator(byId('inspector-weights')).innerText(), /Weights \[8, 128, 1, 1\] \+ bias \[8\]/);
  }));

test('a box shows its weights and output maps (click and keyboard)', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/squeezenet');
    await page.locator(byId('box-2')).click();
    await page.waitForFunction(() => location.hash.includes('box=2'));
    assert.match(await page.locator(byId('inspector-title')).innerText(), /expand 3×3/);
    assert.match(await page.locator(byId('inspector-weights')).innerText(), /Weights \[64, 16, 3, 3\] \+ bias \[64\]/);
    await page.locator(byId('inspector-output')).waitFor();
    await page.locator(byId('box-3')).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash.includes('box=3'));
    assert.match(await page.locator(byId('inspector-weights')).innerText(), /No weights/);
    // Deep link to a box.
    await openRoute(page, '#/squeezenet?box=1');
    assert.match(await page.locator(byId('inspector-title')).innerText(), /expand 1×1/);
  }));

test('a hostile URL gives notes, no crash; embed and phone render', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/squeezenet?C=0&S=abc&E1=1e99&E3=-4&box=99&bn=maybe');
    assert.ok((await page.locator(byId('notes')).innerText()).includes('C=0'));
    await page.locator(byId('params-total')).waitFor();
    await openRoute(page, '?embed=1#/squeezenet');
    await page.locator(byId('block-diagram')).waitFor();
    await screenshots(page, 'squeezenet-embed', [{ width: 960, height: 540 }]);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`);
  }));
