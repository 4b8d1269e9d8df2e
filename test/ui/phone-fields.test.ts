/**
 * The phone template's number: grouped as it is typed, read by the form without the spaces.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { field, formValues } from '../../src/ui/form.js';
import { phoneFields } from '../../src/ui/phone-fields.js';

async function mountPhone(): Promise<HTMLFormElement> {
  return fixture<HTMLFormElement>(html`<form class="latch-root">
    ${phoneFields(
      (name, _key, spec) => field({ id: `g-${name}`, name, label: 'Mobile number', type: 'tel', autocomplete: 'off', ...spec }),
      { id: 'g-country', label: 'Country code' },
      '91',
    )}
  </form>`);
}

describe('phone fields', () => {
  it('groups the number as it is typed and hands the form the digits alone', async () => {
    const form = await mountPhone();
    const mobile = form.querySelector<HTMLInputElement>('input[name="mobile"]')!;
    mobile.focus();
    await sendKeys({ type: '9876' });
    expect(mobile.value).to.equal('987 6');
    await sendKeys({ type: '543210' });
    expect(mobile.value).to.equal('987 654 3210');
    expect(formValues(form)).to.include({ mobile: '9876543210', country_code: '+91' });
    // An edit in the middle keeps the caret after the same digit.
    mobile.setSelectionRange(5, 5);
    await sendKeys({ press: 'Backspace' });
    expect(mobile.value).to.equal('987 543 210');
    expect(mobile.selectionStart).to.equal(3);
    await sendKeys({ type: '6' });
    expect(mobile.value).to.equal('987 654 3210');
  });

  it('leaves what is not a number as typed, for the field rule to explain', async () => {
    const form = await mountPhone();
    const mobile = form.querySelector<HTMLInputElement>('input[name="mobile"]')!;
    mobile.focus();
    await sendKeys({ type: '98x76' });
    expect(mobile.value).to.equal('98x76');
  });
});
