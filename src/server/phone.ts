// Phone number parsing without a phone library: enough to split "+<country code><number>" and to
// normalise what shoppers and admins type. Country calling codes (ITU E.164) are prefix-free, so
// the code of an international number is found from its first digits alone.

export interface PhoneNumber {
  country_code: number;
  /** National significant number, digits only. */
  phone: string;
}

/**
 * Numbers given without "+" are taken as national numbers of this country. 91 (India) because
 * the API this service mirrors comes from an Indian commerce platform whose examples and
 * storefronts default to +91; admins can always send "+<code> ..." or an explicit country_code.
 */
export const DEFAULT_COUNTRY_CODE = 91;

// Every two-digit calling code; "1" and "7" are the only one-digit codes and all other codes
// have three digits.
const TWO_DIGIT_CODES = new Set([
  20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57,
  58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
]);

/** Spaces, dashes, dots and brackets people put in numbers; they carry no meaning. */
const SEPARATORS = /[\s\-.()\u00a0]/g;

function countryCodeLength(digits: string): number {
  const first = digits[0];
  if (first === '1' || first === '7') return 1;
  return TWO_DIGIT_CODES.has(Number(digits.slice(0, 2))) ? 2 : 3;
}

/** Splits an international number given as digits (no "+"), e.g. "919876543210". */
export function splitInternational(digits: string): PhoneNumber | null {
  if (!/^\d{6,15}$/.test(digits) || digits[0] === '0') return null;
  const len = countryCodeLength(digits);
  const phone = digits.slice(len);
  if (phone.length < 4) return null;
  return { country_code: Number(digits.slice(0, len)), phone };
}

/**
 * Parses "+91 98765 43210", "+1 (415) 555-0100" or a national "98765 43210" (with
 * `countryCode`, else DEFAULT_COUNTRY_CODE). Returns null for anything that is not a plausible
 * E.164 number (at most 15 digits in all).
 */
export function parsePhone(input: string, countryCode: number = DEFAULT_COUNTRY_CODE): PhoneNumber | null {
  const compact = input.replace(SEPARATORS, '');
  if (compact.startsWith('+')) return splitInternational(compact.slice(1));
  if (!/^\d{4,14}$/.test(compact)) return null;
  if (!Number.isInteger(countryCode) || countryCode < 1 || countryCode > 999) return null;
  if (String(countryCode).length + compact.length > 15) return null;
  return { country_code: countryCode, phone: compact };
}

/** Accepts a country code as 91, "91" or "+91". */
export function parseCountryCode(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1 && value <= 999 ? value : null;
  if (typeof value === 'string' && /^\+?\d{1,3}$/.test(value.trim())) return Number(value.trim().replace('+', ''));
  return null;
}

export type LoginKey =
  | { kind: 'email'; key: string; email: string }
  | { kind: 'phone'; key: string; phone: PhoneNumber }
  | { kind: 'other'; key: string };

/**
 * The normalised form of a login "username": an email (case-insensitive) or a phone written as
 * `${country_code}${phone}` with an optional "+". `key` is what rate limits count against, so
 * "A@x.com" and "a@x.com " share one budget.
 */
export function loginKey(username: string): LoginKey {
  const trimmed = username.trim();
  if (trimmed.includes('@')) {
    const email = trimmed.toLowerCase();
    return { kind: 'email', key: `email:${email}`, email };
  }
  const compact = trimmed.replace(SEPARATORS, '').replace(/^\+/, '');
  const phone = /^\d+$/.test(compact) ? splitInternational(compact) : null;
  if (phone) return { kind: 'phone', key: `phone:${phone.country_code}${phone.phone}`, phone };
  return { kind: 'other', key: `other:${trimmed.toLowerCase()}` };
}
