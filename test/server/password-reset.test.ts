// Forgot and reset password: the email link (same answer for known and unknown addresses, link
// built from a trusted Referer only, single use, 30 minutes), the new-password rules, every old
// session ended and nobody signed in, and the code-based forgot flows by SMS and email.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { APP, DEMO, Jar, messagesTo, postJson, SESSION, startServer, withoutRequestId, type TestServer } from './helpers';

const RESET = '/authentication/v1.0/login/password/reset';
const RESET_TOKEN = '/authentication/v1.0/login/password/reset/token';
const RESET_FORGOT = '/authentication/v1.0/login/password/reset/forgot';
const FORGOT_MOBILE_SEND = '/authentication/v1.0/otp/forgot/mobile/send';
const FORGOT_MOBILE_VERIFY = '/authentication/v1.0/otp/forgot/mobile/verify';
const FORGOT_EMAIL_SEND = '/authentication/v1.0/otp/forgot/email/send';
const FORGOT_EMAIL_VERIFY = '/authentication/v1.0/otp/forgot/email/verify';
const PASSWORD_FORGOT = '/authentication/v1.0/login/password/forgot';

/** Forgot password is off in the default config; every test here needs it on. */
async function start(overrides: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const s = await startServer(overrides);
  await s.setConfig({ forgot_password: true });
  return s;
}

function post(s: TestServer, path: string, body: unknown, opts: { jar?: Jar; headers?: Record<string, string> } = {}): Promise<Response> {
  return postJson(s, APP + path, body, opts);
}

async function resetCode(s: TestServer, referer?: string): Promise<string> {
  await post(s, RESET, { email: DEMO.email }, referer ? { headers: { referer } } : {});
  const [mail] = await messagesTo(s, DEMO.email);
  return new URL(mail!.link!).searchParams.get('code')!;
}

const NEW_PASSWORD = 'a brand new passphrase';

