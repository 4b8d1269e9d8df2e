/**
 * First input, fast: the config can download beside the script through a `<link rel="preload">`
 * (and the widget then uses that download: ONE config request reaches the service), or come
 * embedded in the page (`config-script`): no config request at all, checked like a fetched one.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'puppeteer-core';
import { launch } from './browser.js';
import { startPages, startService, storefront, type PageHost, type ServiceHost } from './two-origins.js';

const CONFIG = '/service/application/user/platform/v1.0/config';
let browser: Browser;
/** Pages whose widget talks to a service on another origin (given in the query). */
let pages: PageHost;
/** Pages served together with the service, on one origin. */
let ownOrigin: { host: ServiceHost; pages: PageHost };

/** The documented preload: `as="fetch"`, and `crossorigin="use-credentials"` because the widget sends cookies. */
const preload = (base: string) => `<link rel="preload" as="fetch" crossorigin="use-credentials" href="${base}${CONFIG}">`;

const embedded = (json: string) => `<script type="application/json" id="store-config">${json}</script>`;

before(async () => {
  browser = await launch();
  pages = await startPages({
    // The service on another origin of the same site, as the README's ALLOWED_ORIGINS recipe sets it up.
    '/preload': (query) => {
      const base = query.get('api') ?? '';
      return storefront(`<latch-auth api-base="${encodeURI(base)}"></latch-auth>`, preload(base));
    },
  });
  const ownHost = await startService();
  ownOrigin = {
    host: ownHost,
    pages: await startPages(
    {
      '/preload': storefront('<latch-auth></latch-auth>', preload('')),
      '/embedded': storefront(
        '<latch-auth config-script="store-config"></latch-auth>',
        // `null` reads as absent, as in a fetched config.
        embedded(JSON.stringify({ active: true, display: 'Embedded store', login: { password: true }, mobile_image: null })),
      ),
      '/embedded-invalid': storefront('<latch-auth config-script="store-config"></latch-auth>', embedded('{"login": {"password": "yes"}}')),
      '/embedded-missing': storefront('<latch-auth config-script="no-such-script"></latch-auth>'),
    },
    ownHost,
    ),
  };
});

after(async () => {
  await browser?.close();
  await Promise.all([pages?.close(), ownOrigin?.pages.close(), ownOrigin?.host.close()]);
});

async function open(url: string): Promise<Page> {
  const page = await (await browser.createBrowserContext()).newPage();
  await page.evaluateOnNewDocument(() => {
    const errors: unknown[] = [];
    Object.assign(window, { latchErrors: errors });
    document.addEventListener('latch-error', (event) => errors.push((event as CustomEvent).detail));
  });
  await page.goto(url);
  return page;
}

const configRequests = (service: ServiceHost) => service.requests.filter((r) => r === `GET ${CONFIG}`).length;
const sessionRequests = (service: ServiceHost) => service.requests.filter((r) => r.endsWith('/authentication/v1.0/session')).length;

test('a preloaded config on the page origin is the one the widget uses: one config request', async () => {
  const service = ownOrigin.host;
  service.requests.length = 0;
  const page = await open(`http://localhost:${ownOrigin.pages.port}/preload`);
  await page.locator('::-p-aria(Password)').wait();
  // The session check comes after the config: once it has arrived, the config request was made.
  await page.waitForFunction(() => !document.querySelector('latch-auth')?.textContent?.includes('Loading'));
  assert.equal(configRequests(service), 1);
  assert.ok(sessionRequests(service) >= 1);
  await page.browserContext().close();
});

test('a preloaded config from the service on another origin of the same site: one config request', async () => {
  const pagesOrigin = `http://localhost:${pages.port}`;
  const service = await startService({ allowedOrigins: [pagesOrigin] });
  try {
    const page = await open(`${pagesOrigin}/preload?api=${encodeURIComponent(`http://localhost:${service.port}`)}`);
    await page.locator('::-p-aria(Password)').wait();
    await page.waitForFunction(() => !document.querySelector('latch-auth')?.textContent?.includes('Loading'));
    assert.equal(configRequests(service), 1);
    assert.ok(sessionRequests(service) >= 1);
    await page.browserContext().close();
  } finally {
    await service.close();
  }
});

test('a config embedded in the page renders the form without any config request', async () => {
  const service = ownOrigin.host;
  service.requests.length = 0;
  const page = await open(`http://localhost:${ownOrigin.pages.port}/embedded`);
  await page.locator('::-p-aria([name="Embedded store"][role="heading"])').wait();
  await page.locator('::-p-aria(Password)').wait();
  // The session check proves the service was in use; the config never was asked for.
  await page.waitForFunction(() => !document.querySelector('latch-auth')?.textContent?.includes('Loading'));
  assert.ok(sessionRequests(service) >= 1);
  assert.equal(configRequests(service), 0);
  await page.browserContext().close();
});

for (const [path, what] of [
  ['/embedded-invalid', 'an embedded config that fails the schema'],
  ['/embedded-missing', 'a config-script naming no script on the page'],
] as const) {
  test(`${what}: a config latch-error and a set-up message, no fetch behind the page's back`, async () => {
    const service = ownOrigin.host;
    service.requests.length = 0;
    const page = await open(`http://localhost:${ownOrigin.pages.port}${path}`);
    await page.waitForFunction(() => document.querySelector('latch-auth')?.textContent?.includes('not set up correctly'));
    const errors = await page.evaluate(() => (window as unknown as { latchErrors: Array<{ kind: string; action: string }> }).latchErrors);
    assert.deepEqual(errors.map((e) => [e.action, e.kind]), [['config', 'config']]);
    assert.equal(configRequests(service), 0);
    await page.browserContext().close();
  });
}
