// Size check: builds the two script-tag bundles and reports brotli and gzip bytes of
// (1) <latch-auth>'s first download: the sign-in bundle's entry and what it imports statically,
// which is all a page loads to show and use every sign-in option the config turns on;
// (2) every sign-in path: that plus the steps chunk loaded on demand (registration, password reset,
// finishing an account, required contacts, codes, provider sign-in);
// (3) the whole package: every latch element, every file of the one-file bundle;
// (4) each translation catalog, a chunk of its own that only a page in that language downloads.
// The catalogs are left out of (1)-(3) (a page downloads at most one), and the script fails when a
// catalog's words got into the first download.
// It also says where the bytes of (1)-(3) are: each library and latch's own code, read from source
// maps of the same bundles built again elsewhere (the measured files carry no map).
// Fails when a ceiling is exceeded. A benchmark of bytes, not of time.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SourceMapConsumer } from 'source-map-js';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { tsImport } from 'tsx/esm/api';

const AUTH_ENTRY = 'dist/cdn-auth/latch.js';
const PACKAGE_ENTRY = 'dist/cdn/latch.js';
/**
 * Budgets in bytes (1 kB = 1000 bytes), brotli at maximum quality as CDNs serve it. They are
 * ceilings to watch, not targets to golf: a feature that needs bytes moves what the first screen
 * does not need on demand, rather than adding a build trick.
 */
const BUDGETS = { first: 22_000, everything: 27_000, package: 35_000 };
/**
 * Ceilings the check fails above, while a figure is still over its budget: the last measured size
 * plus room for the chunk names' content hashes (their random letters move a figure by up to
 * 0.1 kB from one build to the next), so nothing grows unnoticed. Lower each one as bytes come out;
 * once a figure is under its budget, the budget is the ceiling. The budgets are not met and cannot
 * be without taking features out: the README's size section gives the arithmetic (the libraries
 * alone are 10.7 kB of every measure) and what each feature costs.
 */
// Raised last by what the shoppers' fixes of this round cost: verification links followed, field
// problems worded before the steps load, sign-out said, captcha turned on mid-visit, hints linked
// (+0.24 first download, +0.36 every sign-in path, +0.46 whole package).
const CEILINGS = { first: 27_650, everything: 37_650, package: 45_250 };

const build = (env, args = []) =>
  execFileSync('npx', ['vite', 'build', '--mode', 'cdn', '--logLevel', 'warn', ...args], { stdio: 'inherit', env: { ...process.env, ...env } });
build({ LATCH_ENTRY: 'auth' });
build({ LATCH_ENTRY: '' });
// The same bundles again with source maps, elsewhere, to tell where the bytes are.
const mapped = mkdtempSync(join(tmpdir(), 'latch-size-'));
build({ LATCH_ENTRY: 'auth' }, ['--sourcemap', 'hidden', '--outDir', join(mapped, 'cdn-auth')]);
build({ LATCH_ENTRY: '' }, ['--sourcemap', 'hidden', '--outDir', join(mapped, 'cdn')]);

// The language (a shipped catalog's name is letters only) is what comes before the hash, which may
// itself start with `-` (`latch-lang-hi--__Yiou_.js`).
const CATALOG_FILE = /latch-lang-([a-z]+)-[^/]*\.js$/;

/** Files reachable from `entry`: static imports only, or dynamic `import()` too (but no other catalog). */
function reachable(entry, dynamic, seen = new Set()) {
  if (seen.has(entry) || (seen.size > 0 && CATALOG_FILE.test(entry))) return seen;
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
    // The bytes as shipped, chunk names' content hashes included: those random letters move the
    // brotli figure by up to 0.1 kB from one build to the next, which the ceilings leave room for.
    const bytes = readFileSync(file);
    raw += bytes.length;
    brotli += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, brotli, gzip, count: files.size };
}

const kb = (n) => `${(n / 1000).toFixed(2)} kB`;
let failed = false;
function report(name, m, budget, ceiling) {
  const underBudget = m.brotli <= budget;
  const underCeiling = m.brotli <= Math.max(budget, ceiling);
  failed ||= !underCeiling;
  const room = underBudget ? `${budget - m.brotli} bytes under` : `${kb(m.brotli - budget)} over`;
  const status = underBudget ? 'ok  ' : underCeiling ? 'OVER' : 'FAIL';
  const guard = underBudget ? '' : underCeiling ? `; regression ceiling ${kb(ceiling)} holds` : `; above the regression ceiling ${kb(ceiling)}`;
  console.log(
    `${status} ${name}: ${kb(m.brotli)} brotli in ${m.count} files (budget ${kb(budget)}, ${room}${guard}), ${kb(m.gzip)} gzip, ${kb(m.raw)} minified`,
  );
}
/** Who wrote the code a source belongs to: a library by its package, or latch. */
function partOf(source) {
  if (!source) return 'stylesheets and bundler glue';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source)?.[1];
  if (!pkg) return 'latch';
  if (pkg === 'zod') return 'zod/mini';
  return ['lit', 'lit-html', 'lit-element', '@lit/reactive-element'].includes(pkg) ? 'lit' : pkg;
}

