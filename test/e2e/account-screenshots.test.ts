/**
 * Whole-page screenshots of `<latch-account>` and `<latch-delete-account>` as a shopper sees them
 * (the built one-file bundle, the real service), in the light and dark themes, on a desktop and a
 * 320 px phone: signed out, the signed-in page with contacts, devices and preferences, its messages,
 * adding a phone, a new contact's code, every step of deleting the account inside the page and on its own, and the
 * deletion-scheduled view. The PNGs go to test-results/screenshots/ (gitignored) for people to look
 * at; the test checks what can be measured: nothing scrolls sideways, no two controls overlap,
 * every control is at least 44 px tall, each section has at most one filled (primary) button, and
 * the theme really changes the card.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { ADMIN, startBundlePage, type BundlePage } from './bundle-page.js';
import { launch } from './browser.js';
import { measureLayout } from './layout.js';
import { latestCode } from './outbox.js';

const ADMIN_TOKEN = 'account-screenshot-e2e-admin-token';
const OUT = new URL('../../test-results/screenshots/', import.meta.url);
const PAGE_BACKGROUND = { light: '#f3f4f6', dark: '#0d1117' };
const SURFACE = { light: 'rgb(255, 255, 255)', dark: 'rgb(22, 27, 34)' };
const PASSWORD = 'a-long-enough-phrase';
let site: BundlePage;
let browser: Browser;

const admin = (path: string, body: unknown) =>
  fetch(`${site.origin}${ADMIN}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** A verified shopper with an email and a phone; returns the user id. */
async function shopper(email: string, mobile: string): Promise<string> {
  const made = await admin('/customers?verified=true', {
    email,
    phone_number: `+91${mobile}`,
    first_name: 'Maya',
    last_name: 'Fernandes',
    password: PASSWORD,
  });
  const text = await made.text();
  assert.equal(made.status, 200, text);
  return (JSON.parse(text) as { user: { _id: string } }).user._id;
}

before(async () => {
  mkdirSync(OUT, { recursive: true });
  site = await startBundlePage('<main><latch-account></latch-account></main>', { adminToken: ADMIN_TOKEN });
  const config = await admin('/platform/config', {
    display: 'Northwind Outfitters',
    subtext: '',
    login: { password: true, otp: true },
    forgot_password: true,
    register: false,
    skip_login: false,
    skip_captcha: true,
    social: { google: false, apple: false, facebook: false },
    flash_card: { text: '' },
    delete_account_day: 14,
    delete_account_consent: { consent_text: 'I understand that my orders, addresses and saved items will be deleted.' },
    delete_account_reasons: [
      { reason_id: 'not_using', reason_text: 'I no longer use this account', show_text_area: false },
      { reason_id: 'other', reason_text: 'Something else', show_text_area: true },
    ],
    look_and_feel: { background_color: '', card_position: 'center' },
  });
  assert.equal(config.status, 200, await config.text());
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.close();
});

/** Clicks the button whose text is `text`, inside `scope` (a selector) when given. */
async function press(page: Page, text: string, scope = 'body'): Promise<void> {
  const handle = await page.waitForFunction(
    (s, t) =>
      [...document.querySelectorAll<HTMLElement>(`${s} button`)].find((b) => b.textContent!.trim() === t && b.getAttribute('aria-disabled') !== 'true') ?? null,
    {},
    scope,
    text,
  );
  await (handle as ElementHandle<HTMLElement>).evaluate((b: HTMLElement) => b.click());
}

const waitText = (page: Page, text: string) =>
  page.waitForFunction((t) => document.querySelector('main')!.textContent!.includes(t), {}, text);

async function type(page: Page, selector: string, value: string): Promise<void> {
  const input = await page.waitForSelector(selector, { visible: true });
  await input!.click({ count: 3 });
  await input!.type(value);
}

