// Password hashing for the reference service: scrypt with its parameters stored in every hash,
// so the cost can be raised later and old hashes still verify (and get upgraded on next login).
// Stored format: `scrypt$n=<N>,r=<r>,p=<p>$<salt base64url>$<hash base64url>`.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** OWASP row "N=2^15, r=8, p=3": about a third of a second per hash on the reference machines. */
export const DEFAULT_PASSWORD_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 3 };

export const PASSWORD_MIN_LENGTH = 8;
/** Generous cap: long passphrases are welcome, but megabyte "passwords" are only a cost attack. */
export const PASSWORD_MAX_LENGTH = 512;

const SALT_BYTES = 16;
const HASH_BYTES = 32;
const PREFIX = 'scrypt';

function scrypt(password: string | Buffer, salt: Buffer, keylen: number, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = {
    N: params.N,
    r: params.r,
    p: params.p,
    // Node refuses to run when the working memory exceeds maxmem (default 32 MiB, below both
    // OWASP rows), so size it from the parameters with a MiB of headroom.
    maxmem: 128 * params.r * (params.N + 2) + 128 * params.r * params.p + 1024 * 1024,
  };
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function assertParams(params: ScryptParams): void {
  const { N, r, p } = params;
  const ok =
    Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0 && N <= 2 ** 20 &&
    Number.isInteger(r) && r >= 1 && r <= 32 &&
    Number.isInteger(p) && p >= 1 && p <= 16;
  if (!ok) throw new Error(`unsupported scrypt parameters N=${N} r=${r} p=${p}`);
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_PASSWORD_PARAMS): Promise<string> {
  assertParams(params);
  const salt = randomBytes(SALT_BYTES);
  const hash = await scrypt(password.normalize('NFC'), salt, HASH_BYTES, params);
  return formatHash(params, salt, hash);
}

function formatHash(params: ScryptParams, salt: Buffer, hash: Buffer): string {
  return `${PREFIX}$n=${params.N},r=${params.r},p=${params.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

export function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 4 || parts[0] !== PREFIX) return null;
  const fields = Object.fromEntries(
    parts[1]!.split(',').map((kv) => {
      const [k, v] = kv.split('=');
      return [k, Number(v)];
    }),
  );
  const params = { N: fields['n'], r: fields['r'], p: fields['p'] } as ScryptParams;
  try {
    assertParams(params);
  } catch {
    return null;
  }
  const salt = Buffer.from(parts[2]!, 'base64url');
  const hash = Buffer.from(parts[3]!, 'base64url');
  if (salt.length < 8 || hash.length < 16) return null;
  return { params, salt, hash };
}

/**
 * True when `password` matches `stored`. A malformed stored value never matches; it still costs
 * one hash with the given fallback parameters so a broken row does not answer faster.
 */
export async function verifyPassword(
  password: string,
  stored: string,
  fallbackParams: ScryptParams = DEFAULT_PASSWORD_PARAMS,
): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) {
    await scrypt(password.normalize('NFC'), randomBytes(SALT_BYTES), HASH_BYTES, fallbackParams);
    return false;
  }
  const candidate = await scrypt(password.normalize('NFC'), parsed.salt, parsed.hash.length, parsed.params);
  return timingSafeEqual(candidate, parsed.hash);
}

/** True when a stored hash was made with other parameters than the current ones. */
export function needsRehash(stored: string, params: ScryptParams): boolean {
  const parsed = parseHash(stored);
  if (!parsed) return true;
  return parsed.params.N !== params.N || parsed.params.r !== params.r || parsed.params.p !== params.p;
}

/**
 * A well-formed hash of nothing, with the current parameters. Verifying any password against it
 * costs exactly what a real account costs, which keeps "no such user" as slow as "wrong password".
 * Made from random bytes, so no password matches it.
 */
export function dummyHash(params: ScryptParams): string {
  assertParams(params);
  return formatHash(params, randomBytes(SALT_BYTES), randomBytes(HASH_BYTES));
}

/** The one answer to a wrong username or password, whichever was wrong (no account enumeration). */
export const INVALID_CREDENTIALS_MESSAGE = 'Password or username is incorrect';
