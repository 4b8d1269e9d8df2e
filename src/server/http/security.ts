// Cross-cutting HTTP protections: a request id on every answer, no caching, CORS for an explicit
// origin allowlist, and refusing cross-site state changes (Fetch Metadata, Origin, JSON-only
// bodies) so a third-party page cannot log a shopper in or out, or act for them with their cookie.
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../shared/errors';
import { requestId } from '../shared/ids';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Sets the request id first and the shared response headers last, whatever the route did. */
export function requestContext(): MiddlewareHandler {
  return async (c, next) => {
    const id = requestId();
    c.set('requestId', id);
    c.set('authenticated', false);
    await next();
    c.header('x-request-id', id);
    // Answers depend on the session cookie and the caller; no shared or browser cache may keep them.
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Vary', 'Origin, Sec-Fetch-Site');
  };
}

/** The service's own origin: PUBLIC_URL when configured (set by http/proxy.ts), never a foreign Host. */
export function ownOrigin(c: Context): string {
  return c.get('ownOrigin') ?? new URL(c.req.url).origin;
}

/** Request headers a storefront client may send cross-origin (transport headers of the contract). */
function isAllowedRequestHeader(name: string): boolean {
  return (
    name === 'content-type' ||
    name === 'authorization' ||
    name.startsWith('x-latch-') ||
    name.startsWith('x-fp-') ||
    name === 'x-currency-code' ||
    name === 'x-location-detail'
  );
}

/**
 * CORS with credentials for origins in the allowlist only. A wildcard would be refused by browsers
 * for credentialed requests anyway, and reflecting any origin would hand every site the session.
 */
export function cors(allowedOrigins: ReadonlySet<string>): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    const allowed = origin !== undefined && allowedOrigins.has(origin);
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      // Preflights are answered here; without the allow headers the browser stops the request.
      if (allowed) {
        const requested = (c.req.header('access-control-request-headers') ?? '')
          .split(',')
          .map((h) => h.trim().toLowerCase())
          .filter((h) => h && isAllowedRequestHeader(h));
        c.header('Access-Control-Allow-Origin', origin);
        c.header('Access-Control-Allow-Credentials', 'true');
        c.header('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
        c.header('Access-Control-Allow-Headers', ['content-type', 'authorization', ...requested].filter((h, i, a) => a.indexOf(h) === i).join(', '));
        c.header('Access-Control-Max-Age', '600');
      }
      return c.body(null, 204);
    }
    await next();
    if (allowed) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Allow-Credentials', 'true');
      c.header('Access-Control-Expose-Headers', 'Retry-After, x-request-id');
    }
  };
}

function crossSite(message: string): ApiError {
  return new ApiError(403, 'CROSS_SITE_REQUEST', message);
}

/**
 * Guards the cookie-authenticated application API. State changes must come from this origin or an
 * allowed one, and bodies must be JSON: a JSON content type cannot be sent by a plain HTML form and
 * forces a CORS preflight from scripts, so a hostile page cannot send one without our consent.
 * GET logout also changes state (the contract fixes it as GET), so it gets the Fetch Metadata check.
 */
export function crossSiteGuard(allowedOrigins: ReadonlySet<string>, isStateChangingGet: (path: string) => boolean): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    const foreignOrigin = origin !== undefined && origin !== ownOrigin(c) && !allowedOrigins.has(origin);
    if (SAFE_METHODS.has(method)) {
      // HEAD runs the GET handler, so it is guarded the same way. A sibling subdomain is "same-site",
      // so its <img> or link carries the Lax cookie too, and sends no Origin: from the same site a
      // sign-out must be a fetch that names an allowed Origin (the storefront's own call does).
      if ((method === 'GET' || method === 'HEAD') && isStateChangingGet(c.req.path)) {
        if (site === 'cross-site' || foreignOrigin || (site === 'same-site' && origin === undefined)) {
          throw crossSite('Cross-site requests may not sign out');
        }
      }
      return next();
    }
    if (site === 'cross-site') throw crossSite('Cross-site requests are not allowed');
    if (foreignOrigin) {
      throw crossSite('Requests from this origin are not allowed');
    }
    if (BODY_METHODS.has(method)) {
      const type = c.req.header('content-type');
      const length = c.req.header('content-length');
      const hasBody = type !== undefined || (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined;
      const mediaType = type?.split(';')[0]!.trim().toLowerCase();
      if (hasBody && mediaType !== 'application/json') {
        throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be sent as application/json');
      }
    }
    return next();
  };
}
