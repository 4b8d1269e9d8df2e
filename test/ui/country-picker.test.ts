/**
 * The country picker of the phone template, by keyboard alone: type to filter, arrows, Enter picks,
 * Escape closes, focus stays in the field; names in the page's language; axe clean open and closed.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { field } from '../../src/ui/form.js';
import { phoneFields } from '../../src/ui/phone-fields.js';
import { catalogsSettled, localizer } from '../../src/i18n/localize.js';
import { adoptLatchStyles } from '../../src/ui/styles.js';
import formStyles from '../../src/ui/forms.css?inline';

adoptLatchStyles(document);
adoptLatchStyles(document, formStyles);

let submits = 0;
async function mountPhone(code = '91', lang = 'en'): Promise<HTMLFormElement> {
  submits = 0;
  const form = await fixture<HTMLFormElement>(html`<form
    class="latch-root"
    lang=${lang}
    @submit=${(event: Event) => {
      event.preventDefault();
      submits++;
    }}
  >
    ${phoneFields(
      (name, _key, spec) => field({ id: `t-${name}`, name, label: 'Mobile number', type: 'tel', autocomplete: 'off', ...spec }),
      { id: 't-country', label: 'Country code' },
      code,
    )}
  </form>`);
  await picker(form).updateComplete;
  return form;
}

const picker = (form: HTMLFormElement) => form.querySelector('latch-country-picker')!;
const box = (form: HTMLFormElement) => form.querySelector<HTMLInputElement>('[role="combobox"]')!;
const sent = (form: HTMLFormElement) => new FormData(form).get('country_code');
const options = (form: HTMLFormElement) => [...form.querySelectorAll('[role="option"]')].map((o) => o.textContent!.replace(/\s+/g, ' ').trim());
const active = (form: HTMLFormElement) => {
  const id = box(form).getAttribute('aria-activedescendant');
  return id ? document.getElementById(id)!.textContent!.replace(/\s+/g, ' ').trim() : null;
};
/** A calling code as the list shows it: isolated left to right (U+2066 … U+2069). */
const code = (text: string) => `\u2066${text}\u2069`;
const settle = (form: HTMLFormElement) => picker(form).updateComplete;

describe('country picker', () => {
  it('starts on the given calling code, named in the page language', async () => {
    let form = await mountPhone('44');
    expect(box(form).value).to.equal('+44 United Kingdom');
    expect(sent(form)).to.equal('+44');
    expect(box(form).getAttribute('aria-expanded')).to.equal('false');
    await expect(form).to.be.accessible();
    form = await mountPhone('+49', 'de');
    expect(box(form).value).to.equal('+49 Deutschland');
  });

  it('is used by keyboard alone: type to filter, arrows, Enter picks without submitting, focus stays', async () => {
    const form = await mountPhone('91');
    box(form).focus();
    await sendKeys({ type: 'united' });
    await settle(form);
    expect(box(form).getAttribute('aria-expanded')).to.equal('true');
    expect(options(form)).to.include.members([`United Kingdom ${code('+44')}`, `United States ${code('+1')}`, `United Arab Emirates ${code('+971')}`]);
    expect(options(form).every((o) => o.startsWith('United'))).to.equal(true);
    expect(active(form)).to.equal(options(form)[0]);
    await expect(form).to.be.accessible();
    await sendKeys({ press: 'ArrowDown' });
    await settle(form);
    expect(active(form)).to.equal(options(form)[1]);
    await sendKeys({ press: 'ArrowUp' });
    await sendKeys({ press: 'ArrowUp' });
    await settle(form);
    expect(active(form), 'wraps to the last').to.equal(options(form).at(-1));
    const chosen = active(form)!;
    await sendKeys({ press: 'Enter' });
    await settle(form);
    expect(submits, 'Enter picks; it does not send the form').to.equal(0);
    expect(box(form).getAttribute('aria-expanded')).to.equal('false');
    // The option reads "United States ⁦+1⁩"; the field then shows "+1 United States".
    const [, name, calling] = /^(.*) \u2066(\+\d+)\u2069$/.exec(chosen)!;
    expect(box(form).value).to.equal(`${calling} ${name}`);
    expect(sent(form)).to.equal(calling);
    expect(document.activeElement).to.equal(box(form));
    await expect(form).to.be.accessible();
  });

  it('closes with Escape and keeps the country it had; opens with the arrow on the current one', async () => {
    const form = await mountPhone('91');
    box(form).focus();
    await sendKeys({ press: 'ArrowDown' });
    await settle(form);
    expect(box(form).getAttribute('aria-expanded')).to.equal('true');
    expect(active(form)).to.equal(`India ${code('+91')}`);
    await sendKeys({ type: 'fra' });
    await settle(form);
    expect(active(form)).to.equal(`France ${code('+33')}`);
    await sendKeys({ press: 'Escape' });
    await settle(form);
    expect(box(form).getAttribute('aria-expanded')).to.equal('false');
    expect(box(form).value).to.equal('+91 India');
    expect(sent(form)).to.equal('+91');
    expect(document.activeElement).to.equal(box(form));
  });

  it('takes a calling code typed (or filled in by the browser) at once', async () => {
    const form = await mountPhone('91');
    box(form).focus();
    await sendKeys({ type: '+1' });
    await settle(form);
    expect(sent(form)).to.equal('+1');
    expect(options(form)).to.include(`United States ${code('+1')}`);
    await sendKeys({ press: 'Tab' });
    await settle(form);
    expect(box(form).value).to.equal('+1 United States');
  });

  it('in Egyptian Arabic shows calling codes in the digits Intl gives it, left to right, and takes them typed', async () => {
    localizer('ar-EG');
    await catalogsSettled();
    const form = await mountPhone('91', 'ar-EG');
    form.dir = 'rtl';
    const digits = (text: string) => text.replace(/\d/g, (d) => new Intl.NumberFormat('ar-EG', { useGrouping: false }).format(Number(d)));
    expect(digits('+91'), 'Egypt writes Arabic-Indic digits').to.not.equal('+91');
    // The field reads left to right whatever the page's direction: "+91" never turns into "91+".
    expect(box(form).dir).to.equal('ltr');
    expect(box(form).value.startsWith(`${digits('+91')} `)).to.equal(true);
    box(form).focus();
    await sendKeys({ type: digits('+44') });
    await settle(form);
    expect(sent(form)).to.equal('+44');
    expect(options(form).some((o) => o.endsWith(code(digits('+44'))))).to.equal(true);
    await expect(form).to.be.accessible();
  });

  it('picks with the mouse without losing focus', async () => {
    const form = await mountPhone('91');
    box(form).focus();
    box(form).click();
    await settle(form);
    const japan = [...form.querySelectorAll<HTMLElement>('[role="option"]')].find((o) => o.textContent!.includes('Japan'))!;
    japan.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }));
    japan.click();
    await settle(form);
    expect(sent(form)).to.equal('+81');
    expect(document.activeElement).to.equal(box(form));
  });

  it('sends no country once its field is emptied, so the form can ask for one', async () => {
    const form = await mountPhone('91');
    box(form).focus();
    await sendKeys({ press: 'Backspace' });
    await settle(form);
    expect(sent(form)).to.equal('');
    box(form).blur();
    await settle(form);
    expect(box(form).value).to.equal('');
  });
});
