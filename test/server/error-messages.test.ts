// Every error code the user service can answer has a shopper's message (src/i18n/errors.ts), read
// from the service's own source so a new code without a message fails here; field problems map by
// the rule that failed, using the texts the service really writes.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import * as z from 'zod';
import { FIRST_SCREEN_MESSAGES, addCodeMessages, fieldMessageFor, messageKeyFor, useFieldRules } from '../../src/i18n/errors';
import { fieldRuleOf, readFieldProblem } from '../../src/i18n/field-errors';
import { LATER_MESSAGES } from '../../src/i18n/errors-later';
import { figurePlaceholders } from '../../src/i18n/figures';
import type { MessageKey } from '../../src/i18n/en';
import { en } from '../../src/i18n/en';
import { enAccount } from '../../src/i18n/en-account';
import { enFlows } from '../../src/i18n/en-flows';
import { enCodes } from '../../src/i18n/en-codes';
import { enDelete } from '../../src/i18n/en-delete';
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
  // The platform token endpoint (client credentials): only admin tools reach it.
  'INVALID_CLIENT',
  'UNSUPPORTED_GRANT_TYPE',
];

// The first download's words and those the steps that can get a code bring along (i18n/errors.ts says which).
// The account catalog comes with <latch-account>, the only page that meets account-only codes.
const english: Record<string, unknown> = { ...en, ...enFlows, ...enCodes, ...enAccount };

/** The placeholders in `text` that nothing of latch's fills: not a figure latch states itself (src/i18n/figures.ts). */
function openPlaceholders(key: string, text: string): string[] {
  const filled = new Set(figurePlaceholders(key as MessageKey));
  return (text.match(/\{\w+\}/g) ?? []).map((p) => p.slice(1, -1)).filter((p) => !filled.has(p));
}

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
      assert.deepEqual(openPlaceholders(key, text as string), [], `${code} -> ${key} needs parameters`);
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
      assert.deepEqual(openPlaceholders(key, english[key] as string), [], `en ${key}`);
      for (const [lang, catalog] of catalogs) assert.deepEqual(openPlaceholders(key, String(catalog[key])), [], `${lang} ${key}`);
    }
  });
});

