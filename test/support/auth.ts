/**
 * What the `<latch-auth>` tests share: mounting the widget, shoppers made through the admin API,
 * the dev outbox (codes and links "sent"), and waiting for a step's field.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import type { LatchAuth } from '../../src/elements/latch-auth/latch-auth.js';
import { DEMO, admin, button, fill, input, until } from './service.js';

export interface OutboxItem {
  channel: 'sms' | 'email';
  to: string;
  text: string;
  code?: string;
  link?: string;
}

export async function outbox(to: string): Promise<OutboxItem[]> {
  const response = await fetch(`/__dev/outbox?to=${encodeURIComponent(to)}`);
  return ((await response.json()) as { items: OutboxItem[] }).items;
}

/** The newest message to `to` once `count` have arrived. */
export async function latest(to: string, count = 1): Promise<OutboxItem> {
  let items: OutboxItem[] = [];
  await until(async () => {
    items = await outbox(to);
    return items.length >= count;
  }, `message ${count} to ${to}`);
  return items[0];
}

let counter = 0;
/** A value no other test uses. */
export const unique = () => `${Date.now()}${++counter}`;

/** A shopper with a phone and a password, made through the admin API. */
export async function shopperWithPhone(): Promise<{ mobile: string; email: string; password: string }> {
  const id = unique();
  const mobile = `97${id.slice(-8).padStart(8, '0')}`;
  const email = `phone-${id}@example.com`;
  const password = 'phone-shopper-password';
  const response = await admin('/customers?verified=true', {
    method: 'POST',
    body: JSON.stringify({ phone_number: `+91${mobile}`, email, first_name: 'Priya', last_name: 'Patel', password }),
  });
  expect(response.status, await response.clone().text()).to.equal(200);
  return { mobile, email, password };
}

/** A shopper with only an email (verified) and a password. */
export async function shopperWithEmail(password = 'email-shopper-password'): Promise<{ _id: string; email: string; password: string }> {
  const email = `email-${unique()}@example.com`;
  const response = await admin('/customers?verified=true', {
    method: 'POST',
    body: JSON.stringify({ email, first_name: 'Noor', password }),
  });
  const { user } = (await response.json()) as { user: { _id: string } };
  return { _id: user._id, email, password };
}

/** The widget, once it shows a form or a provider button. */
export async function mount(template: TemplateResult = html`<latch-auth></latch-auth>`): Promise<LatchAuth> {
  const el = await fixture<LatchAuth>(template);
  await until(() => el.querySelector('form') || el.querySelector('.latch-social'), 'the widget');
  return el;
}

/** Waits for the step whose field has this label, and returns that field. */
export const field = (el: Element, label: string) => until(() => input(el, label), `the "${label}" field`);

/** The code step, after sending a sign-in code to `mobile`. */
export async function sendCodeTo(el: LatchAuth, mobile: string): Promise<void> {
  fill(await field(el, 'Mobile number'), mobile);
  button(el, 'Send code')!.click();
  await field(el, 'Code');
}

export async function signIn(el: LatchAuth, email = DEMO.email, password = DEMO.password): Promise<void> {
  fill(await field(el, 'Email'), email);
  fill(input(el, 'Password')!, password);
  button(el, 'Sign in')!.click();
}

/** The config the sign-in path tests start from: password and codes on, forgot password on, no captcha. */
export const PATHS_CONFIG = {
  login: { password: true, otp: true },
  forgot_password: true,
  skip_login: false,
  skip_captcha: true,
  social: { google: false, facebook: false, apple: false },
  required_fields: { email: { is_required: false, level: 'hard' }, mobile: { is_required: false, level: 'soft' } },
};

/** The answer to the dev captcha's current question in `el`. */
export async function answerCaptcha(el: Element): Promise<void> {
  // The label is there before its question has loaded: wait for the question itself.
  const [, a, op, b] = await until(() => /(\d+) (plus|minus|times) (\d+)/.exec(el.querySelector('[for$="-captcha"]')?.textContent ?? ''), 'the question');
  const answer = op === 'plus' ? +a + +b : op === 'minus' ? +a - +b : +a * +b;
  fill(el.querySelector<HTMLInputElement>('[name="captcha"]')!, String(answer));
}

/** A `register_required_fields` rule. */
export type Rule = { is_required: boolean; level: 'hard' | 'soft' };
export const rules = (email: Rule, mobile: Rule) => ({ register_required_fields: { email, mobile } });
export const HARD: Rule = { is_required: true, level: 'hard' };
export const SOFT: Rule = { is_required: true, level: 'soft' };
export const OFF: Rule = { is_required: false, level: 'hard' };

/** The config the registration tests start from: registration on, the email mandatory, no captcha. */
export const REGISTER_CONFIG = {
  register: true,
  login: { password: true, otp: false },
  skip_captcha: true,
  required_fields: { email: OFF, mobile: { is_required: false, level: 'soft' } },
  ...rules(HARD, OFF),
};

/** The registration form, opened from the sign-in form (or directly with `view="register"`). */
export async function openRegistration(template: TemplateResult = html`<latch-auth></latch-auth>`): Promise<LatchAuth> {
  const el = await fixture<LatchAuth>(template);
  await until(() => button(el, 'Create account') ?? input(el, 'First name'), 'the widget');
  if (!input(el, 'First name')) button(el, 'Create account')!.click();
  await until(() => input(el, 'First name'), 'the registration form');
  return el;
}