/**
 * Screenshots of the current state at both widths, and the measurable checks for the element
 * `selector` names: it fits, nothing overlaps, targets are big enough, the theme shows, and no
 * section (or step) offers more than one primary button.
 */
async function shoot(page: Page, theme: 'light' | 'dark', name: string, selector: string): Promise<void> {
  for (const [device, width] of [['desktop', 1280], ['phone', 320]] as const) {
    await page.setViewport({ width, height: 900, deviceScaleFactor: 1 });
    await page.screenshot({ path: new URL(`${name}-${theme}-${device}.png`, OUT).pathname, fullPage: true });
    const layout = await measureLayout(page, selector);
    assert.ok(layout.overflow <= 0, `${name} (${theme}, ${device}): the page scrolls sideways by ${layout.overflow}px`);
    assert.deepEqual(layout.overlaps, [], `${name} (${theme}, ${device}): controls overlap`);
    assert.deepEqual(layout.small, [], `${name} (${theme}, ${device}): controls under 44 px`);
    const looks = await page.$eval(selector, (el) => ({
      surface: getComputedStyle(el.querySelector('.latch-card')!).backgroundColor,
      // Sections of the account page, or the one step of a deletion flow on its own.
      primaries: [...el.querySelectorAll('.latch-section, latch-delete-account .latch-step')].map(
        (s) => [...s.querySelectorAll('.latch-button--primary')].filter((b) => !(s.matches('.latch-section') && b.closest('latch-delete-account'))).length,
      ),
    }));
    assert.equal(looks.surface, SURFACE[theme], `${name}: the ${theme} card`);
    assert.ok(looks.primaries.every((n) => n <= 1), `${name}: primary buttons per section ${looks.primaries.join(', ')}`);
  }
}

