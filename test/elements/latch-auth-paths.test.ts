/**
 * Every sign-in path the platform config can switch on, end to end: <latch-auth> in Chromium, the
 * reference service over HTTP, codes and links read from its dev outbox. Each path is checked with
 * its config switch on and off, by keyboard where it matters, and with axe at every step.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/define.js';
import '../../src/dev.js';
import type { LatchAuth } from '../../src/elements/latch-auth/latch-auth.js';
import type { LatchErrorEvent, LatchLoginEvent } from '../../src/events.js';
import {
  DEMO,
  admin,
  alertText,
  button,
  fill,
  input,
  resetState,
  sessionUser,
  setConfig,
  until,
} from '../support/service.js';

interface OutboxItem {
  channel: 'sms' | 'email';
  to: string;
  text: string;
  code?: string;
  link?: string;
}

async function outbox(to: string): Promise<OutboxItem[]> {
  const response = await fetch(`/__dev/outbox?to=${encodeURIComponent(to)}`);
  return ((await response.json()) as { items: OutboxItem[] }).items;
}

/** The newest message to `to` once it has arrived. */
async function latest(to: string, count = 1): Promise<OutboxItem> {
  let items: OutboxItem[] = [];
  await until(async () => {
    items = await outbox(to);
    return items.length >= count;
  }, `message ${count} to ${to}`);
  return items[0];
}

let phoneCounter = 0;
/** A shopper with a phone and a password, made through the admin API. */
async function shopperWithPhone(): Promise<{ mobile: string; email: string; password: string }> {
  const mobile = `98765${String(43210 + ++phoneCounter * 7).padStart(5, '0')}`;
  const email = `phone-${phoneCounter}-${Date.now()}@example.com`;
  const password = 'phone-shopper-password';
  const response = await admin('/customers?verified=true', {
    method: 'POST',
    body: JSON.stringify({ phone_number: `+91${mobile}`, email, first_name: 'Priya', last_name: 'Patel', password }),
  });
  expect(response.status, await response.clone().text()).to.equal(200);
  return { mobile, email, password };
}

/** A shopper with only an email (verified) and a password. */
async function shopperWithEmail(password = 'email-shopper-password'): Promise<{ _id: string; email: string; password: string }> {
  const email = `email-${++phoneCounter}-${Date.now()}@example.com`;
  const response = await admin('/customers?verified=true', {
    method: 'POST',
    body: JSON.stringify({ email, first_name: 'Noor', password }),
  });
  const { user } = (await response.json()) as { user: { _id: string } };
  return { _id: user._id, email, password };
}

async function mount(): Promise<LatchAuth> {
  const el = await fixture<LatchAuth>(html`<latch-auth></latch-auth>`);
  await until(() => el.querySelector('form') || el.querySelector('.latch-social'), 'the widget');
  return el;
}

/** Waits for the step whose first field has this label, and returns that field. */
const field = (el: Element, label: string) => until(() => input(el, label), `the "${label}" field`);

async function sendCodeTo(el: LatchAuth, mobile: string): Promise<void> {
  fill(await field(el, 'Mobile number'), mobile);
  button(el, 'Send code')!.click();
  await field(el, 'Code');
}

/** True when `value` or anything reachable from its own enumerable properties (a few levels deep) contains `secret`. */
function holds(value: unknown, secret: string, depth = 4, seen = new Set<unknown>()): boolean {
  if (typeof value === 'string') return value.includes(secret);
  if (!value || typeof value !== 'object' || depth === 0 || seen.has(value)) return false;
  seen.add(value);
  const entries = value instanceof Map ? [...value.values()] : Object.values(value);
  return entries.some((entry) => holds(entry, secret, depth - 1, seen));
}

