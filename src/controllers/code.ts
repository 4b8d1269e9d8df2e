/**
 * The one-time code a form is waiting for, for every element that sends codes: sending and
 * resending it (with the resend countdown), the one rule for a dead code (expired, or too many
 * tries: it needs a fresh send, not a resend of the same request), checking what the shopper typed,
 * WebOTP (an SMS for this origin fills the field and submits) and tidying a pasted code.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Destination, LatchClient, RequestOptions, Resend } from '../api/client.js';
import type { LatchApiError } from '../api/errors.js';
import type { OtpSent } from '../api/steps.js';
import type { CountdownController } from './countdown.js';

/** A send-code call (`sendLoginCode`-shaped): sends, or resends with `resend`. */
export type SendCode = (client: LatchClient, to: Destination, resend?: Resend, options?: RequestOptions) => Promise<OtpSent>;
/** A check-code call (one of the `verify*Code` calls of api/steps.ts). */
export type CheckCode<R> = (client: LatchClient, to: Destination, body: { otp: string; request_id?: string }, options: RequestOptions) => Promise<R>;

/** A code that was sent, what it was for, and how to send it again. */
export interface PendingCode<P extends string = string> extends SentCode {
  purpose: P;
  sender: SendCode;
}

/** The one definition of a dead code: the service says it expired or took too many tries. */
export const isDeadCode = (error: LatchApiError): boolean => /^OTP_(EXPIRED|ATTEMPTS)/.test(error.code ?? '');

/** A pasted code with spaces or dashes ("123 456", "123-456"), as the digits alone; undefined when it is not one. */
export function pastedCode(text: string): string | undefined {
  const digits = text.replace(/[\s-]/g, '');
  return digits !== text && /^\d{4,8}$/.test(digits) ? digits : undefined;
}

/** A code that was sent: where to, the request it belongs to, and when it may be sent again. */
export interface SentCode {
  to: Destination;
  requestId?: string;
  resendToken?: string;
  /** When the resend button wakes up (ms since epoch); 0 once the code is dead and needs a fresh send. */
  resendAt: number;
}

/** What a send answered, as the code to verify next; `previous` is the code a resend was for. */
export function sentCode(to: Destination, sent: OtpSent, previous?: SentCode, now = Date.now()): SentCode {
  return {
    to,
    requestId: sent.request_id ?? previous?.requestId,
    resendToken: sent.resend_token ?? sent.resend_email_token,
    resendAt: now + (sent.resend_timer ?? 30) * 1000,
  };
}

const RESEND = 'resend';

export class CodeController<P extends string = string> implements ReactiveController {
  /** The code last sent, while a form waits for it. */
  sent?: PendingCode<P>;
  readonly #host: ReactiveControllerHost;
  readonly #countdown: CountdownController;
  #sms?: AbortController;

  constructor(host: ReactiveControllerHost, countdown: CountdownController) {
    this.#host = host;
    this.#countdown = countdown;
    host.addController(this);
  }

  /** Seconds until the code may be sent again (0 when it may, or when it is dead). */
  get wait(): number {
    return this.sent ? this.#countdown.secondsUntil(this.sent.resendAt) : 0;
  }

  /** True once the code can no longer be used: the next send is a fresh one. */
  get dead(): boolean {
    return this.sent?.resendAt === 0;
  }

  /** Sends a new code to `to` for `purpose`; `extra` goes with it (a captcha answer). */
  async send(client: LatchClient, purpose: P, to: Destination, sender: SendCode, signal: AbortSignal, extra: Resend = {}): Promise<PendingCode<P>> {
    const sent = await sender(client, to, { action: 'send', ...extra }, { signal });
    return this.accept(purpose, to, sent, sender);
  }

  /** Sends the code again: a resend of the same request, or a fresh send when the code is dead. Nothing while the countdown runs. */
  async resend(client: LatchClient, signal: AbortSignal, extra: Resend = {}): Promise<PendingCode<P> | undefined> {
    const code = this.sent;
    if (!code || this.wait > 0) return undefined;
    if (this.dead) return this.send(client, code.purpose, code.to, code.sender, signal, extra);
    const sent = await code.sender(client, code.to, { action: 'resend', token: code.resendToken, ...extra }, { signal });
    return this.accept(code.purpose, code.to, sent, code.sender, code);
  }

  /** Remembers a code another call sent (registration sends its codes with the form) and starts its resend countdown. */
  accept(purpose: P, to: Destination, sent: OtpSent, sender: SendCode, previous?: SentCode): PendingCode<P> {
    this.sent = { purpose, sender, ...sentCode(to, sent, previous, this.#countdown.refresh()) };
    const code = this.sent;
    this.#countdown.until(RESEND, code.resendAt);
    return code;
  }

  /** Checks the typed code against the code last sent. */
  verify<R>(client: LatchClient, check: CheckCode<R>, otp: string, signal: AbortSignal): Promise<R> {
    const { to, requestId } = this.sent!;
    return check(client, to, { otp, request_id: requestId }, { signal });
  }

  /** Call with every failure of a code form: a dead code is marked so the next send is fresh. True when it was. */
  failed(error: LatchApiError): boolean {
    if (!this.sent || !isDeadCode(error)) return false;
    this.sent = { ...this.sent, resendAt: 0, resendToken: undefined };
    this.#countdown.cancel(RESEND);
    this.#host.requestUpdate();
    return true;
  }

  /** The code is done with (verified, or the shopper went back). */
  clear(): void {
    this.sent = undefined;
    this.#countdown.cancel(RESEND);
    this.#sms?.abort();
  }

  /**
   * WebOTP: where the browser supports it, an SMS code for this origin fills `input()` and submits
   * its form. One request at a time; it ends when the code is cleared or the host leaves the page.
   */
  listenForSms(input: () => HTMLInputElement | null): void {
    if (this.#sms && !this.#sms.signal.aborted) return;
    if (!('OTPCredential' in window) || !this.sent || 'email' in this.sent.to) return;
    const controller = (this.#sms = new AbortController());
    navigator.credentials
      .get({ otp: { transport: ['sms'] }, signal: controller.signal } as CredentialRequestOptions)
      .then((credential) => {
        const field = input();
        const code = (credential as unknown as { code?: string } | null)?.code;
        if (field && code) {
          field.value = code;
          field.form?.requestSubmit();
        }
      })
      .catch(() => {});
  }

  /** Stops listening for an SMS (the step changed). */
  stopListening(): void {
    this.#sms?.abort();
  }

  hostDisconnected(): void {
    this.#sms?.abort();
  }
}

/** Paste handler for a code field: "123 456" becomes "123456"; a plain code is left to the browser. */
export function onCodePaste(event: ClipboardEvent): void {
  const code = pastedCode(event.clipboardData?.getData('text/plain') ?? '');
  if (!code) return;
  event.preventDefault();
  const input = event.target as HTMLInputElement;
  input.value = code;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}
