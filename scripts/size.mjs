// Size check: builds the bundle a storefront loads for the latch tags and reports brotli and gzip
// bytes of (1) the first download: the entry and every chunk it imports statically, which is all
// a page loads to show and use <latch-auth> for password, one-time-code and social sign-in, and
// (2) everything: the first download plus the steps loaded on demand (registration, password
// reset, finishing an account, required contacts). Fails when a ceiling is exceeded.
// A benchmark of bytes, not of time.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const AUTH_ENTRY = 'dist/cdn-auth/latch.js';
const PACKAGE_ENTRY = 'dist/cdn/latch.js';
/**
 * Budgets in bytes (1 kB = 1000 bytes), brotli at maximum quality as CDNs serve it. The first
 * download for <latch-auth> (every sign-in option on screen) has the product budget of 20 kB. With
 * the on-demand steps counted too it is above that today: its ceiling stops regressions while the
 * gap is closed, and the report says how far off it is.
 */
const TARGET = 20_000;
const CEILINGS = { first: TARGET, everything: 24_800 };
/** Every latch element together: the product target is 30 kB brotli; the ceiling stops regressions meanwhile. */
const PACKAGE_TARGET = 30_000;
const PACKAGE_CEILING = 33_000;

const build = (env) => execFileSync('npx', ['vite', 'build', '--mode', 'cdn', '--logLevel', 'warn'], { stdio: 'inherit', env: { ...process.env, ...env } });
build({ LATCH_ENTRY: 'auth' });
build({ LATCH_ENTRY: '' });

/** Files reachable from `entry`: static imports only, or dynamic `import()` too. */
function reachable(entry, dynamic, seen = new Set()) {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const code = readFileSync(entry, 'utf8');
  const patterns = [/(?:from|import)\s*["'`](\.[^"'`]+)["'`]/g];
  if (dynamic) patterns.push(/import\(\s*["'`](\.[^"'`]+)["'`]\s*\)/g);
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) reachable(join(dirname(entry), match[1]), dynamic, seen);
  }
  return seen;
}

function measure(files) {
  let raw = 0;
  let brotli = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    raw += bytes.length;
    brotli += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, brotli, gzip, count: files.size };
}

const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
let failed = false;
for (const [name, dynamic, ceiling] of [
  ['first download for <latch-auth>', false, CEILINGS.first],
  ['every sign-in path, with on-demand steps', true, CEILINGS.everything],
]) {
  const m = measure(reachable(AUTH_ENTRY, dynamic));
  const ok = m.brotli <= ceiling;
  failed ||= !ok;
  const target = m.brotli <= TARGET ? 'meets the 20 kB target' : `${kb(m.brotli - TARGET)} over the 20 kB target`;
  console.log(
    `${ok ? 'ok  ' : 'OVER'} ${name}: ${kb(m.brotli)} brotli in ${m.count} files (ceiling ${kb(ceiling)}; ${target}), ${kb(m.gzip)} gzip, ${kb(m.raw)} minified`,
  );
}
const all = measure(reachable(PACKAGE_ENTRY, true));
const packageOk = all.brotli <= PACKAGE_CEILING;
failed ||= !packageOk;
const packageTarget = all.brotli <= PACKAGE_TARGET ? 'meets the 30 kB target' : `${kb(all.brotli - PACKAGE_TARGET)} over the 30 kB target`;
console.log(
  `${packageOk ? 'ok  ' : 'OVER'} whole package (every latch element, every chunk): ${kb(all.brotli)} brotli in ${all.count} files (ceiling ${kb(PACKAGE_CEILING)}; ${packageTarget}), ${kb(all.gzip)} gzip, ${kb(all.raw)} minified`,
);
process.exit(failed ? 1 : 0);
