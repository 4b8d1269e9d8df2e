/**
 * No English left: in each shipped language, a whole sign-in (password form with its security
 * question, code request, code check), registration (with the consent sentence and an optional
 * contact) and account deletion render without a word of English, against the reference service.
 * Every text node and every accessible attribute is checked two ways: against the English catalog
 * (any of its sentences or fragments) and for Latin-script words the language's own catalog does not
 * use (which also catches English written straight into a template). Store-written text (delete
 * reasons), the shopper's own data (emails, names) and numbers are all that may stay. In Hindi and
 * Arabic every one of those states is also checked with axe.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import '../../src/dev.js';
import type { LatchAuth } from '../../src/elements/latch-auth/latch-auth.js';
import { en, type PluralMessage } from '../../src/i18n/en.js';
import { enAccount } from '../../src/i18n/en-account.js';
import { enCodes } from '../../src/i18n/en-codes.js';
import { enDelete } from '../../src/i18n/en-delete.js';
import { enFlows } from '../../src/i18n/en-flows.js';
import { SHIPPED_LANGUAGES, catalogsSettled } from '../../src/i18n/localize.js';
import { shopperWithPhone, unique } from '../support/auth.js';
import { APP_BASE, BASELINE_CONFIG, admin, setConfig, until } from '../support/service.js';

const english: Record<string, string | PluralMessage> = { ...en, ...enFlows, ...enCodes, ...enAccount, ...enDelete };
const texts = (message: string | PluralMessage) => (typeof message === 'string' ? [message] : Object.values(message));
/** English literal pieces: each message cut at its placeholders, only pieces with a word in them. */
const englishPieces = [
  ...new Set(
    Object.values(english)
      .flatMap(texts)
      .flatMap((text) => text.split(/\{\w+\}/))
      .map((piece) => piece.trim().replace(/^[\s.,:;·(]+|[\s.,:;·)]+$/g, ''))
      .filter((piece) => /[A-Za-z]{3}/.test(piece)),
  ),
];

/** Store-written text the element shows as it is: the store's name and line, the deletion reasons. */
const STORE_TEXT = [BASELINE_CONFIG.display, BASELINE_CONFIG.subtext, 'I no longer use this account', 'Other'];

/** What a shopper sees or hears from an element: text nodes, then labels given in attributes. */
function shownTexts(root: Element): string[] {
  const out: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement?.closest('style, script')) continue;
    if (node.textContent!.trim()) out.push(node.textContent!.trim());
  }
  for (const el of root.querySelectorAll('*')) {
    for (const name of ['aria-label', 'placeholder', 'title', 'alt', 'aria-placeholder']) {
      const value = el.getAttribute(name)?.trim();
      if (value) out.push(value);
    }
    if (el instanceof HTMLInputElement && ['submit', 'button'].includes(el.type) && el.value) out.push(el.value);
  }
  return out;
}

/** The English a shopper of `lang` would still meet in `root`; `own` is what they typed or the store wrote. */
function englishIn(root: Element, catalogWords: Set<string>, own: string[]): string[] {
  const left: string[] = [];
  for (const shown of shownTexts(root)) {
    let text = shown;
    for (const mine of [...STORE_TEXT, ...own]) text = text.split(mine).join(' ');
    text = text.replace(/\S+@\S+/g, ' ').trim();
    if (!text) continue;
    const piece = englishPieces.find((p) => (p.includes(' ') ? text.includes(p) : text === p));
    const latin = (text.match(/[A-Za-z]{3,}/g) ?? []).filter((word) => !catalogWords.has(word));
    if (piece || latin.length) left.push(`"${shown}"${piece ? ` (English: "${piece}")` : ''}`);
  }
  return left;
}

const submit = (el: Element) => el.querySelector<HTMLButtonElement>('form button[type="submit"]')!;
const named = (el: Element, name: string) => el.querySelector<HTMLInputElement>(`input[name="${name}"]`);
const setValue = (input: HTMLInputElement, value: string) => {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
};

