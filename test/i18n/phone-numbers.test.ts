/**
 * Phone numbers and email addresses as a shopper reads them in each language, in real Chromium with
 * the reference service: the "code sent" sentence of a sign-in by SMS and the account's list of
 * contacts show the number grouped, in the digits `Intl` writes for the language shown (Bengali and
 * Marathi their own, Hindi and Arabic Latin, Egyptian Arabic Arabic-Indic), isolated left to right
 * (U+2066 … U+2069) so "+91" never reads "91+" in Arabic; emails are isolated the same way; the
 * fields a shopper types in stay left to right; figures inside sentences ("8 characters") follow the
 * same digits. Expectations are computed with `Intl` here, not guessed.
 */
import { expect, html } from '@open-wc/testing';
import '../../src/define.js';
import '../../src/dev.js';
import { useFigures } from '../../src/i18n/figures.js';
import { catalogsSettled, localizer } from '../../src/i18n/localize.js';
import { admin, fill, ltr, resetState, setConfig, until } from '../support/service.js';
import { PATHS_CONFIG, mount, shopperWithPhone } from '../support/auth.js';
import { entries, mount as mountAccount, section, shopper, signIn } from '../elements/latch-account/support.js';

/** `text` with each Latin digit written as `Intl` writes that digit in `locale`. */
const digitsIn = (locale: string, text: string) =>
  text.replace(/\d/g, (digit) => new Intl.NumberFormat(locale, { useGrouping: false }).format(Number(digit)));

/** What a shopper reads for +91 and a ten-digit number in `locale`: grouped 3, 3, 4 (no-break spaces), isolated. */
const phoneIn = (locale: string, mobile: string) =>
  ltr(digitsIn(locale, `+91\u00a0${mobile.slice(0, 3)}\u00a0${mobile.slice(3, 6)}\u00a0${mobile.slice(6)}`));

const button = (root: ParentNode, name: string) => [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === name) ?? null;
const status = (el: Element) => [...el.querySelectorAll('[role="status"]')].map((s) => s.textContent).join(' ');

describe('phone numbers and emails in the language shown', () => {
  before(async () => {
    for (const lang of ['ar', 'ar-EG', 'bn', 'hi', 'mr']) localizer(lang);
    await catalogsSettled();
  });

  it('the languages below really differ in digits (so the tests can tell them apart)', () => {
    expect(digitsIn('bn', '91')).to.not.equal('91');
    expect(digitsIn('mr', '91')).to.not.equal('91');
    expect(digitsIn('ar-EG', '91')).to.not.equal('91');
    expect(digitsIn('hi', '91')).to.equal('91');
  });

  describe('the "code sent" sentence of a sign-in by SMS', () => {
    beforeEach(async () => {
      await resetState();
      await setConfig(PATHS_CONFIG);
    });

    for (const lang of ['ar', 'ar-EG', 'bn', 'hi', 'mr']) {
      it(`in ${lang}: the number in ${lang} digits, left to right, the fields left to right`, async () => {
        const t = localizer(lang);
        const person = await shopperWithPhone();
        const el = await mount(html`<latch-auth lang=${lang}></latch-auth>`);
        await until(() => button(el, t.t('auth.useCode')), 'the code sign-in link');
        button(el, t.t('auth.useCode'))!.click();
        const mobile = await until(() => el.querySelector<HTMLInputElement>('input[name="mobile"]'), 'the mobile field');
        const country = el.querySelector<HTMLInputElement>('[role="combobox"]')!;
        // What the shopper types reads left to right in every language.
        expect(mobile.dir).to.equal('ltr');
        expect(country.dir).to.equal('ltr');
        expect(country.value.startsWith(digitsIn(lang, '+91 '))).to.equal(true);
        fill(mobile, person.mobile);
        button(el, t.t('auth.sendCode'))!.click();
        const code = await until(() => el.querySelector<HTMLInputElement>('input[name="otp"]'), 'the code field');
        expect(code.dir).to.equal('ltr');
        const said = status(el);
        expect(said).to.contain(phoneIn(lang, person.mobile));
        // The ten minutes the code lasts, in the same digits.
        expect(said).to.contain(new Intl.NumberFormat(lang).format(10));
        if (digitsIn(lang, '1') !== '1') expect(said, 'no Latin digit where the language writes its own').to.not.match(/[0-9]/);
        if (lang.startsWith('ar')) {
          expect(getComputedStyle(el).direction).to.equal('rtl');
          await expect(el).to.be.accessible();
        }
      });
    }
  });

  describe("the account's contacts", () => {
    beforeEach(async () => {
      await resetState();
      await setConfig({ ...PATHS_CONFIG, required_fields: { email: { is_required: false, level: 'soft' }, mobile: { is_required: false, level: 'soft' } } });
    });

    for (const lang of ['ar', 'bn', 'hi']) {
      it(`in ${lang}: the phone in ${lang} digits and the email, each left to right`, async () => {
        const s = await shopper();
        // A number no other test's shopper has.
        const phone = `98765${String(Date.now()).slice(-5)}`;
        const response = await admin(`/customers/${s.id}`, {
          method: 'PUT',
          body: JSON.stringify({ phone_numbers: [{ phone, country_code: 91, verified: true, primary: false, active: true }] }),
        });
        expect(response.status, await response.clone().text()).to.equal(200);
        await signIn(s);
        const el = await mountAccount(html`<latch-account lang=${lang}></latch-account>`);
        const heading = localizer(lang).t('account.contacts');
        await until(() => [...el.querySelectorAll('h3')].some((h) => h.textContent?.trim() === heading), 'the contacts in the page language');
        const names = entries(section(el, heading)).map((e) => e.querySelector('.latch-entry__name')!.textContent);
        expect(names).to.include(phoneIn(lang, phone));
        expect(names).to.include(ltr(s.email));
        if (lang === 'ar') await expect(el).to.be.accessible();
      });
    }
  });

  it('figures inside sentences are written in the digits of the language shown', () => {
    // As the forms whose messages state figures do when they load.
    useFigures();
    for (const lang of ['bn', 'mr', 'ar-EG', 'hi']) {
      const t = localizer(lang);
      expect(t.t('password.short'), lang).to.contain(new Intl.NumberFormat(lang).format(8));
      expect(t.t('mobile.invalid'), lang).to.contain(new Intl.NumberFormat(lang).format(15));
      expect(t.t('password.long'), lang).to.contain(new Intl.NumberFormat(lang).format(512));
      // An example of what to type reads left to right, in the same digits.
      expect(t.t('countryCode.invalid'), lang).to.contain(ltr(digitsIn(lang, '+91')));
    }
    expect(localizer('bn').t('password.short')).to.not.match(/[0-9]/);
  });
});
