// Request-body helpers shared by the routes: read a JSON object body with clear 400s, and turn
// zod issues into "field.path: problem" messages that name every bad field.
import type { z } from 'zod';
import { validationError } from './errors';
import type { Json, JsonObject } from '../services/config';

/**
 * The one email rule: something@something.tld without spaces, at most 254 characters. Deliberately
 * loose: the only real check of an address is a message that arrives there. The domain neither
 * starts nor ends with a dot: "example.com." is the same host as "example.com" (the DNS root), so
 * it would reach the same inbox under another key (a fresh send budget, a second account).
 */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@.][^\s@]*\.[^\s@.]+$/;
export const EMAIL_MAX_LENGTH = 254;

/**
 * An email as typed, trimmed and composed (NFC): "e" plus a combining accent and "é" are one
 * address (IDNA composes a domain the same way), so they must be one key. Every reader of an
 * email applies it before isEmail and before the lowercased key is taken.
 */
export function normalizeEmail(value: string): string {
  return value.trim().normalize('NFC');
}

/**
 * EMAIL_PATTERN, the length, and no compatibility characters: a full-width "ｅ" (or any character
 * NFKC folds) is mapped to the plain one when the mail is sent (IDNA for domains), so such a
 * spelling would also reach an inbox already known under its plain key.
 */
export function isEmail(value: string): boolean {
  return value.length <= EMAIL_MAX_LENGTH && EMAIL_PATTERN.test(value) && value.normalize('NFKC') === value.normalize('NFC');
}

/** A plain JSON object (not null, not an array): the one check every module uses. */
export function isObject(value: Json | undefined): value is JsonObject;
export function isObject(value: unknown): value is Record<string, unknown>;
export function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Characters a name may not hold: C0/C1 controls, and the invisible ones that make a name read
 * differently from what it is (bidi overrides and isolates, zero-width spaces and joiners, the BOM).
 */
const NAME_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/;

export function hasForbiddenNameCharacters(value: string): boolean {
  return NAME_FORBIDDEN.test(value);
}

/** Renders a zod path as `a.b[0].c`, the way people write field paths in messages. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(body)';
}

export function zodProblems(issues: readonly z.core.$ZodIssue[]): { path: string; message: string }[] {
  return issues.map((issue) => ({
    path: formatPath(issue.path),
    // zod prefixes its messages with a generic "Invalid input:"; the path already says that.
    message: issue.message.replace(/^Invalid (input|option): /, ''),
  }));
}

export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(zodProblems(result.error.issues));
  return result.data;
}

/** Deeper bodies are refused before any recursive code (validation, merging, storing) sees them. */
export const MAX_JSON_DEPTH = 32;

/** How deep objects and arrays nest in a parsed JSON value, counted without recursion. */
export function jsonDepth(root: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > deepest) deepest = depth;
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return deepest;
}
