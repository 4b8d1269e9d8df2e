/**
 * The built one-file bundle on a page with the strictest policy the checklist names (no inline
 * script or style, Trusted Types enforced): a shopper signs in and out by labels and roles, and the
 * browser reports no CSP violation and no error.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { build } from 'vite';
import type { Browser } from 'puppeteer-core';
import { createService, type Service } from '../../src/server/app.js';
import { launch } from './browser.js';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types lit-html',
].join('; ');

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CSP store</title>
<script type="module" src="/latch.js"></script></head><body><main><latch-auth></latch-auth></main></body></html>`;

const demoUser = { email: 'csp@example.com', password: 'strict-policy-shopper' };
let service: Service;
let server: Server;
let browser: Browser;
let origin: string;

before(async () => {
  const outDir = mkdtempSync(join(tmpdir(), 'latch-csp-'));
  await build({ mode: 'cdn', logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  // The entry and the chunks it loads (on-demand steps), served from the build's folder.
  const files = new Map(readdirSync(outDir).map((name) => [`/${name}`, readFileSync(join(outDir, name))]));
  service = createService({
    database: ':memory:',
    companyId: '1',
    applicationId: '000000000000000000000001',
    adminToken: 'csp-admin-token',
    dev: true,
    demoUser,
    passwordParams: { N: 1024, r: 8, p: 1 },
    log: () => {},
  });
  await service.ready;
  const api = getRequestListener(service.app.fetch, { overrideGlobalObjects: false });
  server = createServer((req, res) => {
    if (req.url?.startsWith('/service/')) return void api(req, res);
    const script = files.get(req.url ?? '');
    res.writeHead(200, {
      'content-type': script ? 'text/javascript' : 'text/html; charset=utf-8',
      'content-security-policy': CSP,
    });
    res.end(script ?? PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://localhost:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  service?.close();
});

test('signs in and out, and opens an on-demand step, under a strict CSP with Trusted Types, with no violation', async () => {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${(error as Error).message}`));
  page.on('console', (message) => {
    // The session check answers 401 when nobody is signed in, as the contract says; Chrome logs that.
    const expected401 = message.text().includes('status of 401') && message.location().url?.endsWith('/authentication/v1.0/session');
    if (message.type() === 'error' && !expected401) problems.push(`console: ${message.text()} ${message.location().url}`);
  });
  // Registered through the DevTools protocol, so the listener itself is not subject to the CSP.
  await page.evaluateOnNewDocument(() => {
    (window as unknown as { violations: string[] }).violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { violations: string[] }).violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await page.goto(`${origin}/`);

  await page.locator('::-p-aria(Email)').fill(demoUser.email);
  await page.locator('::-p-aria(Password)').fill(demoUser.password);
  await page.locator('::-p-aria([name="Sign in"][role="button"])').click();
  await page.waitForFunction(() => document.body.textContent?.includes('You are signed in'), { timeout: 5000 });
  await page.locator('::-p-aria([name="Sign out"][role="button"])').click();
  await page.locator('::-p-aria(Email)').wait();

  // An on-demand step (its own chunk) loads and renders under the same policy.
  const config = await fetch(`${origin}/service/platform/user/v1.0/company/1/application/000000000000000000000001/platform/config`, {
    method: 'POST',
    headers: { authorization: 'Bearer csp-admin-token', 'content-type': 'application/json' },
    body: JSON.stringify({ register: true }),
  });
  assert.equal(config.status, 200);
  await page.reload();
  await page.locator('::-p-aria([name="Create account"][role="button"])').click();
  await page.locator('::-p-aria(First name)').wait();

  const violations = await page.evaluate(() => (window as unknown as { violations: string[] }).violations);
  assert.deepEqual(violations, []);
  assert.deepEqual(problems, []);
  await page.close();
});
