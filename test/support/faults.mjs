// A misbehaving user service for the error-state tests: requests under /__fault/<kind>/ get the
// failure a real deployment can produce (hang, 500, unreadable body, malformed config, a 429).
// Anything else under the prefix is passed on to the real reference service.
//
// /__fault/hold/ is for pending-state tests, with no timers: every request but a GET (the
// submissions; config and session reads pass) is held until the test releases it (see
// test/support/hold.ts). POST /__fault/release waits for at least one held request of the calling
// test page, passes them all on to the service, and answers once the service has handled them with
// `{ released, abandoned }` (abandoned: the browser gave the request up while it was held).
// GET /__fault/held says what the page has held now: `{ held, abandoned }`. DELETE /__fault/held
// lets everything of the page go at once without waiting (test teardown).
// /__fault/field/ answers every POST with a 400 VALIDATION_ERROR naming a problem at `username` in
// words no rule of latch's knows (as a newer service version might); /__fault/field-long/ names one
// by a rule latch knows (at most 12 characters); GETs reach the real service.
//
// /__fault/lock-<account|network>[-otp]/ answers password sign-ins the way the service does once
// failed sign-ins are limited (429 TOO_MANY_ATTEMPTS with `meta: { retry_after, locked, otp_login }`),
// whatever the password; every other request (config, codes) reaches the real service.

const MALFORMED_CONFIG = { active: true, display: 'Broken store', login: { password: 'yes' } };

// Not part of any assertion: only so that a test that fails before releasing (and whose teardown
// did not run either) cannot keep a request, or a release call, open for the rest of the suite.
const HOLD_SAFETY_VALVE_MS = 60_000;

/** The test page a request comes from (its wtr-session-id), so pages never release each other's. */
function pageOf(ctx) {
  try {
    return new URL(ctx.get('referer')).searchParams.get('wtr-session-id') ?? 'default';
  } catch {
    return 'default';
  }
}

/**
 * Held requests, by test page. Each entry is `{ go, abandoned }`: `go(pass)` lets the request on
 * (`pass` true: to the service; false: answered 503 by the safety valve) and resolves once it has
 * been answered.
 */
const held = new Map();
/** Release calls waiting for a first held request, by test page. */
const waiting = new Map();

const heldOf = (page) => held.get(page) ?? [];

function hold(ctx, next) {
  const page = pageOf(ctx);
  return new Promise((settled) => {
    const entry = { abandoned: false };
    // The browser giving up (an aborted fetch closes its connection) is recorded, not acted on:
    // the request still reaches the service when released, as a slow network would deliver it.
    ctx.res.once('close', () => (entry.abandoned = true));
    const valve = setTimeout(() => entry.go(false), HOLD_SAFETY_VALVE_MS);
    entry.go = (pass) => {
      clearTimeout(valve);
      held.set(page, heldOf(page).filter((other) => other !== entry));
      if (!pass) {
        ctx.status = 503;
        ctx.body = { message: 'Held by the test server and never released', code: 'FAULT_HELD_TOO_LONG', request_id: 'fault-hold' };
        settled();
        return Promise.resolve();
      }
      const done = Promise.resolve(next()).catch(() => {});
      done.then(() => settled());
      return done;
    };
    held.set(page, [...heldOf(page), entry]);
    for (const wake of waiting.get(page) ?? []) wake();
    waiting.delete(page);
  });
}

/** Waits until `page` has a held request (or the safety valve), then passes all of them on. */
async function release(ctx) {
  const page = pageOf(ctx);
  if (heldOf(page).length === 0) {
    await new Promise((resolve) => {
      const valve = setTimeout(resolve, HOLD_SAFETY_VALVE_MS);
      ctx.res.once('close', resolve);
      waiting.set(page, [...(waiting.get(page) ?? []), () => (clearTimeout(valve), resolve())]);
    });
  }
  const entries = heldOf(page);
  const abandoned = entries.filter((entry) => entry.abandoned).length;
  await Promise.all(entries.map((entry) => entry.go(true)));
  ctx.set('cache-control', 'no-store');
  ctx.body = { released: entries.length, abandoned };
}

export function faultMiddleware() {
  return async function faults(ctx, next) {
    if (ctx.path === '/__fault/release' && ctx.method === 'POST') return release(ctx);
    if (ctx.path === '/__fault/held' && ctx.method === 'GET') {
      const entries = heldOf(pageOf(ctx));
      ctx.set('cache-control', 'no-store');
      ctx.body = { held: entries.length, abandoned: entries.filter((entry) => entry.abandoned).length };
      return;
    }
    if (ctx.path === '/__fault/held' && ctx.method === 'DELETE') {
      const entries = heldOf(pageOf(ctx));
      for (const entry of entries) entry.go(true);
      ctx.set('cache-control', 'no-store');
      ctx.body = { released: entries.length };
      return;
    }
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
    // A newer service naming a field problem in words latch has no rule for (`field`), or by a rule
    // latch knows (`field-long`, a length limit the sign-in form does not check): every POST gets it at `username`.
    const field = /^\/__fault\/field(-long)?(\/.*)$/.exec(ctx.path);
    if (field) {
      ctx.set('cache-control', 'no-store');
      if (ctx.method !== 'POST') {
        ctx.path = field[2];
        return next();
      }
      const problem = field[1] ? 'must be at most 12 characters' : 'is not on the list of approved shoppers';
      ctx.status = 400;
      ctx.body = { message: `username: ${problem}`, code: 'VALIDATION_ERROR', request_id: 'fault-field', meta: { fields: { username: problem } } };
      return;
    }
    const match = /^\/__fault\/(hang|500|garbage|badconfig|hold|429)(\/.*)$/.exec(ctx.path);
    if (!match) return next();
    const [, kind, rest] = match;
    ctx.set('cache-control', 'no-store');
    if (kind === 'hang') {
      // Never answers; the client's timeout has to fire. Released when the client gives up.
      ctx.respond = false;
      await new Promise((resolve) => ctx.req.once('close', resolve));
      return;
    }
    if (kind === 'hold') {
      ctx.path = rest;
      if (ctx.method === 'GET') return next();
      return hold(ctx, next);
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
