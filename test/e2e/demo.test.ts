/**
 * The demo as a newcomer meets it after `npm start`: the Vite dev server with the reference service
 * inside, the demo shopper's credentials read off the page, sign-in and sign-out by labels and roles,
 * and a config change through the admin endpoint that the widget follows without a code change.
 */
import { latestCode } from './outbox.js';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ViteDevServer } from 'vite';
import { startDemoServer } from './demo-server.js';
import type { Browser, Page } from 'puppeteer-core';
import { launch } from './browser.js';

// At least 32 characters: the service refuses shorter admin tokens.
const ADMIN_TOKEN = 'demo-e2e-admin-token-of-enough-length';
let server: ViteDevServer;
let browser: Browser;
let origin: string;

before(async () => {
  ({ server, origin } = await startDemoServer(ADMIN_TOKEN));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const text = (page: Page, selector: string) => page.$eval(selector, (el) => el.textContent?.trim() ?? '');

test('a newcomer signs in as the demo shopper and signs out', async () => {
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => document.getElementById('demo-password')?.textContent !== '…');
  const email = await text(page, '#demo-email');
  const password = await text(page, '#demo-password');
  assert.equal(email, 'shopper@example.com');

  await page.locator('::-p-aria(Email)').fill(email);
  await page.locator('::-p-aria(Password)').fill(password);
  await page.locator('::-p-aria([name="Sign in"][role="button"])').click();
  await page.waitForFunction(() => document.querySelector('latch-auth')?.textContent?.includes('You are signed in'));
  assert.match(await text(page, '#event-log'), /latch-login: shopper@example.com/);

  await page.locator('::-p-aria([name="Sign out"][role="button"])').click();
  await page.locator('::-p-aria(Email)').wait();
  assert.match(await text(page, '#event-log'), /latch-logout/);
  await page.close();
});

test('the widget follows a config flipped through the admin endpoint', async () => {
  const info = (await (await fetch(`${origin}/__dev/info`)).json()) as { admin_base: string };
  const response = await fetch(`${origin}${info.admin_base}/platform/config`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ display: 'Flipped by the admin', flash_card: { text: 'Sale today' } }),
  });
  assert.equal(response.status, 200);

  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  await page.locator('::-p-aria([name="Flipped by the admin"][role="heading"])').wait();
  assert.equal(await text(page, '.latch-flash'), 'Sale today');

  const off = await fetch(`${origin}${info.admin_base}/platform/config`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    // Every sign-in method off (the demo starts with codes, social sign-in and guest checkout on).
    body: JSON.stringify({ login: { password: false, otp: false }, social: { google: false, apple: false, facebook: false }, skip_login: false }),
  });
  assert.equal(off.status, 200);
  await page.reload();
  await page.waitForFunction(() => document.querySelector('latch-auth')?.textContent?.includes('No sign-in method'));
  assert.equal(await page.$('input[type="password"]'), null);
  await page.close();
});

test('the dev outbox panel shows what the service sent', async () => {
  const info = (await (await fetch(`${origin}/__dev/info`)).json()) as { admin_base: string };
  const flip = await fetch(`${origin}${info.admin_base}/platform/config`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ login: { password: true }, forgot_password: true }),
  });
  assert.equal(flip.status, 200);
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  await page.locator('::-p-aria([name="Forgot password?"][role="button"])').click();
  await page.locator('::-p-aria([name="Send reset link"][role="button"])').wait();
  await page.locator('::-p-aria(Email)').fill('shopper@example.com');
  await page.locator('::-p-aria([name="Send reset link"][role="button"])').click();
  await page.waitForFunction(() => document.getElementById('outbox')?.textContent?.includes('EMAIL to shopper@example.com'), {
    timeout: 8000,
  });
  assert.match(await text(page, '#outbox'), /code=/);
  await page.close();
});

test('on the account page a newcomer deletes the account, is locked out, and is restored by the admin', async () => {
  const info = (await (await fetch(`${origin}/__dev/info`)).json()) as { admin_base: string; demo_user: { email: string; password: string } };
  const { email, password } = info.demo_user;
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${origin}${info.admin_base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    });
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.goto(`${origin}/account.html`);
  await page.locator('::-p-aria(Email)').fill(email);
  await page.locator('::-p-aria(Password)').fill(password);
  await page.locator('::-p-aria([name="Sign in"][role="button"])').click();
  await page.locator('::-p-aria([name="Delete my account"][role="button"])').click();

  // Inside the deletion element only: the account page has buttons of the same names (its own "Send code").
  const inDeletion = (selector: string) => page.locator(`latch-delete-account ${selector}`);
  await inDeletion('button::-p-text(Continue)').click();
  await inDeletion('label::-p-text(I no longer use this account)').click();
  await inDeletion('button::-p-text(Continue)').click();
  await inDeletion('button::-p-text(Send code)').click();
  // The code step shows once the service answered the send, so its code is in the outbox by then.
  await inDeletion('input[autocomplete="one-time-code"]').wait();
  const code = await latestCode(origin, email);
  // The code at its full length moves on by itself (no Continue click) to the final, separate confirmation.
  await inDeletion('input[autocomplete="one-time-code"]').fill(code);
  await page.locator('::-p-aria([name="Delete your account?"][role="heading"])').wait();
  await inDeletion('button::-p-text(Delete my account)').click();
  // The host page hears about it (the demo logs every widget event).
  await page.waitForFunction(() => document.getElementById('event-log')?.textContent?.includes('latch-account-deleted'));

  // Signing in again meets the locked view.
  const again = await context.newPage();
  await again.goto(`${origin}/`);
  await again.locator('::-p-aria(Email)').fill(email);
  await again.locator('::-p-aria(Password)').fill(password);
  await again.locator('::-p-aria([name="Sign in"][role="button"])').click();
  await again.locator('::-p-aria([name="Your account is locked"][role="heading"])').wait();

  // The admin restores it within the grace period; signing in works again.
  const found = (await (await admin(`/customers/search?q=${encodeURIComponent(email)}`)).json()) as { users: Array<{ _id: string }> };
  const restored = await admin('/customers/undelete', {
    method: 'PUT',
    body: JSON.stringify({ user_id: found.users[0]._id, reason: 'asked to restore', reason_id: 'support' }),
  });
  assert.equal(restored.status, 200);
  await again.locator('::-p-aria([name="Back to sign in"][role="button"])').click();
  await again.locator('::-p-aria(Password)').fill(password);
  await again.locator('::-p-aria([name="Sign in"][role="button"])').click();
  await again.waitForFunction(() => document.querySelector('latch-auth')?.textContent?.includes('You are signed in'));
  await context.close();
});

