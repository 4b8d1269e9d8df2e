/**
 * Password reset by a code sent to the phone.
 */
import '../../../../src/define.js';
import '../../../../src/dev.js';
import { button, fill, input, resetState, setConfig, until } from '../../../support/service.js';
import { PATHS_CONFIG, field, latest, mount, shopperWithPhone } from '../../../support/auth.js';
import { formConformance } from '../../../support/form-conformance.js';

describe('<latch-auth> step: reset-code', () => {
  const home = location.href;
  // A test that opens a reset link changes the address; the next one starts from the test page.
  afterEach(() => history.replaceState(null, '', home));
  beforeEach(async () => {
    await resetState();
    await setConfig(PATHS_CONFIG);
  });

    it('resets by a code sent to the mobile number', async () => {
      const shopper = await shopperWithPhone();
      const el = await mount();
      button(el, 'Forgot password?')!.click();
      await until(() => button(el, 'Use mobile number'), 'the forgot-password step');
      button(el, 'Use mobile number')!.click();
      fill(await field(el, 'Mobile number'), shopper.mobile);
      button(el, 'Send code')!.click();
      const code = await field(el, 'Code');
      const sms = await latest(`+91${shopper.mobile}`);
      fill(code, sms.code!);
      button(el, 'Verify')!.click();
      fill(await field(el, 'New password'), 'fresh-mobile-secret-7');
      // The step can show before the code check's run has ended; the shopper acts once it is usable.
      (await until(() => button(el, 'Save new password'), 'the new-password step ready')).click();
      await until(() => el.textContent?.includes('Your password has been changed'), 'the success notice');
      fill(input(el, 'Email')!, shopper.email);
      fill(input(el, 'Password')!, 'fresh-mobile-secret-7');
      button(el, 'Sign in')!.click();
      await until(() => button(el, 'Sign out'), 'sign-in with the new password');
    });

  formConformance('reset code', {
    open: async () => {
      const shopper = await shopperWithPhone();
      const el = await mount();
      button(el, 'Forgot password?')!.click();
      await until(() => button(el, 'Use mobile number'), 'the forgot-password step');
      button(el, 'Use mobile number')!.click();
      fill(await field(el, 'Mobile number'), shopper.mobile);
      button(el, 'Send code')!.click();
      await field(el, 'Code');
      return el;
    },
    fields: [['Code', 'one-time-code']],
    // Short of the full length (codes of 4 to 8 digits are accepted), so typing it does not send it by itself.
    fillValid: (el) => fill(input(el, 'Code')!, '00000'),
    path: '/otp/forgot/mobile/verify',
  });
});
