#!/usr/bin/env node
// Runs every browser test: smoke.spec.mjs and specs/**/*.spec.mjs, with node's test runner.
//
//   node tests/e2e/run.mjs [--dist DIR] [--base /convlab/] [extra node --test args...]
//
// Unless BASE_URL is already set, serves DIR (default: the repo's dist/) under the sub-path
// --base on 127.0.0.1 and a free port, points the tests at it and stops the server at the end,
// whatever the outcome. Exits with the test runner's status.
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../scripts/serve-dist.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');

async function specFiles() {
  const files = [path.join(HERE, 'smoke.spec.mjs')];
  const walk = async (dir) => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.spec.mjs')) files.push(p);
    }
  };
  await walk(path.join(HERE, 'specs'));
  return files;
}

function parseArgs(argv) {
  const opts = { dist: path.join(REPO, 'dist'), base: '/convlab/', rest: [] };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--dist') opts.dist = path.resolve(argv[++i]);
    else if (argv[i] === '--base') opts.base = argv[++i];
    else opts.rest.push(argv[i]);
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
let server = null;
// The build under test, for specs that serve it themselves (the slide deck example serves it
// next to examples/slides/, as a lecturer would).
process.env.E2E_DIST = process.env.E2E_DIST || opts.dist;
if (!process.env.BASE_URL) {
  server = await startServer({ dir: opts.dist, base: opts.base });
  process.env.BASE_URL = server.url;
}
console.log(`e2e: testing ${process.env.BASE_URL}`);

const files = await specFiles();
// One spec file at a time: each starts its own browser and the machine may have two cores.
// (`--test-concurrency` exists from node 20.10; older runners default to one file per spare core.)
const [major, minor] = process.versions.node.split('.').map(Number);
const serial = major > 20 || (major === 20 && minor >= 10) ? ['--test-concurrency=1'] : [];
const child = spawn(
  process.execPath,
  ['--test', ...serial, '--test-reporter=spec', ...opts.rest, ...files],
  { stdio: 'inherit', env: process.env, cwd: HERE },
);
const stop = (signal) => child.kill(signal);
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
const code = await new Promise((resolve) => {
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  child.on('error', (err) => {
    console.error(`e2e: could not start the test runner: ${err.message}`);
    resolve(1);
  });
});
if (server) await server.close();
process.exit(code);
