/**
 * The password step (the first screen): sign-in, sign-out, keyboard, field problems, wrong
 * credentials, the 429 countdown, pending, and the captcha when the config asks for one.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../../src/define.js';
import '../../../../src/dev.js';
import type { LatchAuth } from '../../../../src/elements/latch-auth/latch-auth.js';
import type { LatchErrorEvent, LatchLoginEvent } from '../../../../src/events.js';
import { DEMO, alertText, button, fill, input, resetState, served, sessionUser, setConfig, until } from '../../../support/service.js';
import { ManualClock } from '../../../support/clock.js';
import { HOLD, release } from '../../../support/hold.js';
import { useClock } from '../../../../src/controllers/countdown.js';
import { useFieldRules } from '../../../../src/i18n/errors.js';
import { PATHS_CONFIG, field, latest, mount, outbox, signIn, unique } from '../../../support/auth.js';
import { formConformance } from '../../../support/form-conformance.js';

/** A button's name as heard: the text of its parts that are not hidden (its icon has none). */
const heard = (control: Element) =>
  [...control.querySelectorAll('span:not([hidden])')].map((part) => part.textContent).join('').trim();

async function mountForm(template = html`<latch-auth></latch-auth>`): Promise<LatchAuth> {
  const el = await fixture<LatchAuth>(template);
  await until(() => input(el, 'Email'), 'the password form');
  return el;
}

