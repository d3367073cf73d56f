#!/usr/bin/env node
// Checks a built dist/ folder is self-contained and relocatable:
//   node scripts/check-dist.mjs [dist]
// - index.html exists and references its assets by relative URLs only (no leading "/", no
//   scheme), so the folder works in any sub-path and inside an <iframe>;
// - every referenced asset exists in the folder;
// - exactly one .wasm module, and no reference to anything off-site.
// Prints one line per asset with its size; exits non-zero on the first class of problem found.
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

const dir = path.resolve(process.argv[2] || 'dist');
const problems = [];
const html = await readFile(path.join(dir, 'index.html'), 'utf8').catch(() => null);
if (html === null) {
  console.error(`check-dist: ${dir}/index.html missing`);
  process.exit(1);
}

const refs = new Set();
for (const m of html.matchAll(/\b(?:href|src)\s*=\s*["']([^"']+)["']/gi)) refs.add(m[1]);
// The module script trunk injects imports the JS glue and names the wasm file.
for (const m of html.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) refs.add(m[1]);
for (const m of html.matchAll(/module_or_path\s*:\s*["']([^"']+)["']/g)) refs.add(m[1]);

for (const ref of refs) {
  if (ref.startsWith('#') || ref.startsWith('data:')) continue;
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref) || ref.startsWith('//')) {
    problems.push(`off-site reference: ${ref}`);
    continue;
  }
  if (ref.startsWith('/')) {
    problems.push(`absolute path (breaks in a sub-path): ${ref}`);
    continue;
  }
  const file = path.join(dir, ref.split(/[?#]/)[0]);
  const st = await stat(file).catch(() => null);
  if (!st) problems.push(`referenced but missing: ${ref}`);
}

const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
const wasm = files.filter((e) => e.name.endsWith('.wasm'));
if (wasm.length !== 1) problems.push(`expected one .wasm module, found ${wasm.length}`);

if (problems.length) {
  console.error(`check-dist: ${dir} is not relocatable:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
let total = 0;
for (const e of files) {
  const p = path.join(e.parentPath ?? e.path, e.name);
  const { size } = await stat(p);
  total += size;
}
console.log(`check-dist: ${dir}: ${files.length} files, ${(total / 1024).toFixed(0)} KiB, all ${refs.size} references relative and present`);
