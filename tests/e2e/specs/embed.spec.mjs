// Teaching in the room: embed mode sized to a slide, per-control hide flags, the "Copy embed
// code" button, presenter keys and the host-page message API (postMessage).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  browser, useBrowser, withPage, openRoute, routeUrl, screenshots, waitForDrawnCanvas, waitForApp,
  byId, until,
} from '../lib.mjs';

useBrowser();

const SLIDE = { width: 960, height: 540 };
/** Polls of 50 ms `until` makes in this spec before it fails (6 s). */
const UNTIL_TRIES = 120;

/** The main player's frame number (1-based, from its "Frame i of n" counter). */
async function frameOf(pageOrFrame) {
  const text = await pageOrFrame.locator(`${byId('player')} output`).first().innerText();
  const m = text.match(/Frame (\d+) of (\d+)/);
  assert.ok(m, `player counter reads "${text}"`);
  return { frame: Number(m[1]), frames: Number(m[2]) };
}

test('embed mode shows only the figure and its controls, inside a 960×540 frame, in large type', () =>
  withPage(
    browser,
    async (page) => {
      for (const lesson of ['why', 'dilated', 'group', 'shufflenet', 'bottleneck', 'equivariant']) {
        await openRoute(page, `?embed=1#/${lesson}`);
        await page.waitForSelector(byId(`lesson-${lesson}`));
        await waitForDrawnCanvas(page);
        assert.equal(await page.locator(byId('site-header')).count(), 0, `${lesson}: no header`);
        for (const hidden of ['lesson-title', 'cost', 'slide-says', 'embed-code']) {
          const loc = page.locator(byId(hidden));
          if ((await loc.count()) > 0) assert.equal(await loc.first().isVisible(), false, `${lesson}: ${hidden} hidden`);
        }
        const fits = await page.evaluate(() => {
          const box = (id) => document.querySelector(`[data-testid="${id}"]`).getBoundingClientRect();
          const f = box('figure');
          const c = box('controls');
          return {
            pageScroll: document.scrollingElement.scrollHeight - innerHeight,
            figure: [f.top, f.bottom, f.left, f.right],
            controls: [c.top, c.bottom, c.left, c.right],
            font: parseFloat(getComputedStyle(document.documentElement).fontSize),
            w: innerWidth,
            h: innerHeight,
          };
        });
        assert.ok(fits.pageScroll <= 1, `${lesson}: the page itself does not scroll (${fits.pageScroll}px)`);
        for (const [name, [top, bottom, left, right]] of [['figure', fits.figure], ['controls', fits.controls]]) {
          assert.ok(top >= 0 && bottom <= fits.h + 0.5, `${lesson}: ${name} within the frame's height (${top}..${bottom})`);
          assert.ok(left >= 0 && right <= fits.w + 0.5, `${lesson}: ${name} within the frame's width (${left}..${right})`);
        }
        assert.ok(fits.figure[3] - fits.figure[2] > fits.w * 0.55, `${lesson}: the figure takes most of the width`);
        assert.ok(fits.font >= 17, `${lesson}: type scaled up for the room (${fits.font}px)`);
        await screenshots(page, `embed-${lesson}`, [SLIDE]);
      }
    },
    { viewport: SLIDE },
  ));

test('hide=K,s hides those controls (symbol or URL key), keeps them hidden as state changes, notes unknown names', () =>
  withPage(browser, async (page) => {
    await openRoute(page, '?embed=1#/why?hide=K,s&C=3');
    await page.waitForSelector(byId('slider-C'));
    assert.equal(await page.locator(byId('slider-K')).isVisible(), false, 'K hidden');
    assert.equal(await page.locator(byId('slider-s')).isVisible(), false, 's hidden');
    assert.ok(await page.locator(byId('slider-C')).isVisible(), 'C shown');
    assert.equal(await page.locator(byId('notes')).count(), 0, 'known names: no note');
    // A state change rewrites the URL; the flags stay.
    await page.locator(byId('slider-C')).focus();
    await page.keyboard.press('ArrowRight');
    await until(page, async () => /[?&]C=4/.test(await page.evaluate(() => location.hash)), 'C=4 in the URL', UNTIL_TRIES);
    assert.match(await page.evaluate(() => location.hash), /hide=K,s/);

    // The URL key works too (lesson 1's signal length is N on screen, `len` in the URL).
    await openRoute(page, '#/why?hide=len,player');
    await page.waitForSelector(byId('slider-C'));
    assert.equal(await page.locator(byId('slider-len')).isVisible(), false, 'len hidden by its URL key');
    assert.equal(await page.locator(byId('player')).isVisible(), false, 'player hidden');

    await openRoute(page, '#/why?hide=K,zz&embed=1');
    await page.waitForSelector(byId('notes'));
    const note = await page.locator(byId('notes')).innerText();
    assert.match(note, /hide: this page has no control “zz”; its controls are .*K.*/);
    assert.equal(await page.locator(byId('slider-K')).isVisible(), false, 'the known name is still hidden');
  }));

