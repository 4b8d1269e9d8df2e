// Client-credentials access tokens for the platform (admin) API, as the published platform client
// fetches them: the API key and secret (PLATFORM_API_KEY / PLATFORM_API_SECRET) buy a short-lived
// bearer token. Tokens are stateless and signed: every instance with the same secret accepts them,
// nothing is stored, and changing the secret ends every token at once.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ServiceInternals } from '../context';

/** The API key and secret an admin tool exchanges for tokens; undefined turns the exchange off. */
export interface PlatformCredentials {
  apiKey: string;
  apiSecret: string;
  /** How long a token lives; 10 minutes by default. */
  tokenTtlSeconds: number;
}

export const DEFAULT_PLATFORM_TOKEN_TTL_SECONDS = 600;
/** A secret must not be guessable: the same floor as ADMIN_TOKEN's. */
export const PLATFORM_API_SECRET_MIN_LENGTH = 32;

/** Tokens start with this, so a log reader (and adminAuth) can tell them from the admin token. */
const TOKEN_PREFIX = 'lpt1';

export type PlatformTokenContext = Pick<ServiceInternals, 'platformCredentials' | 'companyId' | 'applicationId' | 'now'>;

/** Comparing digests keeps the comparison constant-time whatever the lengths. */
function sameText(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Whether `apiKey:apiSecret` are this service's credentials. Both are always compared, so the time
 * taken does not tell a right key from a wrong one.
 */
export function credentialsMatch(ctx: Pick<PlatformTokenContext, 'platformCredentials'>, apiKey: string, apiSecret: string): boolean {
  const creds = ctx.platformCredentials;
  if (!creds) return false;
  const keyOk = sameText(apiKey, creds.apiKey);
  const secretOk = sameText(apiSecret, creds.apiSecret);
  return keyOk && secretOk;
}

/** The signing key: derived from the secret, so the secret itself never signs anything seen on the wire. */
function signingKey(creds: PlatformCredentials): Buffer {
  return createHmac('sha256', creds.apiSecret).update('latch platform access token v1').digest();
}

function mac(creds: PlatformCredentials, payload: string): Buffer {
  return createHmac('sha256', signingKey(creds)).update(`${TOKEN_PREFIX}.${payload}`).digest();
}

export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  /** When it expires (ISO), for tools that show it; the client itself reads expires_in. */
  expires_at: string;
}

/**
 * A fresh token for the company and application, valid for `tokenTtlSeconds` on the service clock.
 * Both ids are claims, so a service of another application sharing the secret does not take it.
 */
export function issuePlatformToken(ctx: PlatformTokenContext): IssuedToken {
  const creds = ctx.platformCredentials;
  if (!creds) throw new Error('issuePlatformToken: no platform credentials are set');
  const issuedAt = ctx.now();
  const expiresAt = issuedAt + creds.tokenTtlSeconds * 1000;
  const payload = Buffer.from(
    JSON.stringify({ cid: ctx.companyId, aid: ctx.applicationId, iat: issuedAt, exp: expiresAt, jti: randomBytes(16).toString('base64url') }),
  ).toString('base64url');
  const token = `${TOKEN_PREFIX}.${payload}.${mac(creds, payload).toString('base64url')}`;
  return { access_token: token, token_type: 'Bearer', expires_in: creds.tokenTtlSeconds, expires_at: new Date(expiresAt).toISOString() };
}

/**
 * Whether `token` is one this service issued for this company and application and it has not expired. The
 * signature is checked (constant-time) before anything in the token is read.
 */
export function platformTokenValid(ctx: PlatformTokenContext, token: string): boolean {
  const creds = ctx.platformCredentials;
  if (!creds) return false;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== TOKEN_PREFIX) return false;
  const [, payload, signature] = parts as [string, string, string];
  // Compared as text: decoding first would let other spellings of the same bytes through.
  if (!sameText(signature, mac(creds, payload).toString('base64url'))) return false;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return false;
  }
  if (typeof claims !== 'object' || claims === null) return false;
  const { cid, aid, exp } = claims as { cid?: unknown; aid?: unknown; exp?: unknown };
  return cid === ctx.companyId && aid === ctx.applicationId && typeof exp === 'number' && ctx.now() < exp;
}
