/** The password section of <latch-account> (src/elements/latch-account/sections/password.ts), against the reference service. */
import { expect, fixtureCleanup, oneEvent } from '@open-wc/testing';
import { axNodes } from '../../../support/a11y.js';
import type { LatchSessionRevokedEvent } from '../../../../src/events.js';
import { button, fill, input, until } from '../../../support/service.js';
import { shopper, signIn, sessionIds, otherSession, mount, section, statusText, useAccountService } from '../support.js';

describe('<latch-account> password section', () => {
  useAccountService();

  describe('password', () => {
    it('says the new password\'s rule at its field, before anything is typed', async () => {
      // The tree read is the whole page's: earlier tests' pages go first.
      fixtureCleanup();
      await signIn(await shopper());
      const el = await mount();
      const [next] = await axNodes('textbox', 'New password');
      expect(next.description).to.equal('At least 8 characters. A long phrase you can remember is best.');
      const [current] = await axNodes('textbox', 'Current password');
      expect(current.description, 'no rule for the password already chosen').to.equal(undefined);
      await expect(el).to.be.accessible();
    });

    it('refuses a wrong current password and a weak new one at their fields, then offers to sign out elsewhere', async () => {
      const s = await shopper();
      await signIn(s);
      const other = await otherSession(s);
      const el = await mount();
      const box = section(el, 'Password');
      const current = input(box, 'Current password')!;
      const next = input(box, 'New password')!;
      expect([current.autocomplete, next.autocomplete]).to.deep.equal(['current-password', 'new-password']);
      expect(box.querySelector<HTMLInputElement>('input[autocomplete="username"]')!.value).to.equal(s.email);
      const show = box.querySelector<HTMLButtonElement>(`[aria-controls="${next.id}"]`)!;
      show.click();
      expect([next.type, show.getAttribute('aria-pressed')]).to.deep.equal(['text', 'true']);
      show.click();

      fill(current, 'not-the-password');
      fill(next, 'a-brand-new-password');
      button(box, 'Change password')!.click();
      await until(() => current.getAttribute('aria-invalid') === 'true', 'the wrong-password error');
      expect(el.querySelector(`#${current.id}-error`)!.textContent).to.equal('That is not your current password. Check it and try again.');
      expect(current.value, 'a wrong password is cleared').to.equal('');
      expect(document.activeElement === current, 'focus on it').to.equal(true);

      fill(current, s.password);
      fill(next, 'short');
      button(box, 'Change password')!.click();
      await until(() => el.querySelector(`#${next.id}-error`)?.textContent === 'Use at least 8 characters.', 'the length error');

      fill(next, 'password123');
      button(box, 'Change password')!.click();
      await until(() => el.querySelector(`#${next.id}-error`)?.textContent?.includes('most common'), 'the common-password error');
      expect(next.value, 'kept to be edited').to.equal('password123');
      await expect(el).to.be.accessible();

      fill(current, s.password);
      fill(next, 'a-brand-new-password');
      button(box, 'Change password')!.click();
      await until(() => statusText(box).includes('Your password has been changed.'), 'the changed notice');
      expect([current.value, next.value], 'the form is emptied').to.deep.equal(['', '']);
      await expect(el).to.be.accessible();
      const revoked = oneEvent(el, 'latch-session-revoked') as Promise<LatchSessionRevokedEvent>;
      button(box, 'Sign out of other devices')!.click();
      expect((await revoked).detail.sessionIds).to.deep.equal([other]);
      expect(await sessionIds(s)).to.not.include(other);
      await until(() => statusText(box).includes('All your other devices are signed out.'), 'the notice');
      expect(button(box, 'Sign out of other devices') === null, 'offered once').to.equal(true);
      await expect(el).to.be.accessible();
      await signIn({ ...s, password: 'a-brand-new-password' });
    });
  });
});
