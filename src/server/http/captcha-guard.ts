// The robot check in front of a route that does not read the captcha itself (password login), so
// it is settled before any password is hashed. Hono caches the body, so the route can still read it.
import type { MiddlewareHandler } from 'hono';
import type { ServiceInternals } from '../context';
import { captchaRequired, checkCaptcha } from '../services/captcha';
import { readJsonObject } from './body';
import { callerOf } from './request';

export function captchaGuard(svc: ServiceInternals): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === 'POST' && (await captchaRequired(svc))) await checkCaptcha(svc, callerOf(c), await readJsonObject(c));
    await next();
  };
}
