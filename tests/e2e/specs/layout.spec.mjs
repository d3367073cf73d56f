// Layout: every page at the three sizes used in class (1280×800 laptop, 960×540 projector,
// 390×844 phone) shows everything it has, and nothing on it collides. For every route and size
// the page is opened, scrolled through (so deferred figures draw) and checked for:
//  - content wider than its box: an element whose content overflows it horizontally (cut off,
//    or spilling over its neighbours) unless it is a scroller a keyboard can reach (tabindex);
//  - a control (input, button, select) a reader cannot reach: scrolled into view, its centre is
//    still outside the viewport or covered by something else (clipped by a fixed-height column);
//  - text boxes that overlap: DOM text, and the label boxes each canvas figure reports
//    (`wasmBindings.convlabCanvasLabels`, the recording's text at its drawn place), which must also
//    lie inside their canvas;
//  - the current lesson's tab not visible in the header.
// Each page's screenshot (whole page) is written to tests/e2e/out/layout/ for a person to page
// through: <route>-<w>x<h>.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import {
  browser, useBrowser, newPage, openRoute, pageRoutes, slug, VIEWPORTS, OUT_DIR, assertNoProblems,
} from '../lib.mjs';

const SHOTS = path.join(OUT_DIR, 'layout');

let routes;
useBrowser(async (b) => {
  routes = await pageRoutes(b);
  await mkdir(SHOTS, { recursive: true });
});

/** Scrolls the page through, a viewport at a time, so every deferred figure draws. */
async function scrollThrough(page) {
  await page.evaluate(async () => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight * 0.8) {
      scrollTo(0, y);
      await frame();
    }
    scrollTo(0, 0);
    await frame();
  });
  // Deferred figures draw once the page is idle.
  await page.waitForTimeout(400);
}