test('panel=2 shows only the second block of the figure; out of range is clamped with a note', () =>
  withPage(
    browser,
    async (page) => {
      await openRoute(page, '?embed=1#/why?panel=2');
      await page.waitForSelector(byId('conv-layer'));
      assert.equal(await page.locator(byId('one-d')).isVisible(), false, 'block 1 hidden');
      assert.ok(await page.locator(byId('conv-layer')).isVisible(), 'block 2 shown');
      await waitForDrawnCanvas(page);
      await screenshots(page, 'embed-why-panel2', [SLIDE]);
      // Kept when the lesson rewrites its state.
      await page.locator(byId('slider-C')).focus();
      await page.keyboard.press('ArrowRight');
      await until(page, async () => /panel=2/.test(await page.evaluate(() => location.hash)) && /C=\d/.test(await page.evaluate(() => location.hash)), 'panel kept in the URL', UNTIL_TRIES);
      await openRoute(page, '#/why?panel=0');
      assert.match(await page.locator(byId('notes')).innerText(), /panel=0 is below the minimum 1; using 1\./);
      assert.ok(await page.locator(byId('one-d')).isVisible(), 'block 1 shown');
      assert.equal(await page.locator(byId('conv-layer')).isVisible(), false, 'block 2 hidden');
    },
    { viewport: SLIDE },
  ));

test('Copy embed code copies an <iframe> of the current state and confirms it', () =>
  withPage(
    browser,
    async (page, _problems) => {
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(routeUrl()).origin });
      await openRoute(page, '#/why?K=5&C=3');
      await page.locator(byId('embed-copy')).click();
      await until(page, async () => /Copied/.test(await page.locator(byId('embed-status')).innerText()), 'confirmation', UNTIL_TRIES);
      const snippet = await page.locator(byId('embed-snippet')).inputValue();
      assert.ok(snippet.startsWith(`<iframe src="${routeUrl('')}#/why?`), `snippet: ${snippet}`);
      assert.match(snippet, /[?;]C=3&amp;K=5&amp;/, 'the current state, & escaped');
      assert.match(snippet, /&amp;embed=1" width="960" height="540" title="Why convolution saves parameters"/);
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), snippet, 'on the clipboard');
      // The snippet opens the same state in embed mode.
      const src = snippet.match(/src="([^"]+)"/)[1].replace(/&amp;/g, '&');
      await openRoute(page, src.slice(routeUrl('').length));
      assert.equal(await page.evaluate(() => document.documentElement.dataset.embed), '1');
      assert.equal(await page.locator(byId('slider-K')).inputValue(), '5');
    },
    { viewport: { width: 1280, height: 800 } },
  ));

test('without a clipboard API the code is shown selected, with a hint to copy it', () =>
  withPage(browser, async (page) => {
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });
    });
    await openRoute(page, '#/dilated');
    await page.locator(byId('embed-copy')).click();
    await until(page, async () => /Select the code below/.test(await page.locator(byId('embed-status')).innerText()), 'hint', UNTIL_TRIES);
    const sel = await page.evaluate(() => {
      const t = document.activeElement;
      return { id: t?.dataset?.testid, start: t?.selectionStart, end: t?.selectionEnd, len: t?.value?.length };
    });
    assert.equal(sel.id, 'embed-snippet');
    assert.equal(sel.start, 0);
    assert.equal(sel.end, sel.len, 'the whole code is selected');
  }));

test('presenter keys step the animation while presenting, never while a slider has the focus', () =>
  withPage(
    browser,
    async (page) => {
      await openRoute(page, '?embed=1#/why?t=2');
      await page.waitForSelector(byId('player'));
      await page.locator('body').click({ position: { x: 2, y: 2 } });
      const start = (await frameOf(page)).frame;
      await page.keyboard.press('ArrowRight');
      assert.equal((await frameOf(page)).frame, start + 1, '→ steps forward');
      await page.keyboard.press('PageDown');
      assert.equal((await frameOf(page)).frame, start + 2, 'PageDown (clicker) steps forward');
      await page.keyboard.press('PageUp');
      await page.keyboard.press('ArrowLeft');
      assert.equal((await frameOf(page)).frame, start, 'PageUp and ← step back');
      await page.keyboard.press('End');
      const { frame, frames } = await frameOf(page);
      assert.equal(frame, frames, 'End: last step');
      await page.keyboard.press('Home');
      assert.equal((await frameOf(page)).frame, 1, 'Home: first step');
      await page.keyboard.press(' ');
      await until(page, async () => (await page.locator(`${byId('player')} .cl-play`).getAttribute('aria-pressed')) === 'true', 'Space plays', UNTIL_TRIES);
      await page.keyboard.press(' ');
      await until(page, async () => (await page.locator(`${byId('player')} .cl-play`).getAttribute('aria-pressed')) === 'false', 'Space pauses', UNTIL_TRIES);

      // A focused slider keeps its arrow keys.
      const at = (await frameOf(page)).frame;
      const c = page.locator(byId('slider-C'));
      const before = await c.inputValue();
      await c.focus();
      await page.keyboard.press('ArrowRight');
      assert.notEqual(await c.inputValue(), before, 'the slider moved');
      assert.equal((await frameOf(page)).frame, at, 'the animation did not');

      // Not presenting (full page, light theme): the keys scroll the page as usual.
      await openRoute(page, '#/why?t=2&theme=light');
      await page.waitForSelector(byId('player'));
      await page.locator('body').click({ position: { x: 2, y: 2 } });
      const f0 = (await frameOf(page)).frame;
      await page.keyboard.press('ArrowRight');
      assert.equal((await frameOf(page)).frame, f0, 'no stepping outside presenting mode');
      // The projector theme is presenting.
      await openRoute(page, '#/why?t=2&theme=projector');
      await page.waitForSelector(byId('player'));
      await page.locator('body').click({ position: { x: 2, y: 2 } });
      const f1 = (await frameOf(page)).frame;
      await page.keyboard.press('PageDown');
      assert.equal((await frameOf(page)).frame, f1 + 1, 'projector theme: PageDown steps');
    },
    { viewport: SLIDE },
  ));

