// The bridge from Hono's Context to the plain Caller the services take (shared/caller.ts).
import type { Context } from 'hono';
import { clientIp } from './context-vars';
import type { Caller } from '../shared/caller';
import { ownOrigin } from './security';

export function callerOf(c: Context): Caller {
  return {
    ip: clientIp(c),
    requestId: c.get('requestId'),
    signal: c.req.raw.signal,
    ownOrigin: ownOrigin(c),
    origin: c.req.header('origin'),
    referer: c.req.header('referer'),
    userAgent: c.req.header('user-agent') ?? '',
  };
}
