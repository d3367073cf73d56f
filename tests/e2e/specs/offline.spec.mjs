// Offline and hosting: after one visit the app works without a network (service worker), from
// its sub-path, and it installs from a web manifest with relative URLs. (That no request ever
// leaves the page's origin is checked for every spec by lib.mjs's withPage.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  browser, useBrowser, withPage, openRoute, routeUrl, waitForApp, waitForDrawnCanvas, BASE_URL,
  byId, until,
} from '../lib.mjs';

useBrowser();

/** Polls of 50 ms `until` makes in this spec before it fails (20 s). */
const UNTIL_TRIES = 400;

test('after one visit the app loads and works with the network off', () =>
  withPage(
    browser,
    async (page) => {
      await openRoute(page, '#/why');
      // The worker is installed (it cached the page and everything it references) and active.
      const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
      assert.equal(scope, BASE_URL, 'scope is the sub-path the app is served from');
      await until(
        page,
        () => page.evaluate(async () => {
          const names = await caches.keys();
          const keys = (await Promise.all(names.map(async (n) => (await caches.open(n)).keys()))).flat();
          return keys.some((r) => r.url.endsWith('.wasm')) && keys.some((r) => r.url.endsWith('.css'));
        }),
        'page, wasm and css cached',
        UNTIL_TRIES,
      );

      await page.context().setOffline(true);
      assert.equal(await page.evaluate(() => navigator.onLine), false, 'offline');
      await page.reload({ waitUntil: 'load' });
      await waitForApp(page);
      await page.waitForSelector(byId('lesson-why'));
      assert.ok((await waitForDrawnCanvas(page)) > 0, 'offline: lesson 1 draws');

      // Another lesson, and a fresh load of a deep link, still offline.
      await page.evaluate(() => { location.hash = '#/dilated'; });
      await page.waitForSelector(byId('lesson-dilated'));
      await page.goto(routeUrl('?embed=1#/group?M=4'), { waitUntil: 'load' });
      await waitForApp(page);
      await page.waitForSelector(byId('lesson-group'));
      assert.equal(await page.evaluate(() => document.documentElement.dataset.embed), '1');
      await page.context().setOffline(false);
    },
    { serviceWorkers: 'allow' },
  ));

test('online, the page comes from the network first (a new deployment shows at once)', () =>
  withPage(
    browser,
    async (page) => {
      await openRoute(page, '#/why');
      await page.evaluate(async () => navigator.serviceWorker.ready);
      // Reload until the worker controls the page, then check what served the page.
      await until(page, async () => {
        await page.reload({ waitUntil: 'load' });
        return page.evaluate(() => !!navigator.serviceWorker.controller);
      }, 'controlled by the worker', 20);
      await waitForApp(page);
      const served = [];
      page.on('response', (r) => {
        if (r.request().resourceType() === 'document') served.push(r.fromServiceWorker());
      });
      // Requests the worker itself sends to the server.
      const fromWorker = [];
      page.context().on('request', (r) => {
        if (r.serviceWorker()) fromWorker.push(r.url());
      });
      await page.reload({ waitUntil: 'load' });
      await waitForApp(page);
      assert.deepEqual(served, [true], 'the document went through the worker');
      await until(page, async () => fromWorker.includes(BASE_URL), 'the worker asked the server for the page (network first)', UNTIL_TRIES);
      // Hashed files come from the cache: the worker did not ask the server for the wasm again.
      assert.ok(!fromWorker.some((u) => u.endsWith('.wasm')), `no wasm refetch: ${fromWorker.join(', ')}`);
    },
    { serviceWorkers: 'allow' },
  ));

test('the web manifest is linked and uses relative URLs (any sub-path)', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '');
    const href = await page.evaluate(() => document.querySelector('link[rel="manifest"]')?.href);
    assert.equal(href, `${BASE_URL}manifest.webmanifest`);
    const manifest = await page.evaluate(async (u) => (await fetch(u)).json(), href);
    assert.equal(manifest.start_url, './');
    assert.equal(manifest.scope, './');
    assert.equal(manifest.short_name, 'ConvLab');
    for (const icon of manifest.icons) {
      assert.ok(!icon.src.startsWith('/') && !/^[a-z]+:/.test(icon.src), `relative icon ${icon.src}`);
      const ok = await page.evaluate(async (u) => (await fetch(u)).ok, new URL(icon.src, href).href);
      assert.ok(ok, `icon ${icon.src} is served`);
    }
    const sw = await page.evaluate(async () => (await fetch('sw.js')).ok);
    assert.ok(sw, 'sw.js is next to index.html');
  }));
