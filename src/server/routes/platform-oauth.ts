// The token endpoint of the published platform client: POST
// /service/panel/authentication/v1.0/company/{c}/oauth/token with HTTP Basic `apiKey:apiSecret` and
// the form body `grant_type=client_credentials` answers a short-lived bearer token for the admin
// API (services/platform-tokens.ts). Off (404) unless PLATFORM_API_KEY and PLATFORM_API_SECRET are set.
import { Hono } from 'hono';
import { ipBucket, type ServiceInternals } from '../context';
import { clientIp } from '../http/context-vars';
import { adminFailureLimiter, tooManyAdminFailures } from '../http/admin-auth';
import { ApiError } from '../shared/errors';
import { credentialsMatch, issuePlatformToken } from '../services/platform-tokens';
import { reserveAttempt } from '../services/rate-limit';

export const PLATFORM_TOKEN_PATH = '/service/panel/authentication/v1.0/company/:companyId/oauth/token';

/** `Basic base64(key:secret)` split at the first colon, as the client builds it (no URL-encoding). */
function basicCredentials(header: string | undefined): { apiKey: string; apiSecret: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { apiKey: decoded.slice(0, colon), apiSecret: decoded.slice(colon + 1) };
}

export function platformOAuthRoutes(svc: ServiceInternals): Hono {
  const app = new Hono();
  // Shared with adminAuth: wrong secrets here and wrong bearer tokens there spend one budget.
  const failures = adminFailureLimiter(svc);

  app.post(PLATFORM_TOKEN_PATH, async (c) => {
    if (!svc.platformCredentials) {
      throw new ApiError(404, 'NOT_FOUND', 'Client-credentials tokens are off on this service (set PLATFORM_API_KEY and PLATFORM_API_SECRET)');
    }
    const ip = ipBucket(clientIp(c));
    const given = basicCredentials(c.req.header('authorization'));
    if (!given || !credentialsMatch(svc, given.apiKey, given.apiSecret)) {
      // Counted and checked in one locked step, so parallel guesses cannot all slip under the limit.
      const refused = await reserveAttempt([[failures, ip]]);
      if (refused) throw tooManyAdminFailures(refused.status.retryAfterSeconds);
      svc.log(`platform token refused ip=${clientIp(c)} request_id=${c.get('requestId')}`);
      throw new ApiError(401, 'INVALID_CLIENT', 'The API key or secret is wrong', {
        headers: { 'WWW-Authenticate': 'Basic realm="latch-platform"' },
        authenticated: false,
      });
    }
    // Right credentials are refused too while the address is limited, so a lucky guess tells nothing.
    const limited = await failures.check(ip);
    if (limited.limited) throw tooManyAdminFailures(limited.retryAfterSeconds);
    if (c.req.param('companyId') !== svc.companyId) {
      throw new ApiError(404, 'NOT_FOUND', 'No such company on this service');
    }
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the token request as application/x-www-form-urlencoded');
    }
    const grantType = new URLSearchParams(await c.req.text()).get('grant_type');
    if (grantType !== 'client_credentials') {
      throw new ApiError(400, 'UNSUPPORTED_GRANT_TYPE', 'Only grant_type=client_credentials is supported', {
        meta: { grant_type: grantType ?? '' },
      });
    }
    const token = issuePlatformToken(svc);
    svc.log(`platform token issued ip=${clientIp(c)} expires_in=${token.expires_in} request_id=${c.get('requestId')}`);
    c.header('Pragma', 'no-cache');
    return c.json(token);
  });

  return app;
}
