// Cross-site protections and shared response headers: Fetch Metadata and Origin checks on state
// changes, JSON-only bodies, CORS for allowlisted origins only, no-store caching, request ids, the
// error shape for unknown routes and oversized bodies.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { APP, DEMO, Jar, LOGIN, LOGOUT, SESSION, startServer, type TestServer } from './helpers';

const TRUSTED = 'https://shop.example';

describe('cross-site protections', () => {
  let s: TestServer;
  const jsonLogin = (headers: Record<string, string>): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username: DEMO.email, password: DEMO.password }),
  });
  before(async () => {
    s = await startServer({ allowedOrigins: [`${TRUSTED}/`] });
  });
  after(() => s.close());

  test('a POST marked Sec-Fetch-Site: cross-site is refused', async () => {
    const res = await s.fetch(LOGIN, jsonLogin({ 'sec-fetch-site': 'cross-site' }));
    assert.equal(res.status, 403);
    const body = await res.json();
    assert.equal(body.code, 'CROSS_SITE_REQUEST');
    assert.equal(res.headers.getSetCookie().length, 0);
  });

  test('a POST from a foreign Origin is refused, even a "null" one', async () => {
    for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1:1']) {
      const res = await s.fetch(LOGIN, jsonLogin({ origin }));
      assert.equal(res.status, 403, origin);
      assert.equal((await res.json()).code, 'CROSS_SITE_REQUEST');
    }
  });

  test('the service\'s own origin and allowlisted origins may sign in', async () => {
    const own = await s.fetch(LOGIN, jsonLogin({ origin: s.base, 'sec-fetch-site': 'same-origin' }));
    assert.equal(own.status, 200);
    const trusted = await s.fetch(LOGIN, jsonLogin({ origin: TRUSTED, 'sec-fetch-site': 'same-site' }));
    assert.equal(trusted.status, 200);
    assert.equal(trusted.headers.get('access-control-allow-origin'), TRUSTED);
    assert.equal(trusted.headers.get('access-control-allow-credentials'), 'true');
    assert.match(trusted.headers.get('access-control-expose-headers') ?? '', /Retry-After/);
    assert.equal(own.headers.get('access-control-allow-origin'), null, 'no CORS headers when not needed');
  });

  test('simple (form-like) bodies are refused so they cannot skip the CORS preflight', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await s.fetch(LOGIN, { method: 'POST', headers: { 'content-type': type }, body: `username=${DEMO.email}&password=${DEMO.password}` });
      assert.equal(res.status, 415, type);
      assert.equal((await res.json()).code, 'UNSUPPORTED_MEDIA_TYPE');
    }
    const untyped = await s.fetch(LOGIN, { method: 'POST', body: new Uint8Array(Buffer.from('{"username":"x","password":"y"}')) });
    assert.equal(untyped.status, 415, 'a body without a content type');
    const charset = await s.fetch(LOGIN, jsonLogin({ 'content-type': 'application/json; charset=utf-8' }));
    assert.equal(charset.status, 200);
  });

  test('GET logout from another site is refused; from this site it works', async () => {
    const jar = new Jar();
    await s.login(DEMO.email, DEMO.password, jar);
    const cross = await s.fetch(LOGOUT, { jar, headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(cross.status, 403);
    assert.equal((await s.fetch(SESSION, { jar })).status, 200, 'still signed in');
    const same = await s.fetch(LOGOUT, { jar, headers: { 'sec-fetch-site': 'same-origin' } });
    assert.equal(same.status, 200);
  });

  test('GET logout from a sibling subdomain\'s image or link is refused; the allowed storefront\'s fetch still works', async () => {
    // An <img src> on blog.shop.example (same site, so the Lax cookie goes along) sends no Origin.
    const jar = new Jar();
    await s.login(DEMO.email, DEMO.password, jar);
    for (const mode of ['no-cors', 'navigate']) {
      const sibling = await s.fetch(LOGOUT, { jar, headers: { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': mode } });
      assert.equal(sibling.status, 403, mode);
      assert.equal((await sibling.json()).code, 'CROSS_SITE_REQUEST');
      const head = await s.fetch(LOGOUT, { method: 'HEAD', jar, headers: { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': mode } });
      assert.equal(head.status, 403, `HEAD ${mode}`);
      assert.equal((await s.fetch(SESSION, { jar })).status, 200, 'still signed in');
    }
    const foreign = await s.fetch(LOGOUT, { jar, headers: { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'cors', origin: 'https://blog.shop.example' } });
    assert.equal(foreign.status, 403, 'a sibling that is not allowed, by fetch');
    const storefront = await s.fetch(LOGOUT, { jar, headers: { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'cors', origin: TRUSTED } });
    assert.equal(storefront.status, 200, 'the allowed storefront signs out by fetch');
    assert.equal((await s.fetch(SESSION, { jar })).status, 401);
  });

  test('preflights are answered for allowlisted origins only', async () => {
    const ok = await s.fetch(LOGIN, {
      method: 'OPTIONS',
      headers: { origin: TRUSTED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-latch-client, x-evil' },
    });
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), TRUSTED);
    assert.equal(ok.headers.get('access-control-allow-credentials'), 'true');
    const allowHeaders = ok.headers.get('access-control-allow-headers') ?? '';
    assert.match(allowHeaders, /content-type/);
    assert.match(allowHeaders, /authorization/);
    assert.match(allowHeaders, /x-latch-client/);
    assert.doesNotMatch(allowHeaders, /x-evil/);
    const foreign = await s.fetch(LOGIN, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
  });

  test('every answer is no-store, varies on Origin and Sec-Fetch-Site and carries its request id', async () => {
    for (const path of [`${APP}/platform/v1.0/config`, SESSION, '/nowhere']) {
      const res = await s.fetch(path);
      assert.equal(res.headers.get('cache-control'), 'no-store', path);
      assert.match(res.headers.get('vary') ?? '', /Origin/);
      assert.match(res.headers.get('vary') ?? '', /Sec-Fetch-Site/);
      assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f]{24}$/);
    }
  });

  test('unknown routes are a 404 in the error shape with the header\'s request id', async () => {
    const res = await s.fetch(`${APP}/authentication/v1.0/nothing-here`);
    assert.equal(res.status, 404);
    const body = await res.json();
    assert.deepEqual(Object.keys(body).sort(), ['authenticated', 'code', 'error', 'info', 'message', 'meta', 'request_id']);
    assert.equal(body.request_id, res.headers.get('x-request-id'));
    assert.equal(body.code, 'NOT_FOUND');
  });

  test('an oversized body is refused before it is read', async () => {
    const res = await s.fetch(LOGIN, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'a@example.com', password: 'x'.repeat(100_000) }),
    });
    assert.equal(res.status, 413);
    assert.equal((await res.json()).code, 'PAYLOAD_TOO_LARGE');
  });
});

describe('dev endpoints', () => {
  test('GET /__dev/info tells the demo shopper and admin base, never the admin token', async () => {
    const s = await startServer();
    try {
      const res = await s.fetch('/__dev/info');
      assert.equal(res.status, 200);
      const info = await res.json();
      assert.deepEqual(info.demo_user, DEMO);
      assert.equal(info.company_id, '1');
      assert.equal(info.application_id, '000000000000000000000001');
      assert.equal(info.admin_base, '/service/platform/user/v1.0/company/1/application/000000000000000000000001');
      assert.ok(!JSON.stringify(info).includes('test-admin-token'));
    } finally {
      await s.close();
    }
  });

  test('without dev mode there are no dev endpoints and no demo shopper', async () => {
    const s = await startServer({ dev: false });
    try {
      assert.equal((await s.fetch('/__dev/info')).status, 404);
      assert.equal((await s.login(DEMO.email, DEMO.password)).status, 400);
    } finally {
      await s.close();
    }
  });
});
