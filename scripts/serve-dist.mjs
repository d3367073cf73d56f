#!/usr/bin/env node
// A tiny static file server for the built app, used by the browser tests and the size report.
//
//   node scripts/serve-dist.mjs [--dir dist] [--base /convlab/] [--port 0] [--host 127.0.0.1]
//
// Serves the files of --dir under the path --base only (anything else is 404, so an asset
// referenced by an absolute path shows up as a failed request), on 127.0.0.1 and a free port
// unless --port is given. Prints the app's URL as its first line of output, then serves until
// stopped. No single-page fallback, no caching: exactly what a plain web server does.
// Also importable: `const { url, close } = await startServer({ dir, base })`.
import http from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

function normaliseBase(base) {
  let b = base.startsWith('/') ? base : `/${base}`;
  if (!b.endsWith('/')) b += '/';
  return b;
}

/**
 * Serves several folders, each under its own URL prefix (`mounts`: [[prefix, dir], ...], prefixes
 * ending in "/"), with `redirects` ({ path: location }) answered by a 301; anything else is 404
 * with `notFound` as its text. Resolves to `{ port, close }` once it listens.
 */
export async function serveMounts({ mounts, redirects = {}, notFound = 'not found', port = 0, host = '127.0.0.1' }) {
  const roots = [];
  for (const [prefix, dir] of mounts) {
    const root = path.resolve(dir);
    const info = await stat(root).catch(() => null);
    if (!info || !info.isDirectory()) throw new Error(`no such directory: ${root} (run \`make dist\` first)`);
    roots.push([prefix, root]);
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
    if (Object.hasOwn(redirects, pathname)) {
      res.writeHead(301, { location: redirects[pathname] });
      return res.end();
    }
    const mount = roots.find(([prefix]) => pathname.startsWith(prefix));
    if (!mount) return send(404, notFound);
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
  return {
    port: server.address().port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Starts the server; resolves to `{ url, port, close }` once it listens. */
export async function startServer({ dir = 'dist', base = '/convlab/', port = 0, host = '127.0.0.1' } = {}) {
  const prefix = normaliseBase(base);
  const served = await serveMounts({
    mounts: [[prefix, dir]],
    redirects: { [prefix.slice(0, -1)]: prefix },
    notFound: `not found (the app lives under ${prefix})`,
    port,
    host,
  });
  return { url: `http://${host}:${served.port}${prefix}`, ...served };
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i += 1) {
    const key = argv[i];
    const value = argv[i + 1];
    if (!['--dir', '--base', '--port', '--host'].includes(key) || value === undefined) {
      throw new Error(`usage: serve-dist.mjs [--dir DIR] [--base /PATH/] [--port N] [--host ADDR] (bad: ${key})`);
    }
    opts[key.slice(2)] = key === '--port' ? Number(value) : value;
    i += 1;
  }
  return opts;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { url, close } = await startServer(parseArgs(process.argv.slice(2)));
    console.log(url);
    const stop = () => close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (err) {
    console.error(`serve-dist: ${err.message}`);
    process.exit(1);
  }
}
