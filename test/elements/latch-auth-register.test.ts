/**
 * Registration in <latch-auth>, end to end against the reference service: the form follows
 * `register_required_fields` (shown, hard = mandatory, soft = optional), validates like the service,
 * verifies every contact by code from the dev outbox, and ends signed in with `latch-register`.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/define.js';
import '../../src/dev.js';
import type { LatchAuth } from '../../src/elements/latch-auth/latch-auth.js';
import type { LatchRegisterEvent } from '../../src/events.js';
import { admin, alertText, button, fill, input, resetState, sessionUser, setConfig, until } from '../support/service.js';

interface OutboxItem {
  to: string;
  text: string;
  code?: string;
}

async function outbox(to: string): Promise<OutboxItem[]> {
  return ((await (await fetch(`/__dev/outbox?to=${encodeURIComponent(to)}`)).json()) as { items: OutboxItem[] }).items;
}

type Rule = { is_required: boolean; level: 'hard' | 'soft' };
const rules = (email: Rule, mobile: Rule) => ({ register_required_fields: { email, mobile } });
const HARD: Rule = { is_required: true, level: 'hard' };
const SOFT: Rule = { is_required: true, level: 'soft' };
const OFF: Rule = { is_required: false, level: 'hard' };

let counter = 0;
const unique = () => `${Date.now()}${++counter}`;

async function openRegistration(template = html`<latch-auth></latch-auth>`): Promise<LatchAuth> {
  const el = await fixture<LatchAuth>(template);
  await until(() => button(el, 'Create account') ?? input(el, 'First name'), 'the widget');
  if (!input(el, 'First name')) button(el, 'Create account')!.click();
  await until(() => input(el, 'First name'), 'the registration form');
  return el;
}

/** The label text of a field, without the required marker the browser adds nothing for. */
const label = (el: Element, name: string) => el.querySelector<HTMLLabelElement>(`label[for$="-${name}"]`)?.textContent?.trim();

