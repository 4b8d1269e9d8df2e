/**
 * Form building blocks shared by every latch form: a labelled field whose error is linked with
 * `aria-describedby`, zod/mini validation into message keys, and focus on the first problem.
 */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import type * as z from 'zod/mini';
import type { MessageKey } from '../i18n/en.js';

export type FieldErrors = Partial<Record<string, MessageKey>>;

export interface FieldSpec {
  id: string;
  name: string;
  /** Text, or a template when part of the label is rendered in place (a question in the page's language). */
  label: string | TemplateResult;
  type: string;
  autocomplete: string;
  required?: boolean;
  inputmode?: string;
  /** Initial value (carried over from an earlier step); typing is never overwritten. */
  value?: string;
  /** Already localized error text; sets `aria-invalid` and links the message. */
  error?: string;
  /** A rule to know before typing (a new password's length), shown under the field and linked, so it is heard there. */
  hint?: string;
  /** Controls placed after the input on the same row (for example show/hide password). */
  after?: TemplateResult;
  /** A control beside the label, end-aligned on the label's row (for example "Forgot password?"). */
  aside?: unknown;
}

/**
 * Fields whose text reads left to right in every language (addresses, phone numbers, codes): typed
 * and shown as typed, so "+91 …" or "name@example.com" never turns around in a right-to-left page.
 */
const LTR_TYPES = /^(email|tel|url)$/;

export function field(spec: FieldSpec): TemplateResult {
  const errorId = `${spec.id}-error`;
  const hintId = `${spec.id}-hint`;
  const describedBy = [spec.hint && hintId, spec.error && errorId].filter(Boolean).join(' ');
  return html`<div class="latch-field">
    ${spec.aside
      ? html`<div class="latch-field__head"><label class="latch-field__label" for=${spec.id}>${spec.label}</label>${spec.aside}</div>`
      : html`<label class="latch-field__label" for=${spec.id}>${spec.label}</label>`}
    <div class="latch-field__row">
      <input
        class="latch-field__input"
        id=${spec.id}
        name=${spec.name}
        type=${spec.type}
        autocomplete=${spec.autocomplete}
        inputmode=${spec.inputmode ?? nothing}
        dir=${LTR_TYPES.test(spec.type) || spec.name === 'otp' ? 'ltr' : nothing}
        value=${spec.value ?? nothing}
        ?required=${spec.required}
        aria-invalid=${spec.error ? 'true' : nothing}
        aria-describedby=${describedBy || nothing}
      />${spec.after ?? nothing}
    </div>
    ${spec.hint ? html`<p class="latch-field__hint" id=${hintId}>${spec.hint}</p>` : nothing}
    ${spec.error ? html`<p class="latch-field__error" id=${errorId}>${spec.error}</p>` : nothing}
  </div>`;
}

export type Validation<T> = { data: T; errors?: undefined } | { data?: undefined; errors: FieldErrors };

/** Runs a form schema; each field gets its first issue's message, which is a message key. */
export function validate<T>(schema: z.ZodMiniType<T>, input: unknown): Validation<T> {
  const result = schema.safeParse(input);
  if (result.success) return { data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const name = String(issue.path[0] ?? '');
    errors[name] ??= issue.message as MessageKey;
  }
  return { errors };
}

/** The values of a form's named controls, as strings; an unticked checkbox is `''` rather than missing; a phone number without its grouping spaces. */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const control of form.elements as unknown as Iterable<HTMLInputElement>) {
    if (control.type === 'checkbox') values[control.name] = control.checked ? 'on' : '';
  }
  for (const [name, value] of new FormData(form)) if (typeof value === 'string') values[name] = value;
  // A phone number's grouping spaces are for reading only (see phone-fields.ts).
  for (const control of form.querySelectorAll<HTMLInputElement>('input[autocomplete="tel-national"]')) {
    if (control.name in values) values[control.name] = values[control.name].replace(/\s/g, '');
  }
  return values;
}

/** Moves focus to the first control marked invalid, in document order. */
export function focusFirstInvalid(form: HTMLFormElement): void {
  form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
