// Size check: builds the two script-tag bundles and reports brotli and gzip bytes of
// (1) <latch-auth>'s first download: the sign-in bundle's entry and what it imports statically,
// which is all a page loads to show and use every sign-in option the config turns on;
// (2) every sign-in path: that plus the steps chunk loaded on demand (registration, password reset,
// finishing an account, required contacts, codes, provider sign-in);
// (3) the whole package: every latch element, every file of the one-file bundle.
// Fails when a ceiling is exceeded. A benchmark of bytes, not of time.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const AUTH_ENTRY = 'dist/cdn-auth/latch.js';
const PACKAGE_ENTRY = 'dist/cdn/latch.js';
/**
 * Budgets in bytes (1 kB = 1000 bytes), brotli at maximum quality as CDNs serve it. They are
 * ceilings to watch, not targets to golf: a feature that needs bytes moves what the first screen
 * does not need on demand, rather than adding a build trick.
 */
const BUDGETS = { first: 22_000, everything: 27_000, package: 35_000 };

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

const kb = (n) => `${(n / 1000).toFixed(2)} kB`;
let failed = false;
function report(name, m, budget) {
  const ok = m.brotli <= budget;
  failed ||= !ok;
  const room = ok ? `${budget - m.brotli} bytes under` : `${kb(m.brotli - budget)} over`;
  console.log(
    `${ok ? 'ok  ' : 'OVER'} ${name}: ${kb(m.brotli)} brotli in ${m.count} files (budget ${kb(budget)}, ${room}), ${kb(m.gzip)} gzip, ${kb(m.raw)} minified`,
  );
}
report('first download for <latch-auth>', measure(reachable(AUTH_ENTRY, false)), BUDGETS.first);
report('every sign-in path, with on-demand steps', measure(reachable(AUTH_ENTRY, true)), BUDGETS.everything);
report('whole package (every latch element, every chunk)', measure(reachable(PACKAGE_ENTRY, true)), BUDGETS.package);
process.exit(failed ? 1 : 0);
