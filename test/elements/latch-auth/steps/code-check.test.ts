/**
 * Sign-in by code, second half: the code by SMS or email, pasted, wrong, dead and sent again.
 */
import { expect, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../../src/define.js';
import '../../../../src/dev.js';
import type { LatchErrorEvent, LatchLoginEvent } from '../../../../src/events.js';
import { alertText, button, DEMO, fill, input, resetState, served, setConfig, shownPhone, until } from '../../../support/service.js';
import { PATHS_CONFIG, field, latest, mount, sendCodeTo, shopperWithPhone } from '../../../support/auth.js';
import { ManualClock } from '../../../support/clock.js';
import { useClock } from '../../../../src/controllers/countdown.js';
import { formConformance } from '../../../support/form-conformance.js';

describe('<latch-auth> step: code-check', () => {
  const home = location.href;
  // A test that opens a reset link changes the address; the next one starts from the test page.
  afterEach(() => history.replaceState(null, '', home));
  beforeEach(async () => {
    await resetState();
    await setConfig(PATHS_CONFIG);
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
      expect(el.querySelector('[role="status"]')!.textContent).to.contain(shownPhone(shopper.mobile));
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

  it('sends the code by itself once all six digits are typed: one request, none before', async () => {
    const shopper = await shopperWithPhone();
    const el = await mount();
    button(el, 'Sign in with a one-time code')!.click();
    await sendCodeTo(el, shopper.mobile);
    const { code } = await latest(`+91${shopper.mobile}`);
    const before = await served('/otp/mobile/verify');
    input(el, 'Code')!.focus();
    await sendKeys({ type: code!.slice(0, 5) });
    expect(await served('/otp/mobile/verify'), 'nothing sent at five digits').to.equal(before);
    await sendKeys({ type: code!.slice(5) });
    await until(() => button(el, 'Sign out'), 'the signed-in state');
    expect(await served('/otp/mobile/verify'), 'sent once, at the sixth digit').to.equal(before + 1);
  });

  it('sends a pasted code by itself, spaces and all', async () => {
    const shopper = await shopperWithPhone();
    const el = await mount();
    button(el, 'Sign in with a one-time code')!.click();
    await sendCodeTo(el, shopper.mobile);
    const { code } = await latest(`+91${shopper.mobile}`);
    const before = await served('/otp/mobile/verify');
    const data = new DataTransfer();
    data.setData('text/plain', `${code!.slice(0, 3)} ${code!.slice(3)}`);
    input(el, 'Code')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    await until(() => button(el, 'Sign out'), 'the signed-in state');
    expect(await served('/otp/mobile/verify')).to.equal(before + 1);
  });

  it('counts the resend wait down on the element\'s clock, sending nothing before its time', async () => {
    const clock = new ManualClock();
    useClock(clock);
    try {
      const shopper = await shopperWithPhone();
      const el = await mount();
      button(el, 'Sign in with a one-time code')!.click();
      await sendCodeTo(el, shopper.mobile);
      const resend = () => el.querySelector<HTMLButtonElement>('form[name="verify"] .latch-link')!;
      expect(resend().textContent!.trim()).to.equal('Resend code in 30 seconds');
      expect(resend().getAttribute('aria-disabled')).to.equal('true');
      clock.advance(29_000);
      await el.updateComplete;
      expect(resend().textContent!.trim()).to.equal('Resend code in 1 second');
      const before = await served('/otp/mobile/send');
      resend().click();
      await el.updateComplete;
      expect(el.querySelector('[aria-busy="true"]') === null, 'nothing running').to.equal(true);
      expect(await served('/otp/mobile/send'), 'no resend before its time').to.equal(before);
      clock.advance(1000);
      await el.updateComplete;
      expect(resend().textContent!.trim()).to.equal('Resend code');
      expect(resend().getAttribute('aria-disabled')).to.equal('false');
      expect(clock.running, 'the ticker stops when nothing counts down').to.equal(0);
    } finally {
      useClock();
    }
  });

  formConformance('code check', {
    open: async () => {
      const shopper = await shopperWithPhone();
      const el = await mount();
      button(el, 'Sign in with a one-time code')!.click();
      await sendCodeTo(el, shopper.mobile);
      return el;
    },
    fields: [['Code', 'one-time-code']],
    // Short of the full length (codes of 4 to 8 digits are accepted), so typing it does not send it by itself.
    fillValid: (el) => fill(input(el, 'Code')!, '00000'),
    path: '/otp/mobile/verify',
  });
});
