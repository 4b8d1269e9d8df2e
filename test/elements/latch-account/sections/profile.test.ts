/** The profile section of <latch-account> (src/elements/latch-account/sections/profile.ts), against the reference service. */
import { expect, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { LatchProfileUpdatedEvent } from '../../../../src/events.js';
import { alertText, button, fill, input, sessionUser, until } from '../../../support/service.js';
import { useClock } from '../../../../src/controllers/countdown.js';
import { ManualClock } from '../../../support/clock.js';
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
      const gender = input(profile, 'Gender (optional)') as unknown as HTMLSelectElement;
      expect([...gender.options].map((o) => o.textContent)).to.deep.equal(['Prefer not to say', 'Female', 'Male', 'Other']);
      expect(profile.querySelector('img') === null, 'no picture yet').to.equal(true);

      fill(input(profile, 'First name')!, 'Grace');
      fill(input(profile, 'Last name (optional)')!, 'Hopper');
      choose(gender, 'female');
      fill(input(profile, 'Date of birth')!, '1906-12-09');
      fill(input(profile, 'Profile picture address (URL)')!, 'https://example.com/grace.png');
      const updated = oneEvent(el, 'latch-profile-updated') as Promise<LatchProfileUpdatedEvent>;
      button(profile, 'Save profile')!.click();
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
      expect((input(again, 'Gender (optional)') as unknown as HTMLSelectElement).value).to.equal('female');
      expect(input(again, 'Date of birth')!.value).to.equal('1906-12-09');
    });

    it('refuses bad values at their fields and shows no preview of an unsafe picture address', async () => {
      await signIn(await shopper());
      const el = await mount();
      const profile = section(el, 'Profile');
      fill(input(profile, 'First name')!, ' ');
      fill(input(profile, 'Profile picture address (URL)')!, 'javascript:alert(1)');
      input(profile, 'Profile picture address (URL)')!.dispatchEvent(new Event('change', { bubbles: true }));
      button(profile, 'Save profile')!.click();
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

    it('clears a field’s error as soon as the shopper changes that field', async () => {
      await signIn(await shopper());
      const el = await mount();
      const profile = section(el, 'Profile');
      fill(input(profile, 'First name')!, '');
      fill(input(profile, 'Profile picture address (URL)')!, 'javascript:alert(1)');
      button(profile, 'Save profile')!.click();
      await until(() => profile.querySelectorAll('.latch-field__error').length === 2, 'both errors');
      fill(input(profile, 'First name')!, 'Ada');
      await until(() => profile.querySelectorAll('.latch-field__error').length === 1, 'the fixed field’s error gone');
      expect(input(profile, 'First name')!.getAttribute('aria-invalid')).to.not.equal('true');
      expect(alertText(profile), 'the summary stays while a problem is left').to.not.equal('');
      fill(input(profile, 'Profile picture address (URL)')!, 'https://example.com/me.png');
      await until(() => profile.querySelectorAll('.latch-field__error').length === 0, 'no error left');
      expect(alertText(profile), 'nor a summary pointing at nothing').to.equal('');
      await expect(el).to.be.accessible();
    });

    it('tells a 429 once, with a countdown on the element’s clock, and waits until it ends', async () => {
      await signIn(await shopper());
      const clock = new ManualClock();
      useClock(clock);
      try {
        const el = await mount(html`<latch-account api-base="/__fault/429"></latch-account>`);
        const profile = section(el, 'Profile');
        button(profile, 'Save profile')!.click();
        await until(() => alertText(profile) !== '', 'the 429');
        // One message in sight (the countdown), the same said once to screen readers.
        const visible = [...profile.querySelectorAll<HTMLElement>('.latch-notice')].filter((p) => !p.classList.contains('latch-visually-hidden'));
        expect(visible.map((p) => p.textContent?.trim())).to.deep.equal(['You can try again in 2 seconds.']);
        expect(alertText(profile)).to.equal('Too many attempts. Please wait 2 seconds before trying again.');
        expect(button(profile, 'Save profile')!.getAttribute('aria-disabled')).to.equal('true');
        await expect(el).to.be.accessible();
        // A click during the wait runs nothing (what reaches the service is counted in the contacts tests).
        button(profile, 'Save profile')!.click();
        await el.updateComplete;
        expect(button(profile, 'Save profile')!.getAttribute('aria-busy')).to.equal('false');
        clock.advance(1000);
        await until(() => profile.textContent!.includes('You can try again in 1 second.'), 'the countdown');
        clock.advance(1000);
        await until(() => statusText(profile) === 'You can try again now.', 'the end of the wait');
        expect(profile.textContent).to.not.contain('Too many attempts');
        expect(button(profile, 'Save profile')!.getAttribute('aria-disabled')).to.equal('false');
        expect(clock.running, 'the ticker stops').to.equal(0);
        await expect(el).to.be.accessible();
      } finally {
        useClock();
      }
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