describe('<latch-auth> registration', () => {
  beforeEach(async () => {
    await resetState();
    await setConfig({
      register: true,
      login: { password: true, otp: false },
      skip_captcha: true,
      required_fields: { email: OFF, mobile: { is_required: false, level: 'soft' } },
      ...rules(HARD, OFF),
    });
  });

  it('appears only when the config allows it, and opens directly with view="register"', async () => {
    await setConfig({ register: false });
    let el = await fixture<LatchAuth>(html`<latch-auth></latch-auth>`);
    await until(() => input(el, 'Email'), 'the sign-in form');
    expect(button(el, 'Create account')).to.equal(null);
    el.remove();

    localStorage.clear();
    await setConfig({ register: true });
    el = await fixture<LatchAuth>(html`<latch-auth view="register"></latch-auth>`);
    await until(() => input(el, 'First name'), 'the registration form');
    expect(el.querySelector('h3')!.textContent).to.equal('Create your account');
  });

  it('carries what was typed on the sign-in form over to registration', async () => {
    const el = await fixture<LatchAuth>(html`<latch-auth></latch-auth>`);
    fill(await until(() => input(el, 'Email'), 'the sign-in form'), 'carry@example.com');
    button(el, 'Create account')!.click();
    const email = await until(() => input(el, 'First name') && input(el, 'Email'), 'the registration form');
    expect(email.value).to.equal('carry@example.com');
  });

  it('renders the fields with the tokens browsers fill, and is accessible', async () => {
    await setConfig(rules(HARD, SOFT));
    const el = await openRegistration();
    expect(input(el, 'First name')!.autocomplete).to.equal('given-name');
    expect(input(el, 'Last name (optional)')!.autocomplete).to.equal('family-name');
    expect(input(el, 'Email')!.autocomplete).to.equal('email');
    expect(input(el, 'Email')!.required).to.equal(true);
    expect(input(el, 'Mobile number (optional)')!.autocomplete).to.equal('tel-national');
    expect(input(el, 'Mobile number (optional)')!.required).to.equal(false);
    expect(input(el, 'New password')!.autocomplete).to.equal('new-password');
    expect(el.querySelector('select[name="gender"]')).to.not.equal(null);
    await expect(el).to.be.accessible();
  });

  for (const [name, email, mobile, expectEmail, expectMobile] of [
    ['email hard, mobile off', HARD, OFF, 'Email', null],
    ['email soft, mobile hard', SOFT, HARD, 'Email (optional)', 'Mobile number'],
    ['email off, mobile soft', OFF, SOFT, null, 'Mobile number (optional)'],
    ['both off: both offered, one needed', OFF, OFF, 'Email (optional)', 'Mobile number (optional)'],
  ] as const) {
    it(`follows register_required_fields: ${name}`, async () => {
      await setConfig(rules(email, mobile));
      const el = await openRegistration();
      expect(label(el, 'email') ?? null).to.equal(expectEmail);
      expect(label(el, 'mobile') ?? null).to.equal(expectMobile);
      // Submitting empty names exactly the mandatory fields.
      button(el, 'Create account')!.click();
      await until(() => el.querySelector('[aria-invalid="true"]'), 'the field errors');
      const invalid = [...el.querySelectorAll('[aria-invalid="true"]')].map((i) => (i as HTMLInputElement).name).sort();
      const expected = ['first_name', 'password'];
      if (email === HARD) expected.push('email');
      if (mobile === HARD) expected.push('country_code', 'mobile');
      if (email === OFF && mobile === OFF) expected.push('email');
      // The country code has a default, so only the number is empty.
      expect(invalid).to.deep.equal(expected.filter((n) => n !== 'country_code').sort());
      expect(document.activeElement === input(el, 'First name'), 'focus on the first problem').to.equal(true);
      expect(alertText(el)).to.equal('Please fix the highlighted fields.');
      await expect(el).to.be.accessible();
    });
  }

  it('validates an optional contact only when it is filled', async () => {
    await setConfig(rules(HARD, SOFT));
    const el = await openRegistration();
    fill(input(el, 'Mobile number (optional)')!, '12');
    button(el, 'Create account')!.click();
    await until(() => input(el, 'Mobile number (optional)')!.getAttribute('aria-invalid') === 'true', 'the mobile error');
    const described = document.getElementById(input(el, 'Mobile number (optional)')!.getAttribute('aria-describedby')!);
    expect(described!.textContent).to.equal('Enter a mobile number of 6 to 15 digits.');
  });

  it('registers with email and mobile, verifies both by code, and ends signed in', async () => {
    await setConfig(rules(HARD, HARD));
    const id = unique();
    const email = `new-${id}@example.com`;
    const mobile = `8${id.slice(-9).padStart(9, '0')}`;
    const el = await openRegistration();
    fill(input(el, 'First name')!, 'Ada');
    fill(input(el, 'Last name (optional)')!, 'Lovelace');
    fill(input(el, 'Email')!, email);
    fill(input(el, 'Mobile number')!, mobile);
    fill(input(el, 'New password')!, 'a-long-enough-phrase');
    const registered = oneEvent(el, 'latch-register') as Promise<LatchRegisterEvent>;
    button(el, 'Create account')!.click();

    await until(() => el.querySelector('h3')?.textContent?.includes(`+91 ${mobile}`), 'the phone code step');
    await expect(el).to.be.accessible();
    const sms = (await until(async () => (await outbox(`+91${mobile}`))[0], 'the SMS')).code!;
    fill(input(el, 'Code')!, sms);
    button(el, 'Verify')!.click();

    await until(() => el.querySelector('h3')?.textContent?.includes(email), 'the email code step');
    const mail = (await until(async () => (await outbox(email))[0], 'the email')).code!;
    fill(input(el, 'Code')!, mail);
    button(el, 'Verify')!.click();

    const event = await registered;
    expect(event.detail.user.first_name).to.equal('Ada');
    await until(() => button(el, 'Sign out'), 'the signed-in state');
    expect(el.textContent).to.contain('You are signed in as Ada Lovelace');
    const user = (await sessionUser()) as { emails: Array<{ verified: boolean }>; phone_numbers: Array<{ verified: boolean }> };
    expect(user.emails[0].verified && user.phone_numbers[0].verified).to.equal(true);
    // The admin sees the new account, active.
    const found = (await (await admin(`/customers/search?q=${email}`)).json()) as { users: Array<{ status: string }> };
    expect(found.users[0].status).to.equal('active');
  });

  it('answers a registration of a taken email like any other, and tells its owner instead', async () => {
    const taken = `taken-${unique()}@example.com`;
    await admin('/customers?verified=true', { method: 'POST', body: JSON.stringify({ email: taken, first_name: 'Owner', password: 'owner-password-1' }) });
    const el = await openRegistration();
    fill(input(el, 'First name')!, 'Mallory');
    fill(input(el, 'Email')!, taken);
    fill(input(el, 'New password')!, 'a-long-enough-phrase');
    button(el, 'Create account')!.click();
    await until(() => el.querySelector('h3')?.textContent?.includes(taken), 'the same code step as anyone');
    const messages = await until(async () => {
      const items = await outbox(taken);
      return items.length ? items : undefined;
    }, 'the owner notice');
    expect(messages[0].code, 'no code goes to the real owner').to.equal(undefined);
    expect(messages[0].text).to.contain('Someone tried to create an account');
    fill(input(el, 'Code')!, '123456');
    button(el, 'Verify')!.click();
    await until(() => alertText(el), 'the refusal');
    expect(alertText(el)).to.equal('That code is not right. Check it and try again.');
  });

  it('refuses short and common passwords with a clear reason, keeping what was typed', async () => {
    const el = await openRegistration();
    fill(input(el, 'First name')!, 'Grace');
    fill(input(el, 'Email')!, `pw-${unique()}@example.com`);
    fill(input(el, 'New password')!, 'short');
    button(el, 'Create account')!.click();
    await until(() => el.textContent?.includes('Use at least 8 characters.'), 'the length rule');
    fill(input(el, 'New password')!, 'password123');
    button(el, 'Create account')!.click();
    await until(() => el.textContent?.includes('one of the most common'), 'the common-password refusal');
    expect(input(el, 'New password')!.getAttribute('aria-invalid')).to.equal('true');
    expect(input(el, 'First name')!.value).to.equal('Grace');
  });

  it('asks for consent when the host links a privacy policy, never ticked for the shopper', async () => {
    const el = await openRegistration(html`<latch-auth privacy-url="https://shop.example.com/privacy"></latch-auth>`);
    const box = el.querySelector<HTMLInputElement>('input[name="consent"]')!;
    expect(box.checked).to.equal(false);
    expect(box.labels![0].querySelector('a')!.getAttribute('href')).to.equal('https://shop.example.com/privacy');
    fill(input(el, 'First name')!, 'Ada');
    fill(input(el, 'Email')!, `consent-${unique()}@example.com`);
    fill(input(el, 'New password')!, 'a-long-enough-phrase');
    button(el, 'Create account')!.click();
    await until(() => box.getAttribute('aria-invalid') === 'true', 'the consent error');
    expect(el.textContent).to.contain('Tick the box to agree to the privacy policy.');
    await expect(el).to.be.accessible();
    box.click();
    button(el, 'Create account')!.click();
    await until(() => input(el, 'Code'), 'the code step');
  });

  it('refuses an unsafe privacy link', async () => {
    const el = await openRegistration(html`<latch-auth privacy-url="javascript:alert(1)"></latch-auth>`);
    expect(el.querySelector('input[name="consent"]')).to.equal(null);
  });

  it('works by keyboard alone', async () => {
    const el = await openRegistration();
    input(el, 'First name')!.focus();
    await sendKeys({ type: 'Kay' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement === input(el, 'Email'), 'tab order reaches the email').to.equal(true);
    await sendKeys({ type: `kb-${unique()}@example.com` });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'a-long-enough-phrase' });
    await sendKeys({ press: 'Enter' });
    await until(() => input(el, 'Code'), 'the code step');
    expect(document.activeElement?.tagName).to.equal('H3');
  });
});