test('a host page drives an embedded lesson with postMessage and hears its state', () =>
  withPage(
    browser,
    async (page) => {
      const src = routeUrl('?embed=1#/why?C=3');
      await page.setContent(
        `<!doctype html><body style="margin:0"><iframe id="f" src="${src}" width="960" height="540" title="lesson" style="border:0"></iframe>
         <script>window.msgs = []; addEventListener('message', (e) => msgs.push(e.data));
         window.send = (m) => document.getElementById('f').contentWindow.postMessage(m, '*');</script></body>`,
      );
      const frame = page.frameLocator('#f');
      const msgs = () => page.evaluate(() => window.msgs);
      const last = async (type) => (await msgs()).filter((m) => m && m.type === type).at(-1);
      await until(page, async () => (await last('convlab:ready'))?.lesson === 'why', 'ready from lesson 1', UNTIL_TRIES);
      const ready = await last('convlab:ready');
      assert.equal(ready.params.C, '3');
      assert.ok(ready.params.K, 'ready lists the lesson state');
      assert.equal(typeof ready.player.frames, 'number');

      await page.evaluate(() => send({ type: 'convlab:set', params: { K: 5, s: 2 } }));
      await until(page, async () => (await last('convlab:state'))?.params?.K === '5', 'state after set', UNTIL_TRIES);
      assert.equal(await frame.locator(byId('slider-K')).inputValue(), '5');
      assert.equal(await frame.locator(byId('slider-s')).inputValue(), '2');

      const f0 = (await last('convlab:state')).player.frame;
      await page.evaluate(() => send({ type: 'convlab:step', dir: -1 }));
      await page.evaluate(() => send({ type: 'convlab:step', dir: 1 }));
      await page.evaluate(() => send({ type: 'convlab:step', dir: 1 }));
      await until(page, async () => (await last('convlab:state'))?.player?.frame === Math.max(f0 - 1, 0) + 2 || (await last('convlab:state'))?.player?.frame === f0 + 1, 'steps reported', UNTIL_TRIES);
      await page.evaluate(() => send({ type: 'convlab:play' }));
      await until(page, async () => (await last('convlab:state'))?.player?.playing === true, 'playing', UNTIL_TRIES);
      await page.evaluate(() => send({ type: 'convlab:pause' }));
      await until(page, async () => (await last('convlab:state'))?.player?.playing === false, 'paused', UNTIL_TRIES);

      // Past the last step the lesson tells the host (a deck moves to the next slide).
      await frame.locator(byId('player')).waitFor();
      const { frames } = await frameOf(frame);
      await page.evaluate((n) => { for (let i = 0; i < n + 1; i += 1) send({ type: 'convlab:step', dir: 1 }); }, frames);
      await until(page, async () => (await last('convlab:edge'))?.dir === 1, 'edge at the end', UNTIL_TRIES);

      // Bad input is answered, never thrown.
      await page.evaluate(() => send({ type: 'convlab:set', params: { K: { x: 1 } } }));
      await until(page, async () => /params\.K/.test((await last('convlab:error'))?.message || ''), 'error for a bad value', UNTIL_TRIES);
      await page.evaluate(() => send({ type: 'convlab:route', lesson: 'nope' }));
      await until(page, async () => /no lesson “nope”/.test((await last('convlab:error'))?.message || ''), 'error for an unknown lesson', UNTIL_TRIES);

      await page.evaluate(() => send({ type: 'convlab:route', lesson: 'dilated' }));
      await until(page, async () => (await last('convlab:ready'))?.lesson === 'dilated', 'ready from the dilated lesson', UNTIL_TRIES);
      await frame.locator(byId('lesson-dilated')).waitFor();
      assert.equal(await frame.locator('html').getAttribute('data-embed'), '1', 'still embedded after routing');
    },
    { viewport: { width: 1000, height: 600 } },
  ));

test('an embedded lesson renders inside an iframe at slide size', () =>
  withPage(browser, async (page) => {
    await page.setContent(`<iframe src="${routeUrl('?embed=1#/group')}" width="960" height="540" title="x"></iframe>`);
    const f = page.frames().find((fr) => fr !== page.mainFrame());
    await waitForApp(f);
    await f.waitForSelector(byId('lesson-group'));
  }));