describe('<latch-auth> sign-in paths', () => {
  const home = location.href;
  // A test that opens a reset link changes the address; the next one starts from the test page.
  afterEach(() => history.replaceState(null, '', home));
  beforeEach(async () => {
    await resetState();
    await setConfig({
      login: { password: true, otp: true },
      forgot_password: true,
      skip_login: false,
      skip_captcha: true,
      social: { google: false, facebook: false, apple: false },
      required_fields: { email: { is_required: false, level: 'hard' }, mobile: { is_required: false, level: 'soft' } },
    });
  });

  describe('one-time code', () => {
    it('switches between password and code, and offers only what the config enables', async () => {
      let el = await mount();
      expect(input(el, 'Password')).to.not.equal(null);
      button(el, 'Sign in with a one-time code')!.click();
      await field(el, 'Mobile number');
      expect(input(el, 'Country code')!.value).to.equal('+91');
      expect(input(el, 'Mobile number')!.autocomplete).to.equal('tel-national');
      expect(input(el, 'Country code')!.autocomplete).to.equal('tel-country-code');
      await expect(el).to.be.accessible();
      button(el, 'Sign in with password')!.click();
      await field(el, 'Password');
      el.remove();

      localStorage.clear();
      await setConfig({ login: { password: false, otp: true } });
      el = await mount();
      await field(el, 'Mobile number');
      expect(input(el, 'Password')).to.equal(null);
      expect(button(el, 'Sign in with password')).to.equal(null);
      el.remove();

      localStorage.clear();
      await setConfig({ login: { password: true, otp: false } });
      el = await mount();
      expect(button(el, 'Sign in with a one-time code')).to.equal(null);
    });

    it('signs an existing shopper in with a code sent by SMS', async () => {
      const shopper = await shopperWithPhone();
      const el = await mount();
      button(el, 'Sign in with a one-time code')!.click();
      await sendCodeTo(el, shopper.mobile);
      const sms = await latest(`+91${shopper.mobile}`);
      expect(sms.channel).to.equal('sms');
      expect(sms.text).to.match(/@localhost(:\d+)? #\d{6}$/);
      const code = input(el, 'Code')!;
      expect(code.autocomplete).to.equal('one-time-code');
      expect(code.inputMode).to.equal('numeric');
      expect(el.querySelector('[role="status"]')!.textContent).to.contain(`+91 ${shopper.mobile}`);
      const resend = [...el.querySelectorAll('button')].find((b) => b.textContent?.includes('Resend code'))!;
      expect(resend.textContent).to.match(/Resend code in \d+ seconds/);
      expect(resend.getAttribute('aria-disabled')).to.equal('true');
      await expect(el).to.be.accessible();

      const login = oneEvent(el, 'latch-login') as Promise<LatchLoginEvent>;
      fill(code, sms.code!);
      button(el, 'Verify')!.click();
      const event = await login;
      expect(event.detail.method).to.equal('otp');
      expect(event.detail.user.first_name).to.equal('Priya');
      await until(() => button(el, 'Sign out'), 'the signed-in state');
    });

    it('accepts a pasted code', async () => {
      const shopper = await shopperWithPhone();
      const el = await mount();
      button(el, 'Sign in with a one-time code')!.click();
      await sendCodeTo(el, shopper.mobile);
      const { code } = await latest(`+91${shopper.mobile}`);
      const input$ = input(el, 'Code')!;
      input$.focus();
      const paste = new ClipboardEvent('paste', { clipboardData: new DataTransfer(), cancelable: true, bubbles: true });
      paste.clipboardData!.setData('text/plain', code!);
      input$.dispatchEvent(paste);
      expect(paste.defaultPrevented, 'nothing blocks pasting').to.equal(false);
      // What the browser does with a paste the page did not cancel.
      document.execCommand('insertText', false, code!);
      expect(input$.value).to.equal(code);
      await sendKeys({ press: 'Enter' });
      await until(() => button(el, 'Sign out'), 'the signed-in state');
    });

    it('creates an account for a new number after a short completion step', async () => {
      const el = await mount();
      button(el, 'Sign in with a one-time code')!.click();
      await sendCodeTo(el, '9123456780');
      const { code } = await latest('+919123456780');
      fill(input(el, 'Code')!, code!);
      button(el, 'Verify')!.click();
      const first = await field(el, 'First name');
      expect(first.autocomplete).to.equal('given-name');
      expect(el.querySelector('h3')!.textContent).to.equal('Finish signing up');
      await expect(el).to.be.accessible();
      button(el, 'Continue')!.click();
      await until(() => first.getAttribute('aria-invalid') === 'true', 'the missing-name error');
      const login = oneEvent(el, 'latch-login') as Promise<LatchLoginEvent>;
      fill(first, 'Nia');
      fill(input(el, 'Last name (optional)')!, 'Okafor');
      button(el, 'Continue')!.click();
      const event = await login;
      expect(event.detail.user.first_name).to.equal('Nia');
      expect(event.detail.user.phone_numbers?.[0]).to.include({ phone: '9123456780', verified: true });
    });

    it('signs in by email code', async () => {
      const el = await mount();
      button(el, 'Sign in with a one-time code')!.click();
      await field(el, 'Mobile number');
      button(el, 'Use email')!.click();
      fill(await field(el, 'Email'), DEMO.email);
      button(el, 'Send code')!.click();
      await field(el, 'Code');
      const mail = await latest(DEMO.email);
      expect(mail.channel).to.equal('email');
      fill(input(el, 'Code')!, mail.code!);
      button(el, 'Verify')!.click();
      await until(() => button(el, 'Sign out'), 'the signed-in state');
    });

    it('says a wrong code is wrong, keeps the number, and asks for a new code after too many tries', async () => {
      const shopper = await shopperWithPhone();
      const el = await mount();
      button(el, 'Sign in with a one-time code')!.click();
      await sendCodeTo(el, shopper.mobile);
      const { code } = await latest(`+91${shopper.mobile}`);
      const wrong = code === '000000' ? '111111' : '000000';
      const errors: LatchErrorEvent[] = [];
      el.addEventListener('latch-error', (e) => errors.push(e));
      for (let i = 1; i <= 5; i++) {
        fill(input(el, 'Code')!, wrong);
        button(el, 'Verify')!.click();
        await until(() => errors.length === i, `answer ${i}`);
        await el.updateComplete;
        expect(input(el, 'Code')!.value, 'the wrong code is cleared').to.equal('');
      }
      expect(errors[0].detail.code).to.equal('OTP_INVALID');
      expect(errors[4].detail.code).to.equal('OTP_ATTEMPTS_EXCEEDED');
      expect(alertText(el)).to.equal('This code can no longer be used. Send a new code.');
      await expect(el).to.be.accessible();

      // The right code no longer works; a new code does.
      fill(input(el, 'Code')!, code!);
      button(el, 'Verify')!.click();
      await until(() => errors.length === 6, 'the refused right code');
      button(el, 'Send a new code')!.click();
      const fresh = await latest(`+91${shopper.mobile}`, 2);
      fill(input(el, 'Code')!, fresh.code!);
      button(el, 'Verify')!.click();
      await until(() => button(el, 'Sign out'), 'the signed-in state');
    });

    it('works by keyboard alone', async () => {
      const shopper = await shopperWithPhone();
      await setConfig({ login: { password: false, otp: true } });
      localStorage.clear();
      const el = await mount();
      (await field(el, 'Country code')).focus();
      await sendKeys({ press: 'Tab' });
      expect(document.activeElement === input(el, 'Mobile number'), 'focus').to.equal(true);
      await sendKeys({ type: shopper.mobile });
      await sendKeys({ press: 'Enter' });
      await field(el, 'Code');
      expect(document.activeElement === input(el, 'Code'), 'focus moves to the code').to.equal(true);
      const { code } = await latest(`+91${shopper.mobile}`);
      await sendKeys({ type: code! });
      await sendKeys({ press: 'Enter' });
      await until(() => button(el, 'Sign out'), 'the signed-in state');
      expect(document.activeElement?.textContent).to.contain('You are signed in');
    });
  });

  describe('forgot password', () => {
    it('is offered only when the config enables it', async () => {
      await setConfig({ forgot_password: false });
      const el = await mount();
      expect(button(el, 'Forgot password?')).to.equal(null);
    });

    it('resets by an emailed link, ends other sessions, and does not sign in by itself', async () => {
      // A session on another device, made through the admin API; the reset must end it.
      const shopper = await shopperWithEmail();
      await admin('/customers/session', { method: 'POST', body: JSON.stringify({ user_id: shopper._id }) });
      const liveSessions = async () =>
        ((await (await admin(`/customers/sessions?id=${shopper._id}`)).json()) as { items: unknown[] }).items.length;
      expect(await liveSessions()).to.equal(1);

      let el = await mount();
      button(el, 'Forgot password?')!.click();
      await until(() => button(el, 'Send reset link'), 'the forgot-password step');
      expect(document.activeElement?.textContent, 'focus moves to the new step').to.equal('Reset your password');
      fill(input(el, 'Email')!, shopper.email);
      await expect(el).to.be.accessible();
      button(el, 'Send reset link')!.click();
      await until(() => el.textContent?.includes('If an account exists for'), 'the sent notice');
      const mail = await latest(shopper.email);
      expect(mail.link).to.contain('code=');
      expect(await liveSessions(), 'asking for a link changes nothing yet').to.equal(1);
      el.remove();

      // The shopper opens the link on the store's page (the test page: the link keeps its address).
      expect(new URL(mail.link!).searchParams.get('wtr-session-id')).to.equal(new URL(home).searchParams.get('wtr-session-id'));
      history.replaceState(null, '', mail.link!);
      el = await fixture<LatchAuth>(html`<latch-auth></latch-auth>`);
      const password = await field(el, 'New password');
      expect(password.autocomplete).to.equal('new-password');
      expect(location.search, 'the code leaves the address bar').to.not.contain('code=');
      expect(location.search).to.contain('wtr-session-id');
      const code = new URL(mail.link!).searchParams.get('code')!;
      expect(holds(el, code), 'and no property of the element holds it for page scripts to read').to.equal(false);
      await expect(el).to.be.accessible();
      fill(password, 'short');
      button(el, 'Save new password')!.click();
      await until(() => el.textContent?.includes('Use at least 8 characters.'), 'the length rule');
      fill(input(el, 'New password')!, 'password123');
      button(el, 'Save new password')!.click();
      await until(() => el.textContent?.includes('one of the most common'), 'the common-password refusal');
      expect(input(el, 'New password')!.getAttribute('aria-invalid'), 'shown at the field').to.equal('true');
      fill(input(el, 'New password')!, 'a-brand-new-secret-42');
      button(el, 'Save new password')!.click();
      await until(() => el.textContent?.includes('Your password has been changed'), 'the success notice');
      expect(input(el, 'Password'), 'back on the sign-in form').to.not.equal(null);
      expect(await liveSessions(), 'every earlier session ended').to.equal(0);
      expect(await sessionUser(), 'and the reset signed nobody in').to.equal(null);

      fill(input(el, 'Email')!, shopper.email);
      fill(input(el, 'Password')!, shopper.password);
      button(el, 'Sign in')!.click();
      await until(() => alertText(el).includes('incorrect'), 'the old password refused');
      fill(input(el, 'Password')!, 'a-brand-new-secret-42');
      button(el, 'Sign in')!.click();
      await until(() => button(el, 'Sign out'), 'sign-in with the new password');
    });

    it('answers the same for an address without an account', async () => {
      const el = await mount();
      button(el, 'Forgot password?')!.click();
      await until(() => button(el, 'Send reset link'), 'the forgot-password step');
      fill(input(el, 'Email')!, 'nobody-here@example.com');
      button(el, 'Send reset link')!.click();
      await until(() => el.textContent?.includes('If an account exists for nobody-here@example.com'), 'the sent notice');
      expect((await outbox('nobody-here@example.com')).length).to.equal(0);
    });

    it('resets by a code sent to the mobile number', async () => {
      const shopper = await shopperWithPhone();
      const el = await mount();
      button(el, 'Forgot password?')!.click();
      await until(() => button(el, 'Use mobile number'), 'the forgot-password step');
      button(el, 'Use mobile number')!.click();
      fill(await field(el, 'Mobile number'), shopper.mobile);
      button(el, 'Send code')!.click();
      const code = await field(el, 'Code');
      const sms = await latest(`+91${shopper.mobile}`);
      fill(code, sms.code!);
      button(el, 'Verify')!.click();
      fill(await field(el, 'New password'), 'fresh-mobile-secret-7');
      button(el, 'Save new password')!.click();
      await until(() => el.textContent?.includes('Your password has been changed'), 'the success notice');
      fill(input(el, 'Email')!, shopper.email);
      fill(input(el, 'Password')!, 'fresh-mobile-secret-7');
      button(el, 'Sign in')!.click();
      await until(() => button(el, 'Sign out'), 'sign-in with the new password');
    });
  });

  describe('social sign-in', () => {
    /** Opens the provider popup for real and chooses an identity on its consent page. */
    async function consent(el: LatchAuth, name: string, choice: string): Promise<void> {
      const open = window.open;
      let popup: Window | null = null;
      window.open = (...args) => (popup = open.apply(window, args));
      try {
        button(el, name)!.click();
        // Loaded, not just parsed: the page's script must have wired its buttons.
        await until(() => popup?.document.readyState === 'complete' && popup.document.querySelector('button'), 'the consent page');
      } finally {
        window.open = open;
      }
      const pick = await until(
        () => [...popup!.document.querySelectorAll('button')].find((b) => b.textContent?.includes(choice)),
        `the "${choice}" choice`,
      );
      pick.click();
    }

    it('shows only the enabled providers', async () => {
      await setConfig({ social: { google: true, facebook: false, apple: true }, social_tokens: { google: { app_id: 'g-app' } } });
      const el = await mount();
      expect(button(el, 'Continue with Google')).to.not.equal(null);
      expect(button(el, 'Continue with Apple')).to.not.equal(null);
      expect(button(el, 'Continue with Facebook')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('signs in through the provider and the service', async () => {
      await setConfig({ social: { google: true }, social_tokens: { google: { app_id: 'g-app' } } });
      const el = await mount();
      const login = oneEvent(el, 'latch-login') as Promise<LatchLoginEvent>;
      await consent(el, 'Continue with Google', 'Priya');
      const event = await login;
      expect(event.detail.method).to.equal('google');
      expect(event.detail.user.emails?.[0]?.email).to.equal('priya@example.com');
      await until(() => button(el, 'Sign out'), 'the signed-in state');
    });

    it('goes back quietly when the shopper cancels', async () => {
      await setConfig({ social: { facebook: true } });
      const el = await mount();
      await consent(el, 'Continue with Facebook', 'Cancel');
      await until(() => button(el, 'Continue with Facebook')?.getAttribute('aria-disabled') === 'false', 'the button again');
      expect(alertText(el)).to.equal('');
      expect(await sessionUser()).to.equal(null);
    });
  });

  describe('captcha', () => {
    it('asks a question before a password sign-in, and refuses a wrong answer', async () => {
      await setConfig({ skip_captcha: false });
      const el = await mount();
      const question = /^Security check: What is \d+ (plus|minus|times) \d+\?$/;
      const label = await until(() => [...el.querySelectorAll('label')].find((l) => question.test(l.textContent!.trim())), 'the question');
      const check = label.control as HTMLInputElement;
      expect(check.name).to.equal('captcha');
      await expect(el).to.be.accessible();

      fill(input(el, 'Email')!, DEMO.email);
      fill(input(el, 'Password')!, DEMO.password);
      button(el, 'Sign in')!.click();
      await until(() => el.textContent?.includes('Answer the security check.'), 'the missing answer');

      expect(check.getAttribute('aria-invalid')).to.equal('true');
      expect(document.activeElement === check, 'focus').to.equal(true);
      const before = label.textContent;
      fill(check, '-1');
      fill(input(el, 'Password')!, DEMO.password);
      button(el, 'Sign in')!.click();
      await until(() => alertText(el).includes('did not pass'), 'the wrong answer');
      expect(input(el, 'Email')!.value).to.equal(DEMO.email);

      const next = await until(() => el.querySelector('[for$="-captcha"]')?.textContent !== before && el.querySelector('[for$="-captcha"]'), 'a new question');
      const [, a, op, b] = /(\d+) (plus|minus|times) (\d+)/.exec(next.textContent!)!;
      const answer = op === 'plus' ? +a + +b : op === 'minus' ? +a - +b : +a * +b;
      fill(el.querySelector<HTMLInputElement>('[name="captcha"]')!, String(answer));
      fill(input(el, 'Password')!, DEMO.password);
      button(el, 'Sign in')!.click();
      await until(() => button(el, 'Sign out'), 'the signed-in state');
    });
  });

  describe('continue as guest', () => {
    it('appears with skip_login and tells the host', async () => {
      let el = await mount();
      expect(button(el, 'Continue as guest')).to.equal(null);
      el.remove();
      localStorage.clear();
      await setConfig({ skip_login: true });
      el = await mount();
      const skip = oneEvent(el, 'latch-skip');
      button(el, 'Continue as guest')!.click();
      expect((await skip).bubbles).to.equal(true);
    });
  });

  describe('required contacts after sign-in', () => {
    async function signInDemo(el: LatchAuth): Promise<void> {
      fill(input(el, 'Email')!, DEMO.email);
      fill(input(el, 'Password')!, DEMO.password);
      button(el, 'Sign in')!.click();
    }

    it('asks for a hard-required mobile, verifies it by code, then announces the sign-in', async () => {
      await setConfig({ required_fields: { mobile: { is_required: true, level: 'hard' }, email: { is_required: false, level: 'hard' } } });
      const el = await mount();
      let announced = false;
      el.addEventListener('latch-login', () => (announced = true));
      await signInDemo(el);
      const mobile = await field(el, 'Mobile number');
      expect(el.querySelector('h3')!.textContent).to.equal('Add your mobile number');
      expect(button(el, 'Skip for now'), 'hard cannot be skipped').to.equal(null);
      expect(announced).to.equal(false);
      await expect(el).to.be.accessible();
      fill(mobile, '9000012345');
      button(el, 'Send code')!.click();
      await field(el, 'Code');
      const { code } = await latest('+919000012345');
      fill(input(el, 'Code')!, code!);
      button(el, 'Verify')!.click();
      await until(() => button(el, 'Sign out'), 'the signed-in state');
      expect(announced).to.equal(true);
      const user = (await sessionUser()) as { phone_numbers: Array<{ phone: string; verified: boolean }> };
      expect(user.phone_numbers[0]).to.include({ phone: '9000012345', verified: true });
    });

    it('lets a soft-required contact be skipped, and remembers the skip on this device', async () => {
      await setConfig({ required_fields: { mobile: { is_required: true, level: 'soft' }, email: { is_required: false, level: 'hard' } } });
      const { email, password } = await shopperWithEmail();
      let el = await mount();
      fill(input(el, 'Email')!, email);
      fill(input(el, 'Password')!, password);
      button(el, 'Sign in')!.click();
      await field(el, 'Mobile number');
      const login = oneEvent(el, 'latch-login');
      button(el, 'Skip for now')!.click();
      await login;
      await until(() => button(el, 'Sign out'), 'the signed-in state');
      el.remove();
      el = await fixture<LatchAuth>(html`<latch-auth></latch-auth>`);
      await until(() => button(el, 'Sign out'), 'the signed-in state without asking again');
    });
  });

  describe('account locked', () => {
    it('shows the locked view when the account is scheduled for deletion', async () => {
      // Sign in, then ask for deletion through the service as the delete-account flow does.
      await fetch('/service/application/user/authentication/v1.0/login/password', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: DEMO.email, password: DEMO.password }),
      });
      const user = (await sessionUser()) as { _id: string };
      // As the contract's deletion flow does: a code to the shopper's email, then delete with it.
      const sent = await fetch('/service/application/user/authentication/v1.0/otp/email/send', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: DEMO.email, action: 'send' }),
      });
      const { request_id } = (await sent.json()) as { request_id: string };
      const { code } = await latest(DEMO.email);
      const deleted = await fetch('/service/application/user/authentication/v1.0/delete', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user_id: user._id, reason: 'testing', reason_id: 'not_using', request_id, otp: code }),
      });
      expect(deleted.status, await deleted.clone().text()).to.equal(200);

      const el = await mount();
      fill(input(el, 'Email')!, DEMO.email);
      fill(input(el, 'Password')!, DEMO.password);
      button(el, 'Sign in')!.click();
      await until(() => el.querySelector('h3')?.textContent === 'Your account is locked', 'the locked view');
      expect(el.textContent).to.contain('scheduled for deletion');
      expect(document.activeElement === el.querySelector('h3'), 'focus').to.equal(true);
      await expect(el).to.be.accessible();
      button(el, 'Back to sign in')!.click();
      expect(await field(el, 'Email')).to.not.equal(null);
    });
  });
});
