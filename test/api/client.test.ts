/**
 * Unit tests of the API client alone: transport rules (timeouts, retries, errors) against a
 * scripted fetch. The end-to-end tests cover the same client against the real service.
 */
import { expect } from '@open-wc/testing';
import { LatchClient } from '../../src/api/client.js';
import { LatchApiError, parseRetryAfter } from '../../src/api/errors.js';
import { sendLoginCode } from '../../src/api/steps.js';
import { ManualClock, retryPause } from '../support/clock.js';
import { until } from '../support/service.js';

type Reply = Response | Error | (() => Promise<Response>);

function scripted(...replies: Reply[]) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchImpl = async (url: RequestInfo | URL, init: RequestInit = {}) => {
    calls.push({ url: String(url), init });
    const reply = replies.shift();
    if (!reply) throw new Error('unexpected request');
    if (reply instanceof Error) throw reply;
    return typeof reply === 'function' ? reply() : reply;
  };
  return { calls, fetch: fetchImpl as typeof fetch };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const user = { _id: 'u1', first_name: 'Ada', emails: [{ email: 'ada@example.com', primary: true, verified: true }] };

async function failure(promise: Promise<unknown>): Promise<LatchApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(LatchApiError);
    return error as LatchApiError;
  }
  throw new Error('expected a failure');
}

