// Who is asking, as plain data: what the rules in services/ need to know about the request (the
// client's address for limits and logs, the request id, the cancel signal, the origins) without
// seeing Hono's Context. http/request.ts builds one per request.

export interface Caller {
  /** The proxy-aware client address (http/proxy.ts), or "unknown". */
  ip: string;
  /** Random per request; in logs and error bodies. */
  requestId: string;
  /** Aborts when the client has gone (the hashing queue drops its job then). */
  signal: AbortSignal;
  /** The service's own origin: PUBLIC_URL when configured, never a foreign Host. */
  ownOrigin: string;
  /** The request's Origin header, when sent. */
  origin: string | undefined;
  /** The request's Referer header, when sent. */
  referer: string | undefined;
  /** The request's User-Agent header, or "". */
  userAgent: string;
}

/**
 * The rate-limit bucket of an address: IPv4 addresses count alone, IPv6 ones per /64, since one
 * subscriber usually holds a whole /64 and could otherwise take a fresh address per guess.
 */
export function ipBucket(ip: string): string {
  const bare = ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
  if (!bare.includes(':')) return bare;
  const [head = '', tail = ''] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = bare.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => (parseInt(g, 16) || 0).toString(16)).join(':')}::/64`;
}

/**
 * The hashing queue's client key (services/hash-queue.ts): the proxy-aware client address, an IPv6 /64 as
 * one client, so neither a forged X-Forwarded-For nor a fresh address per request gets a new share.
 */
export function callerHashKey(caller: Pick<Caller, 'ip'>): string {
  return ipBucket(caller.ip);
}
