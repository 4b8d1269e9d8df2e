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

// Assigned three-digit calling codes (ITU-T E.164 list, including the international networks and
// services in +8xx and +9xx); anything else with three digits is not a country.
const THREE_DIGIT_CODES = new Set([
  211, 212, 213, 216, 218, 220, 221, 222, 223, 224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234,
  235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254,
  255, 256, 257, 258, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 290, 291, 297, 298, 299, 350,
  351, 352, 353, 354, 355, 356, 357, 358, 359, 370, 371, 372, 373, 374, 375, 376, 377, 378, 379, 380,
  381, 382, 383, 385, 386, 387, 389, 420, 421, 423, 500, 501, 502, 503, 504, 505, 506, 507, 508, 509,
  590, 591, 592, 593, 594, 595, 596, 597, 598, 599, 670, 672, 673, 674, 675, 676, 677, 678, 679, 680,
  681, 682, 683, 685, 686, 687, 688, 689, 690, 691, 692, 800, 808, 850, 852, 853, 855, 856, 870, 878,
  880, 881, 882, 883, 886, 888, 960, 961, 962, 963, 964, 965, 966, 967, 968, 970, 971, 972, 973, 974,
  975, 976, 977, 979, 992, 993, 994, 995, 996, 998,
]);

/** Whether a calling code belongs to a country or an international service. */
export function isCountryCode(code: number): boolean {
  return code === 1 || code === 7 || TWO_DIGIT_CODES.has(code) || THREE_DIGIT_CODES.has(code);
}

/**
 * The national significant number: without the trunk prefix ("0" in most countries) people dial at
 * home, so "09876 543210" and "9876 543210" are one number. Italy (+39) keeps its leading zero: there
 * it is part of the number.
 */
function withoutTrunkPrefix(digits: string, countryCode: number): string {
  return countryCode === 39 ? digits : digits.replace(/^0+/, '');
}

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
  const countryCode = Number(digits.slice(0, len));
  if (!isCountryCode(countryCode)) return null;
  // "+44 (0)20 ..." is written with the trunk zero by many; it is not part of the number.
  const phone = withoutTrunkPrefix(digits.slice(len), countryCode);
  if (phone.length < 4) return null;
  return { country_code: countryCode, phone };
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
  if (!Number.isInteger(countryCode) || !isCountryCode(countryCode)) return null;
  const national = withoutTrunkPrefix(compact, countryCode);
  if (national.length < 4 || String(countryCode).length + national.length > 15) return null;
  return { country_code: countryCode, phone: national };
}

/** Accepts a country code as 91, "91" or "+91". */
export function parseCountryCode(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && isCountryCode(value) ? value : null;
  if (typeof value === 'string' && /^\+?\d{1,3}$/.test(value.trim())) {
    const code = Number(value.trim().replace('+', ''));
    return isCountryCode(code) ? code : null;
  }
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
    // Composed first, as every stored address was (shared/validation.ts normalizeEmail).
    const email = trimmed.normalize('NFC').toLowerCase();
    return { kind: 'email', key: `email:${email}`, email };
  }
  const compact = trimmed.replace(SEPARATORS, '').replace(/^\+/, '');
  const phone = /^\d+$/.test(compact) ? splitInternational(compact) : null;
  if (phone) return { kind: 'phone', key: `phone:${phone.country_code}${phone.phone}`, phone };
  return { kind: 'other', key: `other:${trimmed.toLowerCase()}` };
}
