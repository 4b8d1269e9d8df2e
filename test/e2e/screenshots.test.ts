/**
 * Whole-page screenshots of the sign-in card as a shopper sees it (the built one-file bundle, the
 * real service), in the light and dark themes, on a desktop and a 320 px phone, empty and with
 * errors. The PNGs go to test-results/screenshots/ (gitignored) for people to look at; the test
 * checks what can be measured: nothing overflows sideways at 320 px, no two controls overlap, every
 * control is at least 44 px tall, and the theme really changes the card.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'puppeteer-core';
import { ADMIN, startBundlePage, type BundlePage } from './bundle-page.js';
import { launch } from './browser.js';
import { measureLayout, type Layout } from './layout.js';

const ADMIN_TOKEN = 'screenshot-e2e-admin-token';
const OUT = new URL('../../test-results/screenshots/', import.meta.url);
const PAGE_BACKGROUND = { light: '#f3f4f6', dark: '#0d1117' };
let site: BundlePage;
let browser: Browser;

before(async () => {
  mkdirSync(OUT, { recursive: true });
  // A page that registered a sign-in adapter for every provider, so their buttons show; it never
  // answers, so a clicked button stays busy for its screenshot.
  site = await startBundlePage(
    `<main><latch-auth></latch-auth></main><script type="module">import { registerSocialAdapter } from '/latch.js';
registerSocialAdapter('*', () => new Promise(() => {}));</script>`,
    { adminToken: ADMIN_TOKEN },
  );
  const response = await fetch(`${site.origin}${ADMIN}/platform/config`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      display: 'Northwind Outfitters',
      subtext: 'Sign in to see your orders and saved addresses',
      forgot_password: true,
      register: true,
      login: { password: true, otp: true },
      social: { google: true, apple: true, facebook: true },
      skip_login: true,
      flash_card: { text: 'Free delivery on orders over $50 this week', text_color: '#FFFFFF', background_color: '#1F2937' },
      look_and_feel: { background_color: '', card_position: 'center' },
    }),
  });
  assert.equal(response.status, 200);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.close();
});

/** The shared layout checks, and the card's background (the theme really changes it). */
async function measure(page: Page): Promise<Layout & { surface: string }> {
  const layout = await measureLayout(page, 'latch-auth');
  const surface = await page.$eval('latch-auth .latch-card', (card) => getComputedStyle(card).backgroundColor);
  return { ...layout, surface };
}

for (const theme of ['light', 'dark'] as const) {
  for (const [device, width] of [['desktop', 1280], ['phone', 320]] as const) {
    test(`sign-in card, ${theme}, ${device}: fits, nothing overlaps, 44 px targets`, async () => {
      const page = await browser.newPage();
      // Only the page's own backdrop colour is injected; the widget's styles are its own.
      await page.setBypassCSP(true);
      // tsx names the helper functions inside measure() with a `__name` call the page does not have.
      await page.evaluateOnNewDocument('globalThis.__name = (fn) => fn');
      await page.setViewport({ width, height: 900, deviceScaleFactor: 1 });
      await page.goto(`${site.origin}/`);
      await page.addStyleTag({ content: `body { margin: 0; background: ${PAGE_BACKGROUND[theme]}; }` });
      await page.evaluate((t) => document.querySelector('latch-auth')!.setAttribute('theme', t), theme);
      await page.locator('::-p-aria(Email)').wait();
      const states: Array<[string, () => Promise<void>]> = [
        ['form', async () => {}],
        ['password-shown', async () => {
          await page.locator('::-p-aria(Password)').fill('correct horse');
          await page.locator('::-p-aria([name="Show password"][role="button"])').click();
          // Pressed shows in forced colours too (an outline: forced colours drop backgrounds).
          // Through the protocol: puppeteer's own helper does not list this media feature.
          const cdp = await page.createCDPSession();
          await cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value: 'active' }] });
          assert.equal(await page.evaluate(() => matchMedia('(forced-colors: active)').matches), true, 'forced colours emulated');
          const outline = await page.$eval('latch-auth .latch-field__toggle', (toggle) => getComputedStyle(toggle).outlineStyle);
          assert.equal(outline, 'solid', 'the pressed toggle has an outline in forced colours');
          await page.screenshot({ path: new URL(`sign-in-password-shown-forced-${theme}-${device}.png`, OUT).pathname, fullPage: true });
          await cdp.send('Emulation.setEmulatedMedia', { features: [] });
          await cdp.detach();
        }],
        ['errors', async () => {
          await page.locator('::-p-aria(Password)').fill('');
          await page.locator('::-p-aria([name="Sign in"][role="button"])').click();
          await page.waitForSelector('latch-auth .latch-field__error');
        }],
        ['code', async () => {
          await page.locator('::-p-aria([name="Sign in with a one-time code"][role="button"])').click();
          await page.locator('::-p-aria(Mobile number)').wait();
        }],
        ['country-picker', async () => {
          await page.locator('::-p-aria(Country code)').click();
          await page.keyboard.type('un');
          await page.waitForSelector('latch-auth [role="listbox"]:not([hidden])');
          await page.keyboard.press('ArrowDown');
        }],
        ['code-sent', async () => {
          await page.keyboard.press('Escape');
          await page.locator('::-p-aria(Mobile number)').fill('9876543210');
          await page.locator('::-p-aria([name="Send code"][role="button"])').click();
          await page.locator('::-p-aria(Code)').wait();
        }],
        ['code-back', async () => {
          await page.locator('::-p-aria([name="Use a different mobile number"][role="button"])').click();
          await page.locator('::-p-aria([name="Sign in with password"][role="button"])').click();
          await page.locator('::-p-aria(Email)').wait();
        }],
        ['provider-busy', async () => {
          await page.locator('::-p-aria([name="Continue with Google"][role="button"])').click();
          await page.waitForSelector('latch-auth .latch-social[aria-busy="true"]');
        }],
      ];
      for (const [state, reach] of states) {
        await reach();
        await page.screenshot({ path: new URL(`sign-in-${state}-${theme}-${device}.png`, OUT).pathname, fullPage: true });
        const layout = await measure(page);
        assert.ok(layout.overflow <= 0, `${state}: the page scrolls sideways by ${layout.overflow}px`);
        assert.deepEqual(layout.overlaps, [], `${state}: controls overlap`);
        assert.deepEqual(layout.small, [], `${state}: controls under 44 px`);
        assert.equal(layout.surface, theme === 'dark' ? 'rgb(22, 27, 34)' : 'rgb(255, 255, 255)');
      }
      await page.close();
    });
  }
}