describe('<latch-auth> step: password', () => {
  const home = location.href;
  // A test that opens a reset link changes the address; the next one starts from the test page.
  afterEach(() => history.replaceState(null, '', home));
  beforeEach(async () => {
    await resetState();
    // The captcha test turns it on; every other test signs in without one.
    await setConfig({ skip_captcha: true });
  });

    it('signs the demo shopper in, tells the host, and signs out again', async () => {
      const el = await mountForm();
      const login = oneEvent(el, 'latch-login') as Promise<LatchLoginEvent>;
      await signIn(el);
      const event = await login;
      expect(event.detail.user.emails?.[0]?.email).to.equal(DEMO.email);
      expect(event.detail.method).to.equal('password');
      expect(event.bubbles && event.composed).to.equal(true);
      await until(() => button(el, 'Sign out'), 'the signed-in state');
      expect(el.textContent).to.contain(`You are signed in as ${DEMO.name}`);
      expect(document.activeElement?.textContent).to.contain('You are signed in');
      expect(await sessionUser()).to.not.equal(null);
      await expect(el).to.be.accessible();

      // What changes inside a live region that is already on the page is what a screen reader reads.
      const changes: MutationRecord[] = [];
      const observer = new MutationObserver((records) => changes.push(...records));
      observer.observe(el, { subtree: true, childList: true, characterData: true });
      const logout = oneEvent(el, 'latch-logout');
      button(el, 'Sign out')!.click();
      await logout;
      await until(() => input(el, 'Email'), 'the form after sign-out');
      await until(() => el.querySelector('[role="status"]')!.textContent!.includes('You have signed out.'), 'the sign-out status');
      observer.disconnect();
      expect(input(el, 'Email')!.value).to.equal('');
      expect(await sessionUser()).to.equal(null);
      // Focus lands on the empty form; the status region says why, so a screen reader hears it happened.
      expect(document.activeElement === input(el, 'Email'), 'focus on the form').to.equal(true);
      expect(el.querySelector('[role="status"]')!.textContent!.trim()).to.equal('You have signed out.');
      const intoLiveRegion = changes.some(
        (change) =>
          (change.target as Element).closest?.('[role="status"]') &&
          [...change.addedNodes].some((node) => node.textContent?.includes('You have signed out.')),
      );
      expect(intoLiveRegion, 'the words go into a status region already on the page, not in with a new one').to.equal(true);
      await expect(el).to.be.accessible();
    });

    it('recognises an existing session on a new page load', async () => {
      const el = await mountForm();
      await signIn(el);
      await until(() => button(el, 'Sign out'), 'the signed-in state');
      el.remove();
      const again = await fixture<LatchAuth>(html`<latch-auth></latch-auth>`);
      await until(() => button(again, 'Sign out'), 'the signed-in state from the session');
    });

    it('works by keyboard alone', async () => {
      const el = await mountForm();
      input(el, 'Email')!.focus();
      await sendKeys({ type: DEMO.email });
      await sendKeys({ press: 'Tab' });
      expect(document.activeElement === input(el, 'Password'), 'focus').to.equal(true);
      await sendKeys({ type: DEMO.password });
      await sendKeys({ press: 'Tab' });
      expect(heard(document.activeElement!)).to.equal('Show password');
      await sendKeys({ press: 'Enter' });
      expect(input(el, 'Password')!.type).to.equal('text');
      expect(document.activeElement?.getAttribute('aria-pressed')).to.equal('true');
      expect(heard(document.activeElement!)).to.equal('Hide password');
      await sendKeys({ press: 'Tab' });
      expect(document.activeElement === button(el, 'Sign in'), 'focus').to.equal(true);
      await sendKeys({ press: 'Enter' });
      await until(() => button(el, 'Sign out'), 'the signed-in state');
      expect(document.activeElement?.textContent).to.contain('You are signed in');
      await sendKeys({ press: 'Tab' });
      expect(document.activeElement === button(el, 'Sign out'), 'focus').to.equal(true);
    });

    it('shows and hides the password with an icon button inside the field, named for what it does', async () => {
      const el = await mountForm();
      const password = input(el, 'Password')!;
      fill(password, 'correct horse');
      const toggle = password.parentElement!.querySelector<HTMLButtonElement>('button')!;
      expect(heard(toggle)).to.equal('Show password');
      expect(toggle.getAttribute('aria-pressed')).to.equal('false');
      // Inside the field's box, at its end: the field keeps the whole row, even on a phone.
      const field = password.getBoundingClientRect();
      const box = toggle.getBoundingClientRect();
      expect(box.left >= field.left && box.right <= field.right + 0.5, 'the toggle is inside the field').to.equal(true);
      expect(box.height).to.be.at.least(40);
      expect(toggle.querySelector('svg')!.getAttribute('aria-hidden')).to.equal('true');
      toggle.click();
      expect(password.type).to.equal('text');
      expect(toggle.getAttribute('aria-pressed')).to.equal('true');
      expect(heard(toggle)).to.equal('Hide password');
      await expect(el).to.be.accessible();
      // A render (a message appearing) keeps what the shopper chose.
      el.requestUpdate();
      await el.updateComplete;
      expect(heard(toggle)).to.equal('Hide password');
      toggle.click();
      expect(password.type).to.equal('password');
      expect(heard(toggle)).to.equal('Show password');
      expect(password.value).to.equal('correct horse');
    });

    it('puts "Forgot password?" on the password label row and "New here? Create account" at the foot', async () => {
      await setConfig({ skip_captcha: true, forgot_password: true, register: true });
      const el = await mountForm();
      const forgot = button(el, 'Forgot password?')!;
      const label = el.querySelector<HTMLLabelElement>(`label[for="${input(el, 'Password')!.id}"]`)!;
      expect(forgot.parentElement, 'same row as the label').to.equal(label.parentElement);
      expect(forgot.parentElement!.classList.contains('latch-field__head')).to.equal(true);
      // Same line, at the end of the row.
      const l = label.getBoundingClientRect();
      const f = forgot.getBoundingClientRect();
      expect(Math.abs(l.top + l.height / 2 - (f.top + f.height / 2))).to.be.below(6);
      expect(Math.abs(f.right - input(el, 'Password')!.getBoundingClientRect().right)).to.be.below(1);
      const footer = el.querySelector('.latch-footer')!;
      expect(footer.textContent!.replace(/\s+/g, ' ').trim()).to.equal('New here? Create account');
      expect(footer.querySelector('button')).to.equal(button(el, 'Create account'));
      // The footer is the card's last line, after the form.
      const form = el.querySelector('form')!;
      expect(form.compareDocumentPosition(footer) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0);
      await expect(el).to.be.accessible();
    });

    it('submits with Enter from the password field', async () => {
      const el = await mountForm();
      fill(input(el, 'Email')!, DEMO.email);
      fill(input(el, 'Password')!, DEMO.password);
      await sendKeys({ press: 'Enter' });
      await until(() => button(el, 'Sign out'), 'the signed-in state');
    });

    it('points at empty and malformed fields, and focuses the first one', async () => {
      const el = await mountForm();
      const sent = await served('/login/password');
      button(el, 'Sign in')!.click();
      await until(() => el.querySelector('[aria-invalid="true"]'), 'field errors');
      const email = input(el, 'Email')!;
      expect(email.getAttribute('aria-invalid')).to.equal('true');
      expect(document.getElementById(email.getAttribute('aria-describedby')!)!.textContent).to.equal('Enter your email address.');
      expect(input(el, 'Password')!.getAttribute('aria-invalid')).to.equal('true');
      expect(document.activeElement === email, 'focus').to.equal(true);
      expect(alertText(el)).to.contain('Please fix the highlighted fields.');
      expect(await served('/login/password'), 'nothing sent').to.equal(sent);
      await expect(el).to.be.accessible();

      fill(email, 'not-an-email');
      fill(input(el, 'Password')!, 'whatever123');
      button(el, 'Sign in')!.click();
      await until(() => el.textContent?.includes('like name@example.com'), 'the format message');
      expect(input(el, 'Password')!.hasAttribute('aria-invalid')).to.equal(false);
    });

    it('keeps the email, clears the password and says so on wrong credentials', async () => {
      const el = await mountForm();
      const error = oneEvent(el, 'latch-error') as Promise<LatchErrorEvent>;
      await signIn(el, DEMO.email, 'wrong-password-123');
      const event = await error;
      expect(event.detail).to.include({ action: 'login', kind: 'http', status: 400, code: 'INVALID_CREDENTIALS' });
      await until(() => alertText(el), 'the error message');
      expect(alertText(el)).to.equal('The email or password is incorrect. Check them and try again.');
      expect(input(el, 'Email')!.value).to.equal(DEMO.email);
      expect(input(el, 'Password')!.value).to.equal('');
      expect(document.activeElement === input(el, 'Password'), 'focus').to.equal(true);
      await expect(el).to.be.accessible();
    });

    it('words a field problem the service names by its rule, even before any other step has loaded', async () => {
      // As on a fresh page: the rules that read the service's field problems come with the steps.
      useFieldRules(() => ({ key: 'field.check' }));
      const el = await mountForm(html`<latch-auth api-base="/__fault/field-long"></latch-auth>`);
      await signIn(el, DEMO.email, 'any-password-123');
      await until(() => input(el, 'Email')!.getAttribute('aria-invalid'), 'the field problem');
      const email = input(el, 'Email')!;
      expect(el.querySelector(`#${email.getAttribute('aria-describedby')}`)!.textContent).to.equal('Use at most 12 characters.');
      expect(alertText(el)).to.equal('Please fix the highlighted fields.');
      expect(document.activeElement === email, 'focus on the field').to.equal(true);
      expect(email.value, 'what was typed stays').to.equal(DEMO.email);
      await expect(el).to.be.accessible();
    });

    it('says the same for an account that does not exist', async () => {
      const el = await mountForm();
      await signIn(el, 'nobody@example.com', 'wrong-password-123');
      await until(() => alertText(el), 'the error message');
      expect(alertText(el)).to.equal('The email or password is incorrect. Check them and try again.');
    });

    it('shows a countdown after too many attempts and blocks submitting until it ends', async () => {
      const el = await mountForm();
      const email = 'rate-limited@example.com';
      let limited: LatchErrorEvent | undefined;
      for (let i = 0; i < 15 && !limited; i++) {
        const error = oneEvent(el, 'latch-error') as Promise<LatchErrorEvent>;
        await signIn(el, email, `wrong-password-${i}`);
        const event = await error;
        if (event.detail.status === 429) limited = event;
        await el.updateComplete;
      }
      expect(limited, 'a 429 from the service').to.not.equal(undefined);
      expect(alertText(el)).to.match(/^Too many attempts. You can try again in \d+ minutes.$/);
      const submit = button(el, 'Sign in')!;
      expect(submit.getAttribute('aria-disabled')).to.equal('true');
      expect(input(el, 'Email')!.value).to.equal(email);
      const before = await served('/login/password');
      submit.click();
      await el.updateComplete;
      expect(submit.getAttribute('aria-busy'), 'no request running').to.equal('false');
      expect(await served('/login/password'), 'nothing sent while waiting').to.equal(before);

      await expect(el).to.be.accessible();
    });

    it('counts a short wait down on the element\'s clock, then lets the shopper try again and says so', async () => {
      const clock = new ManualClock();
      useClock(clock);
      try {
        const el = await mountForm(html`<latch-auth api-base="/__fault/429"></latch-auth>`);
        await signIn(el);
        await until(() => alertText(el).includes('You can try again in 2 seconds.'), 'the 429 message');
        expect(button(el, 'Sign in')!.getAttribute('aria-disabled')).to.equal('true');
        clock.advance(1000);
        await el.updateComplete;
        expect(alertText(el)).to.equal('Too many attempts. You can try again in 1 second.');
        clock.advance(1000);
        await el.updateComplete;
        expect(el.querySelector('[role="status"]')!.textContent).to.contain('You can try again now.');
        expect(alertText(el)).to.equal('');
        expect(button(el, 'Sign in')!.getAttribute('aria-disabled')).to.equal('false');
        expect(input(el, 'Email')!.value).to.equal(DEMO.email);
        expect(clock.running, 'the ticker stops').to.equal(0);
      } finally {
        useClock();
      }
    });

    it('marks the button busy while signing in and sends one request for two submits', async () => {
      const el = await fixture<LatchAuth>(html`<latch-auth api-base=${HOLD}></latch-auth>`);
      await until(() => input(el, 'Email'), 'the form');
      const sent = await served('/login/password');
      fill(input(el, 'Email')!, DEMO.email);
      fill(input(el, 'Password')!, DEMO.password);
      const form = el.querySelector('form')!;
      form.requestSubmit();
      form.requestSubmit();
      await el.updateComplete;
      // The sign-in is held at the test server: this is what the shopper sees while waiting.
      const busy = button(el, 'Please wait…')!;
      expect(busy, 'the pending state').to.not.equal(null);
      expect(busy.getAttribute('aria-busy')).to.equal('true');
      expect(busy.getAttribute('aria-disabled')).to.equal('true');
      expect(input(el, 'Email')!.value, 'what was typed stays').to.equal(DEMO.email);
      expect(input(el, 'Password')!.value).to.equal(DEMO.password);
      await expect(el).to.be.accessible();
      expect(button(el, 'Please wait…'), 'still pending after the checks').to.equal(busy);
      expect(await release(), 'one request for two submits').to.deep.equal({ released: 1, abandoned: 0 });
      await until(() => button(el, 'Sign out'), 'the signed-in state');
      expect(button(el, 'Please wait…')).to.equal(null);
      expect(await served('/login/password') - sent, 'one request for two submits').to.equal(1);
    });

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

    it('shows the security check the store turned on after the page loaded, keeping what was typed', async () => {
      const el = await mount();
      fill(await until(() => input(el, 'Email'), 'the form'), DEMO.email);
      fill(input(el, 'Password')!, DEMO.password);
      expect(el.querySelector('[name="captcha"]'), 'no question yet').to.equal(null);
      // The admin turns captcha on while this page is open: the service now refuses without an answer.
      await setConfig({ skip_captcha: false });
      button(el, 'Sign in')!.click();
      const check = await until(() => el.querySelector<HTMLInputElement>('[name="captcha"]'), 'the question, without a reload');
      expect(alertText(el)).to.equal('Answer the security check.');
      expect(input(el, 'Email')!.value).to.equal(DEMO.email);
      expect(input(el, 'Password')!.value, 'the password stays too').to.equal(DEMO.password);
      await until(() => /^Security check: What is \d+ (plus|minus|times) \d+\?$/.test(check.labels![0].textContent!.trim()), 'the question asked');
      await until(() => document.activeElement === el.querySelector('[name="captcha"]'), 'focus on the question');
      await expect(el).to.be.accessible();
    });

  it('says a 429 once: one message, its countdown in it', async () => {
    const el = await mountForm(html`<latch-auth api-base="/__fault/429"></latch-auth>`);
    await signIn(el);
    await until(() => alertText(el).includes('Too many attempts'), 'the 429 message');
    const saying = [...el.querySelectorAll('.latch-notice')].filter((p) => /too many|try again|wait/i.test(p.textContent!));
    expect(saying.map((p) => p.textContent!.trim())).to.deep.equal(['Too many attempts. You can try again in 2 seconds.']);
    await expect(el).to.be.accessible();
  });

  describe('an account locked for passwords (429 with meta.locked)', () => {
    const offer = 'Sign in with a one-time code instead';

    it('says a one-time code still works and offers it, with the typed email carried over', async () => {
      await setConfig(PATHS_CONFIG);
      const el = await mountForm(html`<latch-auth api-base="/__fault/lock-account-otp"></latch-auth>`);
      const error = oneEvent(el, 'latch-error') as Promise<LatchErrorEvent>;
      await signIn(el, DEMO.email, 'a-guess-too-many');
      expect((await error).detail).to.include({ action: 'login', status: 429, code: 'TOO_MANY_ATTEMPTS' });
      const instead = await until(() => button(el, offer), 'the offer of a code');
      expect(alertText(el)).to.equal('Too many attempts. You can try again in 15 minutes.');
      expect(el.querySelector('[role="status"]')!.textContent!.trim()).to.equal(
        'Password sign-in is paused for this account, but a one-time code still works.',
      );
      expect(button(el, 'Sign in')!.getAttribute('aria-disabled'), 'passwords wait').to.equal('true');
      expect(button(el, 'Sign in with a one-time code'), 'one way to the code, not two').to.equal(null);
      await expect(el).to.be.accessible();

      const login = oneEvent(el, 'latch-login') as Promise<LatchLoginEvent>;
      instead.click();
      await until(() => button(el, 'Send code'), 'the code request');
      const email = input(el, 'Email')!;
      expect(email.value, 'the typed email, not typed twice').to.equal(DEMO.email);
      expect(document.activeElement === email, 'focus on the step').to.equal(true);
      expect(alertText(el), 'the password wait does not follow').to.equal('');
      expect(button(el, 'Send code')!.getAttribute('aria-disabled')).to.equal('false');
      await expect(el).to.be.accessible();

      const before = (await outbox(DEMO.email)).length;
      button(el, 'Send code')!.click();
      const { code } = await latest(DEMO.email, before + 1);
      fill(await field(el, 'Code'), code!);
      button(el, 'Verify')!.click();
      expect((await login).detail.method).to.equal('otp');
      await until(() => button(el, 'Sign out'), 'the signed-in state');
    });

    it('offers nothing more when the lock is the network\'s, codes are off at the service, or this widget has no code sign-in', async () => {
      for (const [base, config, why] of [
        ['/__fault/lock-network-otp', PATHS_CONFIG, 'the address is limited, not the account'],
        ['/__fault/lock-account', PATHS_CONFIG, 'the service takes no codes'],
        ['/__fault/lock-account-otp', { ...PATHS_CONFIG, login: { password: true, otp: false } }, 'code sign-in is off'],
      ] as const) {
        await setConfig(config);
        localStorage.clear();
        const el = await mountForm(html`<latch-auth api-base=${base}></latch-auth>`);
        await signIn(el, DEMO.email, 'a-guess-too-many');
        await until(() => alertText(el).startsWith('Too many attempts.'), 'the 429');
        expect(button(el, offer), why).to.equal(null);
        expect(el.querySelector('[role="status"]')!.textContent!.trim(), why).to.equal('');
        el.remove();
      }
    });
  });

  formConformance('password', {
    open: () => mountForm(),
    fields: [
      ['Email', 'username'],
      ['Password', 'current-password'],
    ],
    fillValid: (el) => {
      fill(input(el, 'Email')!, `conformance-${unique()}@example.com`);
      fill(input(el, 'Password')!, 'a-wrong-but-well-formed-password');
    },
    path: '/authentication/v1.0/login/password',
  });
});
