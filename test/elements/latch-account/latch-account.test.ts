/** <latch-account> as a whole: the signed-out page, and a session ending while the page is open. */
import { expect, fixtureCleanup, html } from '@open-wc/testing';
import { admin, alertText, button, fill, input, sessionUser, setConfig, until } from '../../support/service.js';
import { axNodes } from '../../support/a11y.js';
import { shopper, signIn, title, loading, mount, section, statusText, loginRequired, useAccountService } from './support.js';

/** Every heading on the page, in order: what a screen reader's heading list shows. */
const headings = (el: Element) => [...el.querySelectorAll('h1,h2,h3,h4,h5,h6')].map((h) => h.textContent?.trim());

describe('<latch-account> with the reference service', () => {
  useAccountService();

  describe('signed out', () => {
    it('asks for sign-in, fires latch-login-required, and shows the account once signed in there', async () => {
      const s = await shopper();
      const el = await mount();
      expect(loginRequired()).to.equal(1);
      const auth = el.querySelector('latch-auth')!;
      expect(auth !== null, 'an embedded sign-in form').to.equal(true);
      await until(() => input(auth, 'Email'), 'the embedded form');
      // One heading: the embedded form's, which names the store; the page adds why, not a second title.
      expect(headings(el)).to.deep.equal(['Test store']);
      expect(el.textContent).to.contain('Sign in to see and change your profile, contacts, password and signed-in devices.');
      await expect(el).to.be.accessible();

      fill(input(el, 'Email')!, s.email);
      fill(input(el, 'Password')!, s.password);
      button(el, 'Sign in')!.click();
      await until(() => title(el) === 'Your account', 'the account');
      expect(el.querySelector('latch-auth') === null, 'the sign-in form is gone').to.equal(true);
      await until(() => !loading(el), 'the account to load');
      expect(input(el, 'First name')!.value).to.equal('Ada');
      expect(document.activeElement === el.querySelector('h2'), 'focus on the account heading').to.equal(true);
      expect(loginRequired(), 'not fired again').to.equal(1);
      await expect(el).to.be.accessible();
    });

    it('names the page itself when the embedded form has no heading (a store without a name)', async () => {
      await setConfig({ name: '', display: '' });
      const el = await mount();
      await until(() => input(el, 'Email'), 'the embedded form');
      expect(headings(el)).to.deep.equal(['Sign in to your account']);
      await expect(el).to.be.accessible();
    });

    it('leaves sign-in to the host with sign-in="event"', async () => {
      const el = await mount(html`<latch-account sign-in="event"></latch-account>`);
      expect(headings(el)).to.deep.equal(['Sign in to your account']);
      expect(el.querySelector('latch-auth') === null, 'absent').to.equal(true);
      expect(loginRequired()).to.equal(1);
      await expect(el).to.be.accessible();
    });
  });

  describe('a session that ends while the page is open', () => {
    it('drops to sign-in without losing what was typed, and puts it back after signing in again', async () => {
      const s = await shopper();
      await signIn(s);
      const el = await mount();
      fill(input(section(el, 'Profile'), 'First name')!, 'Edited');
      fill(input(section(el, 'Preferences'), 'Shoe size')!, '38');
      // '{}': the reference service answers a body-less DELETE with a 500 behind its Node adapter.
      const ended = await admin(`/customers/sessions?id=${s.id}&reason=test`, { method: 'DELETE', body: '{}' });
      expect(ended.status).to.equal(200);

      button(section(el, 'Profile'), 'Save profile')!.click();
      await until(() => alertText(el).includes('You have been signed out. Sign in again to carry on: what you typed is kept.'), 'the signed-out state');
      expect(loginRequired()).to.equal(1);
      await until(() => input(el, 'Email'), 'the embedded sign-in form');
      expect(headings(el)).to.deep.equal(['Test store']);
      await until(() => document.activeElement === input(el, 'Email'), 'focus on the sign-in form’s first field');
      await expect(el).to.be.accessible();

      fill(input(el, 'Email')!, s.email);
      fill(input(el, 'Password')!, s.password);
      button(el, 'Sign in')!.click();
      await until(() => title(el) === 'Your account' && !loading(el), 'the account again');
      expect(input(section(el, 'Profile'), 'First name')!.value).to.equal('Edited');
      expect(input(section(el, 'Preferences'), 'Shoe size')!.value).to.equal('38');
      expect(statusText(el)).to.contain('Welcome back.');
      await expect(el).to.be.accessible();

      button(section(el, 'Profile'), 'Save profile')!.click();
      await until(() => statusText(section(el, 'Profile')).includes('Your changes are saved.'), 'the save');
      expect(((await sessionUser()) as { first_name: string }).first_name).to.equal('Edited');
    });
  });

  describe('as a screen reader lists it', () => {
    it('names each save by what it saves, and puts the deletion’s steps under their section', async () => {
      // The tree read is the whole page's: earlier tests' pages go first.
      fixtureCleanup();
      await signIn(await shopper());
      const el = await mount();
      await until(() => section(el, 'Preferences'), 'the preferences');
      const buttons = (await axNodes('button')).map((b) => b.name);
      expect(buttons.filter((name) => name.startsWith('Save')), 'one save per section, each saying what it saves').to.deep.equal(['Save profile', 'Save preferences']);
      await expect(el).to.be.accessible();

      button(section(el, 'Delete account'), 'Delete my account')!.click();
      await until(() => el.querySelector('latch-delete-account h4'), 'the deletion’s first step');
      const headings = (await axNodes('heading')).map((h) => `${h.level} ${h.name}`);
      expect(headings.slice(headings.indexOf('3 Delete account'))).to.deep.equal(['3 Delete account', '4 Delete your account']);
      await expect(el).to.be.accessible();
    });
  });
});
