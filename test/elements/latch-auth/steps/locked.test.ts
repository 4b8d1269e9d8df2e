/**
 * The locked view for an account in its deletion grace period.
 */
import { expect, html } from '@open-wc/testing';
import '../../../../src/define.js';
import '../../../../src/dev.js';
import { DEMO, button, fill, input, resetState, sessionUser, setConfig, until } from '../../../support/service.js';
import { PATHS_CONFIG, field, latest, mount } from '../../../support/auth.js';

describe('<latch-auth> step: locked', () => {
  const home = location.href;
  // A test that opens a reset link changes the address; the next one starts from the test page.
  afterEach(() => history.replaceState(null, '', home));
  beforeEach(async () => {
    await resetState();
    await setConfig(PATHS_CONFIG);
  });

    it('shows the locked view when the account is scheduled for deletion', async () => {
      // Sign in, then ask for deletion through the service as the delete-account flow does.
      await fetch('/service/application/user/authentication/v1.0/login/password', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: DEMO.email, password: DEMO.password }),
      });
      const user = (await sessionUser()) as { _id: string };
      // As the contract's deletion flow does: a code to the shopper's email, then delete with it.
      const sent = await fetch('/service/application/user/authentication/v1.0/otp/email/send', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: DEMO.email, action: 'send' }),
      });
      const { request_id } = (await sent.json()) as { request_id: string };
      const { code } = await latest(DEMO.email);
      const deleted = await fetch('/service/application/user/authentication/v1.0/delete', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user_id: user._id, reason: 'testing', reason_id: 'not_using', request_id, otp: code }),
      });
      expect(deleted.status, await deleted.clone().text()).to.equal(200);
      const { delete_on } = (await deleted.json()) as { delete_on: string };

      // The page is German, which latch does not ship: the sentence is English, and so is its date
      // (formatted in the language shown, never "13. Dezember 2026" inside English words).
      const el = await mount(html`<latch-auth lang="de-DE"></latch-auth>`);
      fill(input(el, 'Email')!, DEMO.email);
      fill(input(el, 'Password')!, DEMO.password);
      button(el, 'Sign in')!.click();
      await until(() => el.querySelector('h3')?.textContent === 'Your account is locked', 'the locked view');
      const date = new Intl.DateTimeFormat('en', { dateStyle: 'long' }).format(new Date(delete_on));
      expect(el.textContent).to.contain(`scheduled for deletion on ${date}.`);
      expect(el.textContent).to.contain('contact the store before then');
      expect(document.activeElement === el.querySelector('h3'), 'focus').to.equal(true);
      await expect(el).to.be.accessible();
      button(el, 'Back to sign in')!.click();
      expect(await field(el, 'Email')).to.not.equal(null);
    });
});
