// Memory: 500 route changes across every route, with each animation (every Player) started and
// left running or stopped as the page is left. After a garbage collection, the JS heap
// (CDP Runtime.getHeapUsage), the live Rust heap (bytes allocated and not freed, counted by the
// app's allocator: `wasmBindings.convlabHeapBytes()`) and the wasm linear memory (the module's
// Memory buffer, from the instance trunk announces in its TrunkApplicationStarted event; it never
// shrinks, so it shows the allocator's high-water mark) must be within 10% of their level after
// the first round. The app's allocator keeps freed blocks of 16 KiB or more for reuse (up to
// 8 MiB, `src/heap.rs`), so that the small blocks allocated later are not cut out of the room
// the next page's feature maps and figures need; the report shows how much it keeps
// (`wasmBindings.convlabHeapPooled()`). And once back on a page without animation, no
// requestAnimationFrame callbacks may still be firing (a leaked loop keeps scheduling them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, useBrowser, newPage, openRoute, assertNoProblems, pageRoutes, followHash } from '../lib.mjs';

const ROUTE_CHANGES = Number(process.env.MEMORY_ROUTE_CHANGES || 500);
const TOLERANCE = 0.1;
const HEAP_SLACK = 64 * 1024;

// Before any app script: keep the wasm exports, count animation frames asked for.
const INIT = () => {
  addEventListener('TrunkApplicationStarted', (e) => {
    window.__convlabWasm = e.detail && e.detail.wasm;
  });
  window.__rafCalls = 0;
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => {
    window.__rafCalls += 1;
    return raf(cb);
  };
};

let routes;
useBrowser(async (b) => {
  routes = await pageRoutes(b);
});

async function measure(page, cdp) {
  // Two collections: the first may only finalise what the second frees.
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const wasm = await page.evaluate(() => window.__convlabWasm?.memory?.buffer?.byteLength ?? null);
  const heap = await page.evaluate(() => window.wasmBindings?.convlabHeapBytes?.() ?? null);
  const blocks = await page.evaluate(() => Array.from(window.wasmBindings?.convlabHeapBlocks?.() ?? []));
  const pooled = await page.evaluate(() => window.wasmBindings?.convlabHeapPooled?.() ?? null);
  return { js: usedSize, wasm, heap, blocks, pooled };
}

/** rAF requests per 500 ms while nothing should be animating. */
async function idleFrames(page) {
  return page.evaluate(async () => {
    await new Promise((r) => setTimeout(r, 300));
    const before = window.__rafCalls;
    await new Promise((r) => setTimeout(r, 500));
    return window.__rafCalls - before;
  });
}

test(`${ROUTE_CHANGES} route changes with animations started and stopped leak neither JS heap nor wasm memory`, { timeout: Math.max(600000, ROUTE_CHANGES * 600) }, async () => {
  const { context, page, problems } = await newPage(browser, { viewport: { width: 1000, height: 700 } });
  await page.addInitScript(INIT);
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  try {
    await openRoute(page, '#/');
    assert.ok(await page.evaluate(() => window.__convlabWasm?.memory instanceof WebAssembly.Memory), 'the wasm Memory is reachable');
    let changes = 0;
    let played = 0;
    let baseline = null;
    let round = 0;
    const curve = [];
    while (changes < ROUTE_CHANGES) {
      for (const r of routes) {
        if (changes >= ROUTE_CHANGES) break;
        await page.evaluate(followHash, `${r}${round % 2 ? '' : '?'}`);
        changes += 1;
        // Start every animation on the page; on odd rounds stop it again, on even rounds
        // leave it running into the next route change (the player must cancel on unmount).
        played += await page.evaluate(async (stop) => {
          const plays = [...document.querySelectorAll('.cl-player .cl-play')];
          if (plays.length === 0) return 0;
          for (const b of plays) b.click();
          await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
          if (stop) for (const b of plays) if (b.getAttribute('aria-label') === 'pause') b.click();
          return plays.length;
        }, round % 2 === 1);
      }
      round += 1;
      curve.push(await page.evaluate(() => window.__convlabWasm.memory.buffer.byteLength / 1048576));
      if (round === 1) {
        await page.evaluate(() => { location.hash = '#/'; });
        await page.waitForSelector('[data-testid="home"]');
        baseline = await measure(page, cdp);
        assert.equal(typeof baseline.heap, 'number', 'the live heap counter (wasmBindings.convlabHeapBytes) is exported');
        baseline.frames = await idleFrames(page);
      }
    }
    assert.ok(played > 0, 'some animations were played');
    await page.evaluate(() => { location.hash = '#/'; });
    await page.waitForSelector('[data-testid="home"]');
    const end = await measure(page, cdp);
    end.frames = await idleFrames(page);
    const mb = (n) => `${(n / 1048576).toFixed(2)} MiB`;
    console.log(`memory: ${changes} route changes, ${played} animations started; JS heap ${mb(baseline.js)} -> ${mb(end.js)}, live Rust heap ${mb(baseline.heap)} -> ${mb(end.heap)}, freed blocks kept for reuse ${mb(baseline.pooled)} -> ${mb(end.pooled)}, wasm ${mb(baseline.wasm)} -> ${mb(end.wasm)}, idle rAF/0.5 s ${baseline.frames} -> ${end.frames}; wasm MiB after each round: ${curve.map((m) => m.toFixed(2)).join(' ')}`);
    // What a leak is made of: live blocks gained per size class (16-byte classes).
    const grown = end.blocks.map((n, i) => [i, n - (baseline.blocks[i] ?? 0)]).filter(([, d]) => d > 0);
    console.log(`memory: live blocks gained by size class: ${grown.map(([i, d]) => `${i * 16}-${i * 16 + 15} B: +${d}`).join(', ') || 'none'}`);
    assert.ok(end.js <= baseline.js * (1 + TOLERANCE), `JS heap grew from ${mb(baseline.js)} to ${mb(end.js)}`);
    // The live heap is small (~0.2 MiB), so bounded caches filling up (label sizes, colour
    // strings) move it by more than 10%: the leak test is no more live blocks than after round 1,
    // and no more than HEAP_SLACK bytes more.
    const gainedBlocks = grown.reduce((n, [, d]) => n + d, 0);
    assert.ok(gainedBlocks <= 64, `${gainedBlocks} more live heap blocks than after the first round`);
    assert.ok(end.heap <= Math.max(baseline.heap * (1 + TOLERANCE), baseline.heap + HEAP_SLACK), `live Rust heap grew from ${baseline.heap} to ${end.heap} bytes`);
    assert.ok(end.wasm <= baseline.wasm * (1 + TOLERANCE), `wasm memory grew from ${mb(baseline.wasm)} to ${mb(end.wasm)}`);
    assert.ok(end.frames <= baseline.frames, `animation frames still requested while idle: ${end.frames} (after round 1: ${baseline.frames})`);
    assertNoProblems(problems);
  } finally {
    await context.close();
  }
});
