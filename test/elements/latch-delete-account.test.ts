/**
 * `<latch-delete-account>` end to end: Chromium, the real reference service over HTTP, codes read
 * from its dev outbox. Every config switch of deletion (reasons, consent, grace period), each way of
 * proving who the shopper is (SMS code, email code, password), the failures a shopper can meet, the
 * locked sign-in afterwards and the admin restore, by keyboard alone, and axe at every step.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/define.js';
import '../../src/dev.js';
import { LatchClient } from '../../src/api/client.js';
import { deleteSettings } from '../../src/api/delete-account.js';
import type { LatchDeleteAccount } from '../../src/elements/latch-delete-account/latch-delete-account.js';
import type { LatchAccountDeletedEvent, LatchErrorEvent } from '../../src/events.js';
import { APP_BASE, BASELINE_CONFIG, DEMO, admin, alertText, button, fill, input, resetState, sessionUser, setConfig, until } from '../support/service.js';

const DAY = 86_400_000;
/** What the service starts with, restored before each test: config changes persist across tests. */
const DELETE_DEFAULTS = {
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

interface OutboxItem {
  channel: 'sms' | 'email';
  code?: string;
}

/** The newest message to `to`, once `count` have arrived. */
async function latest(to: string, count = 1): Promise<OutboxItem> {
  let items: OutboxItem[] = [];
  await until(async () => {
    items = ((await (await fetch(`/__dev/outbox?to=${encodeURIComponent(to)}`)).json()) as { items: OutboxItem[] }).items;
    return items.length >= count;
  }, `message ${count} to ${to}`);
  return items[0];
}

let counter = 0;
/** A shopper made through the admin API: with a phone or not, contacts verified or not. */
async function shopper(phone: boolean, verified = true): Promise<{ id: string; mobile: string; email: string; password: string }> {
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

function signIn(username: string, password: string): Promise<Response> {
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
async function adminSession(userId: string): Promise<void> {
  const response = await admin('/customers/session', { method: 'POST', body: JSON.stringify({ user_id: userId }) });
  expect(response.status).to.equal(200);
  const { cookie, cookie_name } = (await response.json()) as { cookie: Record<string, string>; cookie_name: string };
  document.cookie = `${cookie_name}=${cookie[cookie_name]}; Path=/; SameSite=Lax${cookie_name.startsWith('__Host-') ? '; Secure' : ''}`;
}

async function mount(template = html`<latch-delete-account></latch-delete-account>`): Promise<LatchDeleteAccount> {
  const parent = await fixture<HTMLElement>(template);
  const el = (parent.matches('latch-delete-account') ? parent : parent.querySelector('latch-delete-account')) as LatchDeleteAccount;
  await until(() => el.querySelector('h3'), 'the first step');
  return el;
}

const title = (el: Element) => el.querySelector('h3')?.textContent?.trim();

/** Waits for the step with this heading; after a move, focus must be on that heading. */
async function at(el: LatchDeleteAccount, heading: string, moved = true): Promise<void> {
  await until(() => title(el) === heading, `the "${heading}" step`);
  if (moved) expect(document.activeElement === el.querySelector('h3'), `focus on "${heading}"`).to.equal(true);
}

const field = (el: Element, label: string) => until(() => input(el, label), `the "${label}" field`);
const dateIn = (days: number) => new Intl.DateTimeFormat('en', { dateStyle: 'long' }).format(Date.now() + days * DAY);
const status = (el: Element) => el.querySelector('[role="status"]')!.textContent!.trim();

/** Continue through explain and (when asked) a reason, up to the code being sent and typed. */
async function toConfirm(el: LatchDeleteAccount, to: string, reason?: string): Promise<void> {
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

describe('<latch-delete-account>', () => {
  // Bodies the page sent, read from a wrapper around fetch: every request still reaches the service.
  let sent: Array<{ url: string; body: Record<string, unknown> }> = [];
  const realFetch = window.fetch;
  const deletes = () => sent.filter((s) => s.url.includes('/authentication/v1.0/delete'));
  /** Code sends and deletions: what must not go out before the shopper has said yes. */
  const codesOrDeletes = () => sent.filter((s) => /\/(login\/otp|otp\/\w+\/send|delete)\b/.test(s.url));

  beforeEach(async () => {
    await resetState();
    await setConfig(DELETE_DEFAULTS);
    sent = [];
    window.fetch = (request, init) => {
      if (typeof init?.body === 'string') sent.push({ url: String(request), body: JSON.parse(init.body) as Record<string, unknown> });
      return realFetch(request, init);
    };
  });
  afterEach(() => {
    window.fetch = realFetch;
  });

  it('deletes by SMS code with a reason in the shopper’s own words; sign-in is then locked until an admin restores the account', async () => {
    const s = await shopper(true);
    expect((await signIn(s.email, s.password)).status).to.equal(200);
    const el = await mount();
    let askedToSignIn = 0;
    el.addEventListener('latch-login-required', () => askedToSignIn++);

    await at(el, 'Delete your account', false);
    expect(el.textContent).to.contain('Your account is locked straight away.');
    expect(el.textContent).to.contain('You are signed out on every device.');
    expect(el.textContent).to.contain(`After 7 days, on ${dateIn(7)}, your account and its data are deleted for good.`);
    expect(el.querySelector('[role="alert"]'), 'the alert region is there before anything goes wrong').to.not.equal(null);
    await expect(el).to.be.accessible();

    button(el, 'Continue')!.click();
    await at(el, 'Why are you leaving?');
    expect(el.querySelector('fieldset legend')!.textContent).to.equal('Choose the reason that fits best');
    expect(input(el, 'Tell us more (optional)'), 'no text box before a reason asks for one').to.equal(null);
    await expect(el).to.be.accessible();
    button(el, 'Continue')!.click();
    await until(() => el.textContent!.includes('Choose a reason.'), 'the missing reason');
    expect(alertText(el)).to.equal('Please fix the highlighted fields.');
    expect(document.activeElement === input(el, 'I no longer use this account'), 'focus on the first choice').to.equal(true);
    await expect(el).to.be.accessible();

    input(el, 'Other')!.click();
    const details = (await field(el, 'Tell us more (optional)')) as unknown as HTMLTextAreaElement;
    expect(details.localName).to.equal('textarea');
    expect(details.maxLength).to.equal(500);
    fill(details as unknown as HTMLInputElement, 'Moving to another shop');
    await until(() => el.textContent!.includes('478 characters left'), 'the count');
    const spoken = el.querySelector('[aria-live="polite"]')!;
    await until(() => spoken.textContent!.trim() === '478 characters left', 'the announced count', 3000);
    await expect(el).to.be.accessible();

    button(el, 'Continue')!.click();
    await at(el, 'Confirm it is you');
    button(el, 'Back')!.click();
    await at(el, 'Why are you leaving?');
    expect(input(el, 'Other')!.checked, 'the reason is kept').to.equal(true);
    expect(input(el, 'Tell us more (optional)')!.value, 'and the words').to.equal('Moving to another shop');
    button(el, 'Continue')!.click();

    await at(el, 'Confirm it is you');
    expect(el.textContent).to.contain(`We will send a code to +91 ${s.mobile}.`);
    await expect(el).to.be.accessible();
    button(el, 'Send code')!.click();
    const code = await field(el, 'Code');
    expect(code.autocomplete).to.equal('one-time-code');
    expect(code.inputMode).to.equal('numeric');
    expect(document.activeElement === code, 'focus on the code').to.equal(true);
    expect(status(el)).to.contain(`We sent a code to +91 ${s.mobile}`);
    const resend = [...el.querySelectorAll('button')].find((b) => b.textContent!.includes('Resend code'))!;
    expect(resend.textContent).to.match(/Resend code in \d+ seconds/);
    expect(resend.getAttribute('aria-disabled')).to.equal('true');
    const sms = await latest(`+91${s.mobile}`);
    expect(sms.channel).to.equal('sms');
    await expect(el).to.be.accessible();
    fill(code, sms.code!);
    button(el, 'Continue')!.click();

    await at(el, 'Delete your account?');
    expect(el.textContent).to.contain(`signed out on every device. It will be deleted for good on ${dateIn(7)}.`);
    expect(deletes().length, 'nothing is sent before the final click').to.equal(0);
    expect(await sessionUser()).to.not.equal(null);
    const danger = button(el, 'Delete my account')!;
    expect(getComputedStyle(danger).backgroundColor, 'danger-styled').to.equal('rgb(179, 38, 30)');
    await expect(el).to.be.accessible();

    const deleted = oneEvent(el, 'latch-account-deleted') as Promise<LatchAccountDeletedEvent>;
    danger.click();
    const event = await deleted;
    expect(event.detail.user?._id).to.equal(s.id);
    expect(Math.abs(Date.parse(event.detail.deleteOn) - (Date.now() + 7 * DAY))).to.be.below(60_000);
    expect(deletes()[0].body).to.deep.equal({
      user_id: s.id,
      reason_id: 'other',
      reason: 'Moving to another shop',
      request_id: deletes()[0].body.request_id,
      otp: sms.code,
    });
    expect(deletes()[0].body.request_id).to.be.a('string');
    await at(el, 'Your account is scheduled for deletion');
    expect(el.textContent).to.contain(`Your account will be deleted for good on ${dateIn(7)}.`);
    await expect(el).to.be.accessible();
    expect(await sessionUser(), 'signed out').to.equal(null);
    expect(askedToSignIn, 'its own sign-out is not a request to sign in').to.equal(0);

    const timeline = (await (await admin(`/customers/${s.id}/timeline`)).json()) as { timeline: Array<{ type: string; sub_title: string }> };
    expect(timeline.timeline.some((t) => t.type === 'deletion_requested' && t.sub_title.includes('Reason: Other'))).to.equal(true);
    const locked = await signIn(s.email, s.password);
    expect(locked.status).to.equal(400);
    expect(((await locked.json()) as { meta: { is_deleted: boolean } }).meta.is_deleted).to.equal(true);
    const restored = await admin('/customers/undelete', { method: 'PUT', body: JSON.stringify({ user_id: s.id, reason: 'asked to stay' }) });
    expect(restored.status, await restored.clone().text()).to.equal(200);
    expect((await signIn(s.email, s.password)).status, 'sign-in works again after the restore').to.equal(200);
  });

  it('skips the reason step without reasons, shows no consent box without consent text, and works inside <latch-provider> by email code', async () => {
    await setConfig({ delete_account_reasons: [], delete_account_consent: { consent_text: '' } });
    const s = await shopper(false);
    await signIn(s.email, s.password);
    const el = await mount(html`<latch-provider><latch-auth></latch-auth><latch-delete-account></latch-delete-account></latch-provider>`);
    const auth = el.parentElement!.querySelector('latch-auth')!;
    await until(() => button(auth, 'Sign out'), 'the shared session in <latch-auth>');
    await at(el, 'Delete your account', false);

    button(el, 'Continue')!.click();
    await at(el, 'Confirm it is you');
    expect(el.querySelector('input[type="checkbox"]'), 'no consent box').to.equal(null);
    expect(el.textContent).to.contain(`We will send a code to ${s.email}.`);
    button(el, 'Send code')!.click();
    const code = await field(el, 'Code');
    const mail = await latest(s.email);
    expect(mail.channel).to.equal('email');
    fill(code, mail.code!);
    button(el, 'Continue')!.click();
    await at(el, 'Delete your account?');
    button(el, 'Delete my account')!.click();
    await at(el, 'Your account is scheduled for deletion');
    const body = deletes()[0].body;
    expect(body).to.not.have.property('reason_id');
    expect(body).to.not.have.property('consent');
    expect(body.otp).to.equal(mail.code);
    await until(() => input(auth, 'Email'), 'every element under the provider follows the sign-out');
  });

  it('shows the grace period the config sets, reads an older service’s consent string, and cancels without sending anything', async () => {
    await signIn(DEMO.email, DEMO.password);
    await setConfig({ delete_account_day: 30 });
    let el = await mount();
    expect(el.textContent).to.contain(`After 30 days, on ${dateIn(30)},`);
    el.remove();

    localStorage.clear();
    await setConfig({ delete_account_day: 1 });
    el = await mount();
    expect(el.textContent).to.contain(`After 1 day, on ${dateIn(1)},`);
    el.remove();

    // An older service types the consent as a bare string; given inline, the config is not fetched.
    const legacy = { ...BASELINE_CONFIG, delete_account_reasons: [], delete_account_day: 14, delete_account_consent: 'I know this cannot be undone' };
    el = await mount(html`<latch-delete-account .config=${legacy}></latch-delete-account>`);
    expect(el.textContent).to.contain(`After 14 days, on ${dateIn(14)},`);
    button(el, 'Continue')!.click();
    await at(el, 'Confirm you understand');
    const box = input(el, 'I know this cannot be undone')!;
    expect(box.type).to.equal('checkbox');
    expect(box.checked, 'never ticked for the shopper').to.equal(false);
    box.click();
    button(el, 'Cancel')!.click();
    await at(el, 'Delete your account');
    expect(status(el)).to.equal('Nothing was changed. Your account is still active.');
    button(el, 'Continue')!.click();
    await at(el, 'Confirm you understand');
    expect(input(el, 'I know this cannot be undone')!.checked, 'cancel forgets the tick').to.equal(false);
    expect(codesOrDeletes().length, 'nothing sent').to.equal(0);
    expect(await sessionUser()).to.not.equal(null);
  });

  it('needs the consent box ticked before anything is sent, shows its text as text, and sends consent with the deletion', async () => {
    const text = '<img src=x onerror="window.__latchPwned=1"> I understand my orders and addresses go too';
    await setConfig({ delete_account_reasons: [], delete_account_consent: { consent_text: text } });
    const s = await shopper(true);
    await signIn(s.email, s.password);
    const el = await mount();
    button(el, 'Continue')!.click();
    await at(el, 'Confirm you understand');
    const box = input(el, text)!;
    expect(box.checked).to.equal(false);
    expect(el.querySelector('img'), 'config text is never markup').to.equal(null);
    await expect(el).to.be.accessible();

    button(el, 'Continue')!.click();
    await until(() => box.getAttribute('aria-invalid') === 'true', 'the consent error');
    expect(el.textContent).to.contain('Tick the box to confirm before you continue.');
    expect(alertText(el)).to.equal('Please fix the highlighted fields.');
    expect(document.activeElement === box, 'focus on the box').to.equal(true);
    expect(document.getElementById(box.getAttribute('aria-describedby')!)!.textContent).to.equal('Tick the box to confirm before you continue.');
    await expect(el).to.be.accessible();
    expect(codesOrDeletes().length, 'nothing sent').to.equal(0);

    box.click();
    button(el, 'Continue')!.click();
    await at(el, 'Confirm it is you');
    button(el, 'Back')!.click();
    await at(el, 'Confirm you understand');
    expect(input(el, text)!.checked, 'the tick is kept going back').to.equal(true);
    button(el, 'Continue')!.click();
    await at(el, 'Confirm it is you');
    button(el, 'Send code')!.click();
    fill(await field(el, 'Code'), (await latest(`+91${s.mobile}`)).code!);
    button(el, 'Continue')!.click();
    await at(el, 'Delete your account?');
    button(el, 'Delete my account')!.click();
    await at(el, 'Your account is scheduled for deletion');
    expect(deletes()[0].body.consent).to.equal(true);
    expect((window as unknown as { __latchPwned?: number }).__latchPwned).to.equal(undefined);
  });

  it('says a wrong code is wrong, clears only the code, and offers a new code once it is dead', async () => {
    const s = await shopper(true);
    await signIn(s.email, s.password);
    const el = await mount();
    const errors: LatchErrorEvent[] = [];
    el.addEventListener('latch-error', (e) => errors.push(e));
    const to = `+91${s.mobile}`;
    button(el, 'Continue')!.click();
    await at(el, 'Why are you leaving?');
    input(el, 'I have privacy concerns')!.click();
    button(el, 'Continue')!.click();
    await at(el, 'Confirm it is you');
    button(el, 'Send code')!.click();
    await field(el, 'Code');
    const { code } = await latest(to);
    const wrong = code === '000000' ? '111111' : '000000';

    for (let i = 1; i <= 5; i++) {
      fill(input(el, 'Code')!, wrong);
      button(el, 'Continue')!.click();
      await at(el, 'Delete your account?');
      button(el, 'Delete my account')!.click();
      await until(() => errors.length === i, `answer ${i}`);
      await at(el, 'Confirm it is you', false);
      await el.updateComplete;
      expect(input(el, 'Code')!.value, 'the wrong code is cleared').to.equal('');
      expect(document.activeElement === input(el, 'Code'), 'focus on the code').to.equal(true);
      if (i === 1) {
        expect(alertText(el)).to.equal('That code is not right. Check it and try again.');
        expect(errors[0].detail).to.include({ action: 'delete', code: 'OTP_INVALID', status: 400 });
        await expect(el).to.be.accessible();
      }
    }
    expect(errors[4].detail.code).to.equal('OTP_ATTEMPTS_EXCEEDED');
    expect(alertText(el)).to.equal('This code can no longer be used. Send a new code.');
    expect(await sessionUser(), 'still signed in').to.not.equal(null);

    button(el, 'Back')!.click();
    await at(el, 'Why are you leaving?');
    expect(input(el, 'I have privacy concerns')!.checked, 'the reason is kept').to.equal(true);
    button(el, 'Continue')!.click();
    await at(el, 'Confirm it is you');
    expect(status(el)).to.equal('');
    button(el, 'Send a new code')!.click();
    // The answer, not only the message: until it is read, the form is busy.
    await until(() => status(el).startsWith('We sent a code'), 'the new code sent');
    const fresh = await latest(to, 2);
    fill(input(el, 'Code')!, fresh.code!);
    button(el, 'Continue')!.click();
    await at(el, 'Delete your account?');
    button(el, 'Delete my account')!.click();
    await at(el, 'Your account is scheduled for deletion');
    expect(deletes().at(-1)!.body).to.include({ reason_id: 'privacy', reason: 'I have privacy concerns', otp: fresh.code });
  });

  it('asks for the password when the shopper has no verified contact, and clears a wrong one', async () => {
    const s = await shopper(false, false);
    await adminSession(s.id);
    const el = await mount();
    button(el, 'Continue')!.click();
    await at(el, 'Why are you leaving?');
    input(el, 'I have another account')!.click();
    button(el, 'Continue')!.click();
    await at(el, 'Confirm it is you');
    expect(el.textContent).to.contain('Enter your password.');
    expect(button(el, 'Send code')).to.equal(null);
    const password = input(el, 'Password')!;
    expect(password.type).to.equal('password');
    expect(password.autocomplete).to.equal('current-password');
    const username = el.querySelector<HTMLInputElement>('input[name="username"]')!;
    expect(username.value).to.equal(s.email);
    await expect(el).to.be.accessible();

    button(el, 'Continue')!.click();
    await until(() => el.textContent!.includes('Enter your password.') && password.getAttribute('aria-invalid') === 'true', 'the empty password');
    fill(password, 'not-my-password');
    button(el, 'Continue')!.click();
    await at(el, 'Delete your account?');
    button(el, 'Delete my account')!.click();
    await until(() => alertText(el) === 'That password is not right. Check it and try again.', 'the wrong password');
    await at(el, 'Confirm it is you', false);
    expect(input(el, 'Password')!.value, 'cleared').to.equal('');
    expect(document.activeElement === input(el, 'Password'), 'focus on the password').to.equal(true);
    await expect(el).to.be.accessible();

    fill(input(el, 'Password')!, s.password);
    button(el, 'Continue')!.click();
    await at(el, 'Delete your account?');
    button(el, 'Delete my account')!.click();
    await at(el, 'Your account is scheduled for deletion');
    expect(deletes().at(-1)!.body).to.deep.equal({ user_id: s.id, reason_id: 'duplicate', reason: 'I have another account', password: s.password });
  });

  it('asks a signed-out visitor to sign in, once each time the session ends', async () => {
    let asked = 0;
    const count = () => asked++;
    document.addEventListener('latch-login-required', count);
    try {
      const el = await mount(html`<latch-provider><latch-auth></latch-auth><latch-delete-account></latch-delete-account></latch-provider>`);
      await at(el, 'Sign in to delete your account', false);
      expect(el.textContent).to.contain('You need to be signed in to delete your account.');
      await expect(el).to.be.accessible();
      el.requestUpdate();
      await el.updateComplete;
      expect(asked, 'once, not at every render').to.equal(1);

      const auth = el.parentElement!.querySelector('latch-auth')!;
      fill(input(auth, 'Email')!, DEMO.email);
      fill(input(auth, 'Password')!, DEMO.password);
      button(auth, 'Sign in')!.click();
      await at(el, 'Delete your account', false);
      button(auth, 'Sign out')!.click();
      await at(el, 'Sign in to delete your account', false);
      expect(asked, 'again after the next sign-out').to.equal(2);
      expect(codesOrDeletes().length).to.equal(0);
    } finally {
      document.removeEventListener('latch-login-required', count);
    }
  });

  it('works by keyboard alone', async () => {
    const s = await shopper(true);
    await signIn(s.email, s.password);
    const el = await mount();
    await at(el, 'Delete your account', false);
    button(el, 'Continue')!.focus();
    await sendKeys({ press: 'Enter' });
    await at(el, 'Why are you leaving?');
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement === input(el, 'I no longer use this account'), 'into the choices').to.equal(true);
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    expect(input(el, 'Other')!.checked, 'arrows choose').to.equal(true);
    await field(el, 'Tell us more (optional)');
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement === input(el, 'Tell us more (optional)'), 'on to the text box').to.equal(true);
    await sendKeys({ type: 'Too many emails' });
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement === button(el, 'Continue')).to.equal(true);
    await sendKeys({ press: 'Enter' });
    await at(el, 'Confirm it is you');
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement === button(el, 'Send code')).to.equal(true);
    await sendKeys({ press: 'Enter' });
    await until(() => document.activeElement === input(el, 'Code'), 'focus on the code field');
    await sendKeys({ type: (await latest(`+91${s.mobile}`)).code! });
    await sendKeys({ press: 'Enter' });
    await at(el, 'Delete your account?');
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement === button(el, 'Delete my account')).to.equal(true);
    await sendKeys({ press: 'Space' });
    await at(el, 'Your account is scheduled for deletion');
    expect(deletes()[0].body).to.include({ reason_id: 'other', reason: 'Too many emails' });
  });

  it('shows a 429 with a countdown and keeps the send disabled until it ends', async () => {
    const s = await shopper(true);
    await signIn(s.email, s.password);
    await setConfig({ delete_account_reasons: [] });
    const el = await mount(html`<latch-delete-account api-base="/__fault/429"></latch-delete-account>`);
    const errors: LatchErrorEvent[] = [];
    el.addEventListener('latch-error', (e) => errors.push(e));
    await at(el, 'Delete your account', false);
    button(el, 'Continue')!.click();
    await at(el, 'Confirm it is you');
    button(el, 'Send code')!.click();
    await until(() => alertText(el) === 'Too many attempts. Please wait 2 seconds before trying again.', 'the 429 message');
    expect(errors[0].detail).to.include({ action: 'delete', status: 429 });
    expect(el.textContent).to.match(/You can try again in [12] seconds?\./);
    expect(button(el, 'Send code')!.getAttribute('aria-disabled')).to.equal('true');
    await expect(el).to.be.accessible();
    button(el, 'Send code')!.click();
    await until(() => status(el) === 'You can try again now.', 'the end of the wait', 4000);
    expect(errors.length, 'a click during the wait sends nothing').to.equal(1);
    expect(button(el, 'Send code')!.getAttribute('aria-disabled')).to.equal('false');
  });

  it('keeps the code through a server error and a network failure, so the next click deletes', async () => {
    await setConfig({ delete_account_reasons: [] });
    const s = await shopper(true);
    await signIn(s.email, s.password);
    const failures = ['500', 'network'];
    const client = new LatchClient({
      fetch: (request, init) => {
        if (String(request).includes('/authentication/v1.0/delete') && failures.length) {
          return failures.shift() === '500'
            ? Promise.resolve(new Response(JSON.stringify({ message: 'Internal', code: 'INTERNAL' }), { status: 500 }))
            : Promise.reject(new TypeError('Failed to fetch'));
        }
        return fetch(request, init);
      },
    });
    const el = await mount(html`<latch-delete-account .client=${client}></latch-delete-account>`);
    const errors: LatchErrorEvent[] = [];
    el.addEventListener('latch-error', (e) => errors.push(e));
    await at(el, 'Delete your account', false);
    await toConfirm(el, `+91${s.mobile}`);

    button(el, 'Delete my account')!.click();
    await until(() => alertText(el) === 'Something went wrong on our side. Please try again in a moment.', 'the server error');
    expect(errors[0].detail).to.include({ action: 'delete', kind: 'http', status: 500 });
    expect(title(el)).to.equal('Delete your account?');
    await expect(el).to.be.accessible();
    button(el, 'Delete my account')!.click();
    await until(() => alertText(el).startsWith('We could not reach'), 'the network failure');
    expect(errors[1].detail).to.include({ action: 'delete', kind: 'network' });
    expect(await sessionUser(), 'still signed in').to.not.equal(null);
    button(el, 'Delete my account')!.click();
    await at(el, 'Your account is scheduled for deletion', false);
    expect(await sessionUser()).to.equal(null);
  });

  it('reads the deletion settings leniently', () => {
    expect(deleteSettings({})).to.deep.equal({ reasons: [], consent: '', days: 7 });
    const settings = deleteSettings({
      delete_account_reasons: [
        { reason_id: 'a', reason_text: 'Fine' },
        { reason_id: 'b' },
        'nonsense',
        { reason_id: 'c', reason_text: '  ', show_text_area: true },
        { reason_id: 'd', reason_text: 'Words', show_text_area: true, extra: 1 },
      ],
      delete_account_consent: { consent_text: '  I agree  ' },
      delete_account_day: '30',
    });
    expect(settings).to.deep.equal({
      reasons: [
        { id: 'a', text: 'Fine', textArea: false },
        { id: 'd', text: 'Words', textArea: true },
      ],
      consent: 'I agree',
      days: 30,
    });
    expect(deleteSettings({ delete_account_consent: 'Old style', delete_account_day: -1 })).to.include({ consent: 'Old style', days: 7 });
    expect(deleteSettings({ delete_account_reasons: 'x', delete_account_consent: 5, delete_account_day: 2.5 }).days).to.equal(7);
  });
});
