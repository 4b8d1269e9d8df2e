/** The profile section of <latch-account> (src/elements/latch-account/sections/profile.ts), against the reference service. */
import { expect, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { LatchProfileUpdatedEvent } from '../../../../src/events.js';
import { alertText, button, fill, input, sessionUser, until } from '../../../support/service.js';
import { shopper, signIn, mount, section, statusText, choose, tabTo, useAccountService } from '../support.js';

describe('<latch-account> profile section', () => {
  useAccountService();

  describe('profile', () => {
    it('saves the profile, which persists across a re-mount', async () => {
      const s = await shopper();
      await signIn(s);
      let el = await mount();
      const profile = section(el, 'Profile');
      expect(input(profile, 'First name')!.autocomplete).to.equal('given-name');
      expect(input(profile, 'Date of birth')!.type).to.equal('date');
      const gender = input(profile, 'Gender') as unknown as HTMLSelectElement;
      expect([...gender.options].map((o) => o.textContent)).to.deep.equal(['Prefer not to say', 'Female', 'Male', 'Other']);
      expect(profile.querySelector('img') === null, 'no picture yet').to.equal(true);

      fill(input(profile, 'First name')!, 'Grace');
      fill(input(profile, 'Last name (optional)')!, 'Hopper');
      choose(gender, 'female');
      fill(input(profile, 'Date of birth')!, '1906-12-09');
      fill(input(profile, 'Profile picture address (URL)')!, 'https://example.com/grace.png');
      const updated = oneEvent(el, 'latch-profile-updated') as Promise<LatchProfileUpdatedEvent>;
      button(profile, 'Save changes')!.click();
      expect((await updated).detail.user.first_name).to.equal('Grace');
      await until(() => statusText(profile).includes('Your changes are saved.'), 'the saved notice');
      const img = profile.querySelector('img')!;
      expect(img.getAttribute('src')).to.equal('https://example.com/grace.png');
      expect(img.alt).to.equal('Profile picture of Grace Hopper');
      await expect(el).to.be.accessible();

      el.remove();
      el = await mount();
      const again = section(el, 'Profile');
      expect(input(again, 'First name')!.value).to.equal('Grace');
      expect(input(again, 'Last name (optional)')!.value).to.equal('Hopper');
      expect((input(again, 'Gender') as unknown as HTMLSelectElement).value).to.equal('female');
      expect(input(again, 'Date of birth')!.value).to.equal('1906-12-09');
    });

    it('refuses bad values at their fields and shows no preview of an unsafe picture address', async () => {
      await signIn(await shopper());
      const el = await mount();
      const profile = section(el, 'Profile');
      fill(input(profile, 'First name')!, ' ');
      fill(input(profile, 'Profile picture address (URL)')!, 'javascript:alert(1)');
      input(profile, 'Profile picture address (URL)')!.dispatchEvent(new Event('change', { bubbles: true }));
      button(profile, 'Save changes')!.click();
      const first = input(profile, 'First name')!;
      await until(() => first.getAttribute('aria-invalid') === 'true', 'the first-name error');
      expect(document.activeElement === first, 'focus on the first problem').to.equal(true);
      const picture = input(profile, 'Profile picture address (URL)')!;
      expect(picture.getAttribute('aria-invalid')).to.equal('true');
      expect(document.getElementById(picture.getAttribute('aria-describedby')!)!.textContent).to.equal('Enter a web address that starts with https://.');
      expect(alertText(profile)).to.equal('Please fix the highlighted fields.');
      expect(profile.querySelector('img') === null, 'no preview for a javascript: address').to.equal(true);
      await expect(el).to.be.accessible();
    });

    it('saves by keyboard alone', async () => {
      await signIn(await shopper());
      const el = await mount();
      const profile = section(el, 'Profile');
      const first = input(profile, 'First name')!;
      (profile.querySelector('h3') as HTMLElement).focus();
      await tabTo(first);
      await sendKeys({ down: 'Control' });
      await sendKeys({ press: 'KeyA' });
      await sendKeys({ up: 'Control' });
      await sendKeys({ type: 'Katherine' });
      const updated = oneEvent(el, 'latch-profile-updated') as Promise<LatchProfileUpdatedEvent>;
      await sendKeys({ press: 'Enter' });
      expect((await updated).detail.user.first_name).to.equal('Katherine');
      expect(((await sessionUser()) as { first_name: string }).first_name).to.equal('Katherine');
    });
  });
});
