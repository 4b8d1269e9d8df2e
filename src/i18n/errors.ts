/**
 * What a shopper is told for each failure: every error code the user service can answer, every
 * transport failure, and every field problem by the rule that failed, as a catalog key. The
 * shopper never sees the service's own text (it is English, written for developers, and may carry
 * data); `latch-error` keeps that text for the host page. Pure functions, no DOM: elements turn
 * the key into words with their own `t()`.
 */
import type { LatchApiError } from '../api/errors.js';
import type { MessageKey } from './en.js';

/**
 * Every code the reference service answers (src/server), by the message a shopper acts on. Codes
 * only the platform's admin API answers map to the generic message: a shopper cannot cause them.
 * Keys outside the first download are used only for codes that later steps get, and those steps
 * bring the words along: `consent.required`, `contact.required`, `password.common` (registration,
 * a new password: en-flows.ts), `error.code`, `error.codeDead` (checking a code: en-codes.ts, which
 * the account page and account deletion register too), `password.breached` (en-flows.ts), and
 * `account.keepRefused`, answered only by the account page's contact removal (the account catalog
 * comes with `<latch-account>`).
 */
export const MESSAGE_BY_CODE: Readonly<Record<string, MessageKey>> = {
  // Signing in and codes.
  INVALID_CREDENTIALS: 'error.credentials',
  OTP_INVALID: 'error.code',
  OTP_EXPIRED: 'error.codeDead',
  OTP_ATTEMPTS_EXCEEDED: 'error.codeDead',
  RESEND_TOKEN_INVALID: 'error.codeDead',
  OTP_REQUIRED: 'error.invalid',
  OTP_RESEND_TOO_SOON: 'error.tooMany',
  TOO_MANY_ATTEMPTS: 'error.tooMany',
  TOO_MANY_REQUESTS: 'error.tooMany',
  CAPTCHA_INVALID: 'error.captcha',
  CAPTCHA_REQUIRED: 'captcha.required',
  CAPTCHA_UNAVAILABLE: 'error.captchaDown',
  ACCOUNT_DISABLED: 'error.disabled',
  ACCOUNT_DELETED: 'error.deleted',
  ALREADY_DELETED: 'error.deleted',
  LOGIN_METHOD_DISABLED: 'error.methodOff',
  PROVIDER_DISABLED: 'error.methodOff',
  FORGOT_PASSWORD_DISABLED: 'error.methodOff',
  REGISTRATION_DISABLED: 'error.methodOff',
  SOCIAL_TOKEN_INVALID: 'error.startAgain',
  REGISTER_TOKEN_INVALID: 'error.startAgain',
  RESET_CODE_INVALID: 'error.startAgain',
  LOGIN_TOKEN_INVALID: 'error.startAgain',
  VERIFY_LINK_INVALID: 'error.startAgain',
  USER_EXISTS_DISABLED: 'error.methodOff',
  CROSS_SITE_REQUEST: 'error.crossOrigin',
  UNAUTHENTICATED: 'error.signedOut',
  REAUTH_REQUIRED: 'error.signedOut',
  UNAUTHORIZED: 'error.config',
  // A host name the service does not answer for: the store's set-up, not the shopper.
  UNKNOWN_HOST: 'error.config',
  // Registration and the shopper's own data.
  PASSWORD_TOO_SHORT: 'password.short',
  PASSWORD_TOO_LONG: 'password.long',
  PASSWORD_COMMON: 'password.common',
  PASSWORD_BREACHED: 'password.breached',
  CONSENT_REQUIRED: 'consent.required',
  // Only removing a contact answers it (the account's last way to be reached); the account page
  // hides that button, so the refusal comes when the page's list was out of date.
  CONTACT_REQUIRED: 'account.keepRefused',
  CONTACT_NOT_VERIFIED: 'error.contactUnverified',
  CONTACT_UNAVAILABLE: 'error.contactTaken',
  EMAIL_EXISTS: 'error.exists',
  PHONE_EXISTS: 'error.exists',
  USER_EXISTS: 'error.exists',
  USERNAME_EXISTS: 'error.exists',
  REGISTRATION_FAILED: 'error.generic',
  ATTRIBUTE_NOT_EDITABLE: 'error.notEditable',
  CURRENT_SESSION: 'error.currentSession',
  VALIDATION_ERROR: 'error.invalid',
  INVALID_JSON: 'error.invalid',
  UNSUPPORTED_MEDIA_TYPE: 'error.invalid',
  PAYLOAD_TOO_LARGE: 'error.invalid',
  NOT_FOUND: 'error.gone',
  USER_NOT_FOUND: 'error.gone',
  CONTACT_NOT_FOUND: 'error.gone',
  SESSION_NOT_FOUND: 'error.gone',
  ATTRIBUTE_NOT_FOUND: 'error.gone',
  // The service itself.
  INTERNAL_ERROR: 'error.server',
  SERVICE_BUSY: 'error.server',
  STORAGE_UNAVAILABLE: 'error.server',
  CLIENT_CLOSED_REQUEST: 'error.generic',
  // The platform admin API only.
  FORBIDDEN: 'error.generic',
  NOT_DELETED: 'error.generic',
  RESTORE_PERIOD_OVER: 'error.generic',
  ATTRIBUTE_DEFINITION_NOT_FOUND: 'error.generic',
  DEFINITION_IN_USE: 'error.generic',
  DEFINITION_LOCKED: 'error.generic',
  ERROR_REPORT_NOT_FOUND: 'error.generic',
  SLUG_EXISTS: 'error.generic',
  USER_GROUP_BUSY: 'error.generic',
  USER_GROUP_NOT_BULK: 'error.generic',
  USER_GROUP_NOT_FOUND: 'error.generic',
};

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
  const byCode = error.code ? MESSAGE_BY_CODE[error.code] : undefined;
  if (byCode) return byCode;
  if (error.status >= 500) return 'error.server';
  if (error.status === 429) return 'error.tooMany';
  return 'error.generic';
}

