/**
 * Languages as a shopper meets them, in real Chromium with the reference service: a catalog
 * downloads only when a page uses its language (counted by the browser's resource timing), regional
 * tags fall back (`ar-EG` → `ar` → English), a store's own words win over a catalog that arrives
 * later, a store adds an eleventh language through the script-tag bundle's `registerMessages`,
 * changing `lang` anywhere re-renders without losing what was typed, Arabic reads right to left with
 * its six plural forms, and the sign-in form passes axe in Hindi and Arabic.
 * Catalogs stay loaded for the whole file (as on a page), so the download test runs first.
 */
import { expect, fixture, html } from '@open-wc/testing';
// The script-tag bundle's entry: what a store's <script type="module"> imports registerMessages from.
import { registerMessages } from '../../src/cdn-auth.js';
import '../../src/define.js';
import type { LatchAuth } from '../../src/elements/latch-auth/latch-auth.js';
import { catalogsSettled, localizer } from '../../src/i18n/localize.js';
import { BASELINE_CONFIG, button, fill, input, requestsTo, setConfig, until } from '../support/service.js';

const CATALOGS = '/src/i18n/catalogs/';

async function signInForm(template: ReturnType<typeof html>, emailLabel: string): Promise<LatchAuth> {
  const wrapper = await fixture<HTMLElement>(template);
  const el = (wrapper.localName === 'latch-auth' ? wrapper : wrapper.querySelector('latch-auth')) as LatchAuth;
  await until(() => input(el, emailLabel), `the sign-in form labelled "${emailLabel}"`);
  return el;
}

