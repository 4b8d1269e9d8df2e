/** The one gender template: an optional choice with the `sex` token, "Prefer not to say" first. */
import { html, type TemplateResult } from 'lit/html.js';
import type { MessageKey } from '../i18n/en.js';

export const GENDERS = ['', 'female', 'male', 'unisex'] as const;

/** A labelled select named `gender`; `t` localizes, `value` is the current choice. */
export function genderField(id: string, value: string, t: (key: MessageKey) => string): TemplateResult {
  return html`<div class="latch-field">
    <label class="latch-field__label" for=${id}>${t('field.gender')}</label>
    <select class="latch-field__input" id=${id} name="gender" autocomplete="sex">
      ${GENDERS.map((g) => html`<option value=${g} ?selected=${g === value}>${t(`gender.${g || 'none'}` as MessageKey)}</option>`)}
    </select>
  </div>`;
}