/** Everything the checks find wrong on the page as it is now, as sentences. */
function findProblems() {
  const problems = [];
  const name = (el) => {
    const id = el.closest('[data-testid]')?.getAttribute('data-testid');
    const text = (el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `<${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}>${id ? ` in [${id}]` : ''}${text ? ` "${text}"` : ''}`;
  };
  const visible = (el) => {
    if (!el.getClientRects().length) return false;
    // Inside a closed <details>, or otherwise not rendered.
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    for (let e = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.visibility === 'hidden' || cs.opacity === '0') return false;
    }
    return true;
  };
  // A visually hidden element (text for screen readers only): clipped to a pixel.
  const srOnly = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const r = e.getBoundingClientRect();
      const cs = getComputedStyle(e);
      if ((r.width <= 1 || r.height <= 1) && (cs.overflow !== 'visible' || cs.clip !== 'auto' || cs.clipPath !== 'none')) return true;
    }
    return false;
  };

  // The part of `r` (client coordinates) not clipped away by `el`'s scrolling or clipping
  // ancestors; null when nothing of it shows.
  const clipped = (el, r) => {
    let { left, top, right, bottom } = r;
    for (let e = el.parentElement; e && e !== document.documentElement; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.overflowX === 'visible' && cs.overflowY === 'visible') continue;
      const b = e.getBoundingClientRect();
      left = Math.max(left, b.left);
      top = Math.max(top, b.top);
      right = Math.min(right, b.right);
      bottom = Math.min(bottom, b.bottom);
      if (right - left < 2 || bottom - top < 2) return null;
    }
    return { left, top, width: right - left, height: bottom - top };
  };

  // 1. Horizontal overflow.
  const doc = document.documentElement;
  if (doc.scrollWidth > innerWidth + 1) problems.push(`the page is ${doc.scrollWidth - innerWidth}px wider than the window`);
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    if (el.clientWidth === 0 || !visible(el) || srOnly(el)) continue;
    const over = el.scrollWidth - el.clientWidth;
    if (over <= 1) continue;
    const cs = getComputedStyle(el);
    const scroller = cs.overflowX === 'auto' || cs.overflowX === 'scroll';
    if (scroller) {
      if (!el.hasAttribute('tabindex')) problems.push(`${name(el)} scrolls sideways by ${over}px but cannot be reached by keyboard (no tabindex)`);
      continue;
    }
    // Inside a keyboard-reachable scroller the overflow scrolls with it.
    let held = false;
    for (let e = el.parentElement; e && !held; e = e.parentElement) {
      const ps = getComputedStyle(e);
      held = (ps.overflowX === 'auto' || ps.overflowX === 'scroll') && e.hasAttribute('tabindex');
    }
    if (held) continue;
    // Report the innermost box only: its ancestors overflow because of it.
    const inner = [...el.children].some((c) => c.scrollWidth - c.clientWidth > 1 && c.clientWidth > 0);
    if (inner) continue;
    problems.push(`${name(el)}: content ${over}px wider than its ${el.clientWidth}px box (overflow-x: ${cs.overflowX})`);
  }

  // 3. Overlapping text: DOM text runs, and canvas labels.
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) continue;
    const el = n.parentElement;
    if (!el || !visible(el) || srOnly(el) || el.closest('script, style, noscript, [hidden], option, textarea')) continue;
    range.selectNodeContents(n);
    for (const whole of range.getClientRects()) {
      if (whole.width < 2 || whole.height < 2) continue;
      const r = clipped(el, whole);
      if (!r) continue;
      boxes.push({ x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height, owner: n, math: el.closest('math'), figure: el.closest('svg'), what: `text "${n.textContent.trim().slice(0, 30)}" (${name(el)})` });
    }
  }
  const labels = window.wasmBindings?.convlabCanvasLabels;
  for (const c of document.querySelectorAll('canvas')) {
    if (!visible(c) || !labels || c.width === 0) continue;
    const flat = labels(c);
    const rc = c.getBoundingClientRect();
    const sx = rc.width / c.width;
    const sy = rc.height / c.height;
    const fig = c.getAttribute('aria-label') || c.closest('[data-testid]')?.getAttribute('data-testid') || 'a figure';
    for (let i = 0; i + 4 < flat.length; i += 5) {
      const [x, y, w, h, text] = flat.slice(i, i + 5);
      const what = `label "${text}" of ${String(fig).slice(0, 40)}`;
      // Glyphs sit inside the font box with a pixel or two to spare.
      if (x < -2 || y < -2 || x + w > c.width + 2 * (1 / sx) || y + h > c.height + 2 * (1 / sy)) {
        problems.push(`${what} is cut by its canvas' edge (box ${Math.round(x * sx)},${Math.round(y * sy)} ${Math.round(w * sx)}×${Math.round(h * sy)} in ${Math.round(rc.width)}×${Math.round(rc.height)})`);
      }
      const r = clipped(c, { left: rc.left + x * sx, top: rc.top + y * sy, right: rc.left + (x + w) * sx, bottom: rc.top + (y + h) * sy });
      if (r) boxes.push({ x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height, owner: c, figure: c, what });
    }
  }
  // Overlap by more than a sliver (font boxes include line gaps): 3 px both ways.
  const SLACK = 3;
  boxes.sort((a, b) => a.x - b.x);
  const seen = new Set();
  for (let i = 0; i < boxes.length; i += 1) {
    const a = boxes[i];
    for (let j = i + 1; j < boxes.length && boxes[j].x < a.x + a.w - SLACK; j += 1) {
      const b = boxes[j];
      if (a.owner === b.owner && a.owner.nodeType === 3) continue;
      // One formula's parts are laid out by the browser's MathML engine (a fraction's
      // line boxes overlap by design); different formulas must not touch.
      if (a.math && a.math === b.math) continue;
      const dx = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
      const dy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
      // Two labels of one figure (canvas or SVG) may not even touch side by side
      // ("ch 10ch 11", "1,088 params9,280 params"): at least 1 px apart.
      const xSlack = a.figure && a.figure === b.figure ? -1 : SLACK;
      if (dx > xSlack && dy > SLACK) {
        const line = `${a.what} overlaps ${b.what}`;
        if (!seen.has(line)) {
          seen.add(line);
          problems.push(line);
        }
      }
    }
  }

  // 2. Controls out of reach.
  const header = document.querySelector('header');
  const scrolled = [...document.querySelectorAll('*')].filter((e) => e.scrollTop || e.scrollLeft).map((e) => [e, e.scrollTop, e.scrollLeft]);
  for (const el of document.querySelectorAll('main input, main button, main select, main textarea')) {
    if (!visible(el) || srOnly(el) || el.type === 'hidden') continue;
    el.scrollIntoView({ block: 'center', inline: 'center' });
    const r = el.getBoundingClientRect();
    const x = r.left + r.width / 2;
    const y = r.top + r.height / 2;
    if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) {
      problems.push(`${name(el)} cannot be scrolled into the window (its centre stays at ${Math.round(x)}, ${Math.round(y)})`);
      continue;
    }
    const hit = document.elementFromPoint(x, y);
    const label = el.labels?.[0];
    const ok = hit && (hit === el || el.contains(hit) || hit.contains(el) || (label && (label === hit || label.contains(hit))));
    if (!ok && !(header && header.contains(hit))) problems.push(`${name(el)} is covered or clipped: its centre shows ${hit ? name(hit) : 'nothing'}`);
  }
  // Put every scroller back where the reader found it.
  for (const [el, top, left] of scrolled) {
    el.scrollTop = top;
    el.scrollLeft = left;
  }
  scrollTo(0, 0);

  // 4. The current tab is visible in the header.
  const current = document.querySelector('header [aria-current="page"]');
  if (current) {
    const r = current.getBoundingClientRect();
    const nav = current.closest('nav') || header;
    const n = nav.getBoundingClientRect();
    if (r.left < n.left - 1 || r.right > n.right + 1 || r.left < 0 || r.right > innerWidth) problems.push(`the current tab "${current.textContent.trim()}" is not in view in the header`);
  }

  // 5. A pressed toggle (the current input, version, mode) looks different from
  // the others of its group: aria-pressed alone is invisible on a projector.
  const look = (b) => {
    const cs = getComputedStyle(b);
    return `${cs.backgroundColor}|${cs.color}|${cs.borderColor}`;
  };
  for (const on of document.querySelectorAll('button[aria-pressed="true"]')) {
    if (!visible(on)) continue;
    const group = on.parentElement;
    for (const off of group.querySelectorAll(':scope > button[aria-pressed="false"]')) {
      if (visible(off) && look(on) === look(off)) {
        problems.push(`${name(on)} is pressed but looks like ${name(off)}, which is not`);
        break;
      }
    }
  }
  return problems;
}

for (const size of VIEWPORTS) {
  test(`every page at ${size.width}×${size.height}: nothing cut off, out of reach or overlapping`, { timeout: 600000 }, async () => {
    const { context, page, problems } = await newPage(browser, { viewport: size });
    const found = [];
    try {
      for (const route of routes) {
        await openRoute(page, route);
        await scrollThrough(page);
        await page.screenshot({ path: path.join(SHOTS, `${slug(route)}-${size.width}x${size.height}.png`), fullPage: true });
        for (const p of await page.evaluate(findProblems)) found.push(`${route}: ${p}`);
      }
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
    assert.deepEqual(found, [], `layout problems at ${size.width}×${size.height}:\n${found.join('\n')}`);
  });
}
