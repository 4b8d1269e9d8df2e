/**
 * A shopper's email address or phone number as the widget shows it (in sentences, lists, titles):
 * the phone grouped the way the phone field groups it as it is typed (unbreakable spaces), in the digits of the
 * language shown, and both always isolated left to right (`ltr`) so "+91 987 654 3210" never reads
 * "91+ …" in Arabic. The one implementation every place that shows a contact uses; what the
 * shopper types stays as typed. Only the on-demand steps and the other elements import it.
 */
import type { Destination } from '../api/client.js';
import { nativeDigits } from './figures.js';
import { ltr } from './localize.js';

/** A national number's digits in groups of three, three, then the rest ("987 654 3210"). */
export function groupDigits(digits: string): string {
  return [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)].filter(Boolean).join(' ');
}

/**
 * A phone number for reading: `+91 987 654 3210` in `locale`'s digits, isolated left to right, its
 * spaces unbreakable so a narrow card never splits the number over two lines.
 */
export function formatPhone(locale: string, countryCode: string | number, number: string): string {
  const national = number.replace(/\s/g, '');
  const shown = /^\d+$/.test(national) ? groupDigits(national) : number;
  return ltr(nativeDigits(locale, `+${String(countryCode).replace('+', '')} ${shown}`).replace(/ /g, '\u00a0'));
}

/** A calling code for reading (`+91`, `+٩١`), isolated left to right. */
export const formatCallingCode = (locale: string, code: string | number): string => ltr(nativeDigits(locale, `+${code}`));

/** An email address for reading inside any sentence: as written, isolated left to right. */
export const formatEmail = (email: string): string => ltr(email);

/** Where a code goes (or a contact of the account) as the shopper reads it. */
export function formatContact(locale: string, to: Destination | { country_code: string | number; phone: string }): string {
  if ('email' in to) return formatEmail(to.email);
  return formatPhone(locale, to.country_code, 'mobile' in to ? to.mobile : to.phone);
}