/** Every node of `role` in the page's accessibility tree, as a screen reader's lists show them. */
async function axList(page: Page, role: string): Promise<{ name: string; level?: number }[]> {
  type Node = { role: string; name?: string; level?: number; children?: Node[] };
  const found: { name: string; level?: number }[] = [];
  const walk = (node: Node | null) => {
    if (!node) return;
    if (node.role === role) found.push({ name: node.name ?? '', ...(node.level ? { level: node.level } : {}) });
    for (const child of node.children ?? []) walk(child);
  };
  walk((await page.accessibility.snapshot()) as Node | null);
  return found;
}

test('each demo page has one level-1 heading and regions a screen reader can tell apart', async () => {
  // A context of its own: it signs in, and the tests after it start signed out.
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  await page.locator('::-p-aria([name="Sign in"][role="button"])').wait();
  assert.deepEqual((await axList(page, 'heading')).filter((h) => h.level === 1), [{ name: 'Sign in', level: 1 }]);
  // The widget's region is named for what it is on this page, not after the nav link to another page.
  const regions = (await axList(page, 'region')).map((r) => r.name);
  assert.ok(regions.includes('Sign in'), regions.join(', '));
  assert.ok(!regions.includes('Your account'), regions.join(', '));

  await page.goto(`${origin}/account.html`);
  await page.locator('::-p-aria([name="Sign in"][role="button"])').wait();
  assert.deepEqual((await axList(page, 'heading')).filter((h) => h.level === 1), [{ name: 'Account settings', level: 1 }]);
  const { demo_user } = (await (await fetch(`${origin}/__dev/info`)).json()) as { demo_user: { email: string; password: string } };
  await page.locator('::-p-aria(Email)').fill(demo_user.email);
  await page.locator('::-p-aria(Password)').fill(demo_user.password);
  await page.locator('::-p-aria([name="Sign in"][role="button"])').click();
  await page.locator('::-p-aria([name="Profile"][role="heading"])').wait();
  const names = (await axList(page, 'region')).map((r) => r.name);
  assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), [], `regions named twice: ${names.join(', ')}`);
  await context.close();
});

test('the dev outbox announces a new message alone, and guest checkout says what happened', async () => {
  const info = (await (await fetch(`${origin}/__dev/info`)).json()) as { admin_base: string };
  const flip = await fetch(`${origin}${info.admin_base}/platform/config`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ login: { password: true }, forgot_password: true, skip_login: true }),
  });
  assert.equal(flip.status, 200);
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  const shown = () => page.$$eval('#outbox > li', (items) => items.length);
  const reset = async () => {
    const before = await shown();
    await page.locator('::-p-aria([name="Forgot password?"][role="button"])').click();
    await page.locator('::-p-aria(Email)').fill('shopper@example.com');
    await page.locator('::-p-aria([name="Send reset link"][role="button"])').click();
    await page.waitForFunction((n) => document.querySelectorAll('#outbox > li').length > n, { timeout: 8000 }, before);
    await page.locator('::-p-aria([name="Back to sign in"][role="button"])').click();
  };
  await reset();
  // The list is a polite live region: what a screen reader reads is what gets added to it.
  await page.evaluate(() => {
    const added: string[] = [];
    (window as unknown as { added: string[] }).added = added;
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) added.push(n.textContent ?? '');
    }).observe(document.getElementById('outbox')!, { childList: true, subtree: true });
  });
  await reset();
  const added = await page.evaluate(() => (window as unknown as { added: string[] }).added);
  assert.equal(added.length, 1, `one message added, the older ones left alone: ${added.join(' | ')}`);
  assert.match(added[0], /^EMAIL to shopper@example.com/);

  await page.locator('::-p-aria([name="Continue as guest"][role="button"])').click();
  await page.waitForFunction(() => document.getElementById('greeting')?.textContent !== 'Hello, guest');
  assert.equal(await text(page, '#greeting'), 'Checking out as a guest');
  const said = await page.$$eval('[role="status"]', (all) => all.map((el) => el.textContent?.trim()));
  assert.ok(said.includes('Checking out as a guest'), `a status says it: ${said.join(' | ')}`);
  await page.close();
});
