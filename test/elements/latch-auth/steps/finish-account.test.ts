/**
 * Finishing a new account after a code for an unknown number: the name, then signed in.
 */
import { expect, oneEvent } from '@open-wc/testing';
import '../../../../src/define.js';
import '../../../../src/dev.js';
import type { LatchLoginEvent } from '../../../../src/events.js';
import { button, fill, input, resetState, setConfig, until } from '../../../support/service.js';
import { PATHS_CONFIG, field, latest, mount, sendCodeTo, unique } from '../../../support/auth.js';
import { formConformance } from '../../../support/form-conformance.js';

describe('<latch-auth> step: finish-account', () => {
  const home = location.href;
  // A test that opens a reset link changes the address; the next one starts from the test page.
  afterEach(() => history.replaceState(null, '', home));
  beforeEach(async () => {
    await resetState();
    await setConfig(PATHS_CONFIG);
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

  formConformance('finish account', {
    open: async () => {
      const el = await mount();
      button(el, 'Sign in with a one-time code')!.click();
      const mobile = `95${unique().slice(-8)}`;
      await sendCodeTo(el, mobile);
      fill(input(el, 'Code')!, (await latest(`+91${mobile}`)).code!);
      button(el, 'Verify')!.click();
      await field(el, 'First name');
      return el;
    },
    fields: [
      ['First name', 'given-name'],
      ['Last name (optional)', 'family-name'],
    ],
    fillValid: (el) => {
      fill(input(el, 'First name')!, 'Nia');
      fill(input(el, 'Last name (optional)')!, 'Okafor');
    },
    path: '/profile/v1.0/detail',
  });
});