describe('LatchClient', () => {
  it('posts the login as JSON with cookies, to the contract path', async () => {
    const { calls, fetch } = scripted(json({ user, request_id: 'r1', register_token: '' }));
    const client = new LatchClient({ apiBase: 'https://shop.example.com/', fetch });
    const result = await client.loginWithPassword({ username: 'ada@example.com', password: 'pw' });
    expect(result.user.first_name).to.equal('Ada');
    expect(calls[0].url).to.equal('https://shop.example.com/service/application/user/authentication/v1.0/login/password');
    expect(calls[0].init.method).to.equal('POST');
    expect(calls[0].init.credentials).to.equal('include');
    expect((calls[0].init.headers as Record<string, string>)['content-type']).to.equal('application/json');
    expect(JSON.parse(String(calls[0].init.body))).to.deep.equal({ username: 'ada@example.com', password: 'pw' });
  });

  it('sends the application credentials the way the service expects', async () => {
    const { calls, fetch } = scripted(json({ active: true }));
    await new LatchClient({ applicationId: 'app', applicationToken: 'tok', fetch }).getPlatformConfig();
    expect((calls[0].init.headers as Record<string, string>).authorization).to.equal(`Bearer ${btoa('app:tok')}`);
  });

  it('tolerates unknown fields and both spellings of account kit tokens', async () => {
    const { fetch } = scripted(
      json({ active: true, brand_new_field: { x: 1 }, social_tokens: { accountkit: { app_id: 'a' }, account_kit: { app_id: 'b' } } }),
    );
    const config = await new LatchClient({ fetch }).getPlatformConfig();
    expect(config.social_tokens?.accountkit?.app_id).to.equal('a');
    expect(config.social_tokens?.account_kit?.app_id).to.equal('b');
  });

  it('retries a failing GET after a pause on the clock, doubled for the next retry, then succeeds', async () => {
    const { calls, fetch } = scripted(json({ message: 'busy' }, 503), new TypeError('Failed to fetch'), json({ active: true }));
    const clock = new ManualClock();
    const pending = new LatchClient({ fetch, retryDelayMs: 1000, clock }).getPlatformConfig();
    await retryPause(clock, 1000, () => expect(calls, 'no second attempt before the pause ends').to.have.length(1));
    await retryPause(clock, 2000, () => expect(calls, 'no third attempt before the second pause ends').to.have.length(2));
    expect((await pending).active).to.equal(true);
    expect(calls).to.have.length(3);
    expect(clock.pending, 'no timer left behind').to.equal(0);
  });

  it('gives up on a GET after its retries', async () => {
    const { calls, fetch } = scripted(json({}, 502), json({}, 502), json({}, 502));
    const clock = new ManualClock();
    let settled = false;
    const pending = failure(new LatchClient({ fetch, retryDelayMs: 1000, clock }).getPlatformConfig()).finally(() => (settled = true));
    await retryPause(clock, 1000);
    await retryPause(clock, 2000, () => expect(settled, 'not given up before the last attempt').to.equal(false));
    const error = await pending;
    expect(error.status).to.equal(502);
    expect(calls).to.have.length(3);
    expect(clock.pending, 'no timer left behind').to.equal(0);
  });

  it('stops at once, with no timer left behind, when the caller cancels during a pause', async () => {
    const { calls, fetch } = scripted(json({}, 503), json({ active: true }));
    const clock = new ManualClock();
    const controller = new AbortController();
    const pending = failure(new LatchClient({ fetch, retryDelayMs: 1000, clock }).getPlatformConfig({ signal: controller.signal }));
    await until(() => clock.pending === 1 && clock.next! < 1000, 'the retry pause');
    controller.abort();
    expect((await pending).kind).to.equal('aborted');
    expect(clock.pending, 'the pause is cleared').to.equal(0);
    clock.advance(1000);
    expect(calls, 'no second attempt').to.have.length(1);
  });

  // Neither waits for the clock: a pause would leave the request unsettled and the test timed out.
  it('never retries a POST by itself', async () => {
    const { calls, fetch } = scripted(json({ message: 'busy' }, 503));
    const error = await failure(new LatchClient({ fetch, clock: new ManualClock() }).loginWithPassword({ username: 'a', password: 'b' }));
    expect(error.kind).to.equal('http');
    expect(calls).to.have.length(1);
  });

  it('does not retry a client error', async () => {
    const { calls, fetch } = scripted(json({ message: 'no' }, 404));
    await failure(new LatchClient({ fetch, clock: new ManualClock() }).getPlatformConfig());
    expect(calls).to.have.length(1);
  });

  it('normalizes an error body: status, code, message, request id and is_deleted', async () => {
    const { fetch } = scripted(
      json({ message: 'Account scheduled for deletion', code: 'ACCOUNT_DELETED', request_id: 'req-9', meta: { is_deleted: true } }, 400),
    );
    const error = await failure(new LatchClient({ fetch }).loginWithPassword({ username: 'a', password: 'b' }));
    expect(error).to.include({ kind: 'http', status: 400, code: 'ACCOUNT_DELETED', requestId: 'req-9', isDeleted: true });
    expect(error.message).to.equal('Account scheduled for deletion');
  });

  it('surfaces Retry-After on a 429', async () => {
    const { fetch } = scripted(json({ message: 'slow down' }, 429, { 'retry-after': '42' }));
    const error = await failure(new LatchClient({ fetch }).loginWithPassword({ username: 'a', password: 'b' }));
    expect(error.status).to.equal(429);
    expect(error.retryAfter).to.equal(42);
  });

  it("reads whose budget a sign-in lock spent, and whether a code still works, from the 429's meta", async () => {
    const locked = (meta: unknown) =>
      failure(new LatchClient({ fetch: scripted(json({ code: 'TOO_MANY_ATTEMPTS', meta }, 429, { 'retry-after': '900' })).fetch }).loginWithPassword({ username: 'a', password: 'b' }));
    expect(await locked({ retry_after: 900, locked: 'account', otp_login: true })).to.include({ locked: 'account', otpLogin: true, retryAfter: 900 });
    expect(await locked({ retry_after: 900, locked: 'network', otp_login: false })).to.include({ locked: 'network', otpLogin: false });
    // Anything else is no lock the widget knows of: no offer is made on it.
    const odd = await locked({ locked: 'everyone', otp_login: 'yes' });
    expect([odd.locked, odd.otpLogin]).to.deep.equal([undefined, undefined]);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    expect(parseRetryAfter('120', now)).to.equal(120);
    expect(parseRetryAfter('Fri, 27 Nov 2026 10:00:30 GMT', now)).to.equal(30);
    expect(parseRetryAfter('soon', now)).to.equal(undefined);
    expect(parseRetryAfter(null, now)).to.equal(undefined);
  });

  it('reports a network failure', async () => {
    const { fetch } = scripted(new TypeError('Failed to fetch'));
    const error = await failure(new LatchClient({ fetch }).loginWithPassword({ username: 'a', password: 'b' }));
    expect(error.kind).to.equal('network');
    expect(error.status).to.equal(0);
  });

  it('times out a request that never answers, when its timeout has passed on the clock, and not before', async () => {
    let aborted = false;
    const fetch = ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) =>
        init.signal!.addEventListener('abort', () => {
          aborted = true;
          reject(init.signal!.reason);
        }),
      )) as unknown as typeof globalThis.fetch;
    const clock = new ManualClock();
    const pending = failure(new LatchClient({ fetch, timeoutMs: 5000, clock }).loginWithPassword({ username: 'a', password: 'b' }));
    expect(clock.pending, 'the timeout is set').to.equal(1);
    clock.advance(4999);
    expect(aborted, 'still waiting a millisecond before the timeout').to.equal(false);
    clock.advance(1);
    expect(aborted, 'given up at the timeout').to.equal(true);
    expect((await pending).kind).to.equal('timeout');
  });

  it('clears the timeout once a request has its answer', async () => {
    const clock = new ManualClock();
    const { fetch } = scripted(json({ active: true }), json({ message: 'no' }, 400));
    const client = new LatchClient({ fetch, timeoutMs: 5000, clock });
    await client.getPlatformConfig();
    expect(clock.pending, 'after a success').to.equal(0);
    await failure(client.loginWithPassword({ username: 'a', password: 'b' }));
    expect(clock.pending, 'after a failure').to.equal(0);
  });

  it('reports a cancel by the caller as aborted, not as a failure to show', async () => {
    const controller = new AbortController();
    const fetch = ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) =>
        init.signal!.addEventListener('abort', () => reject(init.signal!.reason)),
      )) as unknown as typeof globalThis.fetch;
    const pending = new LatchClient({ fetch }).getPlatformConfig({ signal: controller.signal });
    controller.abort();
    expect((await failure(pending)).kind).to.equal('aborted');
  });

  it('rejects a success response that does not match the contract', async () => {
    const { fetch } = scripted(json({ user: { first_name: 'no id' } }));
    const error = await failure(new LatchClient({ fetch }).loginWithPassword({ username: 'a', password: 'b' }));
    expect(error.kind).to.equal('malformed');
  });

  it('reads the resend countdown of a sent code as a number, and refuses one that is not', async () => {
    const to = { email: 'ada@example.com' };
    const { fetch } = scripted(json({ request_id: 'r1', resend_timer: 30 }), json({ request_id: 'r2', resend_timer: '30' }));
    const client = new LatchClient({ fetch });
    expect((await sendLoginCode(client, to)).resend_timer).to.equal(30);
    expect((await failure(sendLoginCode(client, to))).kind).to.equal('malformed');
  });

  it('rejects a body that is not JSON', async () => {
    const { fetch } = scripted(new Response('<html>proxy error</html>', { status: 200 }));
    expect((await failure(new LatchClient({ fetch }).getPlatformConfig())).kind).to.equal('malformed');
  });

  it('maps a missing session to null and a logout to its endpoint', async () => {
    const { calls, fetch } = scripted(json({ authenticated: false }, 401), json({ logout: true }));
    const client = new LatchClient({ fetch });
    expect(await client.getSession()).to.equal(null);
    await client.logout();
    expect(calls[1].url).to.equal('/service/application/user/authentication/v1.0/logout');
  });
});

