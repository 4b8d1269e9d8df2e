/**
 * Right-to-left screenshots of every step a shopper can reach in Arabic, on a desktop and a 320 px
 * phone: the built one-file bundle on a page section in `lang="ar"`, the real service. The PNGs go to
 * test-results/screenshots/ar/ (gitignored) for people to look at; the test checks what can be
 * measured: the card reads right to left, its text is Arabic, nothing scrolls sideways and no two
 * controls overlap, at every step.
 */
import { latestCode } from './outbox.js';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'puppeteer-core';
import ar from '../../src/i18n/catalogs/ar.js';
import { ADMIN, startBundlePage, type BundlePage } from './bundle-page.js';
import { launch } from './browser.js';
import { measureLayout } from './layout.js';

const ADMIN_TOKEN = 'arabic-screenshot-e2e-admin-token';
const OUT = new URL('../../test-results/screenshots/ar/', import.meta.url);
const SHOPPER = { email: 'layla@example.com', password: 'a-long-enough-phrase', mobile: '9876543210' };
let site: BundlePage;
let browser: Browser;

const adminFetch = (path: string, body: unknown) =>
  fetch(`${site.origin}${ADMIN}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

before(async () => {
  mkdirSync(OUT, { recursive: true });
  site = await startBundlePage('<main lang="ar"><latch-auth privacy-url="/privacy"></latch-auth></main>', { adminToken: ADMIN_TOKEN });
  const config = await adminFetch('/platform/config', {
    display: 'متجر النخيل',
    subtext: '',
    login: { password: true, otp: true },
    forgot_password: true,
    register: true,
    skip_login: true,
    skip_captcha: true,
    register_required_fields: { email: { is_required: true, level: 'hard' }, mobile: { is_required: true, level: 'soft' } },
    delete_account_day: 7,
    delete_account_reasons: [
      { reason_id: 'not_using', reason_text: 'لم أعد أستخدم هذا الحساب', show_text_area: false },
      { reason_id: 'other', reason_text: 'سبب آخر', show_text_area: true },
    ],
    look_and_feel: { background_color: '', card_position: 'center' },
  });
  assert.equal(config.status, 200, await config.text());
  const made = await adminFetch('/customers?verified=true', {
    email: SHOPPER.email,
    phone_number: `+91${SHOPPER.mobile}`,
    first_name: 'ليلى',
    password: SHOPPER.password,
  });
  assert.equal(made.status, 200, await made.text());
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.close();
});

/** The shared layout checks, and what reads right to left: the direction, Arabic text, no English words. */
async function measure(page: Page, selector: string) {
  const layout = await measureLayout(page, selector);
  const reading = await page.evaluate((sel) => {
    const el = document.querySelector(sel)!;
    const text = el.textContent ?? '';
    return {
      direction: getComputedStyle(el).direction,
      arabic: (text.match(/[\u0600-\u06FF]/g) ?? []).length,
      // Latin words other than the shopper's email address and the one-time code's digits.
      latin: text.replace(/\S+@\S+/g, '').match(/[A-Za-z]{3,}/g) ?? [],
    };
  }, selector);
  return { ...layout, ...reading };
}

/** Screenshots of the current state at both widths, and the measurable checks. */
async function shoot(page: Page, name: string, selector = 'latch-auth'): Promise<void> {
  for (const [device, width] of [['desktop', 1280], ['phone', 320]] as const) {
    await page.setViewport({ width, height: 900, deviceScaleFactor: 1 });
    await page.screenshot({ path: new URL(`${name}-${device}.png`, OUT).pathname, fullPage: true });
    const layout = await measure(page, selector);
    assert.equal(layout.direction, 'rtl', `${name}: right to left`);
    assert.ok(layout.overflow <= 0, `${name} (${device}): the page scrolls sideways by ${layout.overflow}px`);
    assert.deepEqual(layout.overlaps, [], `${name} (${device}): controls overlap`);
    assert.ok(layout.arabic > 10, `${name}: Arabic text`);
    assert.deepEqual(layout.latin, [], `${name}: English words`);
  }
}

/** Clicks the button or link whose text is `text` (a catalog message). */
async function press(page: Page, text: string): Promise<void> {
  await page.waitForFunction((t) => [...document.querySelectorAll('button, a')].some((b) => b.textContent!.trim() === t), {}, text);
  await page.evaluate((t) => {
    const target = [...document.querySelectorAll<HTMLElement>('button, a')].find((b) => b.textContent!.trim() === t)!;
    target.click();
  }, text);
}

async function type(page: Page, name: string, value: string): Promise<void> {
  const input = await page.waitForSelector(`input[name="${name}"]`, { visible: true });
  await input!.click({ count: 3 });
  await input!.type(value);
}

const submit = (page: Page, name: string) => page.$eval(`input[name="${name}"]`, (i) => (i as HTMLInputElement).form!.requestSubmit());
const waitText = (page: Page, text: string) => page.waitForFunction((t) => document.body.textContent!.includes(t), {}, text);
const heading = (text: string) => text.replace(/\{\w+\}.*$/, '').trim();

const codeFor = (to: string) => latestCode(site.origin, to);

/**
 * The "code sent" sentence shows the number as Arabic `Intl` writes it, grouped, inside a
 * left-to-right isolate; on screen the "+" is drawn left of the first digit (never "91+") and the
 * number stays on one line (at the 320 px width, shot last); the
 * fields the shopper types in are left to right.
 */
async function assertPhoneReadsLeftToRight(page: Page, mobile: string): Promise<void> {
  const digits = (text: string) => text.replace(/\d/g, (d) => new Intl.NumberFormat('ar', { useGrouping: false }).format(Number(d)));
  // Grouped with no-break spaces: the number never splits over two lines.
  const shown = digits(`+91\u00a0${mobile.slice(0, 3)}\u00a0${mobile.slice(3, 6)}\u00a0${mobile.slice(6)}`);
  const seen = await page.evaluate((number) => {
    const status = [...document.querySelectorAll('latch-auth [role="status"]')].find((s) => s.textContent!.includes(number))!;
    const walker = document.createTreeWalker(status, NodeFilter.SHOW_TEXT);
    let node: Text | null;
    while ((node = walker.nextNode() as Text | null) && !node.data.includes(number));
    const at = node!.data.indexOf(number);
    const box = (from: number) => {
      const range = document.createRange();
      range.setStart(node!, from);
      range.setEnd(node!, from + 1);
      return range.getBoundingClientRect();
    };
    return {
      text: status.textContent!,
      // Every character of the number drawn right of the one before it: "+91 987 …" in reading order.
      inOrder: [...number].every((_, i) => i === 0 || box(at + i).left > box(at + i - 1).left),
      oneLine: box(at).top === box(at + number.length - 1).top,
      dirs: [...document.querySelectorAll<HTMLInputElement>('latch-auth input[name="otp"]')].map((i) => i.dir),
    };
  }, shown);
  assert.ok(seen.text.includes(`\u2066${shown}\u2069`), `the number isolated left to right in: ${seen.text}`);
  assert.ok(seen.inOrder, 'the number drawn left to right, "+" first');
  assert.ok(seen.oneLine, 'the number on one line');
  assert.deepEqual(seen.dirs, ['ltr']);
}

test('every <latch-auth> and <latch-delete-account> step in Arabic reads right to left and fits', async () => {
  const page = await browser.newPage();
  await page.setBypassCSP(true);
  await page.evaluateOnNewDocument('globalThis.__name = (fn) => fn');
  await page.goto(`${site.origin}/`);
  await page.addStyleTag({ content: 'body { margin: 0; background: #f3f4f6; }' });
  await page.waitForSelector('input[name="password"]');

  // Password sign-in, empty and with its messages.
  await shoot(page, '01-password');
  await press(page, ar['auth.signIn']!);
  await page.waitForSelector('latch-auth .latch-field__error');
  await shoot(page, '02-password-errors');
  await type(page, 'username', SHOPPER.email);
  await type(page, 'password', 'not-the-password');
  await press(page, ar['auth.signIn']!);
  await waitText(page, ar['error.credentials']!);
  await shoot(page, '03-password-wrong');

  // Forgot password: the form and the "link sent" notice.
  await press(page, ar['auth.forgot']!);
  await waitText(page, ar['auth.forgotTitle']!);
  await shoot(page, '04-forgot');
  await submit(page, 'email');
  await waitText(page, heading(ar['auth.linkSent']!).slice(0, 12));
  await shoot(page, '05-forgot-sent');
  await press(page, ar['auth.back']!);

  // A one-time code: the request (by email and by mobile), the check, a wrong code, then signed in.
  // The email typed for the password carries over, so the code goes to it.
  await press(page, ar['auth.useCode']!);
  await page.waitForSelector('input[name="email"]');
  await shoot(page, '06-code-request-email');
  await press(page, ar['auth.byMobile']!);
  await page.waitForSelector('input[name="mobile"]');
  await shoot(page, '06-code-request-mobile');
  await type(page, 'mobile', SHOPPER.mobile);
  await submit(page, 'mobile');
  await page.waitForSelector('input[name="otp"]');
  await shoot(page, '07-code-check');
  await assertPhoneReadsLeftToRight(page, SHOPPER.mobile);
  // A code typed to its full length sends itself: no Verify press (a second submit would find the
  // field already cleared after a wrong code, and ask for the code instead).
  await type(page, 'otp', '000000');
  await waitText(page, ar['error.code']!);
  await shoot(page, '08-code-wrong');
  await type(page, 'otp', await codeFor(`+91${SHOPPER.mobile}`));
  await waitText(page, ar['auth.signOut']!);
  await shoot(page, '09-signed-in');

  // Deleting the account, from the signed-in session: the first two steps.
  await page.evaluate(() => {
    const main = document.querySelector('main')!;
    main.replaceChildren(document.createElement('latch-delete-account'));
  });
  await waitText(page, ar['delete.title']!);
  await shoot(page, '10-delete-start', 'latch-delete-account');
  await press(page, ar['delete.continue']!);
  await waitText(page, ar['delete.reasonTitle']!);
  await shoot(page, '11-delete-reason', 'latch-delete-account');
  await page.evaluate(() => (document.querySelector('input[type="radio"][value="other"]') as HTMLInputElement | null)?.click());
  await page.waitForSelector('textarea');
  await page.type('textarea', 'x'.repeat(20));
  await shoot(page, '12-delete-details', 'latch-delete-account');

  // Registration, from a fresh visit: the form with its consent sentence, its messages, the code.
  await page.evaluate(() => fetch('/service/application/user/authentication/v1.0/logout'));
  await page.goto(`${site.origin}/`);
  await page.addStyleTag({ content: 'body { margin: 0; background: #f3f4f6; }' });
  await press(page, ar['auth.createAccount']!);
  await page.waitForSelector('input[name="first_name"]');
  await shoot(page, '13-register');
  await press(page, ar['auth.register']!);
  await page.waitForSelector('latch-auth .latch-field__error');
  await shoot(page, '14-register-errors');
  await type(page, 'first_name', 'سارة');
  await type(page, 'email', 'sara@example.com');
  await type(page, 'password', 'another-long-phrase');
  await page.click('input[name="consent"]');
  await press(page, ar['auth.register']!);
  await page.waitForSelector('input[name="otp"]');
  await shoot(page, '15-register-code');

  // An unknown mobile number signing in by code goes on to finish the account.
  await page.evaluate(() => fetch('/service/application/user/authentication/v1.0/logout'));
  await page.goto(`${site.origin}/`);
  await page.addStyleTag({ content: 'body { margin: 0; background: #f3f4f6; }' });
  await press(page, ar['auth.useCode']!);
  await type(page, 'mobile', '9123456789');
  await submit(page, 'mobile');
  await page.waitForSelector('input[name="otp"]');
  await type(page, 'otp', await codeFor('+919123456789'));
  await waitText(page, ar['auth.complete']!);
  await shoot(page, '16-finish-account');
  await page.close();
});
