// Every error code the user service can answer has a shopper's message (src/i18n/errors.ts), read
// from the service's own source so a new code without a message fails here; field problems map by
// the rule that failed, using the texts the service really writes.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import * as z from 'zod';
import { FIRST_SCREEN_MESSAGES, addCodeMessages, fieldMessageKeyFor, fieldRuleOf, messageKeyFor } from '../../src/i18n/errors';
import { LATER_MESSAGES } from '../../src/i18n/errors-later';
import { en } from '../../src/i18n/en';
import { enAccount } from '../../src/i18n/en-account';
import { enFlows } from '../../src/i18n/en-flows';
import { enCodes } from '../../src/i18n/en-codes';
import { zodProblems } from '../../src/server/shared/validation';

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });

/** Codes in `new ApiError(status, 'CODE', …)` (on one line or several) and `code: 'CODE'`. */
function serverCodes(): string[] {
  const codes = new Set<string>();
  for (const file of files('src/server')) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/ApiError\(\s*[\w.]+,\s*'([A-Z_]+)'/g)) codes.add(m[1]!);
    for (const m of text.matchAll(/\bcode: '([A-Z_]+)'/g)) codes.add(m[1]!);
  }
  return [...codes].sort();
}

/** The statuses the service answers a code with, where the source writes them as numbers. */
function statusesOf(code: string): number[] {
  const statuses = new Set<number>();
  for (const file of files('src/server')) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(new RegExp(`ApiError\\(\\s*(\\d{3}),\\s*'${code}'`, 'g'))) statuses.add(Number(m[1]));
  }
  return [...statuses];
}

/** Every code with a message of its own: the first screen's table and the one later steps and elements register. */
const MESSAGE_BY_CODE = { ...FIRST_SCREEN_MESSAGES, ...LATER_MESSAGES };

/**
 * Codes that get the generic message by design, so the browser carries no entry for them: only the
 * platform's admin API answers them (a shopper cannot cause them), or the shopper can do nothing
 * about them.
 */
const GENERIC_BY_DESIGN = [
  'FORBIDDEN',
  'NOT_DELETED',
  'RESTORE_PERIOD_OVER',
  'ATTRIBUTE_DEFINITION_NOT_FOUND',
  'DEFINITION_IN_USE',
  'DEFINITION_LOCKED',
  'ERROR_REPORT_NOT_FOUND',
  'SLUG_EXISTS',
  'USER_GROUP_BUSY',
  'USER_GROUP_NOT_BULK',
  'USER_GROUP_NOT_FOUND',
  'REGISTRATION_FAILED',
  'CLIENT_CLOSED_REQUEST',
];

// The first download's words and those the steps that can get a code bring along (i18n/errors.ts says which).
// The account catalog comes with <latch-account>, the only page that meets account-only codes.
const english: Record<string, unknown> = { ...en, ...enFlows, ...enCodes, ...enAccount };