describe('LatchClient on another origin', () => {
  const SERVICE = 'https://id.example.com';

  it('tells a CORS refusal from a network failure: the service answers a no-cors probe', async () => {
    const opaque = () => Promise.resolve(new Response(null, { status: 200 }));
    const { calls, fetch } = scripted(new TypeError('Failed to fetch'), opaque);
    const error = await failure(new LatchClient({ apiBase: SERVICE, fetch }).loginWithPassword({ username: 'a', password: 'b' }));
    expect(error.kind).to.equal('cors');
    expect(error.message).to.contain('ALLOWED_ORIGINS').and.contain(location.origin);
    // The probe is a harmless GET of the config, without cookies, whose answer the page never reads.
    expect(calls).to.have.length(2);
    expect(calls[1].url).to.equal(`${SERVICE}/service/application/user/platform/v1.0/config`);
    expect(calls[1].init).to.include({ mode: 'no-cors', credentials: 'omit' });
    expect(calls[1].init.method ?? 'GET').to.equal('GET');
  });

  it('keeps a failure the probe cannot get past a network failure', async () => {
    const { calls, fetch } = scripted(new TypeError('Failed to fetch'), new TypeError('Failed to fetch'));
    const error = await failure(new LatchClient({ apiBase: SERVICE, fetch }).loginWithPassword({ username: 'a', password: 'b' }));
    expect(error.kind).to.equal('network');
    expect(calls).to.have.length(2);
  });

  it('does not probe a service on the page origin: there a failed fetch is the network', async () => {
    const { calls, fetch } = scripted(new TypeError('Failed to fetch'));
    const error = await failure(new LatchClient({ apiBase: location.origin, fetch }).loginWithPassword({ username: 'a', password: 'b' }));
    expect(error.kind).to.equal('network');
    expect(calls).to.have.length(1);
  });

  it("reads the service's 403 CROSS_SITE_REQUEST as a cross-site set-up error", async () => {
    const { fetch } = scripted(json({ message: 'Cross-site requests are not allowed', code: 'CROSS_SITE_REQUEST' }, 403));
    const error = await failure(new LatchClient({ apiBase: SERVICE, fetch }).loginWithPassword({ username: 'a', password: 'b' }));
    expect(error).to.include({ kind: 'cross-site', status: 403, code: 'CROSS_SITE_REQUEST' });
    expect(error.message).to.contain('same site').and.contain('ALLOWED_ORIGINS');
  });

  it('asks for the config the way a <link rel="preload" as="fetch" crossorigin="use-credentials"> does', async () => {
    const { calls, fetch } = scripted(json({ active: true }));
    await new LatchClient({ apiBase: SERVICE, fetch }).getPlatformConfig();
    // Chromium matches a preload by URL, destination, mode and credentials (preload.test.ts counts it).
    expect(calls[0].url).to.equal(`${SERVICE}/service/application/user/platform/v1.0/config`);
    expect(calls[0].init).to.include({ credentials: 'include' });
    expect(calls[0].init.mode).to.equal(undefined);
  });
});
