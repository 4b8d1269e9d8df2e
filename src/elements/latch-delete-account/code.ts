/**
 * The code step of `<latch-delete-account>`: send, resend, the rule for a dead code (a fresh send,
 * with a new captcha answer when one is needed), and the code form. Kept in this one module so that
 * it can be swapped for the shared code controller in one move. The element owns the form machinery
 * and hands what the step needs over as a `CodeHost`.
 */
import { html, type TemplateResult } from 'lit/html.js';
import type { Destination } from '../../api/client.js';
import type { LatchClient } from '../../api/client.js';
import { destinationLabel, sendLoginCode, sentCode, type SentCode } from '../../api/steps.js';
import type { MessageKey } from '../../i18n/en.js';
import type { FieldSpec } from '../../ui/form.js';

export interface CodeHost {
  readonly client: LatchClient;
  readonly pending: boolean;
  readonly hasCaptcha: boolean;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  duration(seconds: number): string;
  secondsUntil(at: number): number;
  tick(): void;
  say(notice: string): void;
  focusAfterRender(id: string): void;
  run(action: (signal: AbortSignal) => Promise<unknown>): void;
  field(name: string, label: MessageKey, spec?: Partial<FieldSpec>): TemplateResult;
  form(name: string, fields: unknown, submit: MessageKey, onSubmit: (event: SubmitEvent) => void, extra?: unknown): TemplateResult;
}

export class DeletionCode {
  /** The code sent, while it is asked for; `resendAt` 0 once it is dead. */
  sent?: SentCode;

  constructor(private readonly host: CodeHost) {}

  async send(to: Destination, signal: AbortSignal, captcha?: string, resend?: SentCode): Promise<void> {
    const host = this.host;
    const sent = await sendLoginCode(host.client, to, { action: resend ? 'resend' : 'send', token: resend?.resendToken, captcha_code: captcha }, { signal });
    this.sent = sentCode(to, sent, resend);
    host.tick();
    host.say(host.t('auth.codeSent', { to: destinationLabel(to) }));
    host.focusAfterRender('otp');
  }

  /** A dead code needs a fresh send rather than a resend. */
  died(): void {
    if (this.sent) this.sent = { ...this.sent, resendAt: 0 };
  }

  keepTicking(now: number): boolean {
    return now < (this.sent?.resendAt ?? 0);
  }

  #resend(): void {
    const code = this.sent;
    if (!code || this.host.secondsUntil(code.resendAt) > 0) return;
    const dead = !code.resendAt;
    if (dead && this.host.hasCaptcha) {
      // A first send needs a fresh captcha answer: back to the form that asks for one.
      this.sent = undefined;
      this.host.focusAfterRender('step');
      return;
    }
    this.host.run((signal) => this.send(code.to, signal, undefined, dead ? undefined : code));
  }

  /** The code form; `onSubmit` keeps the code for the final confirmation. */
  render(code: SentCode, onSubmit: (event: SubmitEvent) => void): TemplateResult {
    const host = this.host;
    const wait = host.secondsUntil(code.resendAt);
    const resend = wait ? host.t('auth.resendIn', { time: host.duration(wait) }) : host.t(code.resendAt ? 'auth.resend' : 'auth.newCode');
    return host.form(
      'verify',
      host.field('otp', 'field.code', { autocomplete: 'one-time-code', inputmode: 'numeric' }),
      'delete.continue',
      onSubmit,
      html`<button type="button" class="latch-button latch-link" aria-disabled=${wait || host.pending ? 'true' : 'false'} @click=${() => this.#resend()}>${resend}</button>`,
    );
  }
}
