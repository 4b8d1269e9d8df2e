// The robot check: required on password login and first code sends only when the platform config
// says skip_captcha: false; the dev captcha (plain-text sum, single use, 5 minutes); a configured
// verifier; 503 when nothing can check; and the order (captcha before any password is hashed).
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { APP, DEMO, LOGIN, postJson, startServer, type TestServer } from './helpers';

const LOGIN_OTP = '/authentication/v1.0/login/otp';
const MOBILE_SEND = '/authentication/v1.0/otp/mobile/send';
const EMAIL_SEND = '/authentication/v1.0/otp/email/send';

/** OTP sign-in and forgot password are off in the default config; the tests here use both. */
async function start(overrides: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const s = await startServer(overrides);
  await s.setConfig({ login: { otp: true }, forgot_password: true });
  return s;
}

function post(s: TestServer, path: string, body: unknown): Promise<Response> {
  return postJson(s, path.startsWith('/service') ? path : APP + path, body);
}

/** Asks the dev captcha for a challenge and answers it (right or, with `wrong`, off by one). */
async function solve(s: TestServer, wrong = false): Promise<string> {
  const res = await s.fetch('/__dev/captcha');
  assert.equal(res.status, 200);
  const { id, question } = await res.json();
  const [, a, b] = /^What is (\d+) plus (\d+)\?$/.exec(question)!;
  return `dev:${id}:${Number(a) + Number(b) + (wrong ? 1 : 0)}`;
}

async function code(res: Response): Promise<string> {
  return (await res.json()).code;
}