/** The rules a field's value can fail. */
export type FieldRule = 'required' | 'tooLong' | 'tooShort' | 'format';

/**
 * Which rule a field problem the service named (`meta.fields`: path -> text) broke, read from that
 * text: the service writes zod's messages ("Too big: expected string to have <=60 characters",
 * "expected string, received undefined") and its own ("is required", "must be at most 60").
 * Anything unrecognised is a format problem: the value is there but not acceptable.
 */
export function fieldRuleOf(problem: string): FieldRule {
  const text = problem.toLowerCase();
  if (/^enter |required|received undefined|received null|missing|must not be empty|cannot be empty/.test(text)) return 'required';
  if (/too (big|long|many)|at most|<=|maximum|longer than|exceed/.test(text)) return 'tooLong';
  if (/too (small|short|few)|at least|>=|minimum|shorter than/.test(text)) return 'tooShort';
  return 'format';
}

/** Field-specific words where latch has them; the rule's general words otherwise. */
const BY_FIELD: Record<string, Partial<Record<FieldRule, MessageKey>>> = {
  email: { required: 'email.required', format: 'email.invalid' },
  username: { required: 'email.required', format: 'email.invalid' },
  password: { required: 'password.required', tooShort: 'password.short', tooLong: 'password.long' },
  new_password: { required: 'password.required', tooShort: 'password.short', tooLong: 'password.long' },
  captcha_code: { required: 'captcha.required', format: 'error.captcha' },
};

const BY_RULE: Record<FieldRule, MessageKey> = {
  required: 'field.required',
  tooLong: 'field.tooLong',
  tooShort: 'field.tooShort',
  format: 'field.format',
};

/** The message for a field problem the service named: `path` as the service wrote it, `problem` its text. */
export function fieldMessageKeyFor(path: string, problem: string): MessageKey {
  const rule = fieldRuleOf(problem);
  return BY_FIELD[path]?.[rule] ?? BY_RULE[rule];
}
