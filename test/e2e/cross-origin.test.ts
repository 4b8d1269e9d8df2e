/**
 * A storefront and its user service on different origins, in real Chromium: a refusal by CORS or
 * by the service's cross-site guard fires a `latch-error` that names the setting to fix and shows
 * the shopper a set-up message, while a service that is really down still reads as a connection
 * problem. The same-site recipe of the README (ALLOWED_ORIGINS) signs a shopper in.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'puppeteer-core';
import { launch } from './browser.js';
import { DEMO_USER, startPages, startService, storefront, type PageHost, type ServiceHost } from './two-origins.js';

let browser: Browser;
let pages: PageHost;
const hosts: ServiceHost[] = [];

interface ErrorDetail {
  action: string;
  kind: string;
  status: number;
  code?: string;
  message: string;
}

before(async () => {
  // Each service port is known only once it listens, so the page takes its api-base from the query.
  pages = await startPages({
    '/': (query) => storefront(`<main><latch-auth api-base="${encodeURI(query.get('api') ?? '')}"></latch-auth></main>`),
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await pages?.close();
  await Promise.all(hosts.map((host) => host.close()));
});

async function service(allowedOrigins: string[] = []): Promise<ServiceHost> {
  const host = await startService({ allowedOrigins });
  hosts.push(host);
  return host;
}

/** Opens the storefront at `pageHost` with its widget pointed at `apiBase`, recording every latch-error. */
async function open(pageHost: 'localhost' | '127.0.0.1', apiBase: string): Promise<Page> {
  const page = await (await browser.createBrowserContext()).newPage();
  await page.evaluateOnNewDocument(() => {
    const errors: unknown[] = [];
    Object.assign(window, { latchErrors: errors });
    document.addEventListener('latch-error', (event) => errors.push((event as CustomEvent).detail));
  });
  await page.goto(`http://${pageHost}:${pages.port}/?api=${encodeURIComponent(apiBase)}`);
  return page;
}

const errors = (page: Page) => page.evaluate(() => (window as unknown as { latchErrors: ErrorDetail[] }).latchErrors);
const widgetText = (page: Page) => page.$eval('latch-auth', (el) => el.textContent ?? '');

async function firstError(page: Page): Promise<ErrorDetail> {
  await page.waitForFunction(() => (window as unknown as { latchErrors: unknown[] }).latchErrors.length > 0, { timeout: 15_000 });
  return (await errors(page))[0]!;
}

test('a service that does not allow the storefront origin: a cors latch-error naming ALLOWED_ORIGINS, a set-up message', async () => {
  const host = await service();
  const page = await open('localhost', `http://localhost:${host.port}`);
  const error = await firstError(page);
  assert.equal(error.action, 'config');
  assert.equal(error.kind, 'cors');
  assert.match(error.message, /ALLOWED_ORIGINS/);
  assert.match(error.message, new RegExp(`http://localhost:${pages.port}`));
  await page.waitForFunction(() => document.querySelector('latch-auth')?.textContent?.includes('not set up for this website'));
  assert.doesNotMatch(await widgetText(page), /connection/i);
  // The service did answer: the browser withheld it (the config GET, and the probe that proved it reachable).
  assert.ok(host.requests.filter((r) => r.endsWith('/platform/v1.0/config')).length >= 2);
  await page.browserContext().close();
});

test('a service that is down still reads as a connection problem', async () => {
  const host = await service();
  const port = host.port;
  await host.close();
  hosts.splice(hosts.indexOf(host), 1);
  const page = await open('localhost', `http://localhost:${port}`);
  const error = await firstError(page);
  assert.equal(error.kind, 'network');
  await page.waitForFunction(() => document.querySelector('latch-auth')?.textContent?.includes('Check your connection'));
  await page.browserContext().close();
});

test('the same-site recipe: the storefront origin in ALLOWED_ORIGINS, and the shopper signs in with the service on another origin', async () => {
  const host = await service([`http://localhost:${pages.port}`]);
  const page = await open('localhost', `http://localhost:${host.port}`);
  await page.locator('::-p-aria(Email)').fill(DEMO_USER.email);
  await page.locator('::-p-aria(Password)').fill(DEMO_USER.password);
  await page.locator('::-p-aria([name="Sign in"][role="button"])').click();
  await page.waitForFunction(() => document.querySelector('latch-auth')?.textContent?.includes('You are signed in'));
  assert.deepEqual(await errors(page), []);
  await page.browserContext().close();
});

test('a storefront on another site: the service refuses the sign-in, a cross-site latch-error explains the same-site rule', async () => {
  // Allowed by CORS, so the config loads and the refusal is the service's own 403 CROSS_SITE_REQUEST.
  const host = await service([`http://127.0.0.1:${pages.port}`]);
  const page = await open('127.0.0.1', `http://localhost:${host.port}`);
  await page.locator('::-p-aria(Email)').fill(DEMO_USER.email);
  await page.locator('::-p-aria(Password)').fill(DEMO_USER.password);
  await page.locator('::-p-aria([name="Sign in"][role="button"])').click();
  const error = await firstError(page);
  assert.equal(error.kind, 'cross-site');
  assert.equal(error.status, 403);
  assert.equal(error.code, 'CROSS_SITE_REQUEST');
  assert.match(error.message, /same site/);
  assert.match(error.message, /ALLOWED_ORIGINS/);
  await page.waitForFunction(() => document.querySelector('latch-auth')?.textContent?.includes('not set up for this website'));
  // What the shopper typed stays.
  assert.equal(await page.$eval('latch-auth input[type="email"], latch-auth input[autocomplete~="username"]', (el) => (el as HTMLInputElement).value), DEMO_USER.email);
  await page.browserContext().close();
});
