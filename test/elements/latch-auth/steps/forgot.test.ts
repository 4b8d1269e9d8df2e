/**
 * Forgot password: offered only when the config enables it, the same answer for any address.
 */
import { expect } from '@open-wc/testing';
import '../../../../src/define.js';
import '../../../../src/dev.js';
import { button, fill, input, ltr, resetState, setConfig, until } from '../../../support/service.js';
import { PATHS_CONFIG, mount, outbox, unique } from '../../../support/auth.js';
import { formConformance } from '../../../support/form-conformance.js';

describe('<latch-auth> step: forgot', () => {
  const home = location.href;
  // A test that opens a reset link changes the address; the next one starts from the test page.
  afterEach(() => history.replaceState(null, '', home));
  beforeEach(async () => {
    await resetState();
    await setConfig(PATHS_CONFIG);
  });

    it('is offered only when the config enables it', async () => {
      await setConfig({ forgot_password: false });
      const el = await mount();
      expect(button(el, 'Forgot password?')).to.equal(null);
    });

    it('answers the same for an address without an account', async () => {
      const el = await mount();
      button(el, 'Forgot password?')!.click();
      await until(() => button(el, 'Send reset link'), 'the forgot-password step');
      fill(input(el, 'Email')!, 'nobody-here@example.com');
      button(el, 'Send reset link')!.click();
      await until(() => el.textContent?.includes(`If an account exists for ${ltr('nobody-here@example.com')}`), 'the sent notice');
      expect((await outbox('nobody-here@example.com')).length).to.equal(0);
    });

  formConformance('forgot password', {
    open: async () => {
      const el = await mount();
      button(el, 'Forgot password?')!.click();
      await until(() => button(el, 'Send reset link'), 'the forgot-password step');
      return el;
    },
    fields: [['Email', 'email']],
    fillValid: (el) => fill(input(el, 'Email')!, `forgot-${unique()}@example.com`),
    path: '/login/password/reset',
  });
});
