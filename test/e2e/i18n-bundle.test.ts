/**
 * Languages in the built script-tag bundles (the sign-in bundle, and the one-file package whose
 * catalogs are still chunks of their own) under the strict CSP: an English page
 * fetches no catalog; switching `<html lang>` to Hindi fetches the Hindi chunk alone (counted at the
 * server) and the widget re-renders in Hindi; a store adds an eleventh language through the
 * bundle's own `registerMessages` export, which fetches nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'puppeteer-core';
import { startBundlePage, type BundlePage } from './bundle-page.js';
import { launch } from './browser.js';

let browser: Browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

const buttonNamed = (page: Page, name: string) =>
  page.waitForFunction((text) => [...document.querySelectorAll('latch-auth button')].some((b) => b.textContent?.trim() === text), { timeout: 10_000 }, name);

for (const entry of ['auth', 'all'] as const) {
  test(`${entry === 'auth' ? 'the sign-in bundle' : 'the one-file package'} downloads a catalog only for the language in use, and takes a store language`, async () => {
    const site = await startBundlePage('<main><latch-auth></latch-auth></main>', { adminToken: 'i18n-bundle-admin-token' }, entry);
    try {
      await languages(site);
    } finally {
      await site.close();
    }
  });
}

async function languages(site: BundlePage): Promise<void> {
  const catalogs = () => site.fetched.filter((path) => path.startsWith('/latch-lang-'));
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${(error as Error).message}`));
  await page.goto(`${site.origin}/`);
  await buttonNamed(page, 'Sign in');
  assert.deepEqual(catalogs(), [], 'an English page fetches no catalog');

  await page.evaluate(() => document.documentElement.setAttribute('lang', 'hi'));
  await buttonNamed(page, 'साइन इन करें');
  assert.equal(catalogs().length, 1, 'one catalog fetched');
  assert.match(catalogs()[0]!, /^\/latch-lang-hi-/, 'and it is the Hindi one');

  const fetchedBefore = site.fetched.length;
  await page.evaluate(async () => {
    // What a store's <script type="module"> does: import the bundle it already loaded.
    const { registerMessages } = (await import('/latch.js' as string)) as typeof import('../../src/cdn-auth.js');
    registerMessages('sw', { 'auth.signIn': 'Ingia' });
    document.documentElement.setAttribute('lang', 'sw');
  });
  await buttonNamed(page, 'Ingia');
  assert.equal(site.fetched.length, fetchedBefore, 'the store language fetched nothing');
  assert.deepEqual(problems, []);
  await page.close();
}