describe('no English left', () => {
  // Each element reads the config fresh (not the copy a previous one kept).
  beforeEach(async () => {
    localStorage.clear();
    // The deletion test signs in; every test starts signed out.
    await fetch(`${APP_BASE}/authentication/v1.0/logout`);
  });
  afterEach(() => setConfig({ skip_captcha: true }));

  for (const lang of SHIPPED_LANGUAGES.filter((l) => l !== 'en')) {
    describe(lang, () => {
      let words: Set<string>;
      let leftIn: (el: Element, own?: string[]) => string[];
      before(async () => {
        const catalog = ((await import(`../../src/i18n/catalogs/${lang}.ts`)) as { default: Record<string, string | PluralMessage> }).default;
        // Latin words the translators chose themselves (OTP, URL, name@example.com, https).
        words = new Set(Object.values(catalog).flatMap(texts).flatMap((text) => text.replace(/\{\w+\}/g, '').match(/[A-Za-z]{3,}/g) ?? []));
        leftIn = (el, own = []) => englishIn(el, words, own);
      });
      /** No English in `el`; in Hindi and Arabic (the scripts and the direction most unlike English) axe-clean too. */
      const check = async (el: Element, what: string, own: string[] = []) => {
        expect(leftIn(el, own), what).to.deep.equal([]);
        if (lang === 'hi' || lang === 'ar') await expect(el, `${what}: axe`).to.be.accessible();
      };

      it('signs in: password form with its security question, code request, code check', async () => {
        await setConfig({ ...BASELINE_CONFIG, login: { password: true, otp: true }, skip_captcha: false });
        const form = await fixture<LatchAuth>(html`<latch-auth lang=${lang}></latch-auth>`);
        await catalogsSettled();
        await until(() => named(form, 'captcha') && named(form, 'password'), 'the password form with its question');
        // The question's numbers, written in the language's digits.
        await until(() => !form.querySelector('[for$="-captcha"]')!.textContent!.includes('…'), 'the question');
        await check(form, 'password form');
        // A submit with nothing filled in: the messages at the fields.
        submit(form).click();
        await until(() => form.querySelector('.latch-field__error'), 'the field messages');
        await check(form, 'password form with errors');

        await setConfig({ skip_captcha: true });
        localStorage.clear();
        const { mobile } = await shopperWithPhone();
        const code = await fixture<LatchAuth>(html`<latch-auth lang=${lang} mode="otp"></latch-auth>`);
        await catalogsSettled();
        const number = await until(() => named(code, 'mobile'), 'the code request');
        await check(code, 'code request');
        setValue(number, mobile);
        submit(code).click();
        await until(() => named(code, 'otp'), 'the code check');
        await check(code, 'code check', [mobile]);
        // A wrong code: the service's OTP_INVALID as the language's words.
        setValue(named(code, 'otp')!, '000000');
        named(code, 'otp')!.form!.requestSubmit();
        await until(() => code.querySelector('.latch-notice--error'), 'the wrong code message');
        await check(code, 'code check, wrong code', [mobile]);
      });

      it('registers: the form with its consent sentence and an optional contact', async () => {
        await setConfig({
          ...BASELINE_CONFIG,
          register: true,
          skip_captcha: true,
          register_required_fields: { email: { is_required: true, level: 'hard' }, mobile: { is_required: true, level: 'soft' } },
        });
        const el = await fixture<LatchAuth>(html`<latch-auth lang=${lang} view="register" privacy-url="/privacy.html"></latch-auth>`);
        await catalogsSettled();
        await until(() => named(el, 'first_name') && named(el, 'consent'), 'the registration form');
        const consent = el.querySelector(`label[for="${named(el, 'consent')!.id}"]`)!;
        expect(consent.querySelector('a')?.getAttribute('href'), 'the link inside the sentence').to.match(/\/privacy\.html$/);
        await check(el, 'registration');
        submit(el).click();
        await until(() => el.querySelector('.latch-field__error'), 'the field messages');
        await check(el, 'registration with errors');
      });

      it('deletes an account: the first two steps', async () => {
        await setConfig({
          delete_account_day: 7,
          delete_account_reasons: [
            { reason_id: 'not_using', reason_text: 'I no longer use this account', show_text_area: false },
            { reason_id: 'other', reason_text: 'Other', show_text_area: true },
          ],
        });
        const email = `leaving-${lang}-${unique()}@example.com`;
        const made = await admin('/customers?verified=true', {
          method: 'POST',
          body: JSON.stringify({ email, password: 'leaving-for-good-42', first_name: 'Lee' }),
        });
        expect(made.status).to.equal(200);
        const signedIn = await fetch(`${APP_BASE}/authentication/v1.0/login/password`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: email, password: 'leaving-for-good-42' }),
        });
        expect(signedIn.status).to.equal(200);
        const el = await fixture<HTMLElement>(html`<latch-delete-account lang=${lang}></latch-delete-account>`);
        await catalogsSettled();
        const first = await until(() => el.querySelector('h3')?.textContent, 'the first step');
        await check(el, 'deletion, first step');
        submit(el).click();
        await until(() => el.querySelector('h3')?.textContent !== first && el.querySelector('[type="radio"]'), 'the reason step');
        await check(el, 'deletion, reasons');
      });
    });
  }
});
