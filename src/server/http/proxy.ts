// Who is asking and through which host: the client address (from X-Forwarded-For only through
// configured trusted proxies), whether the request came over https, and which Host names the
// service answers for. Links in messages and the WebOTP host are built from the configured public
// origin, never from the request's Host; a request naming an unknown host is refused.
import { isIP } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../shared/errors';
import { plainAddress, TrustedProxies } from '../shared/trusted-proxies';

// The proxy list itself is plain data (ServiceInternals carries it); env.ts and app.ts take it from here.
export { plainAddress, TrustedProxies };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The client's address. The socket's peer, unless that peer is a trusted proxy: then the
 * X-Forwarded-For hops are walked from the right (the ones trusted proxies appended) and the first
 * address that is not a trusted proxy is the client. Whatever a client wrote further left is never
 * read, so a spoofed header cannot pick a rate-limit bucket.
 */
export function clientAddress(peer: string, forwardedFor: string | undefined, proxies: TrustedProxies): string {
  let client = plainAddress(peer);
  if (!proxies.size || !proxies.has(client) || !forwardedFor) return client;
  const hops = forwardedFor.split(',').map((h) => h.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = plainAddress(hops[i]!);
    // A malformed hop ends the walk: the last trusted proxy is all that is known for sure.
    if (!isIP(hop)) break;
    client = hop;
    if (!proxies.has(hop)) break;
  }
  return client;
}

/** "https" when the request reached a trusted proxy over TLS (the value the nearest proxy wrote). */
export function forwardedHttps(peer: string, forwardedProto: string | undefined, proxies: TrustedProxies): boolean {
  if (!forwardedProto || !proxies.size || !proxies.has(peer)) return false;
  const last = forwardedProto.split(',').pop()!.trim().toLowerCase();
  return last === 'https';
}

/**
 * The host names the service answers for: loopback names (a developer's machine, a local health
 * check), plus the public origin's and the allowed origins' hosts. Links never use the Host either
 * way; refusing the rest keeps a forged Host from reaching any route.
 */
export function knownHost(host: string, publicOrigin: string | undefined, allowedOrigins: ReadonlySet<string>): boolean {
  const name = host.toLowerCase();
  if (LOOPBACK_HOSTS.has(hostname(name))) return true;
  if (!publicOrigin) return false;
  if (new URL(publicOrigin).host === name) return true;
  for (const origin of allowedOrigins) {
    try {
      if (new URL(origin).host === name) return true;
    } catch {
      // Allowed origins were normalised at start; a broken one simply matches nothing.
    }
  }
  return false;
}

/** The host part of a Host value ("[::1]:8787" -> "[::1]", "shop.example:443" -> "shop.example"). */
function hostname(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.indexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(hostname(host.toLowerCase()));
}

/** Checks PUBLIC_URL: an http(s) origin, nothing else (a path would be silently dropped). */
export function parsePublicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`PUBLIC_URL must be an origin like https://shop.example, got "${value}"`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search || url.hash || url.username) {
    throw new Error(`PUBLIC_URL must be an origin like https://shop.example, got "${value}"`);
  }
  return url.origin;
}

/**
 * Sets the client address, https-ness and own origin of each request, and refuses a Host the
 * service does not answer for (421), before any route can build a link from it.
 */
export function requestOrigin(settings: {
  publicOrigin: string | undefined;
  allowedOrigins: ReadonlySet<string>;
  trustedProxies: TrustedProxies;
}): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    if (!knownHost(url.host, settings.publicOrigin, settings.allowedOrigins)) {
      throw new ApiError(421, 'UNKNOWN_HOST', 'This service does not answer for that host name');
    }
    const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
    const peer = env?.incoming?.socket?.remoteAddress;
    if (peer) {
      c.set('clientAddress', clientAddress(peer, c.req.header('x-forwarded-for'), settings.trustedProxies));
      c.set('viaHttps', url.protocol === 'https:' || forwardedHttps(peer, c.req.header('x-forwarded-proto'), settings.trustedProxies));
    } else {
      c.set('viaHttps', url.protocol === 'https:');
    }
    // Requests for an allowed origin's host still build links to the public origin.
    c.set('ownOrigin', settings.publicOrigin ?? url.origin);
    await next();
  };
}
