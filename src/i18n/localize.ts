/**
 * Message lookup by key for one element: its own `lang`, else its ancestors', else `<html lang>`,
 * falling back from `ar-EG` to `ar` to English. English is built in; every other shipped language
 * is a separate module downloaded the first time a page asks for it (so no language costs another's
 * page a byte), and `catalogChanges` tells the elements to render again when it arrives.
 * Hosts add or override messages with `registerMessages`; their words win over shipped ones
 * whichever arrives first. No word order is assumed: parameters are named placeholders, plural
 * messages are chosen by the language's own `Intl.PluralRules` categories, and numbers and dates
 * are formatted by `Intl` in the language actually shown.
 */
import { en, type Catalog, type MessageKey, type PluralMessage } from './en.js';

type Message = string | PluralMessage;
type Messages = Partial<Record<MessageKey, Message>>;
export type Params = Record<string, string | number>;

/**
 * The shipped translations, each its own chunk. A literal `import()` per language, so bundlers
 * split them and a page downloads only the one it uses.
 */
const shippedLoaders: Record<string, () => Promise<{ default: Catalog }>> = {
  hi: () => import('./catalogs/hi.js'),
  ar: () => import('./catalogs/ar.js'),
  bn: () => import('./catalogs/bn.js'),
  ta: () => import('./catalogs/ta.js'),
  te: () => import('./catalogs/te.js'),
  mr: () => import('./catalogs/mr.js'),
  gu: () => import('./catalogs/gu.js'),
  kn: () => import('./catalogs/kn.js'),
  ml: () => import('./catalogs/ml.js'),
};

/** The languages latch ships, English first (a literal, so bundles that never read it drop it). */
export const SHIPPED_LANGUAGES = ['en', 'hi', 'ar', 'bn', 'ta', 'te', 'mr', 'gu', 'kn', 'ml'] as const;

/** Shipped messages by lowercase language tag (English, loaded catalogs, on-demand English). */
const shipped = new Map<string, Messages>([['en', en]]);
/** The host's own messages by lowercase language tag: looked up before the shipped ones. */
const overrides = new Map<string, Messages>();
/** Catalog downloads started (a failed one is not asked for again). */
const requested = new Map<string, Promise<void>>();

/** Fires `change` when messages arrive (a catalog loaded, a host registered some). */
export const catalogChanges = new EventTarget();
const changed = () => catalogChanges.dispatchEvent(new Event('change'));

/**
 * Adds a language, or overrides single messages of any language (`registerMessages('en', {...})`).
 * A host's messages win over the shipped catalog even when that catalog downloads later.
 */
export function registerMessages(lang: string, messages: Catalog): void {
  const key = lang.toLowerCase();
  overrides.set(key, { ...overrides.get(key), ...(messages as Messages) });
  changed();
}

/** Adds shipped messages that arrive with an on-demand module; a host's messages still win. */
export function addDefaultMessages(lang: string, messages: Catalog): void {
  const key = lang.toLowerCase();
  shipped.set(key, { ...shipped.get(key), ...(messages as Messages) });
}

/** Starts the download of a shipped catalog the first time `lang` is asked for. */
function load(lang: string): void {
  const loader = shippedLoaders[lang];
  if (!loader || requested.has(lang)) return;
  const done = loader().then(
    (module) => {
      addDefaultMessages(lang, module.default);
      changed();
    },
    // A catalog that cannot load leaves the page in English (the fallback), not broken.
    () => {},
  );
  requested.set(lang, done);
}

/** Resolves once every catalog download started so far has settled (tests, pre-rendering). */
export function catalogsSettled(): Promise<void> {
  return Promise.all(requested.values()).then(() => undefined);
}

/** The nearest `lang`: the element's, an ancestor's (through shadow roots to their hosts), `<html>`'s. */
export function langOf(el: Element): string {
  let at: Element | null = el;
  while (at) {
    const found = at.closest('[lang]')?.getAttribute('lang');
    if (found) return found.toLowerCase();
    const root = at.getRootNode();
    at = root instanceof ShadowRoot ? root.host : null;
  }
  return (document.documentElement.lang || 'en').toLowerCase();
}

const has = (lang: string) => shipped.has(lang) || overrides.has(lang);

