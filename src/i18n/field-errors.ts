/**
 * The field problems the service names (`meta.fields`: path -> text), read by the rule that failed:
 * which rule, and the limit the text gives, become a catalog key and a value the element formats
 * in the shown language; the text itself is never shown (it is English, written for developers;
 * `latch-error` keeps it). Not in `<latch-auth>`'s first download: the steps chunk,
 * `<latch-account>` and `<latch-delete-account>` install it with `useFieldRules` (errors.ts) when
 * they load, with the words it needs (en-flows.ts).
 */
import type { FieldMessage } from './errors.js';
import type { MessageKey } from './en.js';

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
};

/** Each rule's general words, the placeholder its limit fills, and the words when the text names no limit. */
const BY_RULE: Record<FieldRule, [MessageKey, string?, MessageKey?]> = {
  required: ['field.required'],
  either: ['contact.required'],
  tooLong: ['field.maxLength', 'count', 'field.tooLong'],
  tooShort: ['field.minLength', 'count', 'field.tooShort'],
  tooHigh: ['field.maxNumber', 'max', 'field.tooLong'],
  tooLow: ['field.minNumber', 'min', 'field.tooShort'],
  tooEarly: ['field.notBefore', 'date', 'field.format'],
  tooLate: ['field.notAfter', 'date', 'field.format'],
  characters: ['field.characters'],
  choice: ['field.choice'],
  common: ['field.check'],
  format: ['field.format'],
  unknown: ['field.check'],
};

/**
 * The message for a field problem the service named: `name` the control it lands at, `problem`
 * the service's text. Only the rule and its limit are taken from that text, never its words: the
 * limit becomes a number (or a date) the element formats in the shown language.
 */
export function readFieldProblem(name: string, problem: string): FieldMessage {
  const { rule, limit } = fieldRuleOf(problem);
  const own = BY_FIELD[name]?.[rule];
  if (own) return { key: own };
  const [key, placeholder, withoutLimit = key] = BY_RULE[rule];
  if (!placeholder) return { key };
  const value = placeholder === 'date' ? new Date(limit ?? NaN) : Number(limit);
  return Number.isNaN(+value) ? { key: withoutLimit } : { key, params: { [placeholder]: value } };
}
