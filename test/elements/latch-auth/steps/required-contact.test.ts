/**
 * After sign-in, a contact the config requires: added by code, or skipped when soft.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../../../src/define.js';
import '../../../../src/dev.js';
import type { LatchAuth } from '../../../../src/elements/latch-auth/latch-auth.js';
import { button, fill, input, resetState, sessionUser, setConfig, until } from '../../../support/service.js';
import { PATHS_CONFIG, field, latest, mount, shopperWithEmail, signIn, unique } from '../../../support/auth.js';
import { formConformance } from '../../../support/form-conformance.js';

const signInDemo = (el: LatchAuth) => signIn(el);

describe('<latch-auth> step: required-contact', () => {
  const home = location.href;
  // A test that opens a reset link changes the address; the next one starts from the test page.
  afterEach(() => history.replaceState(null, '', home));
  beforeEach(async () => {
    await resetState();
    await setConfig(PATHS_CONFIG);
  });

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
      // Where the next thing to type is, as after sending a sign-in code: the heading has not changed.
      await until(() => document.activeElement === input(el, 'Code'), 'focus on the code field');
      expect(el.querySelector('[role="status"]')!.textContent, 'and the status says where it went').to.contain('We sent a code to');
      await expect(el).to.be.accessible();
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

  it('puts focus on the signed-in view after the contact is verified or skipped', async () => {
    await setConfig({ required_fields: { mobile: { is_required: true, level: 'soft' }, email: { is_required: false, level: 'hard' } } });
    const shopper = await shopperWithEmail();
    const el = await mount();
    await signIn(el, shopper.email, shopper.password);
    await field(el, 'Mobile number');
    button(el, 'Skip for now')!.focus();
    button(el, 'Skip for now')!.click();
    await until(() => button(el, 'Sign out'), 'the signed-in state');
    const focused = () => (document.activeElement === document.body ? 'the page body' : document.activeElement?.textContent?.trim());
    expect(focused(), 'focus on the new view after a skip').to.match(/^You are signed in as /);

    button(el, 'Sign out')!.click();
    await until(() => input(el, 'Email'), 'the sign-in form');
    localStorage.clear();
    await signIn(el, shopper.email, shopper.password);
    const mobile = `94${unique().slice(-8)}`;
    fill(await field(el, 'Mobile number'), mobile);
    button(el, 'Send code')!.click();
    fill(await field(el, 'Code'), (await latest(`+91${mobile}`)).code!);
    button(el, 'Verify')!.click();
    await until(() => button(el, 'Sign out'), 'the signed-in state');
    expect(focused(), 'focus on the new view after verifying').to.match(/^You are signed in as /);
  });

  formConformance('required contact', {
    open: async () => {
      await setConfig({ required_fields: { mobile: { is_required: true, level: 'hard' }, email: { is_required: false, level: 'hard' } } });
      const shopper = await shopperWithEmail();
      const el = await mount();
      await signIn(el, shopper.email, shopper.password);
      await field(el, 'Mobile number');
      return el;
    },
    fields: [
      ['Country code', 'tel-country-code'],
      ['Mobile number', 'tel-national'],
    ],
    fillValid: (el) => {
      fill(input(el, 'Country code')!, '+91');
      fill(input(el, 'Mobile number')!, `93${unique().slice(-8)}`);
    },
    path: '/mobile/otp/send',
  });
});
