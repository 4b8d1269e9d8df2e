/**
 * What every <latch-account> test file shares: shoppers made through the admin API, sign-in over
 * HTTP, the page mounted and settled, its sections found by their headings, and the service reset
 * before each test. One file per section (sections/<name>.test.ts) mirrors src/elements/latch-account/.
 */
import '../../../src/define.js';
import '../../../src/dev.js';
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { LatchAccount } from '../../../src/elements/latch-account/latch-account.js';
import { APP_BASE, BASELINE_CONFIG, admin, resetState, setConfig, until } from '../../support/service.js';

export interface Shopper {
  id: string;
  email: string;
  password: string;
}

let counter = 0;
/** A fresh shopper (verified email, password) through the admin API, so tests never share one. */
export async function shopper(): Promise<Shopper> {
  const email = `account-${++counter}-${Date.now()}@example.com`;
  const password = 'account-shopper-password';
  const response = await admin('/customers?verified=true', {
    method: 'POST',
    body: JSON.stringify({ email, first_name: 'Ada', last_name: 'Lovelace', password }),
  });
  expect(response.status, await response.clone().text()).to.equal(200);
  const { user } = (await response.json()) as { user: { _id: string } };
  return { id: user._id, email, password };
}

export async function signIn(s: Shopper): Promise<void> {
  const response = await fetch(`${APP_BASE}/authentication/v1.0/login/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: s.email, password: s.password }),
  });
  expect(response.status, await response.clone().text()).to.equal(200);
}

/** Public ids of the shopper's live sessions, as the admin sees them. */
export async function sessionIds(s: Shopper): Promise<string[]> {
  const response = await admin(`/customers/sessions?id=${s.id}`);
  return ((await response.json()) as { items: { session_id: string }[] }).items.map((i) => i.session_id);
}

/** A session made by the admin API for the shopper (another device, as far as the page knows). */
export async function otherSession(s: Shopper): Promise<string> {
  const response = await admin('/customers/session', { method: 'POST', body: JSON.stringify({ user_id: s.id }) });
  return ((await response.json()) as { session_id: string }).session_id;
}

export async function latestCode(to: string): Promise<string> {
  let code: string | undefined;
  await until(async () => {
    const response = await fetch(`/__dev/outbox?to=${encodeURIComponent(to)}`);
    code = ((await response.json()) as { items: { code?: string }[] }).items[0]?.code;
    return code;
  }, `a code to ${to}`);
  return code!;
}

/** The page's own heading; signed out, it may be the embedded sign-in's (the store's name). */
export const title = (el: Element) => el.querySelector('h2')?.textContent?.trim();
export const loading = (el: Element) => el.textContent!.includes('Loading your account');

export async function mount(template = html`<latch-account></latch-account>`): Promise<LatchAccount> {
  const el = await fixture<LatchAccount>(template);
  await until(() => title(el) && !loading(el), 'the account page to settle');
  return el;
}

/** The section a heading names. */
export function section(el: Element, name: string): HTMLElement {
  const heading = [...el.querySelectorAll('h3')].find((h) => h.textContent?.trim() === name);
  expect(Boolean(heading), `section "${name}"`).to.equal(true);
  return heading!.closest('section')!;
}

export const statusText = (root: ParentNode) => [...root.querySelectorAll('[role="status"]')].map((s) => s.textContent?.trim()).join(' ').trim();
export const entries = (root: ParentNode) => [...root.querySelectorAll<HTMLElement>('.latch-entry')];

export function choose(select: HTMLSelectElement, value: string): void {
  select.focus();
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Presses Tab until `target` has focus, as a keyboard user would reach it. */
export async function tabTo(target: HTMLElement, most = 30): Promise<void> {
  for (let i = 0; i < most && document.activeElement !== target; i++) await sendKeys({ press: 'Tab' });
  expect(document.activeElement === target, 'reached by Tab').to.equal(true);
}


/** Puts the service back as each test expects it, and counts `latch-login-required` (read with `loginRequired()`). */
let requiredEvents = 0;
const countRequired = () => requiredEvents++;
export const loginRequired = () => requiredEvents;
export function useAccountService(): void {
  before(() => document.addEventListener('latch-login-required', countRequired));
  after(() => document.removeEventListener('latch-login-required', countRequired));
  beforeEach(async () => {
    await resetState();
    await setConfig({ ...BASELINE_CONFIG, skip_captcha: true, required_fields: { email: { is_required: false, level: 'soft' }, mobile: { is_required: false, level: 'soft' } } });
    requiredEvents = 0;
  });
}
