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

/** The rules a field's value can fail, as the service's field problems name them. */
export type FieldRule =
  | 'required'
  | 'either'
  | 'tooLong'
  | 'tooShort'
  | 'tooHigh'
  | 'tooLow'
  | 'tooEarly'
  | 'tooLate'
  | 'characters'
  | 'choice'
  | 'common'
  | 'format'
  | 'unknown';

/**
 * How the service words each rule in `meta.fields` (path -> text): zod's messages ("Too big:
 * expected string to have <=60 characters", "expected string, received undefined"), the field
 * readers' own ("is required", "Use at most 60 characters", "must be at least 5", "must not be
 * before 2000-01-31", "Choose a reason", "expected one of ..."). First match wins; the first
 * group, when there is one, is the limit the text names. A text none of these knows is `unknown`.
 */
const RULES: [FieldRule, RegExp][] = [
  ['either', /email address or a (?:phone|mobile)/],
  ['common', /most common/],
  ['characters', /special characters|control /],
  ['tooLong', /(?:at most|<=) ?(\d+) char/],
  ['tooShort', /(?:at least|>=) ?(\d+) char/],
  ['tooHigh', /(?:at most|<=) ?(-?[\d.]+)$/],
  ['tooLow', /(?:at least|>=) ?(-?[\d.]+)$/],
  ['tooEarly', /before (\d{4}-\d\d-\d\d)/],
  ['tooLate', /after (\d{4}-\d\d-\d\d)/],
  ['format', /\bvalid\b|invalid|format|match/],
  ['required', /^(?:enter|choose) (?:your|an?) |required|received undefined|must not be empty/],
  ['choice', /^choose |one of/],
  ['format', /^expected /],
  ['tooLong', /too (?:big|long)/],
  ['tooShort', /too (?:small|short)/],
];

/** A field problem the service named: the rule it broke and the limit its text gives, as written. */
export interface FieldProblem {
  rule: FieldRule;
  limit?: string;
}

/** Which rule a field problem's text (a `meta.fields` value) says was broken. */
export function fieldRuleOf(problem: string): FieldProblem {
  const text = problem.toLowerCase();
  for (const [rule, pattern] of RULES) {
    const match = pattern.exec(text);
    if (match) return { rule, limit: match[1] };
  }
  return { rule: 'unknown' };
}

/** Field-specific words where latch has them (by control name); the rule's general words otherwise. */
const EMAIL: Partial<Record<FieldRule, MessageKey>> = { required: 'email.required', format: 'email.invalid' };
const PASSWORD: Partial<Record<FieldRule, MessageKey>> = { required: 'password.required', tooShort: 'password.short', tooLong: 'password.long', common: 'password.common' };
const CODE: Partial<Record<FieldRule, MessageKey>> = { required: 'code.invalid', format: 'code.invalid' };
const BY_FIELD: Record<string, Partial<Record<FieldRule, MessageKey>>> = {
  email: EMAIL,
  username: EMAIL,
  password: PASSWORD,
  new_password: PASSWORD,
  first_name: { required: 'firstName.required' },
  mobile: { format: 'mobile.invalid' },
  country_code: { format: 'countryCode.invalid' },
  otp: CODE,
  reason_id: { required: 'delete.reasonRequired', choice: 'delete.reasonRequired' },
  captcha_code: { required: 'captcha.required', format: 'error.captcha' },
};

/** Each rule's general words, and the placeholder its limit fills. */
const BY_RULE: Record<FieldRule, [MessageKey, string?]> = {
  required: ['field.required'],
  either: ['contact.required'],
  tooLong: ['field.maxLength', 'count'],
  tooShort: ['field.minLength', 'count'],
  tooHigh: ['field.maxNumber', 'max'],
  tooLow: ['field.minNumber', 'min'],
  tooEarly: ['field.notBefore', 'date'],
  tooLate: ['field.notAfter', 'date'],
  characters: ['field.characters'],
  choice: ['field.choice'],
  common: ['field.check'],
  format: ['field.format'],
  unknown: ['field.check'],
};

/** A field's message: its key, and the limit the service named (a number, or a date for date rules). */
export interface FieldMessage {
  key: MessageKey;
  params?: Record<string, number | Date>;
}

/**
 * The message for a field problem the service named: `name` the control it lands at, `problem`
 * the service's text. Only the rule and its limit are taken from that text, never its words: the
 * limit becomes a number (or a date) the element formats in the shown language. A length or range
 * rule whose text names no limit gets the words without one.
 */
export function fieldMessageFor(name: string, problem: string): FieldMessage {
  const { rule, limit } = fieldRuleOf(problem);
  const own = BY_FIELD[name]?.[rule];
  if (own) return { key: own };
  const [key, placeholder] = BY_RULE[rule];
  const value = limit === undefined ? NaN : rule === 'tooEarly' || rule === 'tooLate' ? Date.parse(limit) : Number(limit);
  if (!placeholder) return { key };
  if (Number.isNaN(value)) return { key: rule === 'tooShort' || rule === 'tooLow' ? 'field.tooShort' : rule === 'tooLong' || rule === 'tooHigh' ? 'field.tooLong' : 'field.format' };
  return { key, params: { [placeholder]: placeholder === 'date' ? new Date(value) : value } };
}
