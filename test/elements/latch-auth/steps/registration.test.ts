/**
 * Registration in <latch-auth>, end to end against the reference service: the form follows
 * `register_required_fields` (shown, hard = mandatory, soft = optional), validates like the service,
 * verifies every contact by code from the dev outbox, and ends signed in with `latch-register`.
 */
import { expect, fixture, fixtureCleanup, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../../src/define.js';
import '../../../../src/dev.js';
import type { LatchAuth } from '../../../../src/elements/latch-auth/latch-auth.js';
import { alertText, button, fill, input, resetState, setConfig, until } from '../../../support/service.js';
import { HARD, OFF, REGISTER_CONFIG, SOFT, answerCaptcha, openRegistration, outbox, rules, unique } from '../../../support/auth.js';
import { formConformance } from '../../../support/form-conformance.js';
import type { LatchErrorEvent } from '../../../../src/events.js';
import { catalogsSettled } from '../../../../src/i18n/localize.js';
import { axNodes } from '../../../support/a11y.js';

/** The label text of a field, without the required marker the browser adds nothing for. */
const label = (el: Element, name: string) => el.querySelector<HTMLLabelElement>(`label[for$="-${name}"]`)?.textContent?.trim();

describe('<latch-auth> step: registration', () => {
  beforeEach(async () => {
    await resetState();
    await setConfig(REGISTER_CONFIG);
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

  it('says the password rule at its field, and does not announce the consent box as invalid before the shopper has submitted', async () => {
    // The tree read is the whole page's: earlier tests' forms go first.
    fixtureCleanup();
    const el = await openRegistration(html`<latch-auth privacy-url="https://shop.example.com/privacy"></latch-auth>`);
    const [box] = await axNodes('checkbox', 'I agree to the privacy policy.');
    expect(box, 'the consent box, by its name').to.not.equal(undefined);
    expect(box.invalid, 'no "invalid entry" on a form nobody has touched').to.equal(undefined);
    expect((await axNodes('textbox', 'New password'))[0].description, 'the password rule, heard on reaching the field').to.equal('At least 8 characters. A long phrase you can remember is best.');
    const consent = el.querySelector<HTMLInputElement>('input[name="consent"]')!;
    expect(consent.getAttribute('aria-required'), 'still said to be required').to.equal('true');
    button(el, 'Create account')!.click();
    await until(() => el.textContent?.includes('Tick the box to agree to the privacy policy.'), 'the consent error');
    expect((await axNodes('textbox', 'New password'))[0].description, 'the rule, then the problem').to.equal('At least 8 characters. A long phrase you can remember is best. Use at least 8 characters.');
    const [refused] = await axNodes('checkbox', 'I agree to the privacy policy.');
    expect(refused.invalid).to.equal('true');
    expect(refused.description).to.equal('Tick the box to agree to the privacy policy.');
    await expect(el).to.be.accessible();
  });

  // The service's own words for a too-long name are English ("Use at most 60 characters"); the
  // shopper gets the rule in the page's language, the limit in that language's digits.
  for (const [lang, message] of [
    ['hi', (max: string) => `ज़्यादा से ज़्यादा ${max} अक्षर लिखें।`],
    ['ar', (max: string) => `استخدم ${max} حرفًا على الأكثر.`],
    ['bn', (max: string) => `সর্বোচ্চ ${max}টি অক্ষর লিখুন।`],
  ] as const) {
    it(`tells a name the service finds too long in its own words in ${lang}, never the service's`, async () => {
      const el = await fixture<LatchAuth>(html`<latch-auth lang=${lang} view="register"></latch-auth>`);
      await catalogsSettled();
      const named = (name: string) => el.querySelector<HTMLInputElement>(`[name="${name}"]`);
      const first = await until(() => named('first_name'), 'the registration form');
      const errors: LatchErrorEvent['detail'][] = [];
      el.addEventListener('latch-error', (event) => errors.push((event as LatchErrorEvent).detail));
      const name = 'क'.repeat(61);
      fill(first, name);
      fill(named('email')!, `long-name-${unique()}@example.com`);
      fill(named('password')!, 'a-long-enough-phrase');
      first.form!.requestSubmit();
      await until(() => first.getAttribute('aria-invalid') === 'true', 'the service\'s verdict on the name');
      const shown = document.getElementById(first.getAttribute('aria-describedby')!.split(' ')[0]!)!.textContent!.trim();
      const sixty = new Intl.NumberFormat(lang).format(60);
      expect(shown).to.equal(message(sixty));
      if (sixty !== '60') expect(shown, 'the limit in the language\'s own digits').to.not.contain('60');
      expect(el.textContent).to.not.contain('Use at most');
      expect(first.value, 'what was typed stays').to.equal(name);
      expect(document.activeElement === first, 'focus on the name').to.equal(true);
      expect(errors[0], 'the host still gets the service\'s words').to.include({ action: 'register', code: 'VALIDATION_ERROR' });
      expect(errors[0]!.message).to.contain('Use at most 60 characters');
      await expect(el).to.be.accessible();
    });
  }

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

  it('registers while the config asks for a captcha (skip_captcha: false)', async () => {
    await setConfig({ skip_captcha: false });
    const email = `captcha-${unique()}@example.com`;
    const el = await openRegistration();
    fill(input(el, 'First name')!, 'Cat');
    fill(input(el, 'Email')!, email);
    fill(input(el, 'New password')!, 'a-long-enough-phrase');
    await answerCaptcha(el);
    button(el, 'Create account')!.click();
    await until(() => el.querySelector('h3')?.textContent?.includes(email), 'the email code step');
    fill(input(el, 'Code')!, (await until(async () => (await outbox(email))[0], 'the email')).code!);
    const registered = oneEvent(el, 'latch-register');
    button(el, 'Verify')!.click();
    await registered;
  });

  formConformance('registration', {
    open: () => openRegistration(),
    fields: [
      ['First name', 'given-name'],
      ['Last name (optional)', 'family-name'],
      ['Email', 'email'],
      ['New password', 'new-password'],
    ],
    fillValid: (el) => {
      fill(input(el, 'First name')!, 'Ada');
      fill(input(el, 'Email')!, `conformance-${unique()}@example.com`);
      fill(input(el, 'New password')!, 'a-long-enough-phrase');
    },
    path: '/register/form',
  });
});
