// The example deck (examples/slides/): reveal.js from npm, served locally with the built app
// next to it, as a lecturer would. Moves through the slides with the keys a clicker sends and
// checks that each embedded lesson renders, answers keys, and is driven by the deck's messages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { browser, useBrowser, withPage, screenshots, waitForApp, waitForDrawnCanvas, byId, until } from '../lib.mjs';
import { startDeckServer } from '../../../examples/slides/serve.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..', '..');
const DIST = process.env.E2E_DIST || path.join(REPO, 'dist');
const REVEAL = path.join(REPO, 'examples', 'slides', 'node_modules', 'reveal.js', 'dist', 'reveal.js');

let server;
before(async () => {
  assert.ok(existsSync(REVEAL), 'reveal.js is installed (scripts/setup runs npm ci in examples/slides)');
  server = await startDeckServer({ dist: DIST });
});
// The server and the browser start side by side; after the tests the browser closes first.
useBrowser();
after(async () => {
  await server?.close();
});

const SLIDE = { width: 1280, height: 720 };
/** Polls of 50 ms `until` makes in this spec before it fails (15 s). */
const UNTIL_TRIES = 300;

const current = (page) => page.evaluate(() => Reveal.getCurrentSlide().dataset.testid);
const log = (page, slide, type) =>
  page.evaluate(([s, t]) => window.convlabLog.filter((m) => m.slide === s && m.data.type === t).map((m) => m.data), [slide, type]);
const lastState = async (page, slide) => (await log(page, slide, 'convlab:state')).at(-1);

/** The embedded app's frame on slide `id`, once it has mounted and drawn. */
async function lessonFrame(page, id, lesson) {
  await until(page, async () => (await log(page, id, 'convlab:ready')).some((m) => m.lesson === lesson), `${id}: convlab:ready`, UNTIL_TRIES);
  const frame = page.frames().find((f) => f.url().includes(`#/${lesson}`));
  assert.ok(frame, `${id}: the frame of #/${lesson}`);
  await waitForApp(frame);
  await frame.waitForSelector(byId(`lesson-${lesson}`));
  const drawn = await waitForDrawnCanvas(frame);
  assert.ok(drawn > 0, `${id}: the lesson drew its figure`);
  assert.equal(await frame.evaluate(() => document.documentElement.dataset.embed), '1', `${id}: embed mode`);
  return frame;
}

/** Gives the deck (not an iframe) the keyboard. */
async function focusDeck(page) {
  await page.evaluate(() => {
    if (document.activeElement && document.activeElement.tagName === 'IFRAME') document.activeElement.blur();
    window.focus();
  });
}

test('the deck moves through its slides; each embedded lesson renders and answers keys and messages', () =>
  withPage(
    browser,
    async (page) => {
      const res = await page.goto(server.url, { waitUntil: 'load' });
      assert.ok(res.ok(), 'deck served');
      await page.waitForFunction(() => window.Reveal && Reveal.isReady());
      assert.equal(await current(page), 'slide-title');
      await screenshots(page, 'slides-title', [SLIDE]);

      // Title → lesson 1 (no steps on the title slide).
      await page.keyboard.press('ArrowRight');
      assert.equal(await current(page), 'slide-why');
      const why = await lessonFrame(page, 'slide-why', 'why');
      const ready = (await log(page, 'slide-why', 'convlab:ready'))[0];
      assert.equal(ready.params.C, '1', 'the iframe URL state');
      assert.equal(await why.locator(byId('slider-K')).isVisible(), true, 'K shown');
      assert.equal(await why.locator(byId('slider-M')).isVisible(), false, 'hide=M honoured');
      assert.equal(await why.locator(byId('one-d')).isVisible(), false, 'panel=2: only the computed layer');
      assert.equal(await why.locator(byId('notes')).count(), 0, 'the slide URL gives no notes');
      await screenshots(page, 'slides-why', [SLIDE]);

      // The clicker's PageDown steps the animation instead of leaving the slide.
      const f0 = ready.player.frame;
      await focusDeck(page);
      await page.keyboard.press('PageDown');
      await until(page, async () => (await lastState(page, 'slide-why'))?.player?.frame === f0 + 1, 'PageDown stepped the lesson', UNTIL_TRIES);
      assert.equal(await current(page), 'slide-why', 'still on the slide');
      await page.keyboard.press('ArrowLeft');
      await until(page, async () => (await lastState(page, 'slide-why'))?.player?.frame === f0, '← stepped back', UNTIL_TRIES);

      // Keys inside the figure: the lesson's own presenter keys (focus in the iframe).
      await why.locator(byId('figure')).click({ position: { x: 5, y: 5 } });
      await why.page().keyboard.press('End');
      await until(page, async () => {
        const s = await lastState(page, 'slide-why');
        return s?.player && s.player.frame === s.player.frames - 1;
      }, 'End inside the iframe: last step', UNTIL_TRIES);
      // No step left: the next → goes to the next slide.
      await focusDeck(page);
      await page.keyboard.press('ArrowRight');
      await until(page, async () => (await current(page)) === 'slide-group', 'past the last step: next slide', UNTIL_TRIES);

      // Fragments set the lesson's parameters through convlab:set.
      const group = await lessonFrame(page, 'slide-group', 'group');
      await focusDeck(page);
      await page.keyboard.press('ArrowRight');
      await until(page, async () => (await lastState(page, 'slide-group'))?.params?.M === '2', 'fragment 1 sets M=2', UNTIL_TRIES);
      await page.keyboard.press('ArrowRight');
      await until(page, async () => (await lastState(page, 'slide-group'))?.params?.M === '4', 'fragment 2 sets M=4', UNTIL_TRIES);
      await group.waitForSelector(byId('lesson-group'));
      await screenshots(page, 'slides-group', [SLIDE]);
      await page.keyboard.press('ArrowLeft');
      await until(page, async () => (await lastState(page, 'slide-group'))?.params?.M === '2', 'hiding fragment 2 goes back to M=2', UNTIL_TRIES);
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await until(page, async () => (await current(page)) === 'slide-dilated', 'after the fragments: next slide', UNTIL_TRIES);

      // Dilated: the clicker steps its layer-by-layer animation, then leaves at the end.
      await lessonFrame(page, 'slide-dilated', 'dilated');
      const d0 = (await log(page, 'slide-dilated', 'convlab:ready'))[0].player;
      assert.ok(d0 && d0.frames > 1, 'the dilated lesson has a player');
      await focusDeck(page);
      await page.keyboard.press('PageUp');
      await until(page, async () => (await lastState(page, 'slide-dilated'))?.player?.frame === Math.max(d0.frame - 1, 0), 'PageUp stepped back', UNTIL_TRIES);
      await screenshots(page, 'slides-dilated', [SLIDE]);
      for (let i = 0; i < d0.frames + 1 && (await current(page)) === 'slide-dilated'; i += 1) {
        await page.keyboard.press('PageDown');
        await page.waitForTimeout(100);
      }
      await until(page, async () => (await current(page)) === 'slide-shufflenet', 'stepped through, then the next slide', UNTIL_TRIES);

      // ShuffleNet in the dark theme, from the iframe's URL.
      const shuffle = await lessonFrame(page, 'slide-shufflenet', 'shufflenet');
      assert.equal(await shuffle.evaluate(() => document.documentElement.dataset.theme), 'dark');
      await screenshots(page, 'slides-shufflenet', [SLIDE]);
      await focusDeck(page);
      await page.keyboard.press('ArrowRight');
      assert.equal(await current(page), 'slide-end');
    },
    { viewport: SLIDE, origin: new URL(server.url).origin },
  ));
