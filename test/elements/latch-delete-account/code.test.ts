/**
 * The code step of <latch-delete-account> (src/elements/latch-delete-account/code.ts): a wrong code,
 * a dead one and its fresh send, and a 429 on sending, against the reference service.
 */
import { expect, html } from '@open-wc/testing';
import type { LatchErrorEvent } from '../../../src/events.js';
import { fakeClock } from '../../support/clock.js';
import { alertText, button, fill, input, sessionUser, setConfig, until } from '../../support/service.js';
import { latest, shopper, signIn, mount, at, field, status, useDeleteService } from './support.js';

describe('<latch-delete-account> code step', () => {
  const { deletes, codesOrDeletes } = useDeleteService();

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
    // The countdown runs on a clock moved by hand: no real seconds pass.
    const clock = fakeClock();
    try {
      button(el, 'Send code')!.click();
      await until(() => alertText(el) === 'Too many attempts. Please wait 2 seconds before trying again.', 'the 429 message');
      expect(errors[0].detail).to.include({ action: 'delete', status: 429 });
      expect(el.textContent).to.contain('You can try again in 2 seconds.');
      expect(button(el, 'Send code')!.getAttribute('aria-disabled')).to.equal('true');
      await expect(el).to.be.accessible();
      const sends = codesOrDeletes().length;
      button(el, 'Send code')!.click();
      clock.advance(1000);
      await until(() => el.textContent!.includes('You can try again in 1 second.'), 'the countdown');
      // Counted where requests leave the page, not by waiting.
      expect(codesOrDeletes().length, 'a click during the wait sends nothing').to.equal(sends);
      expect(errors.length).to.equal(1);
      clock.advance(1000);
      await until(() => status(el) === 'You can try again now.', 'the end of the wait');
      expect(button(el, 'Send code')!.getAttribute('aria-disabled')).to.equal('false');
    } finally {
      clock.restore();
    }
  });

});
