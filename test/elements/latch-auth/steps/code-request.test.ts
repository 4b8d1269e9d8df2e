/**
 * Sign-in by code, first half: choosing where the code goes, and only what the config enables.
 */
import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../../src/define.js';
import '../../../../src/dev.js';
import { alertText, button, fill, input, resetState, served, setConfig, until } from '../../../support/service.js';
import { PATHS_CONFIG, field, latest, mount, shopperWithPhone, unique } from '../../../support/auth.js';
import { formConformance } from '../../../support/form-conformance.js';
import { HOLD, held, release } from '../../../support/hold.js';

describe('<latch-auth> step: code-request', () => {
  const home = location.href;
  // A test that opens a reset link changes the address; the next one starts from the test page.
  afterEach(() => history.replaceState(null, '', home));
  beforeEach(async () => {
    await resetState();
    await setConfig(PATHS_CONFIG);
  });

    it('switches between password and code, and offers only what the config enables', async () => {
      let el = await mount();
      expect(input(el, 'Password')).to.not.equal(null);
      button(el, 'Sign in with a one-time code')!.click();
      await field(el, 'Mobile number');
      expect(input(el, 'Country code')!.value).to.equal('+91 India');
      expect(el.querySelector<HTMLInputElement>('input[name="country_code"]')!.value).to.equal('+91');
      expect(input(el, 'Mobile number')!.autocomplete).to.equal('tel-national');
      expect(input(el, 'Country code')!.autocomplete).to.equal('tel-country-code');
      await expect(el).to.be.accessible();
      button(el, 'Sign in with password')!.click();
      await field(el, 'Password');
      el.remove();

      localStorage.clear();
      await setConfig({ login: { password: false, otp: true } });
      el = await mount();
      await field(el, 'Mobile number');
      expect(input(el, 'Password')).to.equal(null);
      expect(button(el, 'Sign in with password')).to.equal(null);
      el.remove();

      localStorage.clear();
      await setConfig({ login: { password: true, otp: false } });
      el = await mount();
      expect(button(el, 'Sign in with a one-time code')).to.equal(null);
    });

    it('offers the store\'s country from country-code first, and sends the code to the country picked', async () => {
      const shopper = await shopperWithPhone();
      const el = await mount(html`<latch-auth country-code="44"></latch-auth>`);
      button(el, 'Sign in with a one-time code')!.click();
      const country = await field(el, 'Country code');
      expect(country.value).to.equal('+44 United Kingdom');
      expect(country.getAttribute('role')).to.equal('combobox');
      country.focus();
      await sendKeys({ type: 'india' });
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(country.value).to.equal('+91 India');
      fill(input(el, 'Mobile number')!, shopper.mobile);
      button(el, 'Send code')!.click();
      const sms = await latest(`+91${shopper.mobile}`);
      expect(sms.channel).to.equal('sms');
      await expect(el).to.be.accessible();
    });

    it('works by keyboard alone', async () => {
      const shopper = await shopperWithPhone();
      await setConfig({ login: { password: false, otp: true } });
      localStorage.clear();
      const el = await mount();
      (await field(el, 'Country code')).focus();
      await sendKeys({ press: 'Tab' });
      expect(document.activeElement === input(el, 'Mobile number'), 'focus').to.equal(true);
      await sendKeys({ type: shopper.mobile });
      await sendKeys({ press: 'Enter' });
      await field(el, 'Code');
      expect(document.activeElement === input(el, 'Code'), 'focus moves to the code').to.equal(true);
      const { code } = await latest(`+91${shopper.mobile}`);
      await sendKeys({ type: code! });
      await sendKeys({ press: 'Enter' });
      await until(() => button(el, 'Sign out'), 'the signed-in state');
      expect(document.activeElement?.textContent).to.contain('You are signed in');
    });

    it('abandons a code still being sent when the shopper goes back to the password', async () => {
      const el = await mount(html`<latch-auth api-base=${HOLD}></latch-auth>`);
      const errors: unknown[] = [];
      el.addEventListener('latch-error', (event) => errors.push(event.detail));
      button(el, 'Sign in with a one-time code')!.click();
      const mobile = `96${unique().slice(-8)}`;
      fill(await field(el, 'Mobile number'), mobile);
      const sent = await served('/authentication/v1.0/login/otp');
      button(el, 'Send code')!.click();
      await el.updateComplete;
      // The send is held at the test server until released: the shopper sees it going.
      const busy = button(el, 'Please wait…')!;
      expect(busy, 'the code being sent').to.not.equal(null);
      expect(busy.getAttribute('aria-busy')).to.equal('true');
      expect(input(el, 'Mobile number')!.value.replace(/\D/g, ''), 'the number stays (as formatted)').to.equal(mobile);
      button(el, 'Sign in with password')!.click();
      await field(el, 'Password');
      await el.updateComplete;
      const signIn = button(el, 'Sign in')!;
      expect(signIn.getAttribute('aria-disabled'), 'the password form is usable at once').to.equal('false');
      expect(signIn.getAttribute('aria-busy')).to.equal('false');
      expect(alertText(el)).to.equal('');
      expect(errors, 'an abandoned send is nothing to report').to.deep.equal([]);
      // The browser gives the send up (its connection closes at the test server); the service still
      // gets it (the hold is in front of it), and its answer changes nothing here.
      await until(async () => (await held()).abandoned === 1, 'the send given up by the browser');
      expect(await release()).to.deep.equal({ released: 1, abandoned: 1 });
      expect(await served('/authentication/v1.0/login/otp') - sent, 'the abandoned send at the service').to.equal(1);
      await el.updateComplete;
      expect(input(el, 'Password'), 'still on the password step').to.not.equal(null);
      expect(errors).to.deep.equal([]);
    });

  formConformance('code request', {
    open: async () => {
      const el = await mount();
      button(el, 'Sign in with a one-time code')!.click();
      await field(el, 'Mobile number');
      return el;
    },
    fields: [
      ['Country code', 'tel-country-code'],
      ['Mobile number', 'tel-national'],
    ],
    fillValid: (el) => {
      fill(input(el, 'Country code')!, '+91');
      fill(input(el, 'Mobile number')!, `96${unique().slice(-8)}`);
    },
    path: '/authentication/v1.0/login/otp',
  });
});