/** A well-formed BCP 47 tag for `Intl`, or undefined (a page may write anything in `lang`). */
function canonical(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

/**
 * Everything an element needs to speak one language: messages by key and `Intl` formatting in the
 * language the messages are actually shown in (a page in `fr` shown in English formats in English;
 * `ar-EG` shown with the Arabic catalog keeps Egypt's conventions).
 */
export class Localizer {
  /** The catalog language the messages come from (`ar`, or `en` when nothing better exists yet). */
  readonly lang: string;
  /** The tag `Intl` formats with. */
  readonly locale: string;
  /** The writing direction of the shown language. */
  readonly dir: 'ltr' | 'rtl';
  readonly #chain: string[];
  #plurals?: Intl.PluralRules;

  constructor(tag: string) {
    const requestedTag = tag.toLowerCase() || 'en';
    const base = requestedTag.split('-')[0]!;
    load(requestedTag);
    load(base);
    this.#chain = [...new Set([requestedTag, base, 'en'])];
    this.lang = this.#chain.find(has) ?? 'en';
    this.locale = (this.lang.split('-')[0] === base && canonical(requestedTag)) || canonical(this.lang) || 'en';
    this.dir = isRtl(this.locale) ? 'rtl' : 'ltr';
  }

  /** The message for `key` with its placeholders filled; numbers are formatted in this language. */
  t(key: MessageKey, params?: Params): string {
    // The figures a sentence states (limits, examples) are formatted like any other number.
    const figures = figuresOf?.(key, this.locale);
    if (figures) params = { ...figures, ...params };
    // The whole chain, overrides first at each level: a host's `ar` words beat shipped `ar` ones,
    // and a key missing in `ar-eg` comes from `ar` before English.
    let message: Message | undefined;
    for (const lang of this.#chain) {
      message = overrides.get(lang)?.[key] ?? shipped.get(lang)?.[key];
      if (message !== undefined) break;
    }
    if (message === undefined) return key;
    const text = typeof message === 'string' ? message : this.#plural(message, params?.count);
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      return value === undefined ? whole : typeof value === 'number' ? this.formatNumber(value) : value;
    });
  }

  #plural(message: PluralMessage, count: string | number | undefined): string {
    if (typeof count !== 'number') return message.other;
    this.#plurals ??= new Intl.PluralRules(this.locale);
    return message[this.#plurals.select(count)] ?? message.other;
  }

  formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
    return new Intl.NumberFormat(this.locale, options).format(value);
  }

  formatDate(date: Date | number, options: Intl.DateTimeFormatOptions = { dateStyle: 'long' }): string {
    return new Intl.DateTimeFormat(this.locale, options).format(date);
  }

  /** A wait: "42 seconds", "15 minutes" (whole minutes from two minutes up), "30 days" with `unit: 'day'`. */
  formatDuration(seconds: number, unit?: 'second' | 'minute' | 'hour' | 'day'): string {
    const chosen = unit ?? (seconds >= 120 ? 'minute' : 'second');
    const size = { second: 1, minute: 60, hour: 3600, day: 86400 }[chosen];
    return this.formatNumber(Math.ceil(seconds / size), { style: 'unit', unit: chosen, unitDisplay: 'long' });
  }
}

/**
 * Fills in the figures some sentences state (limits, lifetimes, examples of what to type): set by
 * `useFigures` in src/i18n/figures.ts when the forms whose messages state them load, so the first
 * screen, which states none, carries none of it.
 */
let figuresOf: ((key: MessageKey, locale: string) => Params | undefined) | undefined;
export const setFigures = (fill: typeof figuresOf): void => {
  figuresOf = fill;
};

/**
 * Text that must read left to right inside any sentence (a phone number, an email address, an
 * example): wrapped in a left-to-right isolate (U+2066 … U+2069), so "+91 …" never turns into
 * "91+ …" in Arabic and the sentence around it keeps its own order. The one way latch isolates.
 */
export const ltr = (text: string): string => `\u2066${text}\u2069`;

/** Right-to-left scripts by language (those a storefront is likely to add, and Arabic, shipped). */
const RTL = new Set(['ar', 'fa', 'he', 'iw', 'ur', 'ps', 'sd', 'ug', 'yi', 'dv', 'ckb']);
function isRtl(locale: string): boolean {
  return RTL.has(locale.toLowerCase().split('-')[0]!);
}

/** The lookup for one language tag, kept while no messages change (elements ask on every render). */
let cache = new Map<string, Localizer>();
catalogChanges.addEventListener('change', () => (cache = new Map()));
export function localizer(tag: string): Localizer {
  let found = cache.get(tag);
  if (!found) cache.set(tag, (found = new Localizer(tag)));
  return found;
}

export function translate(lang: string, key: MessageKey, params?: Params): string {
  return localizer(lang).t(key, params);
}

export type { MessageKey, Catalog, PluralMessage };
