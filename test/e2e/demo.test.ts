/**
 * The demo as a newcomer meets it after `npm start`: the Vite dev server with the reference service
 * inside, the demo shopper's credentials read off the page, sign-in and sign-out by labels and roles,
 * and a config change through the admin endpoint that the widget follows without a code change.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type ViteDevServer } from 'vite';
import type { Browser, Page } from 'puppeteer-core';
import { launch } from './browser.js';

const ADMIN_TOKEN = 'demo-e2e-admin-token';
let server: ViteDevServer;
let browser: Browser;
let origin: string;

before(async () => {
  Object.assign(process.env, { DATABASE: ':memory:', ADMIN_TOKEN });
  server = await createServer({ logLevel: 'silent', server: { port: 0, host: 'localhost' } });
  await server.listen();
  const address = server.httpServer!.address();
  origin = `http://localhost:${typeof address === 'object' && address ? address.port : 0}`;
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
    body: JSON.stringify({ login: { password: false } }),
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
