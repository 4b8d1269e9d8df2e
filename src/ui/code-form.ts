/**
 * The one code form: the code field (one-time-code token, numeric keyboard, pasted codes tidied),
 * Verify, the resend button with its countdown ("Send a new code" once the code is dead) and the
 * way back to change where the code went. A code typed or pasted to its full length is sent at once.
 * The behaviour is CodeController's (controllers/code.ts).
 */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import { onCodePaste, type CodeController } from '../controllers/code.js';
import type { MessageKey } from '../i18n/en.js';
import type { FieldBuilder } from './phone-fields.js';

/** What the form needs from its element. */
export interface CodeFormParts {
  readonly pending: boolean;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  duration(seconds: number): string;
  field: FieldBuilder;
  form(name: string, fields: unknown, submitKey: MessageKey, onSubmit: (event: SubmitEvent) => void, extra?: unknown): TemplateResult;
}

export interface CodeFormActions {
  verify: (event: SubmitEvent) => void;
  resend: () => void;
  /** Changes where the code goes; without it (the destination is fixed) there is no such button. */
  back?: () => void;
  /** The submit button's words when the code is not checked at once (deletion checks it with the final step). */
  submit?: MessageKey;
}

export function codeForm(parts: CodeFormParts, code: CodeController, actions: CodeFormActions): TemplateResult {
  const wait = code.wait;
  const email = Boolean(code.sent && 'email' in code.sent.to);
  const resendLabel = wait ? parts.t('auth.resendIn', { time: parts.duration(wait) }) : parts.t(code.dead ? 'auth.newCode' : 'auth.resend');
  return parts.form(
    'verify',
    html`<div @paste=${onCodePaste} @input=${submitWhenComplete}>${parts.field('otp', 'field.code', { autocomplete: 'one-time-code', inputmode: 'numeric', value: undefined })}</div>`,
    actions.submit ?? 'auth.verify',
    actions.verify,
    html`<button type="button" class="latch-button latch-link" aria-disabled=${wait || parts.pending ? 'true' : 'false'} @click=${actions.resend}>
        ${resendLabel}
      </button>
      ${actions.back
        ? html`<button type="button" class="latch-button latch-link" @click=${actions.back}>
            ${parts.t('auth.changeContact', { what: parts.t(email ? 'what.email' : 'what.mobile') })}
          </button>`
        : nothing}`,
  );
}

/** The length of the codes the service sends. */
export const CODE_LENGTH = 6;

/** Sends the form once the code has all its digits (typed or pasted); the submit path ignores a second try while one runs. */
function submitWhenComplete(event: Event): void {
  const input = event.target as HTMLInputElement;
  if (input.value.length === CODE_LENGTH && /^\d+$/.test(input.value)) input.form?.requestSubmit();
}