describe('error messages by code', () => {
  test('finds the codes the service answers (the source scan works)', () => {
    const codes = serverCodes();
    assert.ok(codes.length > 50, `only ${codes.length} codes found`);
    for (const code of ['INVALID_CREDENTIALS', 'OTP_INVALID', 'VALIDATION_ERROR', 'RESTORE_PERIOD_OVER']) assert.ok(codes.includes(code), code);
  });

  test('every code the service can answer has a message', () => {
    const missing = serverCodes().filter((code) => !(code in MESSAGE_BY_CODE) && !GENERIC_BY_DESIGN.includes(code));
    assert.deepEqual(missing, []);
  });

  test('the codes left to the generic message get it, whatever status they come with', () => {
    for (const code of GENERIC_BY_DESIGN) {
      assert.ok(serverCodes().includes(code), `${code} is no longer answered: drop it from the list`);
      assert.ok(!(code in MESSAGE_BY_CODE), `${code} has a message of its own`);
      for (const status of [400, ...statusesOf(code)]) assert.equal(messageKeyFor({ kind: 'http', status, code }), 'error.generic', `${code} ${status}`);
    }
  });

  test('a later code gets its message once its table is registered, as the steps chunk and the account elements do', () => {
    assert.equal(messageKeyFor({ kind: 'http', status: 400, code: 'OTP_EXPIRED' }), 'error.generic');
    addCodeMessages(LATER_MESSAGES);
    assert.equal(messageKeyFor({ kind: 'http', status: 400, code: 'OTP_EXPIRED' }), 'error.codeDead');
  });

  test('no code is in both tables, and one the first screen does not know is no message of its own', () => {
    for (const code of Object.keys(LATER_MESSAGES)) assert.ok(!(code in FIRST_SCREEN_MESSAGES), code);
    assert.equal(messageKeyFor({ kind: 'http', status: 400, code: 'toString' }), 'error.generic');
  });

  test('every message the table names exists in English, with no placeholder left to fill', () => {
    for (const [code, key] of Object.entries(MESSAGE_BY_CODE)) {
      const text = english[key];
      assert.equal(typeof text, 'string', `${code} -> ${key}`);
      assert.doesNotMatch(text as string, /\{\w+\}/, `${code} -> ${key} needs parameters`);
    }
  });

  test('an unknown code, an unknown status and a 4xx without a code get the generic message', () => {
    assert.equal(messageKeyFor({ kind: 'http', status: 400, code: 'SOMETHING_NEW' }), 'error.generic');
    assert.equal(messageKeyFor({ kind: 'http', status: 418, code: undefined }), 'error.generic');
    assert.equal(messageKeyFor({ kind: 'http', status: 502, code: undefined }), 'error.server');
    assert.equal(messageKeyFor({ kind: 'http', status: 429, code: undefined }), 'error.tooMany');
  });

  test('transport failures are named by kind, whatever the code', () => {
    assert.equal(messageKeyFor({ kind: 'network', status: 0, code: undefined }), 'error.network');
    assert.equal(messageKeyFor({ kind: 'cors', status: 0, code: undefined }), 'error.crossOrigin');
    assert.equal(messageKeyFor({ kind: 'cross-site', status: 403, code: 'CROSS_SITE_REQUEST' }), 'error.crossOrigin');
    assert.equal(messageKeyFor({ kind: 'timeout', status: 0, code: undefined }), 'error.timeout');
    assert.equal(messageKeyFor({ kind: 'malformed', status: 200, code: undefined }), 'error.malformed');
    assert.equal(messageKeyFor({ kind: 'http', status: 400, code: 'OTP_EXPIRED' }), 'error.codeDead');
  });

  test('no language has a place for the service text in any error message', async () => {
    const catalogs = await Promise.all(
      ['hi', 'ar', 'bn', 'ta', 'te', 'mr', 'gu', 'kn', 'ml'].map(async (lang) => [lang, (await import(`../../src/i18n/catalogs/${lang}.ts`)).default as Record<string, unknown>] as const),
    );
    for (const key of new Set([...Object.values(MESSAGE_BY_CODE), 'error.generic' as const])) {
      assert.doesNotMatch(english[key] as string, /\{\w+\}/, `en ${key}`);
      for (const [lang, catalog] of catalogs) assert.doesNotMatch(String(catalog[key]), /\{\w+\}/, `${lang} ${key}`);
    }
  });
});

describe('field problems by the rule that failed', () => {
  /** What the service's validation really answers for a value (zod's words, as sent). */
  const problemFor = (schema: z.ZodType, value: unknown) => {
    const result = schema.safeParse(value);
    assert.equal(result.success, false);
    return zodProblems(result.error!.issues)[0]!.message;
  };

  test('zod texts the service sends', () => {
    assert.equal(fieldRuleOf(problemFor(z.object({ a: z.string() }), {}).toString()), 'required');
    assert.equal(fieldRuleOf(problemFor(z.string().max(60), 'x'.repeat(61))), 'tooLong');
    assert.equal(fieldRuleOf(problemFor(z.string().min(8), 'short')), 'tooShort');
    assert.equal(fieldRuleOf(problemFor(z.email(), 'not-an-email')), 'format');
    assert.equal(fieldRuleOf(problemFor(z.string().regex(/^\d+$/), 'abc')), 'format');
  });

  test("the service's own texts", () => {
    assert.equal(fieldRuleOf('is required'), 'required');
    assert.equal(fieldRuleOf('Enter your password'), 'required');
    assert.equal(fieldRuleOf('must be at most 60'), 'tooLong');
    assert.equal(fieldRuleOf('expected a string'), 'format');
  });

  test('fields latch knows get their own words; others the rule', () => {
    assert.equal(fieldMessageKeyFor('email', 'Invalid email address'), 'email.invalid');
    assert.equal(fieldMessageKeyFor('password', 'Too small: expected string to have >=8 characters'), 'password.short');
    assert.equal(fieldMessageKeyFor('first_name', 'must be at most 60'), 'field.tooLong');
    assert.equal(fieldMessageKeyFor('last_name', 'is required'), 'field.required');
    assert.equal(fieldMessageKeyFor('phone.mobile', 'Too small: expected string to have >=6 characters'), 'field.tooShort');
    assert.equal(fieldMessageKeyFor('dob', 'something new the service says'), 'field.format');
  });
});
