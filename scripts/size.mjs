// Size check: builds the one-file bundle a storefront loads for the latch tags and reports the
// brotli and gzip bytes of every JavaScript file a page loads for it (the entry and its static
// imports). Fails when a budget is exceeded. A benchmark of bytes, not of time.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Bytes (1 kB = 1000 bytes), brotli at maximum quality, as CDNs serve it. */
const BUDGETS = [{ name: '<latch-auth> (every JS file a page loads for the tag, Lit and zod/mini included)', entry: 'dist/cdn/latch.js', brotli: 20_000 }];

execFileSync('npx', ['vite', 'build', '--mode', 'cdn', '--logLevel', 'warn'], { stdio: 'inherit' });

/** The entry plus every chunk it imports statically, transitively: what loads before the tag works. */
function loadedFiles(entry, seen = new Set()) {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const code = readFileSync(entry, 'utf8');
  for (const match of code.matchAll(/(?:^|[;}\s])import\s*(?:[\w*{}\s,$]+from\s*)?["'](\.[^"']+)["']/g)) {
    loadedFiles(join(dirname(entry), match[1]), seen);
  }
  return seen;
}

let failed = false;
for (const budget of BUDGETS) {
  let raw = 0;
  let brotli = 0;
  let gzip = 0;
  for (const file of loadedFiles(budget.entry)) {
    const bytes = readFileSync(file);
    raw += bytes.length;
    brotli += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  const ok = brotli <= budget.brotli;
  failed ||= !ok;
  const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
  console.log(`${ok ? 'ok  ' : 'OVER'} ${budget.name}: ${kb(brotli)} brotli (budget ${kb(budget.brotli)}), ${kb(gzip)} gzip, ${kb(raw)} minified`);
}
process.exit(failed ? 1 : 0);