for (const theme of ['light', 'dark'] as const) {
  test(`<latch-account> and <latch-delete-account>, ${theme}: every state fits at 1280 and 320 px`, async () => {
    const email = `maya-${theme}@example.com`;
    const other = `maya-${theme}-2@example.com`;
    const mobile = theme === 'light' ? '9876543210' : '9876543211';
    const otherMobile = theme === 'light' ? '9876543220' : '9876543221';
    const id = await shopper(email, mobile);
    await shopper(other, otherMobile);
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    // Only the page's own backdrop colour is injected; the widget's styles are its own.
    await page.setBypassCSP(true);
    // tsx names the helper functions inside measureLayout() with a `__name` call the page does not have.
    await page.evaluateOnNewDocument('globalThis.__name = (fn) => fn');
    const open = async (tag = 'latch-account') => {
      await page.goto(`${site.origin}/`);
      await page.addStyleTag({ content: `body { margin: 0; background: ${PAGE_BACKGROUND[theme]}; }` });
      await page.evaluate((t, tagName) => {
        const main = document.querySelector('main')!;
        const el = document.createElement(tagName);
        el.setAttribute('theme', t);
        main.replaceChildren(el);
      }, theme, tag);
    };

    // Signed out: the account page's sign-in, and the deletion's own "sign in first".
    await open('latch-delete-account');
    await waitText(page, 'Sign in to delete your account');
    await shoot(page, theme, 'delete-signed-out', 'latch-delete-account');
    await open();
    await page.waitForSelector('latch-account input[name="username"]');
    await shoot(page, theme, 'account-signed-out', 'latch-account');
    await type(page, 'latch-account input[name="username"]', email);
    await type(page, 'latch-account input[name="password"]', PASSWORD);
    await press(page, 'Sign in');
    await waitText(page, 'Your account');

    // Signed in, with a second device to list.
    const session = await admin('/customers/session', { user_id: id });
    assert.equal(session.status, 200, await session.text());
    await open();
    await page.waitForFunction(() => document.querySelectorAll('latch-account .latch-entry').length >= 4);
    await waitText(page, 'Shoe size');
    await shoot(page, theme, 'account', 'latch-account');

    // Messages: a password change with nothing typed.
    await press(page, 'Change password');
    await page.waitForSelector('latch-account .latch-field__error');
    await shoot(page, theme, 'account-errors', 'latch-account');

    // A new contact's code.
    await type(page, 'latch-account input[name="email"]', `maya-${theme}-new@example.com`);
    await press(page, 'Send code');
    await page.waitForSelector('latch-account input[name="otp"]');
    await shoot(page, theme, 'account-contact-code', 'latch-account');
    await press(page, 'Use a different email address');
    // Adding a phone: the country picker beside the number.
    await press(page, 'Use mobile number');
    await page.waitForSelector('latch-account input[name="mobile"]');
    await shoot(page, theme, 'account-contact-mobile', 'latch-account');
    await press(page, 'Use email');

    // Deleting the account from the page: every step, then the scheduled deletion.
    await press(page, 'Delete my account');
    await waitText(page, 'Delete your account');
    await shoot(page, theme, 'account-delete-explain', 'latch-account');
    await press(page, 'Continue', 'latch-delete-account');
    await waitText(page, 'Why are you leaving?');
    await page.click('latch-delete-account input[value="other"]');
    await page.waitForSelector('latch-delete-account textarea');
    await page.type('latch-delete-account textarea', 'The sizes never fit me.');
    await shoot(page, theme, 'account-delete-reason', 'latch-account');
    await press(page, 'Continue', 'latch-delete-account');
    await waitText(page, 'Confirm you understand');
    await shoot(page, theme, 'account-delete-consent', 'latch-account');
    await page.click('latch-delete-account input[name="consent"]');
    await press(page, 'Continue', 'latch-delete-account');
    await waitText(page, 'Confirm it is you');
    await shoot(page, theme, 'account-delete-verify', 'latch-account');
    await press(page, 'Send code', 'latch-delete-account');
    await page.waitForSelector('latch-delete-account input[name="otp"]');
    await shoot(page, theme, 'account-delete-code', 'latch-account');
    await type(page, 'latch-delete-account input[name="otp"]', await latestCode(site.origin, `+91${mobile}`));
    await waitText(page, 'Delete your account?');
    await shoot(page, theme, 'account-delete-confirm', 'latch-account');
    await press(page, 'Delete my account', 'latch-delete-account');
    await waitText(page, 'Your account is scheduled for deletion');
    await shoot(page, theme, 'account-deleted', 'latch-account');

    // <latch-delete-account> on its own, for the second shopper.
    await press(page, 'Sign in', 'latch-account');
    await type(page, 'latch-account input[name="username"]', other);
    await type(page, 'latch-account input[name="password"]', PASSWORD);
    await press(page, 'Sign in');
    await waitText(page, 'Your account');
    await open('latch-delete-account');
    await waitText(page, 'Delete your account');
    await shoot(page, theme, 'delete-explain', 'latch-delete-account');
    await press(page, 'Continue');
    await waitText(page, 'Why are you leaving?');
    await press(page, 'Continue');
    await page.waitForSelector('latch-delete-account .latch-field__error');
    await shoot(page, theme, 'delete-reason-error', 'latch-delete-account');
    await page.click('latch-delete-account input[value="not_using"]');
    await press(page, 'Continue');
    await waitText(page, 'Confirm you understand');
    await page.click('latch-delete-account input[name="consent"]');
    await press(page, 'Continue');
    await press(page, 'Send code');
    await page.waitForSelector('latch-delete-account input[name="otp"]');
    await shoot(page, theme, 'delete-code', 'latch-delete-account');
    await type(page, 'latch-delete-account input[name="otp"]', await latestCode(site.origin, `+91${otherMobile}`));
    await waitText(page, 'Delete your account?');
    await shoot(page, theme, 'delete-confirm', 'latch-delete-account');
    await press(page, 'Delete my account');
    await waitText(page, 'Your account is scheduled for deletion');
    await shoot(page, theme, 'delete-done', 'latch-delete-account');
    await context.close();
  });
}
