/**
 * What the <latch-delete-account> test files share: shoppers made through the admin API, sign-in over
 * HTTP, the element mounted, its steps found by their headings, and the service reset before each test.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/define.js';
import '../../../src/dev.js';
import type { LatchDeleteAccount } from '../../../src/elements/latch-delete-account/latch-delete-account.js';
import { APP_BASE, admin, button, fill, input, resetState, served, setConfig, until } from '../../support/service.js';

export const DAY = 86_400_000;
/** What the service starts with, restored before each test: config changes persist across tests. */
export const DELETE_DEFAULTS = {
  skip_captcha: true,
  delete_account_day: 7,
  delete_account_consent: { consent_text: '' },
  delete_account_reasons: [
    { reason_id: 'not_using', reason_text: 'I no longer use this account', show_text_area: false },
    { reason_id: 'privacy', reason_text: 'I have privacy concerns', show_text_area: false },
    { reason_id: 'duplicate', reason_text: 'I have another account', show_text_area: false },
    { reason_id: 'other', reason_text: 'Other', show_text_area: true },
  ],
};

export interface OutboxItem {
  channel: 'sms' | 'email';
  code?: string;
}

/** The newest message to `to`, once `count` have arrived. */
export async function latest(to: string, count = 1): Promise<OutboxItem> {
  let items: OutboxItem[] = [];
  await until(async () => {
    items = ((await (await fetch(`/__dev/outbox?to=${encodeURIComponent(to)}`)).json()) as { items: OutboxItem[] }).items;
    return items.length >= count;
  }, `message ${count} to ${to}`);
  return items[0];
}

let counter = 0;
/** A shopper made through the admin API: with a phone or not, contacts verified or not. */
export async function shopper(phone: boolean, verified = true): Promise<{ id: string; mobile: string; email: string; password: string }> {
  const n = ++counter;
  const mobile = `91234${String(10000 + n * 7).padStart(5, '0')}`;
  const email = `leaving-${n}-${Date.now()}@example.com`;
  const password = 'leaving-for-good-42';
  const response = await admin(`/customers${verified ? '?verified=true' : ''}`, {
    method: 'POST',
    body: JSON.stringify({ email, password, first_name: 'Lee', ...(phone ? { phone_number: `+91${mobile}` } : {}) }),
  });
  expect(response.status, await response.clone().text()).to.equal(200);
  const { user } = (await response.json()) as { user: { _id: string } };
  return { id: user._id, mobile, email, password };
}

export function signIn(username: string, password: string): Promise<Response> {
  return fetch(`${APP_BASE}/authentication/v1.0/login/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
}

/**
 * Signs the page in as a shopper without going through password login, which only accepts verified
 * contacts: the admin API's createUserSession, its cookie set under the name the service reads.
 */
export async function adminSession(userId: string): Promise<void> {
  const response = await admin('/customers/session', { method: 'POST', body: JSON.stringify({ user_id: userId }) });
  expect(response.status).to.equal(200);
  const { cookie, cookie_name } = (await response.json()) as { cookie: Record<string, string>; cookie_name: string };
  document.cookie = `${cookie_name}=${cookie[cookie_name]}; Path=/; SameSite=Lax${cookie_name.startsWith('__Host-') ? '; Secure' : ''}`;
}

export async function mount(template = html`<latch-delete-account></latch-delete-account>`): Promise<LatchDeleteAccount> {
  const parent = await fixture<HTMLElement>(template);
  const el = (parent.matches('latch-delete-account') ? parent : parent.querySelector('latch-delete-account')) as LatchDeleteAccount;
  await until(() => el.querySelector('h3'), 'the first step');
  return el;
}

export const title = (el: Element) => el.querySelector('h3')?.textContent?.trim();

/** Waits for the step with this heading; after a move, focus must be on that heading. */
export async function at(el: LatchDeleteAccount, heading: string, moved = true): Promise<void> {
  await until(() => title(el) === heading, `the "${heading}" step`);
  if (moved) expect(document.activeElement === el.querySelector('h3'), `focus on "${heading}"`).to.equal(true);
}

export const field = (el: Element, label: string) => until(() => input(el, label), `the "${label}" field`);
export const dateIn = (days: number) => new Intl.DateTimeFormat('en', { dateStyle: 'long' }).format(Date.now() + days * DAY);
export const status = (el: Element) => el.querySelector('[role="status"]')!.textContent!.trim();

/** Continue through explain and (when asked) a reason, up to the code being sent and typed. */
export async function toConfirm(el: LatchDeleteAccount, to: string, reason?: string): Promise<void> {
  button(el, 'Continue')!.click();
  if (reason) {
    await at(el, 'Why are you leaving?');
    input(el, reason)!.click();
    button(el, 'Continue')!.click();
  }
  await at(el, 'Confirm it is you');
  button(el, 'Send code')!.click();
  const code = await field(el, 'Code');
  fill(code, (await latest(to)).code!);
  button(el, 'Continue')!.click();
  await at(el, 'Delete your account?');
}

/** Where a code is sent from (sign-in codes, which deletion uses) and where a deletion goes. */
const CODE_PATHS = ['/login/otp', '/otp/mobile/send', '/otp/email/send'];
const DELETE_PATH = '/authentication/v1.0/delete';

/** Requests the service answered on these paths (its dev counter). */
async function servedOn(paths: string[]): Promise<number> {
  return (await Promise.all(paths.map(served))).reduce((a, b) => a + b, 0);
}

/**
 * Puts the service back before each test; counts at the service what this test sent; and records the
 * bodies the page sends, to check what a deletion carried (a wrapper around fetch: every request
 * still reaches the service).
 */
export function useDeleteService() {
  let sent: Array<{ url: string; body: Record<string, unknown> }> = [];
  let codesBefore = 0;
  let deletesBefore = 0;
  const realFetch = window.fetch;
  beforeEach(async () => {
    await resetState();
    await setConfig(DELETE_DEFAULTS);
    codesBefore = await servedOn(CODE_PATHS);
    deletesBefore = await servedOn([DELETE_PATH]);
    sent = [];
    window.fetch = (request, init) => {
      if (typeof init?.body === 'string') sent.push({ url: String(request), body: JSON.parse(init.body) as Record<string, unknown> });
      return realFetch(request, init);
    };
  });
  afterEach(() => {
    window.fetch = realFetch;
  });
  return {
    /** The bodies of the deletions the page sent, to check what they carried. */
    deletes: () => sent.filter((s) => s.url.includes(DELETE_PATH)),
    /** Deletions that reached the service in this test. */
    deletesServed: async () => (await servedOn([DELETE_PATH])) - deletesBefore,
    /** Code sends and deletions that reached the service in this test: none before the shopper has said yes. */
    codesOrDeletesServed: async () => (await servedOn([...CODE_PATHS, DELETE_PATH])) - codesBefore - deletesBefore,
  };
}
