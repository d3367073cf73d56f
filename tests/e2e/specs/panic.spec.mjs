// A panic never leaves a silently frozen page: the panic hook shows "Something went wrong —
// please reload" with the panic text, and its Reload button (plain JavaScript, it works after
// the wasm module trapped) brings the app back.
//
// The panic is raised through the module's exported `convlabSelfTestPanic` (src/lib.rs), which
// trunk exposes as `window.wasmBindings`: the release build under test has no other way to panic
// on purpose (a debug-only flag would not test the shipped build), and a real bug is not a
// reliable trigger.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, useBrowser, newPage, openRoute, waitForApp } from '../lib.mjs';

useBrowser();

test('a panic shows the "something went wrong — reload" message with the panic text, and reload recovers', async () => {
  const { context, page, problems } = await newPage(browser);
  try {
    await openRoute(page, '#/why?K=5');
    await page.waitForSelector('[data-testid="lesson-why"]');
    assert.equal(await page.locator('[data-testid="panic"]').count(), 0, 'no overlay before the panic');
    const thrown = await page.evaluate(() => {
      try {
        window.wasmBindings.convlabSelfTestPanic('overlay check 42');
        return null;
      } catch (e) {
        return String(e && e.name);
      }
    });
    // panic = "abort" in the release profile: the hook runs, then the module traps.
    assert.equal(thrown, 'RuntimeError', 'the call ends in a wasm trap');
    const overlay = page.locator('[data-testid="panic"]');
    await overlay.waitFor({ state: 'visible', timeout: 5000 });
    assert.equal(await overlay.getAttribute('role'), 'alert');
    assert.match(await overlay.locator('h2').innerText(), /^Something went wrong — please reload$/);
    assert.match(await overlay.locator('pre').innerText(), /self-test panic: overlay check 42/);
    assert.match(await overlay.locator('pre').innerText(), /src[\\/]lib\.rs/, 'the text names where it panicked');
    // The overlay is on top of the page, not hidden under it.
    const box = await overlay.boundingBox();
    assert.ok(box && box.width > 100 && box.height > 50, `overlay box ${JSON.stringify(box)}`);
    const top = await page.evaluate(({ x, y }) => !!document.elementFromPoint(x, y)?.closest('#panic'), { x: box.x + box.width / 2, y: box.y + 10 });
    assert.ok(top, 'the overlay is the topmost element where it is drawn');
    // The panic is also logged (console_error_panic_hook): exactly that one console error.
    assert.ok(problems.length >= 1 && problems.every((p) => /self-test panic: overlay check 42/.test(p)), `only the panic was reported:\n  ${problems.join('\n  ')}`);
    problems.length = 0;
    // Reload (plain JS on the overlay) restores the same link.
    await Promise.all([page.waitForEvent('load'), overlay.getByRole('button', { name: 'Reload', exact: true }).click()]);
    await waitForApp(page);
    await page.waitForSelector('[data-testid="lesson-why"]');
    assert.match(page.url(), /#\/why\?(.*&)?K=5(&|$)/);
    assert.equal(await page.locator('[data-testid="panic"]').count(), 0, 'no overlay after reload');
    await page.waitForTimeout(150);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
