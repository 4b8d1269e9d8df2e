/**
 * Registration, second half: a code to each contact given (the phone first), the last one signing
 * the new account in; a taken email gets the same step as anyone, and its owner a notice.
 */
import { expect, oneEvent } from '@open-wc/testing';
import '../../../../src/define.js';
import '../../../../src/dev.js';
import type { LatchRegisterEvent } from '../../../../src/events.js';
import { admin, alertText, button, fill, input, resetState, sessionUser, setConfig, shownPhone, until } from '../../../support/service.js';
import { HARD, REGISTER_CONFIG, openRegistration, outbox, rules, unique } from '../../../support/auth.js';
import { formConformance } from '../../../support/form-conformance.js';

describe('<latch-auth> step: registration code', () => {
  beforeEach(async () => {
    await resetState();
    await setConfig(REGISTER_CONFIG);
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

    await until(() => el.querySelector('h3')?.textContent?.includes(shownPhone(mobile)), 'the phone code step');
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

  formConformance('registration code', {
    open: async () => {
      const el = await openRegistration();
      const email = `code-${unique()}@example.com`;
      fill(input(el, 'First name')!, 'Ada');
      fill(input(el, 'Email')!, email);
      fill(input(el, 'New password')!, 'a-long-enough-phrase');
      button(el, 'Create account')!.click();
      await until(() => input(el, 'Code'), 'the code step');
      return el;
    },
    fields: [['Code', 'one-time-code']],
    // Short of the full length (codes of 4 to 8 digits are accepted), so typing it does not send it by itself.
    fillValid: (el) => fill(input(el, 'Code')!, '00000'),
    path: '/otp/email/verify',
  });
});
