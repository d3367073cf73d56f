#!/usr/bin/env node
// Serves the example deck next to the built app, laid out as in the repository, so the deck's
// relative iframe URLs (../../dist/?embed=1#/why) work exactly as from any static web server:
//
//   node examples/slides/serve.mjs [--dist DIR] [--port 8090] [--host 127.0.0.1]
//
//   /examples/slides/...   this folder (the deck, reveal.js from its node_modules)
//   /dist/...              the built app (default: the repository's dist/, from `make dist`)
//
// Prints the deck's URL, then serves until stopped. Also importable:
//   const { url, close } = await startDeckServer({ dist });
// Any other static server works too: serve the repository's root folder and open
// /examples/slides/ (e.g. `python3 -m http.server` in the repository, after `make dist`).
import http from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/** Starts the server; resolves to `{ url, port, close }` (url: the deck) once it listens. */
export async function startDeckServer({ dist = path.join(REPO, 'dist'), port = 0, host = '127.0.0.1' } = {}) {
  const mounts = [
    ['/examples/slides/', HERE],
    ['/dist/', path.resolve(dist)],
  ];
  for (const [, dir] of mounts) {
    const info = await stat(dir).catch(() => null);
    if (!info || !info.isDirectory()) throw new Error(`no such directory: ${dir} (run \`make dist\` first)`);
  }
  const server = http.createServer(async (req, res) => {
    const send = (code, text) => {
      res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(text);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return send(400, 'bad request');
    }
    if (pathname === '/' || pathname === '/examples/slides') {
      res.writeHead(302, { location: '/examples/slides/' });
      return res.end();
    }
    const mount = mounts.find(([prefix]) => pathname.startsWith(prefix));
    if (!mount) return send(404, 'not found');
    const [prefix, root] = mount;
    let file = path.join(root, pathname.slice(prefix.length));
    if (file !== root && !file.startsWith(root + path.sep)) return send(403, 'forbidden');
    let st = await stat(file).catch(() => null);
    if (st && st.isDirectory()) {
      file = path.join(file, 'index.html');
      st = await stat(file).catch(() => null);
    }
    if (!st || !st.isFile()) return send(404, 'not found');
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream',
      'content-length': st.size,
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const actual = server.address().port;
  return {
    url: `http://${host}:${actual}/examples/slides/`,
    port: actual,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opts = { port: 8090 };
  for (let i = 0; i < args.length; i += 2) {
    const [k, v] = [args[i], args[i + 1]];
    if (!['--dist', '--port', '--host'].includes(k) || v === undefined) {
      console.error('usage: serve.mjs [--dist DIR] [--port N] [--host ADDR]');
      process.exit(2);
    }
    opts[k.slice(2)] = k === '--port' ? Number(v) : v;
  }
  try {
    const { url, close } = await startDeckServer(opts);
    console.log(url);
    const stop = () => close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (err) {
    console.error(`serve: ${err.message}`);
    process.exit(1);
  }
}
