/**
 * Digits as the language shown writes them, and the figures sentences state. Every catalog says a
 * limit or a lifetime with a placeholder ("Use at least {min} characters.", "… in {minutes}
 * minutes."), and latch fills it in here, so a Bengali page reads "৮" where Hindi reads "8", as
 * `Intl` decides. Loaded with the forms whose messages state figures (the sign-in steps chunk, the
 * account and deletion elements), never with the first screen.
 */
import type { MessageKey } from './en.js';
import { ltr, setFigures, type Params } from './localize.js';

/**
 * Each the number a rule or the service fixes (src/ui/rules.ts, the schemas, the service's code and
 * link lifetimes). A string is an example of what to type, shown left to right as `{example}`.
 */
const FIGURES: Partial<Record<MessageKey, Params | string>> = {
  'password.short': { min: 8 },
  'password.hint': { min: 8 },
  'password.long': { max: 512 },
  'account.nameLong': { max: 60 },
  'delete.tooLong': { max: 500 },
  'mobile.invalid': { min: 6, max: 15 },
  'auth.codeSent': { minutes: 10 },
  'auth.linkSent': { minutes: 30 },
  'countryCode.invalid': '+91',
  'account.dobInvalid': '1990-04-30',
};

/** The placeholders latch itself fills in `key`'s words (none for most keys): what a message may leave open. */
export function figurePlaceholders(key: MessageKey): string[] {
  const figures = FIGURES[key];
  if (figures === undefined) return [];
  return typeof figures === 'string' ? ['example'] : Object.keys(figures);
}

/** The ten digits of each locale's default numbering system, as `Intl` writes them. */
const digitSets = new Map<string, string[]>();

/** `text` with every ASCII digit written in `locale`'s default digits (`Intl` decides which). */
export function nativeDigits(locale: string, text: string): string {
  let set = digitSets.get(locale);
  if (!set) {
    const format = new Intl.NumberFormat(locale, { useGrouping: false });
    digitSets.set(locale, (set = [...'0123456789'].map((digit) => format.format(Number(digit)))));
  }
  return text.replace(/[0-9]/g, (digit) => set[Number(digit)]!);
}

/** Makes messages state their figures; called where the messages that have them are registered. */
export function useFigures(): void {
  setFigures((key, locale) => {
    const figures = FIGURES[key];
    return typeof figures === 'string' ? { example: ltr(nativeDigits(locale, figures)) } : figures;
  });
}
