// Smoke test of the built app: it loads from a sub-path without errors or off-origin requests,
// every route the navigation offers renders, and it works inside an <iframe>.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  APP_ORIGIN,
  BASE_URL,
  READY_SELECTOR,
  launch,
  navRoutes,
  newPage,
  assertNoProblems,
  openRoute,
  screenshots,
  slug,
  waitForApp,
  withPage,
} from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('the app loads from its sub-path with no console errors and no off-origin requests', () =>
  withPage(browser, async (page) => {
    const requested = [];
    page.on('request', (r) => requested.push(r.url()));
    await openRoute(page, '');
    // Everything the page loaded came from under the base path (relative asset URLs).
    const base = new URL(BASE_URL);
    const outside = requested.filter((u) => {
      const url = new URL(u);
      return url.origin === APP_ORIGIN && !url.pathname.startsWith(base.pathname);
    });
    assert.deepEqual(outside, [], 'requests outside the sub-path');
    assert.ok(
      requested.some((u) => u.endsWith('.wasm')),
      `the page fetched no .wasm module; requests: ${requested.join(', ')}`,
    );
    await screenshots(page, 'home');
  }));

test('every route in the navigation renders', () =>
  withPage(browser, async (page, problems) => {
    await openRoute(page, '');
    const routes = await navRoutes(page);
    assert.ok(routes.length > 0, 'the navigation offers no in-app routes (`nav a[href]`)');
    for (const route of routes) {
      const seen = problems.length;
      await openRoute(page, route);
      const main = page.locator('main');
      assert.equal(await main.count(), 1, `${route}: expected one <main>`);
      const box = await main.boundingBox();
      assert.ok(box && box.width > 0 && box.height > 0, `${route}: <main> is empty or hidden`);
      const content = await main.evaluate(
        (m) => m.innerText.trim().length + m.querySelectorAll('canvas, svg, math, img').length,
      );
      assert.ok(content > 0, `${route}: <main> has no text and no figure`);
      assertNoProblems(problems.slice(seen).map((p) => `${route}: ${p}`));
      await screenshots(page, `route-${slug(route)}`, [{ width: 1280, height: 800 }, { width: 390, height: 844 }]);
    }
  }));

test('the app runs inside an <iframe> on another page', async () => {
  const { context, page, problems } = await newPage(browser);
  try {
    // The host page is about:blank (no origin of its own); only the frame talks to the server.
    await page.setContent(
      `<!doctype html><title>host</title><iframe id="f" src="${BASE_URL}" width="960" height="540"></iframe>`,
    );
    const frameHandle = await page.waitForSelector('#f');
    const frame = await frameHandle.contentFrame();
    assert.ok(frame, 'no frame');
    await waitForApp(frame);
    assert.equal(await frame.locator(READY_SELECTOR).count(), 1);
    await page.waitForTimeout(150);
    assertNoProblems(problems);
  } finally {
    await context.close();
  }
});
