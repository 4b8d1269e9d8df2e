/**
 * `npm run bench`: time from navigation to the first usable input (an email field in the page,
 * visible and enabled) for <latch-auth> against a bare Lit form with the same fields (the floor,
 * scripts/bench-floor.mjs), in one headless Chromium run. Cold is a fresh browser context (nothing
 * cached); cached is a reload in the same context (scripts in the HTTP cache, latch's config in
 * localStorage). <latch-auth> is measured as a page loads it plainly, with the config preloaded
 * (<link rel="preload">), and with the config embedded in the page (config-script). The sign-in-only
 * bundle and the floor are production builds; the reference service runs in-process on the same
 * origin. Each figure is the median of RUNS navigations; LATENCY (ms, default 0) adds a round-trip
 * delay to every request through Chromium's network emulation.
 * A benchmark, not a test: it prints figures and never fails on them.
 */
import { createServer } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import puppeteer from 'puppeteer-core';
import { tsImport } from 'tsx/esm/api';
import { build } from 'vite';
import { chromiumArgs, chromiumPath } from '../test/support/chromium.mjs';

const RUNS = Number(process.env.RUNS) || 15;
const LATENCY = Number(process.env.LATENCY) || 0;
const CONFIG = '/service/application/user/platform/v1.0/config';

async function buildInto(label, options) {
  const outDir = mkdtempSync(join(tmpdir(), `latch-bench-${label}-`));
  await build({ logLevel: 'silent', ...options, build: { ...options.build, outDir, emptyOutDir: true } });
  return new Map(readdirSync(outDir).map((name) => [`/${name}`, readFileSync(join(outDir, name))]));
}

process.env.LATCH_ENTRY = 'auth';
const latch = await buildInto('latch', { mode: 'cdn' });
delete process.env.LATCH_ENTRY;
const floor = await buildInto('floor', {
  configFile: false,
  build: {
    target: 'es2022',
    modulePreload: false,
    copyPublicDir: false,
    rolldownOptions: { input: 'scripts/bench-floor.mjs', output: { format: 'es', entryFileNames: 'floor.js' } },
  },
});
const scripts = new Map([...latch, ...floor]);

const { createService } = await tsImport('../src/server/app.ts', import.meta.url);
const service = await createService({
  database: ':memory:',
  companyId: '1',
  applicationId: '000000000000000000000001',
  adminToken: 'bench-admin-token',
  dev: false,
  log: () => {},
});
await service.ready;
const config = JSON.stringify((await (await service.app.fetch(new Request(`http://localhost${CONFIG}`))).json()));

const page = (script, body, head = '') =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>bench</title>${head}<script type="module" src="${script}"></script></head><body><main>${body}</main></body></html>`;
const pages = {
  '/floor': page('/floor.js', '<bare-form></bare-form>'),
  '/latch': page('/latch.js', '<latch-auth></latch-auth>'),
  '/latch-preload': page('/latch.js', '<latch-auth></latch-auth>', `<link rel="preload" as="fetch" crossorigin="use-credentials" href="${CONFIG}">`),
  // `<` escaped so the JSON cannot close its script element.
  '/latch-embedded': page('/latch.js', '<latch-auth config-script="latch-config"></latch-auth>', `<script type="application/json" id="latch-config">${config.replaceAll('<', '\\u003c')}</script>`),
};

const api = getRequestListener(service.app.fetch, { overrideGlobalObjects: false });
const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (path.startsWith('/service/')) return void api(req, res);
  const script = scripts.get(path);
  if (script) {
    // As a CDN serves a versioned file: the cached runs load it from the HTTP cache.
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'public, max-age=31536000, immutable' });
    return void res.end(script);
  }
  if (!(path in pages)) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
  res.end(pages[path]);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://localhost:${server.address().port}`;

/** Installed before any page script: notes when an email input is first visible and enabled. */
function watchFirstInput() {
  const usable = () =>
    [...document.querySelectorAll('input[type="email"], input[autocomplete~="username"]')].some(
      (input) => !input.disabled && input.getClientRects().length > 0 && !input.closest('[inert]'),
    );
  const check = () => {
    if (window.__firstInput === undefined && usable()) window.__firstInput = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
  // A stylesheet can make an existing input visible without any mutation: look each frame too.
  const frame = () => {
    check();
    if (window.__firstInput === undefined) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

const browser = await puppeteer.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });

async function measure(tab, load) {
  await load();
  await tab.waitForFunction(() => window.__firstInput !== undefined, { timeout: 30_000 });
  return tab.evaluate(() => window.__firstInput);
}

async function newTab(context) {
  const tab = await context.newPage();
  await tab.evaluateOnNewDocument(watchFirstInput);
  if (LATENCY) {
    const cdp = await tab.createCDPSession();
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: LATENCY, downloadThroughput: -1, uploadThroughput: -1 });
  }
  return tab;
}

/** Cold: a fresh context per run. Cached: the same context reloaded after a first visit. */
async function run(path) {
  const cold = [];
  const cached = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.createBrowserContext();
    const tab = await newTab(context);
    cold.push(await measure(tab, () => tab.goto(`${origin}${path}`)));
    // Let the first visit finish (config written to localStorage) before the cached visit.
    await tab.waitForNetworkIdle({ idleTime: 50 });
    cached.push(await measure(tab, () => tab.reload()));
    await context.close();
  }
  return { cold: median(cold), cached: median(cached) };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// One warm-up round so neither side pays for the browser's own first-navigation costs.
await run('/floor').catch(() => undefined);

const results = {};
for (const path of Object.keys(pages)) results[path] = await run(path);

await browser.close();
await new Promise((resolve) => server.close(resolve));
await service.close();

const ms = (value) => `${value.toFixed(0)} ms`.padStart(8);
const ratio = (value, base) => `${(value / base).toFixed(2)}×`.padStart(7);
const names = {
  '/floor': 'bare Lit form (floor)',
  '/latch': '<latch-auth>',
  '/latch-preload': '<latch-auth> + config preload',
  '/latch-embedded': '<latch-auth> + embedded config',
};
const floorResult = results['/floor'];
console.log(`First usable input, median of ${RUNS} navigations each (Chromium headless, loopback${LATENCY ? `, +${LATENCY} ms latency per request` : ''}):`);
console.log(`${'page'.padEnd(34)}${'cold'.padStart(8)}${'ratio'.padStart(7)}  ${'cached'.padStart(8)}${'ratio'.padStart(7)}`);
for (const [path, result] of Object.entries(results)) {
  console.log(
    `${names[path].padEnd(34)}${ms(result.cold)}${ratio(result.cold, floorResult.cold)}  ${ms(result.cached)}${ratio(result.cached, floorResult.cached)}`,
  );
}
