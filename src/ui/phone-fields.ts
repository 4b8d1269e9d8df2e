/**
 * The one phone template: the country (a searchable picker of calling codes and names) and the
 * number, with the tokens browsers fill (`tel-country-code`, `tel-national`). Every form of the
 * sign-in steps that asks for a phone uses it. The number shows grouped as it is typed
 * ("987 654 3210"); the form reads it without the spaces (formValues in form.ts).
 */
import { html, type TemplateResult } from 'lit/html.js';
import { groupDigits } from '../i18n/contact.js';
import type { MessageKey } from '../i18n/en.js';
import { defineCountryPicker } from './country-picker.js';
import type { FieldSpec } from './form.js';

/** A labelled field of the calling element (`FormElement.field`). */
export type FieldBuilder = (name: string, labelKey: MessageKey, spec?: Partial<FieldSpec>) => TemplateResult;

/** The country field's id, label and error (already localized). */
export interface CountrySpec {
  id: string;
  label: string;
  error?: string;
}

/** Country (pre-set to `countryCode`, with or without `+`) and number; `spec` applies to the number. */
export function phoneFields(field: FieldBuilder, country: CountrySpec, countryCode: string, spec: Partial<FieldSpec> = {}): TemplateResult {
  defineCountryPicker();
  return html`<div class="latch-phone" @input=${groupNumber}>
    <latch-country-picker
      .fieldId=${country.id}
      .label=${country.label}
      .error=${country.error ?? ''}
      .code=${countryCode.replace('+', '')}
      .required=${Boolean(spec.required)}
    ></latch-country-picker>
    ${field('mobile', 'field.mobile', { type: 'tel', autocomplete: 'tel-national', inputmode: 'numeric', ...spec })}
  </div>`;
}

/**
 * Groups the digits of the number as they are typed (3, 3, then the rest), keeping the caret after
 * the same digit (the grouping every shown phone number uses). Anything but digits and spaces is left as typed, for the field's rule to explain.
 */
function groupNumber(event: Event): void {
  const input = event.target as HTMLInputElement;
  if (input.name !== 'mobile' || !/^[\d\s]*$/.test(input.value)) return;
  const digits = input.value.replace(/\s/g, '');
  const grouped = groupDigits(digits);
  if (grouped === input.value) return;
  const before = input.value.slice(0, input.selectionStart ?? input.value.length).replace(/\s/g, '').length;
  input.value = grouped;
  let caret = 0;
  for (let seen = 0; caret < grouped.length && seen < before; caret++) if (grouped[caret] !== ' ') seen++;
  input.setSelectionRange(caret, caret);
}
