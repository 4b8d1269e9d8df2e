/**
 * The code step of <latch-delete-account> (the shared CodeController and code form): a wrong code,
 * a dead one and its fresh send, and a 429 on sending, against the reference service.
 */
import { expect } from '@open-wc/testing';
import type { LatchErrorEvent } from '../../../src/events.js';
import { useClock } from '../../../src/controllers/countdown.js';
import { ManualClock } from '../../support/clock.js';
import { smsInbox } from '../../support/web-otp.js';
import { APP_BASE, alertText, button, fill, input, served, sessionUser, setConfig, until } from '../../support/service.js';
import { latest, shopper, signIn, mount, at, field, status, useDeleteService } from './support.js';

describe('<latch-delete-account> code step', () => {
  const { deletes } = useDeleteService();

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
    // Pasted as "123-456", the code is taken as its digits.
    const paste = new ClipboardEvent('paste', { clipboardData: new DataTransfer(), cancelable: true, bubbles: true });
    paste.clipboardData!.setData('text/plain', `${fresh.code!.slice(0, 3)}-${fresh.code!.slice(3)}`);
    input(el, 'Code')!.dispatchEvent(paste);
    expect(input(el, 'Code')!.value).to.equal(fresh.code);
    button(el, 'Continue')!.click();
    await at(el, 'Delete your account?');
    button(el, 'Delete my account')!.click();
    await at(el, 'Your account is scheduled for deletion');
    expect(deletes().at(-1)!.body).to.include({ reason_id: 'privacy', reason: 'I have privacy concerns', otp: fresh.code });
  });

  it('takes the code from the SMS itself where the browser offers WebOTP', async () => {
    const s = await shopper(true);
    await signIn(s.email, s.password);
    await setConfig({ delete_account_reasons: [] });
    const sms = smsInbox();
    try {
      const el = await mount();
      button(el, 'Continue')!.click();
      await at(el, 'Confirm it is you');
      button(el, 'Send code')!.click();
      await field(el, 'Code');
      await sms.asked;
      sms.deliver((await latest(`+91${s.mobile}`)).code!);
      await at(el, 'Delete your account?');
      expect(await sessionUser(), 'nothing deleted yet').to.not.equal(null);
    } finally {
      sms.restore();
    }
  });

  it('tells the service’s 429 once, counts it down on the element’s clock, and sends nothing while it lasts', async () => {
    const s = await shopper(true);
    await signIn(s.email, s.password);
    await setConfig({ delete_account_reasons: [] });
    // The service takes five codes to one phone in its window; the sixth is refused.
    for (let i = 0; i < 5; i++) {
      const sent = await fetch(`${APP_BASE}/authentication/v1.0/login/otp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ mobile: s.mobile, country_code: '91', action: 'send' }),
      });
      expect(sent.status, await sent.clone().text()).to.equal(200);
    }
    // The countdown runs on the element's clock, moved by hand: no real seconds pass.
    const clock = new ManualClock();
    useClock(clock);
    try {
      const el = await mount();
      const errors: LatchErrorEvent[] = [];
      el.addEventListener('latch-error', (e) => errors.push(e));
      button(el, 'Continue')!.click();
      await at(el, 'Confirm it is you');
      button(el, 'Send code')!.click();
      await until(() => alertText(el).startsWith('Too many attempts.'), 'the 429 message');
      expect(errors[0].detail).to.include({ action: 'delete', status: 429 });
      expect(el.textContent).to.contain('You can try again in');
      const send = button(el, 'Send code')!;
      expect(send.getAttribute('aria-disabled')).to.equal('true');
      await expect(el).to.be.accessible();

      // Counted at the service: a click during the wait sends nothing.
      const before = await served('/login/otp');
      send.click();
      await el.updateComplete;
      expect(await served('/login/otp'), 'a click during the wait sends nothing').to.equal(before);
      expect(errors.length).to.equal(1);

      // The service's wait (its whole window at most) passes on the element's clock.
      clock.advance(15 * 60_000);
      await until(() => status(el) === 'You can try again now.', 'the end of the wait');
      expect(el.textContent).to.not.contain('You can try again in');
      expect(button(el, 'Send code')!.getAttribute('aria-disabled')).to.equal('false');
      expect(clock.running, 'the ticker stops').to.equal(0);
    } finally {
      useClock();
    }
  });
});
