// Links, hosts and proxies (issue 12, items 2 and 6): links in messages and the WebOTP host come
// from the configured public origin, never from the request's Host; unknown hosts are refused; the
// client address comes from X-Forwarded-For only through trusted proxies (walked from the right);
// X-Forwarded-Proto counts only from them; in secure mode only the __Host- cookie is read; IPv6
// clients are limited per /64.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { afterEach, describe, test } from 'node:test';
import { ipBucket } from '../../src/server/context';
import { APP, DEMO, LOGIN, messagesTo, SESSION, startServer, type TestServer } from './helpers';

/** A request with headers fetch will not send (Host), straight over a socket. */
function raw(s: TestServer, path: string, opts: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(s.base + path);
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: opts.method ?? (payload ? 'POST' : 'GET'),
        headers: { ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}), ...opts.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const RESET = `${APP}/authentication/v1.0/login/password/reset`;
const SMS_SEND = `${APP}/authentication/v1.0/otp/mobile/send`;

describe('links and hosts never come from the request', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('a reset request naming Host: attacker.example is refused and nothing is mailed', async () => {
    s = await startServer();
    await s.setConfig({ forgot_password: true });
    const res = await raw(s, RESET, { body: { email: DEMO.email }, headers: { host: 'attacker.example' } });
    assert.equal(res.status, 421);
    assert.equal((await messagesTo(s, DEMO.email)).length, 0);
  });

  test('with PUBLIC_URL the reset link points at it, and another Host is refused', async () => {
    s = await startServer({ publicUrl: 'https://shop.example' });
    await s.setConfig({ forgot_password: true });
    const evil = await raw(s, RESET, { body: { email: DEMO.email }, headers: { host: 'attacker.example' } });
    assert.equal(evil.status, 421);
    // The same error body as every other refusal, wire fields included.
    const refused = JSON.parse(evil.body) as Record<string, unknown>;
    assert.equal(refused['code'], 'UNKNOWN_HOST');
    assert.equal(refused['info'], 'urn:latch:error:UNKNOWN_HOST');
    assert.equal(typeof refused['request_id'], 'string');
    const ok = await raw(s, RESET, { body: { email: DEMO.email }, headers: { host: 'shop.example' } });
    assert.equal(ok.status, 200);
    const [mail] = await messagesTo(s, DEMO.email);
    assert.ok(mail!.link!.startsWith('https://shop.example/?code='), mail!.link);
  });

  test('the WebOTP line names the public host; a code request naming another Host sends nothing', async () => {
    s = await startServer({ publicUrl: 'https://shop.example' });
    await s.setConfig({ login: { otp: true } });
    const evil = await raw(s, SMS_SEND, { body: { mobile: '9876543210', country_code: '91' }, headers: { host: 'attacker.example' } });
    assert.equal(evil.status, 421);
    assert.equal((await messagesTo(s, '+919876543210')).length, 0);
    const res = await raw(s, SMS_SEND, { body: { mobile: '9876543210', country_code: '91' } });
    assert.equal(res.status, 200);
    const [sms] = await messagesTo(s, '+919876543210');
    assert.match(sms!.text, /\n@shop\.example #\d{6}$/, 'even when asked through the loopback address');
  });

  test('HEAD logout from another site is refused like GET', async () => {
    s = await startServer();
    const jar = await (await import('./helpers')).signedIn(s);
    const head = await s.fetch(`${APP}/authentication/v1.0/logout`, { method: 'HEAD', headers: { 'sec-fetch-site': 'cross-site' }, jar });
    assert.equal(head.status, 403);
    assert.equal((await s.fetch(SESSION, { jar })).status, 200, 'still signed in');
  });
});

