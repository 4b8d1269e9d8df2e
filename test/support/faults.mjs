// A misbehaving user service for the error-state tests: requests under /__fault/<kind>/ get the
// failure a real deployment can produce (hang, 500, unreadable body, malformed config, a 429).
// Anything else under the prefix is passed on to the real reference service.
//
// /__fault/field/ answers every POST with a 400 VALIDATION_ERROR naming a problem at `username` in
// words no rule of latch's knows (as a newer service version might); GETs reach the real service.
//
// /__fault/lock-<account|network>[-otp]/ answers password sign-ins the way the service does once
// failed sign-ins are limited (429 TOO_MANY_ATTEMPTS with `meta: { retry_after, locked, otp_login }`),
// whatever the password; every other request (config, codes) reaches the real service.

const MALFORMED_CONFIG = { active: true, display: 'Broken store', login: { password: 'yes' } };

export function faultMiddleware() {
  return async function faults(ctx, next) {
    const lock = /^\/__fault\/lock-(account|network)(-otp)?(\/.*)$/.exec(ctx.path);
    if (lock) {
      const [, locked, otp, rest] = lock;
      ctx.set('cache-control', 'no-store');
      if (ctx.method === 'POST' && rest.endsWith('/authentication/v1.0/login/password')) {
        ctx.status = 429;
        ctx.set('retry-after', '900');
        ctx.body = {
          message: 'Too many sign-in attempts. Please try again later.',
          code: 'TOO_MANY_ATTEMPTS',
          request_id: 'fault-lock',
          meta: { retry_after: 900, locked, otp_login: Boolean(otp) },
        };
        return;
      }
      ctx.path = rest;
      return next();
    }
    // A newer service naming a field problem in words latch has no rule for: every POST gets it at `username`.
    const field = /^\/__fault\/field(\/.*)$/.exec(ctx.path);
    if (field) {
      ctx.set('cache-control', 'no-store');
      if (ctx.method !== 'POST') {
        ctx.path = field[1];
        return next();
      }
      ctx.status = 400;
      ctx.body = {
        message: 'username: is not on the list of approved shoppers',
        code: 'VALIDATION_ERROR',
        request_id: 'fault-field',
        meta: { fields: { username: 'is not on the list of approved shoppers' } },
      };
      return;
    }
    const match = /^\/__fault\/(hang|500|garbage|badconfig|slow|429)(\/.*)$/.exec(ctx.path);
    if (!match) return next();
    const [, kind, rest] = match;
    ctx.set('cache-control', 'no-store');
    if (kind === 'hang') {
      // Never answers; the client's timeout has to fire. Released when the client gives up.
      ctx.respond = false;
      await new Promise((resolve) => ctx.req.once('close', resolve));
      return;
    }
    if (kind === 'slow') {
      // Answers like the service after a delay, for pending-state tests.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      ctx.path = rest;
      return next();
    }
    if (kind === '429' && ctx.method === 'POST') {
      ctx.status = 429;
      ctx.set('retry-after', '2');
      ctx.body = { message: 'Too many attempts', code: 'TOO_MANY_ATTEMPTS', request_id: 'fault-429' };
      return;
    }
    if (kind === '429') {
      ctx.path = rest;
      return next();
    }
    if (kind === '500') {
      ctx.status = 500;
      ctx.body = { message: 'Internal server error', code: 'INTERNAL', request_id: 'fault-500' };
      return;
    }
    if (kind === 'garbage') {
      ctx.status = 200;
      ctx.type = 'text/html';
      ctx.body = '<html><body>Gateway says hello</body></html>';
      return;
    }
    if (rest.endsWith('/platform/v1.0/config')) {
      ctx.body = MALFORMED_CONFIG;
      return;
    }
    ctx.path = rest;
    return next();
  };
}
