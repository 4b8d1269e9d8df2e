// The admin bearer token in front of every platform route: constant-time comparison, wrong tokens
// throttled per client address, and a token for this service but another company or application
// answered 404. An access token from the client-credentials exchange (routes/platform-oauth.ts)
// counts as the admin token until it expires.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ipBucket, type ServiceInternals } from '../context';
import { clientIp } from './context-vars';
import { ApiError } from '../shared/errors';
import { platformTokenValid } from '../services/platform-tokens';
import { reserveAttempt, SlidingWindowLimiter } from '../services/rate-limit';

/** Comparing digests keeps the comparison constant-time even when the lengths differ. */
function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}

/** Wrong admin tokens allowed per client address per 15 minutes before 429. */
export const ADMIN_FAILURES_PER_IP = 20;

/**
 * The one budget of wrong admin credentials per client address: wrong bearer tokens here and wrong
 * API keys or secrets at the token endpoint count together, so neither door gives extra guesses.
 */
export function adminFailureLimiter(svc: Pick<ServiceInternals, 'limitStore' | 'applicationId'>): SlidingWindowLimiter {
  return new SlidingWindowLimiter(svc.limitStore, `${svc.applicationId}:admin-token-ip`, ADMIN_FAILURES_PER_IP, 15 * 60 * 1000);
}

/** 429 for an address past its budget of wrong admin credentials. */
export function tooManyAdminFailures(retryAfterSeconds: number): ApiError {
  return new ApiError(429, 'TOO_MANY_ATTEMPTS', 'Too many wrong admin tokens. Please try again later.', {
    headers: { 'Retry-After': String(retryAfterSeconds) },
    meta: { retry_after: retryAfterSeconds },
    authenticated: false,
  });
}

export function adminAuth(svc: ServiceInternals): MiddlewareHandler {
  // Wrong tokens are throttled per address, so the token cannot be ground through at full speed.
  const failures = adminFailureLimiter(svc);
  const refuse = tooManyAdminFailures;
  return async (c, next) => {
    const ip = ipBucket(clientIp(c));
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const given = match?.[1];
    if (given === undefined || !(tokenMatches(given, svc.adminToken) || platformTokenValid(svc, given))) {
      // A wrong token is counted and checked in one locked step (reserveAttempt): a check first and
      // a hit after would let parallel guesses (pool connections, instances) all pass the check.
      const refused = await reserveAttempt([[failures, ip]]);
      if (refused) throw refuse(refused.status.retryAfterSeconds);
      svc.log(`admin auth failure ip=${clientIp(c)} request_id=${c.get('requestId')}`);
      c.header('WWW-Authenticate', 'Bearer realm="latch-platform"');
      throw new ApiError(401, 'UNAUTHORIZED', 'A valid admin bearer token is required', { authenticated: false });
    }
    // The right token is refused too while the address is limited, so a guess that happens to be
    // right tells nothing once the limit is reached; checking it writes nothing.
    const limited = await failures.check(ip);
    if (limited.limited) throw refuse(limited.retryAfterSeconds);
    if (c.req.param('companyId') !== svc.companyId || c.req.param('applicationId') !== svc.applicationId) {
      throw new ApiError(404, 'NOT_FOUND', 'No such company or application on this service');
    }
    await next();
  };
}
