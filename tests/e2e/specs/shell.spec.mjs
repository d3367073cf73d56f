// The shell: outline navigation from the registry, hash routing with state in the URL,
// themes (URL + localStorage), embed mode, notes for hostile URLs, unknown routes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  browser, useBrowser, withPage, openRoute, navRoutes, screenshots, routeUrl, waitForApp, byId,
} from '../lib.mjs';

useBrowser();

test('home lists every lesson of the outline as a card with a drawn thumbnail', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/');
    await page.waitForSelector(byId('home'));
    const routes = await navRoutes(page);
    const lessons = routes.filter((r) => r.startsWith('#/') && r !== '#/');
    assert.ok(lessons.length >= 1, `nav offers lessons: ${routes}`);
    for (const r of lessons) {
      const id = r.slice(2);
      assert.equal(await page.locator(byId(`card-${id}`)).count(), 1, `card for ${id}`);
    }
    // Every thumbnail canvas gets drawn.
    await page.waitForFunction(() => {
      const cs = [...document.querySelectorAll('[data-testid="thumb"]')];
      return cs.length > 0 && cs.every((c) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
        return false;
      });
    }, null, { timeout: 15000 });
    await screenshots(page, 'shell-home');
  }));

test('every route renders its lesson with zero console errors', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '');
    const routes = (await navRoutes(page)).filter((r) => r.startsWith('#/') && r !== '#/');
    for (const r of routes) {
      await openRoute(page, r);
      const id = r.slice(2).split('?')[0];
      await page.waitForSelector(byId(`lesson-${id}`), { timeout: 15000 });
      const title = await page.locator(byId('lesson-title')).innerText();
      assert.ok(title.length > 3, `${r} has a title`);
    }
  }));

test('clicking a nav link routes without reload and marks the link current', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/');
    await page.evaluate(() => { window.__noReload = true; });
    await page.click(byId('nav-why'));
    await page.waitForSelector(byId('lesson-why'));
    assert.equal(await page.evaluate(() => window.__noReload), true, 'page did not reload');
    assert.equal(await page.locator(byId('nav-why')).getAttribute('aria-current'), 'page');
    assert.match(page.url(), /#\/why/);
    await page.goBack();
    await page.waitForSelector(byId('home'));
  }));

test('theme: the switcher sets data-theme, the URL and localStorage; the URL wins on load', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '#/why');
    await page.click(byId('theme-projector'));
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'projector');
    assert.equal(await page.evaluate(() => localStorage.getItem('convlab.theme')), 'projector');
    await page.waitForFunction(() => location.hash.includes('theme=projector'));
    await screenshots(page, 'shell-why-projector', [{ width: 1280, height: 800 }]);
    // Remembered without the URL key.
    await page.goto(routeUrl('#/'));
    await waitForApp(page);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'projector');
    // The URL key wins over the stored one.
    await page.goto(routeUrl('#/?theme=dark'));
    await page.reload();
    await waitForApp(page);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    assert.equal(await page.locator(byId('theme-dark')).getAttribute('aria-pressed'), 'true');
  }));

test('embed=1 hides all chrome, in the hash query and in the page query', () =>
  withPage(browser, async (page) => {
    for (const r of ['#/why?embed=1', '?embed=1#/why']) {
      await openRoute(page, r);
      await page.waitForSelector(byId('lesson-why'));
      assert.equal(await page.locator(byId('site-header')).count(), 0, `${r}: header hidden`);
      assert.equal(await page.locator(byId('lesson-title')).isVisible(), false, `${r}: title hidden`);
      assert.ok(await page.locator(byId('figure')).isVisible(), `${r}: figure shown`);
    }
    await screenshots(page, 'shell-why-embed', [{ width: 960, height: 540 }]);
    await openRoute(page, '#/why');
    assert.equal(await page.locator(byId('site-header')).count(), 1);
  }));

test('hostile URLs never blank the page and get specific notes', () =>
  withPage(browser, async (page) => {
    const cases = [
      ['#/why?K=0', /K=0 is below the minimum 1; using 1/],
      ['#/why?M=NaN', /M=NaN is not a number/],
      ['#/why?C=99999999999999999999999', /above the maximum/],
      ['#/why?K=3&K=5', /K is given 2 times/],
      ['#/why?D=%E0%A5%A9', /not a number/],
      ['#/why?s=-1', /below the minimum/],
      ['#/why?zzz=1', /no parameter/],
      ['#/why?theme=neon', /theme=neon is not one of light, dark, projector/],
      ['#/why?%%%&&==&K=%ZZ', /not a number/],
      ['#/nope', /There is no lesson/],
    ];
    for (const [r, re] of cases) {
      await openRoute(page, r);
      await page.waitForSelector(byId('notes'), { timeout: 10000 });
      const text = await page.locator(byId('notes')).first().innerText();
      assert.match(text, re, `${r}: ${text}`);
      assert.ok((await page.locator('main').innerText()).length > 50, `${r}: page has content`);
    }
    // A long junk URL.
    await openRoute(page, `#/why?${'x'.repeat(6000)}=1`);
    await page.waitForSelector(byId('lesson-why'));
  }));
