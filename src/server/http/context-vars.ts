// What the HTTP layer keeps on Hono's Context per request (the ContextVariableMap augmentation) and
// the helpers that read it. Only http/, routes/ and app.ts import this; services get the same facts as
// a plain Caller (shared/caller.ts, built by http/request.ts).
import type { Context } from 'hono';
import { ipBucket } from '../shared/caller';

declare module 'hono' {
  interface ContextVariableMap {
    /** Random per request; echoed in the x-request-id header and in every error body. */
    requestId: string;
    /** Set once a valid session was seen, so error bodies can say so. */
    authenticated: boolean;
    /** The client's address, worked out once per request by the proxy-aware middleware (http/proxy.ts). */
    clientAddress: string;
    /** Whether the request reached the service over https (directly or through a trusted proxy). */
    viaHttps: boolean;
    /** The origin links and origin checks use: PUBLIC_URL, or the (loopback) request's own. */
    ownOrigin: string;
  }
}

/**
 * The client's address: set per request by the proxy-aware middleware (http/proxy.ts), which takes it
 * from X-Forwarded-For only through configured trusted proxies. Without that middleware (a route
 * tested alone), the socket's peer address; requests that came through no Node socket
 * (app.request in tests) share the bucket "unknown".
 */
export function clientIp(c: Context): string {
  const known = c.get('clientAddress');
  if (known) return known;
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

/**
 * The hashing queue's client key (services/hash-queue.ts): the proxy-aware client address, an IPv6 /64 as
 * one client, so neither a forged X-Forwarded-For nor a fresh address per request gets a new share.
 */
export function hashClient(c: Context): string {
  return ipBucket(clientIp(c));
}
