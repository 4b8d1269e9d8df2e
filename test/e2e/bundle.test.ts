/**
 * The one-file package (dist/cdn/latch.js: every element, the sign-in steps imported statically,
 * internal member names shortened) under the strict CSP: a newcomer creates an account through
 * `<latch-auth>`'s registration and code steps, then deletes it with `<latch-delete-account>`, by
 * labels and roles, with codes read from the service's dev outbox. The browser reports no CSP
 * violation and no error.
 */
import { latestCode } from './outbox.js';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'puppeteer-core';
import { ADMIN, startBundlePage, type BundlePage } from './bundle-page.js';
import { launch } from './browser.js';

const ADMIN_TOKEN = 'bundle-e2e-admin-token';
const newcomer = { email: 'one-file@example.com', password: 'one-file-bundle-shopper' };
let site: BundlePage;
let browser: Browser;
let origin: string;

before(async () => {
  site = await startBundlePage(
    '<main><latch-provider><latch-auth></latch-auth><latch-delete-account></latch-delete-account></latch-provider></main>',
    { adminToken: ADMIN_TOKEN },
  );
  origin = site.origin;
  const config = await fetch(`${origin}${ADMIN}/platform/config`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ register: true }),
  });
  assert.equal(config.status, 200);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.close();
});

const textOf = (page: Page, selector: string) => page.$eval(selector, (el) => el.textContent ?? '');

test('the one-file package: a newcomer registers with a code, then deletes the account, under the strict CSP', async () => {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${(error as Error).message}`));
  page.on('console', (message) => {
    // No session yet: the session check answers 401, as the contract says; Chrome logs that.
    if (message.type() === 'error' && !message.text().includes('status of 401')) problems.push(`console: ${message.text()}`);
  });
  await page.evaluateOnNewDocument(() => {
    (window as unknown as { violations: string[] }).violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { violations: string[] }).violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await page.goto(`${origin}/`);

  // Registration, then its code step: steps that load on demand in the sign-in bundle.
  await page.locator('::-p-aria([name="Create account"][role="button"])').click();
  await page.locator('::-p-aria(First name)').fill('One');
  await page.locator('::-p-aria(Email)').fill(newcomer.email);
  await page.locator('::-p-aria(New password)').fill(newcomer.password);
  // The form's own button now (the link that opened it is gone).
  await page.locator('latch-auth form button[type=submit]::-p-text(Create account)').click();
  // The address in the heading is isolated left to right (U+2066 … U+2069), as every shown address is.
  await page.locator(`::-p-aria([name="Enter the code sent to \u2066${newcomer.email}\u2069"][role="heading"])`).wait();
  // A code at its full length sends itself: no Verify click.
  await page.locator('latch-auth input[autocomplete="one-time-code"]').fill(await latestCode(origin, newcomer.email));
  await page.waitForFunction(() => document.querySelector('latch-auth')?.textContent?.includes('You are signed in as One'), { timeout: 5000 });

  // Deletion, in the element beside it (one store through the provider): reason, a fresh code, the final confirmation.
  const inDeletion = (selector: string) => page.locator(`latch-delete-account ${selector}`);
  await inDeletion('button::-p-text(Continue)').click();
  await inDeletion('label::-p-text(I no longer use this account)').click();
  await inDeletion('button::-p-text(Continue)').click();
  await inDeletion('button::-p-text(Send code)').click();
  // The code step shows once the service answered the send, so its code is in the outbox by then.
  await inDeletion('input[autocomplete="one-time-code"]').wait();
  // The code at its full length moves on by itself (no Continue click) to the final confirmation.
  await inDeletion('input[autocomplete="one-time-code"]').fill(await latestCode(origin, newcomer.email));
  await page.locator('::-p-aria([name="Delete your account?"][role="heading"])').wait();
  await inDeletion('button::-p-text(Delete my account)').click();
  await page.locator('::-p-aria([name="Your account is scheduled for deletion"][role="heading"])').wait();
  // The sign-in element on the same store follows: the shopper is signed out there too.
  await page.locator('::-p-aria(Password)').wait();
  assert.match(await textOf(page, 'latch-delete-account'), /deleted for good on/);

  const violations = await page.evaluate(() => (window as unknown as { violations: string[] }).violations);
  assert.deepEqual(violations, []);
  assert.deepEqual(problems, []);
  await page.close();
});