describe('behind a proxy', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  const guess = (s: TestServer, forwardedFor: string, password = 'wrong-guess') =>
    s.fetch(LOGIN, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor }, body: JSON.stringify({ username: DEMO.email, password }) });

  test('without TRUSTED_PROXIES a spoofed X-Forwarded-For does not buy a fresh address budget', async () => {
    s = await startServer({ rateLimits: { loginPerIp: 3, loginPerAccount: 1000 } });
    for (let i = 0; i < 3; i++) assert.equal((await guess(s, `198.51.100.${i}`)).status, 400);
    assert.equal((await guess(s, '198.51.100.99', DEMO.password)).status, 429);
  });

  test('through a trusted proxy each client has its own budget: one client cannot lock out the others', async () => {
    s = await startServer({ trustedProxies: ['127.0.0.1'], rateLimits: { loginPerIp: 3, loginPerAccount: 1000 } });
    for (let i = 0; i < 3; i++) assert.equal((await guess(s, '203.0.113.5')).status, 400);
    assert.equal((await guess(s, '203.0.113.5', DEMO.password)).status, 429);
    assert.equal((await guess(s, '203.0.113.6', DEMO.password)).status, 200, 'another shopper behind the same proxy signs in');
  });

  test('hops are read right to left: what the client wrote on the left is ignored', async () => {
    s = await startServer({ trustedProxies: ['127.0.0.0/8', '10.0.0.0/8'], rateLimits: { loginPerIp: 3, loginPerAccount: 1000 } });
    for (let i = 0; i < 3; i++) assert.equal((await guess(s, `6.6.6.${i}, 203.0.113.5, 10.1.2.3`)).status, 400);
    assert.equal((await guess(s, '7.7.7.7, 203.0.113.5, 10.1.2.3', DEMO.password)).status, 429);
    assert.ok(s.logs.some((l) => l.includes('ip=203.0.113.5')));
  });

  test('IPv6 clients share one budget per /64', async () => {
    s = await startServer({ trustedProxies: ['127.0.0.1'], rateLimits: { loginPerIp: 3, loginPerAccount: 1000 } });
    for (let i = 1; i <= 3; i++) assert.equal((await guess(s, `2001:db8:1:2::${i}`)).status, 400);
    assert.equal((await guess(s, '2001:db8:1:2:ffff::9', DEMO.password)).status, 429);
    assert.equal((await guess(s, '2001:db8:1:3::1', DEMO.password)).status, 200, 'the next /64 is another client');
    assert.equal(ipBucket('2001:db8:1:2::1'), ipBucket('2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd'));
    assert.equal(ipBucket('::ffff:192.0.2.1'), '192.0.2.1');
  });

  test('X-Forwarded-Proto: https from a trusted proxy gives the Secure __Host- cookie; from anyone else it is ignored', async () => {
    s = await startServer({ publicUrl: 'https://shop.example', trustedProxies: ['127.0.0.1'] });
    const login = (headers: Record<string, string>) => raw(s!, LOGIN, { body: { username: DEMO.email, password: DEMO.password }, headers: { host: 'shop.example', ...headers } });
    const viaProxy = await login({ 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' });
    assert.equal(viaProxy.status, 200);
    assert.match(String(viaProxy.headers['set-cookie']), /^__Host-f\.session=[^;]+;.*; Secure/);
    await s.close();

    s = await startServer({ publicUrl: 'https://shop.example' });
    const direct = await raw(s, LOGIN, { body: { username: DEMO.email, password: DEMO.password }, headers: { host: 'shop.example', 'x-forwarded-proto': 'https' } });
    assert.equal(direct.status, 200);
    assert.match(String(direct.headers['set-cookie']), /^f\.session=/);
    assert.doesNotMatch(String(direct.headers['set-cookie']), /Secure/);
  });

  test('in secure mode a plain f.session cookie (planted by a sibling site) is not read', async () => {
    s = await startServer();
    const res = await s.login(DEMO.email, DEMO.password);
    const token = /__Host-f\.session=([^;]+)/.exec(res.headers.getSetCookie().join('\n'))![1]!;
    assert.equal((await s.fetch(SESSION, { headers: { cookie: `__Host-f.session=${token}` } })).status, 200);
    assert.equal((await s.fetch(SESSION, { headers: { cookie: `f.session=${token}` } })).status, 401);
  });
});
