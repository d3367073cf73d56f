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
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveMounts } from '../../scripts/serve-dist.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');

/** Starts the server; resolves to `{ url, port, close }` (url: the deck) once it listens. */
export async function startDeckServer({ dist = path.join(REPO, 'dist'), port = 0, host = '127.0.0.1' } = {}) {
  const served = await serveMounts({
    mounts: [
      ['/examples/slides/', HERE],
      ['/dist/', dist],
    ],
    redirects: { '/': '/examples/slides/', '/examples/slides': '/examples/slides/' },
    port,
    host,
  });
  return { url: `http://${host}:${served.port}/examples/slides/`, ...served };
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