test('the loading skeleton has the card\'s size: the form takes its place without a shift', async () => {
  // A plain store: a one-line title, email, password, the button (the shape the skeleton draws;
  // a longer title or more options make the real card taller than the skeleton).
  const response = await fetch(`${site.origin}${ADMIN}/platform/config`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      display: 'Northwind',
      subtext: '',
      forgot_password: false,
      register: false,
      skip_login: false,
      login: { password: true, otp: false },
      social: { google: false, apple: false, facebook: false },
      flash_card: { text: '' },
    }),
  });
  assert.equal(response.status, 200, await response.text());
  for (const [theme, device, width] of [['light', 'desktop', 1280], ['dark', 'phone', 320]] as const) {
    // A fresh profile: no config cached by the tests above.
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setBypassCSP(true);
    await page.setViewport({ width, height: 900, deviceScaleFactor: 1 });
    // The config waits until the skeleton has been measured (no cached config: a first visit).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      if (request.url().includes('/platform/v1.0/config')) void held.then(() => request.continue());
      else void request.continue();
    });
    await page.goto(`${site.origin}/`);
    await page.addStyleTag({ content: `body { margin: 0; background: ${PAGE_BACKGROUND[theme]}; }` });
    await page.evaluate((t) => document.querySelector('latch-auth')!.setAttribute('theme', t), theme);
    await page.waitForSelector('latch-auth .latch-skeleton');
    const card = () => page.evaluate(() => JSON.stringify(document.querySelector('latch-auth .latch-card')!.getBoundingClientRect()));
    const skeleton = JSON.parse(await card()) as DOMRect;
    await page.screenshot({ path: new URL(`sign-in-skeleton-${theme}-${device}.png`, OUT).pathname, fullPage: true });
    release();
    await page.locator('::-p-aria(Email)').wait();
    const form = JSON.parse(await card()) as DOMRect;
    await page.screenshot({ path: new URL(`sign-in-plain-${theme}-${device}.png`, OUT).pathname, fullPage: true });
    for (const side of ['x', 'y', 'width', 'height'] as const) {
      assert.ok(Math.abs(skeleton[side] - form[side]) <= 1, `${device}: card ${side} ${skeleton[side]} (skeleton) vs ${form[side]} (form)`);
    }
    // The next visit has the config cached: the real form, with no skeleton, while the config is still held.
    const again = await context.newPage();
    await again.setRequestInterception(true);
    again.on('request', (request) => {
      if (!request.url().includes('/platform/v1.0/config')) void request.continue();
    });
    await again.goto(`${site.origin}/`);
    await again.locator('::-p-aria(Email)').wait();
    assert.equal(await again.$('latch-auth .latch-skeleton'), null);
    await context.close();
  }
});