describe('languages', () => {
  before(() => setConfig(BASELINE_CONFIG));
  afterEach(() => document.documentElement.removeAttribute('lang'));

  it('downloads no catalog for an English page, and only Hindi when the page switches to Hindi', async () => {
    const el = await signInForm(html`<latch-auth></latch-auth>`, 'Email');
    expect(button(el, 'Sign in'), 'English first').to.exist;
    expect(requestsTo(CATALOGS), 'catalog requests on an English page').to.equal(0);

    el.setAttribute('lang', 'hi');
    await until(() => button(el, 'साइन इन करें'), 'the Hindi sign-in button');
    expect(requestsTo(`${CATALOGS}hi.ts`), 'the Hindi catalog, once').to.equal(1);
    expect(requestsTo(CATALOGS), 'no other catalog').to.equal(1);
    expect(input(el, 'ईमेल')).to.exist;
    expect(input(el, 'पासवर्ड')).to.exist;
  });

  it('falls back from a regional tag to its language, and from an unshipped language to English', async () => {
    // `ar-EG` shows the Arabic catalog and formats as in Egypt; `hi-IN` shows Hindi.
    localizer('ar-EG');
    await catalogsSettled();
    const egypt = localizer('ar-EG');
    expect(egypt.lang).to.equal('ar');
    expect(egypt.locale).to.equal('ar-EG');
    expect(egypt.t('auth.signIn')).to.equal('تسجيل الدخول');
    expect(localizer('hi-IN').t('auth.forgot')).to.equal('पासवर्ड भूल गए?');
    // A language latch does not ship is shown in English, and formatted in English too: no
    // "30 secondes" inside an English sentence.
    const french = localizer('fr-FR');
    expect(french.lang).to.equal('en');
    expect(french.t('error.retryIn', { time: french.formatDuration(30) })).to.equal('You can try again in 30 seconds.');
    // A store's words for one region win there; the rest still comes from the language's catalog.
    registerMessages('ar-AE', { 'auth.signIn': 'دخول' });
    expect(localizer('ar-AE').t('auth.signIn')).to.equal('دخول');
    expect(localizer('ar-AE').t('auth.forgot')).to.equal('هل نسيت كلمة المرور؟');
    expect(localizer('ar').t('auth.signIn'), 'other Arabic pages keep the catalog').to.equal('تسجيل الدخول');
  });

  it("keeps a store's override registered before the catalog downloads, after it arrives", async () => {
    expect(requestsTo(`${CATALOGS}bn.ts`), 'Bengali not downloaded yet').to.equal(0);
    registerMessages('bn', { 'auth.signIn': 'লগইন' });
    const el = await signInForm(html`<latch-auth lang="bn"></latch-auth>`, 'ইমেল');
    await catalogsSettled();
    await el.updateComplete;
    expect(button(el, 'লগইন'), "the store's word").to.exist;
    expect(button(el, 'সাইন ইন করুন'), "the catalog's word").to.not.exist;
    expect(el.textContent, 'the rest from the catalog').to.include('পাসওয়ার্ড দেখান');
  });

  it('lets a store add an eleventh language through the bundle, with English for what it leaves out', async () => {
    const before = requestsTo(CATALOGS);
    registerMessages('sw', { 'auth.signIn': 'Ingia', 'field.email': 'Barua pepe', 'field.password': 'Nenosiri' });
    const el = await signInForm(html`<latch-auth lang="sw"></latch-auth>`, 'Barua pepe');
    expect(button(el, 'Ingia')).to.exist;
    expect(input(el, 'Nenosiri')).to.exist;
    expect(el.textContent, 'a key the store did not translate').to.include('Show password');
    expect(requestsTo(CATALOGS), 'nothing to download for it').to.equal(before);
    expect(el.getAttribute('dir'), 'left to right').to.equal(null);
  });

  it('re-renders when lang changes on the element, an ancestor or <html>, keeping what was typed', async () => {
    const el = await signInForm(html`<div lang="en"><latch-auth></latch-auth></div>`, 'Email');
    fill(input(el, 'Email')!, 'typed@example.com');
    fill(input(el, 'Password')!, 'typed password');

    el.parentElement!.setAttribute('lang', 'hi');
    await until(() => input(el, 'ईमेल'), 'Hindi after the ancestor changed');
    expect(input(el, 'ईमेल')!.value).to.equal('typed@example.com');
    expect(input(el, 'पासवर्ड')!.value).to.equal('typed password');

    el.parentElement!.removeAttribute('lang');
    document.documentElement.setAttribute('lang', 'ta');
    await until(() => input(el, 'மின்னஞ்சல்'), 'Tamil after <html lang> changed');
    expect(input(el, 'மின்னஞ்சல்')!.value).to.equal('typed@example.com');

    el.setAttribute('lang', 'ar');
    await until(() => input(el, 'البريد الإلكتروني'), "Arabic after the element's own lang changed");
    expect(input(el, 'البريد الإلكتروني')!.value).to.equal('typed@example.com');
    expect(input(el, 'كلمة المرور')!.value).to.equal('typed password');
    expect(getComputedStyle(el).direction).to.equal('rtl');

    el.setAttribute('lang', 'en');
    await until(() => input(el, 'Email'), 'English again');
    expect(getComputedStyle(el).direction, 'back to left to right').to.equal('ltr');
    expect(input(el, 'Email')!.value).to.equal('typed@example.com');
  });

  it("follows the language of a shadow root's host, and its changes", async () => {
    const host = await fixture<HTMLElement>(html`<div lang="hi"></div>`);
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = '<latch-auth></latch-auth>';
    const el = root.querySelector('latch-auth') as LatchAuth;
    await until(() => input(el, 'ईमेल'), "Hindi from the host's lang");
    fill(input(el, 'ईमेल')!, 'typed@example.com');
    host.setAttribute('lang', 'te');
    await until(() => input(el, 'ఈమెయిల్'), "Telugu after the host's lang changed");
    expect(input(el, 'ఈమెయిల్')!.value).to.equal('typed@example.com');
  });

  it('reads Arabic right to left unless the page chose a direction', async () => {
    const el = await signInForm(html`<latch-auth lang="ar"></latch-auth>`, 'البريد الإلكتروني');
    expect(getComputedStyle(el).direction).to.equal('rtl');
    expect(getComputedStyle(el.querySelector('form')!).direction).to.equal('rtl');
    const chosen = await signInForm(html`<div dir="ltr"><latch-auth lang="ar"></latch-auth></div>`, 'البريد الإلكتروني');
    expect(chosen.hasAttribute('dir'), "the page's dir is left alone").to.equal(false);
    expect(getComputedStyle(chosen).direction).to.equal('ltr');
  });

  it("chooses plural messages by each language's own categories: Arabic has six", async () => {
    const ar = localizer('ar');
    // Chromium writes `ar` numbers in Latin digits and Egypt's in Arabic-Indic ones: the count is
    // formatted as the shown locale does it.
    const arabic = [0, 1, 2, 3, 11, 100].map((count) => ar.t('delete.charsLeft', { count }));
    expect(arabic).to.deep.equal(['لم يتبقَّ أي حرف', 'يتبقى حرف واحد', 'يتبقى حرفان', 'يتبقى 3 أحرف', 'يتبقى 11 حرفًا', 'يتبقى 100 حرف']);
    expect(localizer('ar-EG').t('delete.charsLeft', { count: 11 })).to.equal('يتبقى ١١ حرفًا');
    // English deletion messages join the catalog when that element is first made.
    document.createElement('latch-delete-account');
    const en = localizer('en');
    expect([0, 1, 2].map((count) => en.t('delete.charsLeft', { count }))).to.deep.equal([
      '0 characters left',
      '1 character left',
      '2 characters left',
    ]);
    // Numbers inside messages are written in the shown language's digits.
    const bn = localizer('bn');
    await catalogsSettled();
    expect(localizer('bn').t('delete.charsLeft', { count: 12 })).to.equal('আর ১২টি অক্ষর বাকি');
    expect(bn.formatDuration(30), 'durations through Intl').to.equal('৩০ সেকেন্ড');
    expect(localizer('ar-EG').formatDate(Date.UTC(2026, 0, 15), { dateStyle: 'long', timeZone: 'UTC' })).to.equal('١٥ يناير ٢٠٢٦');
    expect(localizer('hi').formatDate(Date.UTC(2026, 0, 15), { dateStyle: 'long', timeZone: 'UTC' })).to.equal('15 जनवरी 2026');
  });

  it('passes axe in Hindi', async () => {
    const el = await signInForm(html`<latch-auth lang="hi"></latch-auth>`, 'ईमेल');
    await expect(el).to.be.accessible();
  });

  it('passes axe in Arabic', async () => {
    const el = await signInForm(html`<latch-auth lang="ar"></latch-auth>`, 'البريد الإلكتروني');
    await expect(el).to.be.accessible();
  });
});
