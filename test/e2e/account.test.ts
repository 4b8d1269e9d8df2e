/**
 * <latch-account> across two devices: two browser contexts signed in as one shopper, on a page with
 * the built bundle under the strict CSP. The first lists both sessions and marks its own; ending the
 * other signs the second device out. The service runs in-process on a clock the test can move, so
 * the re-authentication the service asks for after 10 minutes is exercised for real.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, ElementHandle, Page } from 'puppeteer-core';
import { ADMIN, startBundlePage, type BundlePage } from './bundle-page.js';
import { launch } from './browser.js';

const ADMIN_TOKEN = 'account-e2e-admin-token';
const shopper = { email: 'two-devices@example.com', password: 'two-devices-password' };
/** How far the service's clock is ahead of the real one. */
let skew = 0;
let site: BundlePage;
let browser: Browser;
let origin: string;
let userId: string;

before(async () => {
  site = await startBundlePage('<main><latch-account></latch-account></main>', {
    adminToken: ADMIN_TOKEN,
    now: () => Date.now() + skew,
  });
  origin = site.origin;
  const created = await fetch(`${origin}${ADMIN}/customers?verified=true`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...shopper, first_name: 'Dev', last_name: 'Ices' }),
  });
  assert.equal(created.status, 200);
  userId = ((await created.json()) as { user: { _id: string } }).user._id;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.close();
});

interface Device {
  context: BrowserContext;
  page: Page;
  problems: string[];
}

/** A browser context of its own (its own cookie jar), watching for CSP violations and errors. */
async function device(): Promise<Device> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${(error as Error).message}`));
  page.on('console', (message) => {
    // 401 and 400 are answers here (no session yet, re-authentication asked, a wrong password typed
    // on purpose); Chrome logs them. Anything else is a problem.
    if (message.type() === 'error' && !/status of 40[01]/.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  await page.evaluateOnNewDocument(() => {
    (window as unknown as { violations: string[] }).violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { violations: string[] }).violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await page.goto(`${origin}/`);
  return { context, page, problems };
}

const heading = (page: Page) => page.$eval('latch-account h2', (h) => h.textContent?.trim());
const waitForHeading = (page: Page, text: string) =>
  page.waitForFunction((t) => document.querySelector('latch-account h2')?.textContent?.trim() === t, { timeout: 5000 }, text);
/** Signed out, the page shows the embedded sign-in form (whose heading is the store's name). */
const waitForSignIn = (page: Page) =>
  page.waitForFunction(() => document.querySelector('latch-account latch-auth input[name=username]'), { timeout: 5000 });

async function signIn(page: Page): Promise<void> {
  await waitForSignIn(page);
  await page.locator('::-p-aria(Email)').fill(shopper.email);
  await page.locator('::-p-aria(Password)').fill(shopper.password);
  await page.locator('::-p-aria([name="Sign in"][role="button"])').click();
  await waitForHeading(page, 'Your account');
}

/**
 * The texts of the session entries, once the list has `count` of them: checked again on every
 * change to the page (puppeteer's mutation polling), no timer in the test.
 */
async function sessions(page: Page, count: number): Promise<string[]> {
  try {
    const listed = await page.waitForFunction(
      (n: number) => {
        const items = [...document.querySelectorAll('latch-account .latch-entry')]
          .filter((i) => i.closest('section')?.querySelector('h3')?.textContent?.trim() === 'Where you are signed in')
          .map((i) => i.textContent!.replace(/\s+/g, ' ').trim());
        return items.length === n && items;
      },
      { polling: 'mutation', timeout: 5000 },
      count,
    );
    return (await listed.jsonValue()) as string[];
  } catch (error) {
    const text = await page.$eval('latch-account', (el) => el.textContent!.replace(/\s+/g, ' ').trim());
    throw new Error(`expected ${count} sessions; the page says: ${text}`, { cause: error });
  }
}

/** The "Sign out" button of the session that is not this device. */
async function otherSignOut(page: Page): Promise<ElementHandle<HTMLButtonElement>> {
  const handle = await page.evaluateHandle(() => {
    const items = [...document.querySelectorAll('latch-account .latch-entry')].filter((i) => !i.textContent!.includes('This device'));
    return items.flatMap((i) => [...i.querySelectorAll('button')]).find((b) => b.textContent?.trim() === 'Sign out')!;
  });
  return handle as ElementHandle<HTMLButtonElement>;
}

async function liveSessions(): Promise<number> {
  const response = await fetch(`${origin}${ADMIN}/customers/sessions?id=${userId}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  return ((await response.json()) as { items: unknown[] }).items.length;
}

