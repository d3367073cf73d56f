// ConvLab's service worker: after one visit the app works without a network, so a lecturer who
// opened it once can teach offline. Registered by index.html with a relative URL, so its scope
// is the folder the app is served from (any sub-path of any static host, or a USB stick served
// by any static server). Only same-origin GET requests are handled; nothing is fetched from
// another origin.
//
// - On install: caches the page (./) and every file it references (the hashed js, wasm, css,
//   icon, manifest), read from the page's own HTML, so nothing needs to be hard-coded here.
// - The page itself and unhashed files: network first (a new deployment shows at once), the
//   cached copy when the network fails.
// - Hashed files (name-<16 hex>.ext, immutable): cache first.
// - On activate: drops caches of older versions and takes control of open pages.
'use strict';

const VERSION = 'convlab-v1';
const HASHED = /-[0-9a-f]{16}(_bg)?\.[a-z0-9]+$/;

const scopeUrl = new URL(self.registration ? self.registration.scope : './', self.location.href);

function referencedFiles(html) {
  const urls = new Set();
  const patterns = [/\b(?:href|src)="([^"#?]+)"/g, /'(\.\/[^'#?]+\.(?:js|wasm|css|svg|png|webmanifest))'/g];
  for (const re of patterns) {
    for (const m of html.matchAll(re)) {
      const u = new URL(m[1], scopeUrl);
      if (u.origin === scopeUrl.origin && u.pathname.startsWith(scopeUrl.pathname)) urls.add(u.href);
    }
  }
  return [...urls];
}

async function precache() {
  const cache = await caches.open(VERSION);
  const page = await fetch(scopeUrl.href, { cache: 'no-cache' });
  if (!page.ok) throw new Error(`could not fetch ${scopeUrl.href}: ${page.status}`);
  const html = await page.clone().text();
  await cache.put(scopeUrl.href, page);
  await Promise.all(
    referencedFiles(html).map(async (url) => {
      const res = await fetch(url, { cache: 'no-cache' });
      if (res.ok) await cache.put(url, res);
    }),
  );
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key !== VERSION && key.startsWith('convlab-')) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

// The page (any navigation inside the scope) is stored under the scope URL: the hash is never
// sent, and `index.html` and `./` are the same page.
function cacheKey(request) {
  const url = new URL(request.url);
  if (request.mode === 'navigate' || url.pathname === `${scopeUrl.pathname}index.html`) {
    return scopeUrl.href;
  }
  url.search = '';
  return url.href;
}

async function networkFirst(request) {
  const cache = await caches.open(VERSION);
  try {
    const res = await fetch(request);
    if (res.ok) await cache.put(cacheKey(request), res.clone());
    return res;
  } catch (err) {
    const hit = await cache.match(cacheKey(request));
    if (hit) return hit;
    throw err;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(VERSION);
  const hit = await cache.match(cacheKey(request));
  if (hit) return hit;
  const res = await fetch(request);
  if (res.ok) await cache.put(cacheKey(request), res.clone());
  return res;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== scopeUrl.origin || !url.pathname.startsWith(scopeUrl.pathname)) return;
  // The worker itself is always fetched by the browser's update check, never from here.
  if (url.pathname.endsWith('/sw.js')) return;
  event.respondWith(HASHED.test(url.pathname) ? cacheFirst(request) : networkFirst(request));
});