/**
 * The text of `files` (as built in `mapped`) by part, each part's pieces in file order, and the
 * brotli size of each part compressed alone and of the libraries together. Parts compressed alone
 * add up to more than the file, where brotli also finds repeats across parts.
 */
function where(files) {
  const parts = new Map();
  for (const file of files) {
    const code = readFileSync(file, 'utf8');
    const lines = code.split('\n');
    const segments = [];
    // The bundler's own runtime chunk has no map: all of it is glue.
    if (existsSync(`${file}.map`)) new SourceMapConsumer(JSON.parse(readFileSync(`${file}.map`, 'utf8'))).eachMapping((m) => segments.push(m));
    segments.sort((a, b) => a.generatedLine - b.generatedLine || a.generatedColumn - b.generatedColumn);
    let line = 1;
    let column = 0;
    const take = (part, toLine, toColumn) => {
      let text = '';
      for (; line < toLine; line++, column = 0) text += `${lines[line - 1].slice(column)}\n`;
      text += lines[line - 1]?.slice(column, toColumn) ?? '';
      column = toColumn;
      parts.set(part, (parts.get(part) ?? '') + text);
    };
    let part = partOf(null);
    for (const segment of segments) {
      take(part, segment.generatedLine, segment.generatedColumn);
      part = partOf(segment.source);
    }
    take(part, lines.length, lines.at(-1).length);
  }
  const brotli = (text) => brotliCompressSync(Buffer.from(text), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const sizes = [...parts].map(([name, text]) => [name, brotli(text)]).sort((a, b) => b[1] - a[1]);
  const libraries = brotli([...parts].filter(([name]) => name !== 'latch' && !name.startsWith('stylesheets')).map(([, text]) => text).join(''));
  return { sizes, libraries };
}

function reportParts(files) {
  const { sizes, libraries } = where(files);
  console.log(`       by part, each compressed alone: ${sizes.map(([name, size]) => `${name} ${kb(size)}`).join(', ')}; the libraries together ${kb(libraries)}`);
}

const first = reachable(AUTH_ENTRY, false);
report('first download for <latch-auth>', measure(first), BUDGETS.first, CEILINGS.first);
reportParts(reachable(join(mapped, AUTH_ENTRY.replace('dist/', '')), false));
const everything = reachable(AUTH_ENTRY, true);
report('every sign-in path, with on-demand steps', measure(everything), BUDGETS.everything, CEILINGS.everything);
reportParts(reachable(join(mapped, AUTH_ENTRY.replace('dist/', '')), true));
const whole = reachable(PACKAGE_ENTRY, true);
report('whole package (every latch element, every chunk)', measure(whole), BUDGETS.package, CEILINGS.package);
reportParts(reachable(join(mapped, PACKAGE_ENTRY.replace('dist/', '')), true));
rmSync(mapped, { recursive: true, force: true });

/** Each shipped catalog: its own chunk in both bundles, and none of its words in the first download. */
const { SHIPPED_LANGUAGES } = await tsImport('../src/i18n/localize.ts', import.meta.url);
const firstText = [...first].map((file) => readFileSync(file, 'utf8')).join('\n');
for (const lang of SHIPPED_LANGUAGES.filter((l) => l !== 'en')) {
  const { default: catalog } = await tsImport(`../src/i18n/catalogs/${lang}.ts`, import.meta.url);
  const chunks = ['dist/cdn-auth', 'dist/cdn'].map((dir) =>
    readdirSync(dir)
      .filter((name) => CATALOG_FILE.exec(name)?.[1] === lang)
      .map((name) => join(dir, name)),
  );
  // The minifier may write non-ASCII text as is or as \u escapes: both forms are looked for.
  const words = [catalog['auth.signIn'], catalog['auth.unavailable']].filter(Boolean);
  const leaked = words.some((w) => firstText.includes(w) || firstText.includes(JSON.stringify(w).slice(1, -1)) || firstText.includes(escapeUnicode(w)));
  const separate = chunks.every((files) => files.length === 1);
  // The catalog and what it imports that the page does not have yet (the bundler's small shared runtime).
  const m = measure(new Set([...reachable(chunks[0][0] ?? AUTH_ENTRY, false)].filter((file) => !first.has(file))));
  const ok = separate && !leaked && Object.keys(catalog).length > 0;
  failed ||= !ok;
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} catalog ${lang}, on demand: ${kb(m.brotli)} brotli in ${m.count} files, ${kb(m.gzip)} gzip, ${kb(m.raw)} minified` +
      (separate ? '' : ' (not a chunk of its own in both bundles)') +
      (leaked ? ' (its words are in the first download)' : ''),
  );
}

function escapeUnicode(text) {
  return [...text].map((c) => (c.charCodeAt(0) < 128 ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)).join('');
}

process.exit(failed ? 1 : 0);