async function noProblems(...devices: Device[]): Promise<void> {
  for (const d of devices) {
    assert.deepEqual(await d.page.evaluate(() => (window as unknown as { violations: string[] }).violations), [], 'no CSP violation');
    assert.deepEqual(d.problems, []);
  }
}

test('two devices: the first sees both, marks its own, and signs the second out', async () => {
  const laptop = await device();
  const phone = await device();
  await signIn(laptop.page);
  await signIn(phone.page);
  assert.equal(await liveSessions(), 2);

  // The laptop's list was read before the phone signed in; a fresh look shows both.
  await laptop.page.reload();
  const listed = await sessions(laptop.page, 2);
  assert.equal(listed.filter((s) => s.includes('This device')).length, 1, 'exactly one is this device');
  for (const s of listed) assert.match(s, / on .* · desktop/);

  await (await otherSignOut(laptop.page)).click();
  await sessions(laptop.page, 1);
  assert.match(await laptop.page.$eval('latch-account', (el) => el.textContent ?? ''), /That device is signed out\./);
  assert.equal(await liveSessions(), 1);

  // The phone's next request finds no session: its page drops to sign-in.
  await phone.page.reload();
  await waitForSignIn(phone.page);
  assert.equal(await heading(laptop.page), 'Your account');
  await noProblems(laptop, phone);
  await laptop.context.close();
  await phone.context.close();
});

test('after 10 minutes the service asks for the password again before ending a session', async () => {
  // A clean start: the first test's laptop session is still live. ('{}': the reference service
  // answers a body-less DELETE with a 500 behind its Node adapter.)
  const ended = await fetch(`${origin}${ADMIN}/customers/sessions?id=${userId}&reason=reset`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: '{}',
  });
  assert.equal(ended.status, 200);
  const laptop = await device();
  const phone = await device();
  await signIn(laptop.page);
  await signIn(phone.page);
  skew += 11 * 60 * 1000;

  await laptop.page.reload();
  await sessions(laptop.page, 2);
  await (await otherSignOut(laptop.page)).click();
  // A 401 REAUTH_REQUIRED is not a sign-out: the page stays, asks for the password, focused on it.
  await laptop.page.waitForFunction(() => document.activeElement?.getAttribute('autocomplete') === 'current-password', { timeout: 5000 });
  assert.equal(await heading(laptop.page), 'Your account');
  assert.match(await laptop.page.$eval('latch-account', (el) => el.textContent ?? ''), /For your security, enter your password to continue\./);
  assert.equal(await liveSessions(), 2, 'nothing ended yet');

  await laptop.page.keyboard.type('not-my-password');
  await laptop.page.keyboard.press('Enter');
  await laptop.page.waitForFunction(() => document.body.querySelector('latch-account')?.textContent?.includes('That is not your current password'), { timeout: 5000 });
  assert.equal(await liveSessions(), 2);

  await laptop.page.keyboard.type(shopper.password);
  await laptop.page.keyboard.press('Enter');
  await sessions(laptop.page, 1);
  assert.equal(await liveSessions(), 1);
  await phone.page.reload();
  await waitForSignIn(phone.page);
  await noProblems(laptop, phone);
  await laptop.context.close();
  await phone.context.close();
});
