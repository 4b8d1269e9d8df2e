/**
 * The code step of "add an email or phone" in `<latch-account>`: send, resend, the rule for a dead
 * code (a fresh send, not a resend), and the code form. Kept in this one module so that it can be
 * swapped for the shared code controller in one move.
 */
import { html, type TemplateResult } from 'lit/html.js';
import type { Destination } from '../../../api/client.js';
import type { LatchApiError } from '../../../api/errors.js';
import type { User } from '../../../api/schemas.js';
import { destinationLabel, sendContactCode, sentCode, verifyContactCode, type SentCode } from '../../../api/steps.js';
import { codeSchema } from '../../../ui/contact.schema.js';
import type { SectionHost } from './host.js';

export class ContactCode {
  /** The code sent, while it is asked for. */
  sent?: SentCode;

  constructor(
    private readonly host: SectionHost,
    /** Called with the saved user once the code is right. */
    private readonly verified: (to: Destination, user?: User) => void,
  ) {}

  async send(to: Destination, signal: AbortSignal, resend?: SentCode): Promise<void> {
    const host = this.host;
    const again = resend?.resendToken ? resend : undefined;
    const sent = await sendContactCode(host.store.client, to, again ? { action: 'resend', token: again.resendToken } : {}, { signal });
    this.sent = sentCode(to, sent, again);
    host.tick();
    host.say(host.t('auth.codeSent', { to: destinationLabel(to) }));
    host.focusAfterRender('otp');
  }

  keepTicking(): boolean {
    return this.host.now < (this.sent?.resendAt ?? 0);
  }

  /** A dead code needs a fresh send, not a resend of the same request; the failure is still told as usual. */
  handleFailure(error: LatchApiError): boolean {
    if (this.sent && /^OTP_(EXPIRED|ATTEMPTS)/.test(error.code ?? '')) this.sent = { ...this.sent, resendAt: 0, resendToken: undefined };
    return false;
  }

  render(code: SentCode): TemplateResult {
    const host = this.host;
    const wait = host.secondsUntil(code.resendAt);
    const verify = host.submit('contact', codeSchema, async ({ otp }, signal) => {
      const { user } = await verifyContactCode(host.store.client, code.to, { otp, request_id: code.requestId }, { signal });
      this.sent = undefined;
      this.verified(code.to, user);
    });
    const resend = () => {
      if (!wait) void host.run('contact', 'resend', (signal) => this.send(code.to, signal, code));
    };
    return host.form('otp', host.field('otp', 'field.code', undefined, { autocomplete: 'one-time-code', inputmode: 'numeric', required: true, value: undefined }), 'auth.verify', verify, html`
      <button type="button" class="latch-button latch-link" aria-disabled=${wait || host.waiting ? 'true' : 'false'} @click=${resend}>
        ${wait ? host.t('auth.resendIn', { time: host.duration(wait) }) : host.t(code.resendToken ? 'auth.resend' : 'auth.newCode')}
      </button>
      ${host.cancel(() => (this.sent = undefined), 'contact-add')}`);
  }
}