describe('captcha', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('not required while skip_captcha is true (the default)', async () => {
    s = await start({ printMessage: () => {} });
    assert.equal((await s.login(DEMO.email, DEMO.password)).status, 200);
    assert.equal((await post(s, LOGIN_OTP, { mobile: '9876543210', country_code: '91' })).status, 200);
    assert.equal((await post(s, EMAIL_SEND, { email: 'a@example.com', action: 'send' })).status, 200);
  });

  test('with skip_captcha false, password login needs a dev captcha: missing, wrong, right, reused', async () => {
    s = await start({ printMessage: () => {} });
    await s.setConfig({ skip_captcha: false });
    const missing = await post(s, LOGIN, { username: DEMO.email, password: DEMO.password });
    assert.equal(missing.status, 400);
    const body = await missing.json();
    assert.equal(body.code, 'CAPTCHA_REQUIRED');
    assert.equal(body.message, 'Complete the check that you are not a robot.');

    const wrong = await post(s, LOGIN, { username: DEMO.email, password: DEMO.password, captcha_code: await solve(s, true) });
    assert.equal(wrong.status, 400);
    const wrongBody = await wrong.json();
    assert.equal(wrongBody.code, 'CAPTCHA_INVALID');
    assert.equal(wrongBody.message, 'The check did not pass. Try a new one.');

    const token = await solve(s);
    const right = await post(s, LOGIN, { username: DEMO.email, password: DEMO.password, captcha_code: token });
    assert.equal(right.status, 200);
    const reused = await post(s, LOGIN, { username: DEMO.email, password: DEMO.password, captcha_code: token });
    assert.equal(await code(reused), 'CAPTCHA_INVALID', 'a challenge works once');
    assert.equal(await code(await post(s, LOGIN, { username: DEMO.email, password: DEMO.password, captcha_code: 'grimlock_abc' })), 'CAPTCHA_INVALID');
  });

  test('a wrong answer spends the challenge, and challenges expire after 5 minutes', async () => {
    s = await start({ printMessage: () => {} });
    await s.setConfig({ skip_captcha: false });
    const right = await solve(s);
    const [, id, answer] = right.split(':');
    const wrongFirst = `dev:${id}:${Number(answer) + 1}`;
    assert.equal(await code(await post(s, LOGIN_OTP, { mobile: '9876543210', country_code: '91', captcha_code: wrongFirst })), 'CAPTCHA_INVALID');
    assert.equal(await code(await post(s, LOGIN_OTP, { mobile: '9876543210', country_code: '91', captcha_code: right })), 'CAPTCHA_INVALID', 'no second guess');
    const late = await solve(s);
    s.clock.advance(5 * 60 * 1000);
    assert.equal(await code(await post(s, LOGIN_OTP, { mobile: '9876543210', country_code: '91', captcha_code: late })), 'CAPTCHA_INVALID');
  });

  test('the captcha is settled before the password is checked', async () => {
    s = await start({ printMessage: () => {}, rateLimits: { loginPerAccount: 2 } });
    await s.setConfig({ skip_captcha: false });
    // Without a captcha the password is never looked at, so these do not count as failed logins.
    for (let i = 0; i < 3; i++) assert.equal(await code(await post(s, LOGIN, { username: DEMO.email, password: 'wrong-password' })), 'CAPTCHA_REQUIRED');
    assert.equal(await code(await post(s, LOGIN, { username: DEMO.email, password: 'wrong-password', captcha_code: await solve(s) })), 'INVALID_CREDENTIALS');
    assert.equal(await code(await post(s, LOGIN, { username: DEMO.email, password: 'wrong-password', captcha_code: await solve(s) })), 'INVALID_CREDENTIALS');
    const limited = await post(s, LOGIN, { username: DEMO.email, password: DEMO.password, captcha_code: await solve(s) });
    assert.equal(limited.status, 429, 'the login rate limit still applies with a good captcha');
  });

  test('code sends need it for action "send" only; a resend carries its token instead', async () => {
    s = await start({ printMessage: () => {} });
    await s.setConfig({ skip_captcha: false });
    for (const [path, body] of [
      [LOGIN_OTP, { mobile: '9876543210', country_code: '91' }],
      [MOBILE_SEND, { mobile: '9876543210', country_code: '91', action: 'send' }],
      [EMAIL_SEND, { email: 'a@example.com', action: 'send' }],
    ] as const) {
      assert.equal(await code(await post(s, path, body)), 'CAPTCHA_REQUIRED', path);
      assert.equal(await code(await post(s, path, { ...body, captcha_code: await solve(s, true) })), 'CAPTCHA_INVALID', path);
      assert.equal((await post(s, path, { ...body, captcha_code: await solve(s) })).status, 200, path);
    }
    const sent = await (await post(s, MOBILE_SEND, { mobile: '9123456780', country_code: '91', action: 'send', captcha_code: await solve(s) })).json();
    s.clock.advance(30_000);
    const resend = await post(s, MOBILE_SEND, { mobile: '9123456780', country_code: '91', action: 'resend', token: sent.resend_token });
    assert.equal(resend.status, 200);
    // The login guard covers that exact path only, not the reset endpoints below it.
    assert.equal((await post(s, '/authentication/v1.0/login/password/reset', { email: DEMO.email })).status, 200);
  });

  test('a configured verifier gets the token and the peer address, and replaces the dev captcha', async () => {
    const calls: [string, string][] = [];
    s = await start({
      printMessage: () => {},
      captchaVerifier: async (token, ip) => {
        calls.push([token, ip]);
        return token === 'provider-ok';
      },
    });
    await s.setConfig({ skip_captcha: false });
    assert.equal((await post(s, LOGIN, { username: DEMO.email, password: DEMO.password, captcha_code: 'provider-ok' })).status, 200);
    assert.equal(await code(await post(s, LOGIN, { username: DEMO.email, password: DEMO.password, captcha_code: await solve(s) })), 'CAPTCHA_INVALID');
    assert.equal(calls[0]![0], 'provider-ok');
    assert.match(calls[0]![1], /127\.0\.0\.1/);
  });

  test('a verifier that fails to answer gives 503 CAPTCHA_UNAVAILABLE', async () => {
    s = await start({
      printMessage: () => {},
      captchaVerifier: async () => {
        throw new Error('provider down');
      },
    });
    await s.setConfig({ skip_captcha: false });
    const res = await post(s, LOGIN, { username: DEMO.email, password: DEMO.password, captcha_code: 'x' });
    assert.equal(res.status, 503);
    assert.equal(await code(res), 'CAPTCHA_UNAVAILABLE');
  });

  test('without dev mode and without a verifier the guarded endpoints answer 503', async () => {
    s = await start({ dev: false });
    await s.setConfig({ skip_captcha: false });
    assert.equal((await s.fetch('/__dev/captcha')).status, 404);
    for (const [path, body] of [
      [LOGIN, { username: DEMO.email, password: DEMO.password, captcha_code: 'anything' }],
      [LOGIN_OTP, { mobile: '9876543210', country_code: '91' }],
      [EMAIL_SEND, { email: 'a@example.com', action: 'send' }],
    ] as const) {
      const res = await post(s, path, body);
      assert.equal(res.status, 503, path);
      assert.equal(await code(res), 'CAPTCHA_UNAVAILABLE');
    }
  });
});
