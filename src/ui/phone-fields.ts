/**
 * The one phone template: the country (a searchable picker of calling codes and names) and the
 * number, with the tokens browsers fill (`tel-country-code`, `tel-national`). Every form of the
 * sign-in steps that asks for a phone uses it.
 */
import { html, type TemplateResult } from 'lit/html.js';
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
  return html`<div class="latch-phone">
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
