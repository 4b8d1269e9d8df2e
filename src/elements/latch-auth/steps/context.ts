/**
 * The typed context every step of `<latch-auth>` gets: what the step may read (the config's view
 * model, carried values, the client) and do (move to another step, finish the sign-in, submit a
 * form through the shared submit path), and the building blocks of a form. The element builds one
 * context and keeps it private; a step never sees the element itself. Types only: importing this
 * adds no code to any download.
 */
import type { TemplateResult, nothing } from 'lit/html.js';
import type * as z from 'zod/mini';
import type { LatchClient } from '../../../api/client.js';
import type { User } from '../../../api/schemas.js';
import type { AuthViewModel } from '../../../config/view-model.js';
import type { CodeController } from '../../../controllers/code.js';
import type { LatchErrorDetail, LatchLoginDetail } from '../../../events.js';
import type { MessageKey } from '../../../i18n/en.js';
import type { FieldSpec } from '../../../ui/form.js';
import type { SubmitHandler } from '../../form-element.js';

export type Channel = 'mobile' | 'email';
export type Method = LatchLoginDetail['method'];

/** Every step by name; steps/registry.ts maps each on-demand one to its module. */
export type StepName =
  | 'password'
  | 'code-request'
  | 'code-check'
  | 'finish-account'
  | 'forgot'
  | 'forgot-sent'
  | 'reset-code'
  | 'new-password'
  | 'locked'
  | 'registration'
  | 'registration-code';

/** What each code the widget sends is for. */
export type CodePurpose = 'login' | 'forgot' | 'contact' | 'register';

/** A required contact the signed-in shopper lacks: which one, and whether it may be skipped. */
export interface MissingContact {
  field: Channel;
  hard: boolean;
}

export type Template = TemplateResult | typeof nothing;

export interface StepContext {
  /** The platform config, as the widget reads it. */
  readonly vm: AuthViewModel;
  readonly client: LatchClient;
  /** Values typed on one step and offered on the next, so nothing is typed twice. Never secrets. */
  readonly values: Record<string, string>;
  /** The host's `country-code` attribute (without `+`). */
  readonly countryCode: string;
  /** The host's `privacy-url` attribute. */
  readonly privacyUrl: string;
  /** Where codes go on the steps that offer both: a phone or an email. */
  channel: Channel;
  /** The code last sent and its resend clock. */
  readonly code: CodeController<CodePurpose>;
  /** A form's request is running. */
  readonly pending: boolean;
  /** Localized messages shown at fields, by control name. */
  readonly fieldErrors: Readonly<Record<string, string>>;
  /** The status line ("We sent a code to ..."). */
  notice?: string;
  /** The alert line. */
  formError?: string;
  /**
   * Password sign-in for this account is locked by too many tries (a 429 with `meta.locked:
   * "account"`) while the store takes one-time codes, which the lock does not stop.
   */
  readonly passwordLocked: boolean;

  /** The `Intl` locale of the language the messages are shown in (for digits and contacts). */
  readonly locale: string;

  /** A message in the shopper's language. */
  t(key: MessageKey, params?: Record<string, string | number>): string;
  /** A date (ms or ISO text) in the shopper's language and locale. */
  date(value: string | number): string;
  /** Seconds as "2 minutes", in the shopper's language. */
  duration(seconds: number): string;
  /** An id unique to this element, for `name`. */
  fid(name: string): string;

  /** Shows another step: messages cleared, focus to its heading or first field. */
  go(step: StepName, notice?: string): void;
  /** Moves focus after the next render: to the step's heading or first field, or to the control whose id is `fid(target)`. */
  focusStep(target?: string): void;
  /** Leaves a locked password sign-in for the code request, with the typed email and no wait. */
  codeInstead(): void;
  /** Signed in by any path: the session is set; the login is announced once required contacts are settled. */
  finish(user: User, method: Method | 'register'): void;
  /** A required contact was added: the session gets the new user, and the login is announced. */
  contactAdded(user: User): void;
  /** "Skip for now" on a soft-required contact. */
  skipContact(field: Channel, user: User): void;
  /** Asks the service again who is signed in (a contact was proven by a link), for every element sharing the session. */
  refreshSession(): Promise<void>;

  /** The one submit path: keep values, validate, one request at a time, failures to messages. */
  submit<T>(
    schema: z.ZodMiniType<T>,
    action: (data: T & { captcha_code?: string }, signal: AbortSignal) => Promise<unknown>,
    errorAction: LatchErrorDetail['action'],
    withCaptcha?: boolean,
  ): SubmitHandler;
  /** One request outside a form (resend, a provider); `busy` names the control that shows progress. */
  run(action: (signal: AbortSignal) => Promise<unknown>, errorAction: LatchErrorDetail['action'], busy?: string): Promise<void>;

  form(name: string, fields: unknown, submitKey: MessageKey, onSubmit: SubmitHandler, extra?: unknown): TemplateResult;
  field(name: string, labelKey: MessageKey, spec?: Partial<FieldSpec>): TemplateResult;
  /** A password field with its show/hide toggle inside; `aside` goes on the label's row. */
  passwordField(name: string, labelKey: MessageKey, autocomplete: string, aside?: unknown): TemplateResult;
  /** The shopper's email; named `username` on the sign-in form (what password managers pair with a password). */
  emailField(name?: 'email' | 'username', spec?: Partial<FieldSpec>): TemplateResult;
  button(labelKey: MessageKey, onClick: () => void, modifier?: string): TemplateResult;
  /** A link-styled button to another step; a request still running for this one is abandoned. */
  link(labelKey: MessageKey, step: StepName): TemplateResult;
  /** A step's heading; it gets focus when the step opens. */
  heading(key: MessageKey, params?: Record<string, string>): TemplateResult;
  /** The captcha's field when the config requires one. */
  captchaField(): Template;
  /** The alert, status and countdown regions. */
  renderMessages(): TemplateResult;
  /** A sign-in mode's step (password or code): its form and the way to the other mode. */
  signInStep(form: TemplateResult, otherMode: Template): TemplateResult;
  /** The button that switches the current step between phone and email. */
  channelSwitch(): TemplateResult;
}
