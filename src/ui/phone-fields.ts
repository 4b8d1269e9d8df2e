/**
 * The one phone template: country code and number on one row, with the tokens browsers fill
 * (`tel-country-code`, `tel-national`). Every form that asks for a phone uses it.
 */
import { html, type TemplateResult } from 'lit/html.js';
import type { MessageKey } from '../i18n/en.js';
import type { FieldSpec } from './form.js';

/** A labelled field of the calling element (`FormElement.field`). */
export type FieldBuilder = (name: string, labelKey: MessageKey, spec?: Partial<FieldSpec>) => TemplateResult;

/** Country code (pre-filled with `countryCode`, digits without `+`) and number; `spec` applies to the number. */
export function phoneFields(field: FieldBuilder, countryCode: string, spec: Partial<FieldSpec> = {}): TemplateResult {
  return html`<div class="latch-phone">
    ${field('country_code', 'field.countryCode', {
      type: 'tel',
      autocomplete: 'tel-country-code',
      inputmode: 'tel',
      value: countryCode.startsWith('+') ? countryCode : `+${countryCode}`,
      required: spec.required,
    })}
    ${field('mobile', 'field.mobile', { type: 'tel', autocomplete: 'tel-national', inputmode: 'numeric', ...spec })}
  </div>`;
}
