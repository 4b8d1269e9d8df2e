/**
 * Message lookup by key for one element: its own `lang`, else its ancestors', else `<html lang>`,
 * falling back from `ar-EG` to `ar` to English. Hosts add or override messages with
 * `registerMessages`. No word order is assumed: parameters are named placeholders.
 */
import { en, type Catalog, type MessageKey } from './en.js';

const catalogs = new Map<string, Catalog>([['en', en]]);

/** Adds a catalog, or overrides single messages of an existing one (`registerMessages('en', {...})`). */
export function registerMessages(lang: string, messages: Catalog): void {
  const key = lang.toLowerCase();
  catalogs.set(key, { ...catalogs.get(key), ...messages });
}

/** Adds messages that arrive with an on-demand module, without undoing a host's earlier overrides. */
export function addDefaultMessages(lang: string, messages: Catalog): void {
  catalogs.set(lang, { ...messages, ...catalogs.get(lang) });
}

export function langOf(el: Element): string {
  return (el.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || 'en').toLowerCase();
}

export function translate(lang: string, key: MessageKey, params?: Record<string, string | number>): string {
  const base = lang.split('-')[0];
  const text = catalogs.get(lang)?.[key] ?? catalogs.get(base)?.[key] ?? catalogs.get('en')?.[key] ?? key;
  return params ? text.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole)) : text;
}

export type { MessageKey, Catalog };
