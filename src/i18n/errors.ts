/**
 * What a shopper is told for each failure: every error code the user service can answer, every
 * transport failure, and every field problem by the rule that failed (read by field-errors.ts,
 * which loads on demand), as a catalog key. The shopper never sees the service's own text (it is
 * English, written for developers, and may carry data); `latch-error` keeps that text for the
 * host page. No DOM: elements turn the key into words with their own `t()`.
 */
import type { LatchApiError } from '../api/errors.js';
import type { MessageKey } from './en.js';

/**
 * The codes a request of `<latch-auth>`'s first screen can get (the config, the session check,
 * password sign-in, sign-out) and those any endpoint may answer, by the message a shopper acts on.
 * Codes only later steps and the account elements meet are in errors-later.ts, which they register
 * with `addCodeMessages` when they load, as they bring their words along. A code in neither table
 * gets the generic message by its status (`messageKeyFor`): that is by design for codes only the
 * platform's admin API answers (a shopper cannot cause them) and for failures a shopper can do
 * nothing about; test/server/error-messages.test.ts names them and checks every other code the
 * reference service answers is in a table.
 */
export const FIRST_SCREEN_MESSAGES: Readonly<Record<string, MessageKey>> = {
  // Signing in.
  INVALID_CREDENTIALS: 'error.credentials',
  TOO_MANY_ATTEMPTS: 'error.tooMany',
  TOO_MANY_REQUESTS: 'error.tooMany',
  CAPTCHA_INVALID: 'error.captcha',
  CAPTCHA_REQUIRED: 'captcha.required',
  CAPTCHA_UNAVAILABLE: 'error.captchaDown',
  ACCOUNT_DISABLED: 'error.disabled',
  ACCOUNT_DELETED: 'error.deleted',
  LOGIN_METHOD_DISABLED: 'error.methodOff',
  CROSS_SITE_REQUEST: 'error.crossOrigin',
  UNAUTHENTICATED: 'error.signedOut',
  UNAUTHORIZED: 'error.config',
  // A host name the service does not answer for: the store's set-up, not the shopper.
  UNKNOWN_HOST: 'error.config',
  // Any request.
  VALIDATION_ERROR: 'error.invalid',
  INVALID_JSON: 'error.invalid',
  UNSUPPORTED_MEDIA_TYPE: 'error.invalid',
  PAYLOAD_TOO_LARGE: 'error.invalid',
  NOT_FOUND: 'error.gone',
  // The service itself.
  INTERNAL_ERROR: 'error.server',
  SERVICE_BUSY: 'error.server',
  STORAGE_UNAVAILABLE: 'error.server',
};

/**
 * The codes known so far: the first screen's, and those the loaded steps and elements added. No
 * prototype, so a code such as `toString` is simply unknown.
 */
const byCode: Record<string, MessageKey> = Object.assign(Object.create(null), FIRST_SCREEN_MESSAGES);

/** Adds the messages for codes only a later step or another element meets; called when that code loads. */
export function addCodeMessages(messages: Readonly<Record<string, MessageKey>>): void {
  Object.assign(byCode, messages);
}

/** Failures without an answer from the service, by kind. */
const BY_KIND: Partial<Record<LatchApiError['kind'], MessageKey>> = {
  network: 'error.network',
  cors: 'error.crossOrigin',
  'cross-site': 'error.crossOrigin',
  timeout: 'error.timeout',
  malformed: 'error.malformed',
  config: 'error.config',
};

/**
 * The message for a failure: by transport kind, then by the service's code, then by status
 * (any 5xx is "our side", a 429 "too many attempts"); anything else is the generic message,
 * which never includes what the service wrote.
 */
export function messageKeyFor(error: Pick<LatchApiError, 'kind' | 'status' | 'code'>): MessageKey {
  const byKind = BY_KIND[error.kind];
  if (byKind) return byKind;
  const known = error.code ? byCode[error.code] : undefined;
  if (known) return known;
  if (error.status >= 500) return 'error.server';
  if (error.status === 429) return 'error.tooMany';
  return 'error.generic';
}

/** A field's message: its key, and the limit the service named (a number, or a date for date rules). */
export interface FieldMessage {
  key: MessageKey;
  params?: Record<string, number | Date>;
}

/** Reads a field problem the service named: `name` the control it lands at, `problem` the service's text. */
export type FieldReader = (name: string, problem: string) => FieldMessage;

/**
 * How the field problems the service names (`meta.fields`) are read. The rules that read the
 * service's texts (field-errors.ts) come with the on-demand steps and the other elements, with
 * their words, which install them with `useFieldRules`; from then on every field problem of every
 * element is read by them. A first-screen form that meets one before (rare: it checks what the
 * service would refuse before it sends) loads them first (`fieldRules` of the submit controller).
 * Until installed, and for a rule latch does not know, "Check this field". Never the service's own text.
 */
export let fieldMessageFor: FieldReader = () => ({ key: 'field.check' });

export function useFieldRules(read: FieldReader): void {
  fieldMessageFor = read;
}