describe('forgot and reset password', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('a reset request answers the same for known and unknown addresses; only a known one gets mail', async () => {
    s = await start({ printMessage: () => {} });
    const known = await post(s, RESET, { email: 'SHOPPER@example.com' });
    const unknown = await post(s, RESET, { email: 'nobody@example.com' });
    assert.equal(known.status, 200);
    assert.equal(unknown.status, 200);
    assert.deepEqual(await known.json(), { status: 'sent' });
    assert.deepEqual(await unknown.json(), { status: 'sent' });
    const [mail] = await messagesTo(s, DEMO.email);
    assert.equal(mail!.channel, 'email');
    assert.equal(mail!.to, DEMO.email, 'sent to the address as stored');
    assert.match(mail!.subject, /Reset your/);
    assert.match(mail!.link!, new RegExp(`^${s.base}/\\?code=[A-Za-z0-9_-]{43}$`), 'no Referer: the service root');
    assert.equal((await messagesTo(s, 'nobody@example.com')).length, 0);
    assert.ok(s.logs.every((l) => !l.includes(new URL(mail!.link!).searchParams.get('code')!)), 'the code is never logged');
  });

  test('the link goes back to the page that asked, but only on a trusted origin', async () => {
    s = await start({ printMessage: () => {}, allowedOrigins: ['https://shop.example'] });
    const own = await resetCode(s, `${s.base}/account/login?next=%2Fcart#top`);
    const [ownMail] = await messagesTo(s, DEMO.email);
    assert.equal(ownMail!.link, `${s.base}/account/login?next=%2Fcart&code=${own}`);
    await resetCode(s, 'https://shop.example/login');
    assert.match((await messagesTo(s, DEMO.email))[0]!.link!, /^https:\/\/shop\.example\/login\?code=/);
    await resetCode(s, 'https://evil.example/phish');
    assert.match((await messagesTo(s, DEMO.email))[0]!.link!, new RegExp(`^${s.base}/\\?code=`));
  });

  test('reset by link: valid code, new password, old sessions dead, nobody signed in, new password works', async () => {
    s = await start({ printMessage: () => {} });
    const jar = new Jar();
    await s.login(DEMO.email, DEMO.password, jar);
    const elsewhere = new Jar();
    await s.login(DEMO.email, DEMO.password, elsewhere);
    const code = await resetCode(s);

    const check = await post(s, RESET_TOKEN, { code });
    assert.equal(check.status, 200);
    assert.deepEqual(await check.json(), { status: 'valid' });

    const res = await post(s, RESET_FORGOT, { code, password: NEW_PASSWORD }, { jar });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { success: true });
    const cookies = res.headers.getSetCookie();
    assert.ok(cookies.length > 0 && cookies.every((c) => /Max-Age=0/.test(c)), 'no new session cookie, the old one is cleared');
    assert.equal((await s.fetch(SESSION, { jar: elsewhere })).status, 401, 'a session from before is ended');

    assert.equal((await s.login(DEMO.email, DEMO.password)).status, 400, 'the old password no longer works');
    assert.equal((await s.login(DEMO.email, NEW_PASSWORD)).status, 200);

    const reuse = await post(s, RESET_FORGOT, { code, password: 'yet another passphrase' });
    assert.equal(reuse.status, 400);
    const err = await reuse.json();
    assert.equal(err.code, 'RESET_CODE_INVALID');
    assert.equal(err.message, 'This reset link has expired or was already used. Ask for a new one.');
    assert.equal((await (await post(s, RESET_TOKEN, { code })).json()).code, 'RESET_CODE_INVALID');
  });

  test('a reset link expires after 30 minutes, and a newer reset kills older links', async () => {
    s = await start({ printMessage: () => {} });
    const old = await resetCode(s);
    s.clock.advance(30 * 60 * 1000);
    assert.equal((await post(s, RESET_TOKEN, { code: old })).status, 400);
    const first = await resetCode(s);
    s.clock.advance(1000);
    const second = await resetCode(s);
    assert.equal((await post(s, RESET_FORGOT, { code: second, password: NEW_PASSWORD })).status, 200);
    assert.equal((await post(s, RESET_TOKEN, { code: first })).status, 400, 'the other link of that account is spent too');
    assert.equal((await post(s, RESET_TOKEN, { code: 'not-a-code' })).status, 400);
  });

  test('weak new passwords are refused with a message naming the rule, and the code survives', async () => {
    s = await start({ printMessage: () => {} });
    const code = await resetCode(s);
    const cases = [
      ['short', 'PASSWORD_TOO_SHORT', /at least 8 characters/],
      ['Password123', 'PASSWORD_COMMON', /most common/],
      ['x'.repeat(513), 'PASSWORD_TOO_LONG', /at most 512 characters/],
    ] as const;
    for (const [password, codeName, message] of cases) {
      const res = await post(s, RESET_FORGOT, { code, password });
      assert.equal(res.status, 400, codeName);
      const err = await res.json();
      assert.equal(err.code, codeName);
      assert.match(err.message, message);
    }
    const missing = await post(s, RESET_FORGOT, { code });
    assert.equal((await missing.json()).code, 'VALIDATION_ERROR');
    assert.equal((await post(s, RESET_FORGOT, { code, password: NEW_PASSWORD })).status, 200);
  });

  test('forgot by SMS: same answer for unknown numbers, code, forgot_token, new password, sessions ended', async () => {
    s = await start({ printMessage: () => {} });
    await s.createShopper({ phone_number: '9876543210', password: 'the-first-password' });
    const jar = new Jar();
    await s.login('919876543210', 'the-first-password', jar);

    const known = await post(s, FORGOT_MOBILE_SEND, { mobile: '9876543210', country_code: '91', action: 'send' });
    const unknown = await post(s, FORGOT_MOBILE_SEND, { mobile: '9123456780', country_code: '91', action: 'send' });
    assert.equal(known.status, 200);
    assert.equal(unknown.status, 200);
    const a = await known.json();
    const b = await unknown.json();
    assert.deepEqual(Object.keys(a).sort(), ['country_code', 'message', 'mobile', 'request_id', 'resend_timer', 'resend_token', 'success']);
    assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort());
    assert.equal((await messagesTo(s, '+919123456780')).length, 0, 'nothing goes to a number without an account');
    const [sms] = await messagesTo(s, '+919876543210');
    assert.match(sms!.text, /@127\.0\.0\.1 #\d{6}$/);

    // Whatever is typed for the unknown number fails like a wrong code.
    const guess = await post(s, FORGOT_MOBILE_VERIFY, { otp: sms!.code, request_id: b.request_id });
    assert.equal((await guess.json()).code, 'OTP_INVALID');
    // A login code cannot be used as a forgot code.
    const login = await (await post(s, '/authentication/v1.0/login/otp', { mobile: '9876543210', country_code: '91' })).json();
    const loginCode = (await messagesTo(s, '+919876543210'))[0]!.code;
    assert.equal((await (await post(s, FORGOT_MOBILE_VERIFY, { otp: loginCode, request_id: login.request_id })).json()).code, 'OTP_EXPIRED');

    const verified = await post(s, FORGOT_MOBILE_VERIFY, { otp: sms!.code, request_id: a.request_id });
    assert.equal(verified.status, 200);
    const { success, forgot_token } = await verified.json();
    assert.equal(success, true);
    assert.match(forgot_token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(verified.headers.getSetCookie().length, 0);

    const weak = await post(s, PASSWORD_FORGOT, { code: forgot_token, password: '12345678' });
    assert.equal((await weak.json()).code, 'PASSWORD_COMMON');
    const res = await post(s, PASSWORD_FORGOT, { code: forgot_token, password: NEW_PASSWORD });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { success: true });
    assert.equal((await s.fetch(SESSION, { jar })).status, 401);
    assert.equal((await s.login('919876543210', 'the-first-password')).status, 400);
    assert.equal((await s.login('+91 98765 43210', NEW_PASSWORD)).status, 200);
    const again = await post(s, PASSWORD_FORGOT, { code: forgot_token, password: 'one more passphrase' });
    assert.equal((await again.json()).code, 'RESET_CODE_INVALID');
  });

  test('forgot by email: same answer for unknown addresses, verify without request_id, token expires in 10 minutes', async () => {
    s = await start({ printMessage: () => {} });
    const known = await post(s, FORGOT_EMAIL_SEND, { email: DEMO.email, action: 'send' });
    const unknown = await post(s, FORGOT_EMAIL_SEND, { email: 'nobody@example.com', action: 'send' });
    const a = await known.json();
    const b = await unknown.json();
    assert.equal(known.status, unknown.status);
    assert.deepEqual(Object.keys(a).sort(), ['email', 'message', 'request_id', 'resend_email_token', 'resend_timer', 'success']);
    assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort());
    assert.equal((await messagesTo(s, 'nobody@example.com')).length, 0);
    const [mail] = await messagesTo(s, DEMO.email);
    assert.match(mail!.text, /reset your/);
    const res = await post(s, FORGOT_EMAIL_VERIFY, { email: DEMO.email, otp: mail!.code });
    const { forgot_token } = await res.json();
    s.clock.advance(10 * 60 * 1000);
    const late = await post(s, PASSWORD_FORGOT, { code: forgot_token, password: NEW_PASSWORD });
    assert.equal((await late.json()).code, 'RESET_CODE_INVALID');
  });

  test('reset and forgot sends are limited per address and per IP, identically for unknown addresses', async () => {
    s = await start({ printMessage: () => {}, rateLimits: { otpSendPerDestination: 2, otpSendPerIp: 100, windowSeconds: 60 } });
    for (let i = 0; i < 2; i++) {
      await post(s, RESET, { email: DEMO.email });
      await post(s, RESET, { email: 'nobody@example.com' });
    }
    const known = await post(s, RESET, { email: DEMO.email });
    const unknown = await post(s, FORGOT_EMAIL_SEND, { email: 'nobody@example.com' });
    assert.equal(known.status, 429);
    assert.equal(unknown.status, 429);
    assert.equal(known.headers.get('retry-after'), unknown.headers.get('retry-after'));
    assert.deepEqual(withoutRequestId(await known.json()), withoutRequestId(await unknown.json()));
  });
});