describe('field problems by the rule that failed', () => {
  test('before the rules load (the first screen), every field problem gets the generic words', () => {
    assert.deepEqual(fieldMessageFor('username', 'must be at most 320 characters'), { key: 'field.check' });
    assert.equal(en['field.check'], 'Check this field.');
    useFieldRules(readFieldProblem);
    assert.deepEqual(fieldMessageFor('username', 'must be at most 320 characters'), { key: 'field.maxLength', params: { count: 320 } });
  });

  /** What the service's validation really answers for a value (zod's words, as sent). */
  const problemFor = (schema: z.ZodType, value: unknown) => {
    const result = schema.safeParse(value);
    assert.equal(result.success, false);
    return zodProblems(result.error!.issues)[0]!.message;
  };
  const rule = (text: string) => fieldRuleOf(text).rule;

  test('zod texts the service sends, with the limit they name', () => {
    assert.equal(rule(problemFor(z.object({ a: z.string() }), {})), 'required');
    assert.deepEqual(fieldRuleOf(problemFor(z.string().max(60), 'x'.repeat(61))), { rule: 'tooLong', limit: '60' });
    assert.deepEqual(fieldRuleOf(problemFor(z.string().min(8), 'short')), { rule: 'tooShort', limit: '8' });
    assert.deepEqual(fieldRuleOf(problemFor(z.number().max(10), 11)), { rule: 'tooHigh', limit: '10' });
    assert.deepEqual(fieldRuleOf(problemFor(z.number().min(1), 0)), { rule: 'tooLow', limit: '1' });
    assert.equal(rule(problemFor(z.email(), 'not-an-email')), 'format');
    assert.equal(rule(problemFor(z.string().regex(/^\d+$/), 'abc')), 'format');
    assert.equal(rule(problemFor(z.enum(['a', 'b']), 'c')), 'choice');
  });

  test("the service's own texts", () => {
    assert.equal(rule('is required'), 'required');
    assert.equal(rule('Enter your password'), 'required');
    assert.equal(rule('Choose a reason'), 'required');
    assert.equal(rule('Enter a valid phone number'), 'format');
    assert.equal(rule('Enter an email address or a phone number'), 'either');
    assert.deepEqual(fieldRuleOf('Use at most 60 characters'), { rule: 'tooLong', limit: '60' });
    assert.deepEqual(fieldRuleOf('Use at least 8 characters for your password.'), { rule: 'tooShort', limit: '8' });
    assert.deepEqual(fieldRuleOf('must be at most 60'), { rule: 'tooHigh', limit: '60' });
    assert.deepEqual(fieldRuleOf('must not be before 2000-01-31'), { rule: 'tooEarly', limit: '2000-01-31' });
    assert.deepEqual(fieldRuleOf('must not be after 2030-12-31'), { rule: 'tooLate', limit: '2030-12-31' });
    assert.equal(rule('Remove the special characters'), 'characters');
    assert.equal(rule('must not contain control or invisible characters'), 'characters');
    assert.equal(rule('Choose male, female or unisex'), 'choice');
    assert.equal(rule('expected one of the reasons offered'), 'choice');
    assert.equal(rule('This password is one of the most common ones and easy to guess. Choose another.'), 'common');
    assert.equal(rule('expected a string'), 'format');
    assert.equal(rule('something new the service says'), 'unknown');
  });

  test('every field text of the routes a shopper uses names a rule latch knows, but for a few no form can cause', () => {
    // The service's field readers, with each `${…}` filled as a real answer would be.
    const shopperFiles = [
      'services/registration.ts', 'services/codes.ts', 'services/password-reset.ts', 'services/reauth.ts', 'services/attributes.ts',
      'routes/application.ts', 'routes/contacts.ts', 'routes/account.ts', 'routes/delete-account.ts', 'routes/otp.ts', 'routes/password-reset.ts',
    ];
    const unknown = new Set<string>();
    let seen = 0;
    for (const file of shopperFiles) {
      const text = readFileSync(join('src/server', file), 'utf8');
      for (const m of text.matchAll(/\bpath(?:: [^,]+)?, message: (['`])((?:(?!\1).)*)\1/g)) {
        const problem = m[2]!.replace(/(before|after) \$\{[^}]+\}/, '$1 2000-01-31').replace(/\$\{[^}]+\}/g, '60');
        seen++;
        if (rule(problem) === 'unknown') unknown.add(problem);
      }
    }
    assert.ok(seen > 50, `read the field texts (${seen})`);
    // These get "Check this field": a list value, or a request no form of latch's sends.
    assert.deepEqual([...unknown].sort(), [
      '60 does not apply to 60 attributes (use 60)',
      '60 is listed twice',
      '60 must not be above 60',
      'an enum attribute needs { type: "enum", value: [options] }',
      'at most 60 validations',
      'at most 60 values',
      'disagrees with multi_value',
      'must be true (ends every session but this one; sign out to end this one)',
      'must not repeat a value',
      'no reasons are offered, so leave it empty',
    ]);
  });

  test('fields latch knows get their own words; others the rule, with its limit as a value to format', () => {
    assert.deepEqual(readFieldProblem('email', 'Invalid email address'), { key: 'email.invalid' });
    assert.deepEqual(readFieldProblem('username', 'must not be empty'), { key: 'email.required' });
    assert.deepEqual(readFieldProblem('password', 'Too small: expected string to have >=8 characters'), { key: 'password.short' });
    assert.deepEqual(readFieldProblem('first_name', 'Enter your first name'), { key: 'firstName.required' });
    assert.deepEqual(readFieldProblem('mobile', 'Enter a valid phone number'), { key: 'mobile.invalid' });
    assert.deepEqual(readFieldProblem('reason_id', 'expected one of the reasons offered'), { key: 'delete.reasonRequired' });
    assert.deepEqual(readFieldProblem('first_name', 'Use at most 60 characters'), { key: 'field.maxLength', params: { count: 60 } });
    assert.deepEqual(readFieldProblem('attributes.code', 'must be at least 3 characters'), { key: 'field.minLength', params: { count: 3 } });
    assert.deepEqual(readFieldProblem('attributes.age', 'must be at most 120'), { key: 'field.maxNumber', params: { max: 120 } });
    assert.deepEqual(readFieldProblem('attributes.age', 'must be at least 18'), { key: 'field.minNumber', params: { min: 18 } });
    assert.deepEqual(readFieldProblem('attributes.since', 'must not be before 2000-01-31'), { key: 'field.notBefore', params: { date: new Date(Date.UTC(2000, 0, 31)) } });
    assert.deepEqual(readFieldProblem('attributes.since', 'must not be after 2030-12-31'), { key: 'field.notAfter', params: { date: new Date(Date.UTC(2030, 11, 31)) } });
    assert.deepEqual(readFieldProblem('email', 'Enter an email address or a phone number'), { key: 'contact.required' });
    assert.deepEqual(readFieldProblem('last_name', 'Remove the special characters'), { key: 'field.characters' });
    assert.deepEqual(readFieldProblem('gender', 'Choose male, female or unisex'), { key: 'field.choice' });
    assert.deepEqual(readFieldProblem('last_name', 'is required'), { key: 'field.required' });
    assert.deepEqual(readFieldProblem('phone', 'Too big: expected array to have <=5 items'), { key: 'field.tooLong' });
    assert.deepEqual(readFieldProblem('dob', 'something new the service says'), { key: 'field.check' });
    assert.deepEqual(readFieldProblem('attributes.since', 'must not be before 2000-13-45'), { key: 'field.format' });
  });

  test('every key a field problem can get has English words, and only the limit as a placeholder', () => {
    const english: Record<string, unknown> = { ...en, ...enFlows, ...enCodes, ...enAccount, ...enDelete };
    const texts = [
      'is required', 'Enter a valid phone number', 'Use at most 60 characters', 'must be at least 3 characters', 'must be at most 120',
      'must be at least 18', 'must not be before 2000-01-31', 'must not be after 2030-12-31', 'Remove the special characters',
      'Choose male, female or unisex', 'Enter an email address or a phone number', 'This password is one of the most common ones', 'huh',
      'Too big', 'Too small',
    ];
    for (const name of ['email', 'username', 'password', 'new_password', 'first_name', 'mobile', 'country_code', 'otp', 'reason_id', 'other']) {
      for (const text of texts) {
        const { key, params } = readFieldProblem(name, text);
        assert.ok(english[key], `${name} "${text}" -> ${key}`);
        const words = JSON.stringify(english[key]);
        for (const placeholder of openPlaceholders(key, words)) assert.ok(params && placeholder in params, `${key} gets {${placeholder}}`);
      }
    }
  });
});
