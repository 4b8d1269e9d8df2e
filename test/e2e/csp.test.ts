/**
 * The built sign-in bundle (its entry, and the steps chunk it loads on demand) on a page with the strictest policy the checklist names (no inline
 * script or style, Trusted Types enforced): a shopper signs in and out by labels and roles, and the
 * browser reports no CSP violation and no error.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'puppeteer-core';
import { ADMIN, startBundlePage, type BundlePage } from './bundle-page.js';
import { launch } from './browser.js';

const demoUser = { email: 'csp@example.com', password: 'strict-policy-shopper' };
let site: BundlePage;
let browser: Browser;
let origin: string;

before(async () => {
  site = await startBundlePage('<main><latch-auth></latch-auth></main>', { adminToken: 'csp-admin-token', demoUser }, 'auth');
  origin = site.origin;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.close();
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
  const config = await fetch(`${origin}${ADMIN}/platform/config`, {
    method: 'POST',
    headers: { authorization: 'Bearer csp-admin-token', 'content-type': 'application/json' },
    body: JSON.stringify({ register: true }),
  });
  assert.equal(config.status, 200);
  await page.reload();
  await page.locator('::-p-aria([name="Create account"][role="button"])').click();
  await page.locator('::-p-aria(First name)').wait();
  assert.ok(site.fetched.some((path) => path !== '/latch.js'), `the steps chunk was loaded: ${site.fetched.join(', ')}`);

  // A page without a bundler plugs in adapters and translations through the bundle's exports.
  // (The sign-in bundle's entry also exports, under short names, what its steps chunk imports.)
  const exported = await page.evaluate(async () => Object.keys(await import(`${location.origin}/latch.js`)));
  for (const name of ['LatchClient', 'registerCaptchaProvider', 'registerMessages', 'registerSocialAdapter']) {
    assert.ok(exported.includes(name), `latch.js exports ${name}`);
  }

  const violations = await page.evaluate(() => (window as unknown as { violations: string[] }).violations);
  assert.deepEqual(violations, []);
  assert.deepEqual(problems, []);
  await page.close();
});
