/**
 * Every shipped catalog is complete: each English key, with the same named placeholders, plural
 * entries with exactly the categories `Intl.PluralRules` uses for that language (Arabic: six), and
 * no key English does not have (a typo would silently never show).
 */
import { expect } from '@open-wc/testing';
import { en, type Catalog, type PluralMessage } from '../../src/i18n/en.js';
import { enFlows } from '../../src/i18n/en-flows.js';
import { enCodes } from '../../src/i18n/en-codes.js';
import { enAccount } from '../../src/i18n/en-account.js';
import { enDelete } from '../../src/i18n/en-delete.js';
import { SHIPPED_LANGUAGES } from '../../src/i18n/localize.js';

const english: Record<string, string | PluralMessage> = { ...en, ...enFlows, ...enCodes, ...enAccount, ...enDelete };
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('shipped catalogs', () => {
  it('ships the ten languages', () => {
    expect([...SHIPPED_LANGUAGES].sort()).to.deep.equal(['ar', 'bn', 'en', 'gu', 'hi', 'kn', 'ml', 'mr', 'ta', 'te']);
  });

  for (const lang of SHIPPED_LANGUAGES.filter((l) => l !== 'en')) {
    describe(lang, () => {
      let catalog: Record<string, string | PluralMessage>;
      before(async () => {
        catalog = ((await import(`../../src/i18n/catalogs/${lang}.ts`)) as { default: Catalog }).default as typeof catalog;
      });

      it('has every English key and no other', () => {
        const missing = Object.keys(english).filter((key) => !(key in catalog));
        const extra = Object.keys(catalog).filter((key) => !(key in english));
        expect(missing, `keys missing in ${lang}`).to.deep.equal([]);
        expect(extra, `keys in ${lang} that English does not have`).to.deep.equal([]);
      });

      it('uses the same placeholders as English in every message', () => {
        const set = (text: string) => [...new Set(placeholders(text))].join();
        const wrong = Object.keys(english)
          .filter((key) => key in catalog)
          .filter((key) => {
            const want = english[key]!;
            const got = catalog[key]!;
            if (typeof want === 'string' || typeof got === 'string') return typeof got !== typeof want || set(got as string) !== set(want as string);
            // A plural category may leave the count out ("one character left", Arabic's "two
            // characters left"), but never brings a placeholder English does not have.
            const allowed = placeholders(Object.values(want).join(' '));
            return set(got.other) !== set(want.other) || Object.values(got).some((text) => placeholders(text).some((name) => !allowed.includes(name)));
          });
        expect(wrong, `messages in ${lang} whose placeholders differ from English`).to.deep.equal([]);
      });

      it('writes plural messages with the categories the language uses, and nothing else', () => {
        const categories = [...new Intl.PluralRules(lang).resolvedOptions().pluralCategories].sort();
        for (const [key, message] of Object.entries(english)) {
          if (typeof message === 'string') {
            expect(typeof catalog[key], `${lang} ${key} is a plain message`).to.equal('string');
            continue;
          }
          const entry = catalog[key];
          expect(entry, `${lang} ${key} is a plural entry`).to.be.an('object');
          expect(Object.keys(entry as object).sort(), `${lang} ${key} plural categories`).to.deep.equal(categories);
        }
      });

      it('is translated, not English left in place', () => {
        // Messages made only of placeholders, punctuation, codes and numbers may equal English.
        const same = Object.keys(english).filter(
          (key) => typeof english[key] === 'string' && catalog[key] === english[key] && /[a-z]{3}/i.test((english[key] as string).replace(/\{\w+\}/g, '')),
        );
        expect(same, `messages in ${lang} still in English`).to.deep.equal([]);
      });
    });
  }

  it('English plural entries have the English categories', () => {
    for (const message of Object.values(english)) {
      if (typeof message !== 'string') expect(Object.keys(message).sort()).to.deep.equal(['one', 'other']);
    }
  });
});
