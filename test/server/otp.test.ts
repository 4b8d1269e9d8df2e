// OTP sign-in over a real socket: sending by SMS and email (the same answer for known and unknown
// numbers), reading the code from the dev outbox, signing in, the new-number path through
// register_token and profile/detail, and every way a code can fail: wrong (with attempts left),
// too many wrong, expired, spent, another request's, resent too early, rate limited.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { APP, DEMO, Jar, lastCode, messagesTo, otherCode, postJson, SESSION, startServer, withoutRequestId, type TestServer } from './helpers';

const LOGIN_OTP = '/authentication/v1.0/login/otp';
const MOBILE_SEND = '/authentication/v1.0/otp/mobile/send';
const MOBILE_VERIFY = '/authentication/v1.0/otp/mobile/verify';
const EMAIL_SEND = '/authentication/v1.0/otp/email/send';
const EMAIL_VERIFY = '/authentication/v1.0/otp/email/verify';
const DETAIL = '/profile/v1.0/detail';

function post(s: TestServer, path: string, body: unknown, opts: { jar?: Jar; headers?: Record<string, string> } = {}): Promise<Response> {
  return postJson(s, `${APP}${path}?platform=000000000000000000000001`, body, opts);
}

/** OTP sign-in is off in the default config; every test here needs it on. */
async function start(overrides: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const s = await startServer({ printMessage: () => {}, ...overrides });
  await s.setConfig({ login: { otp: true } });
  return s;
}

describe('OTP sign-in', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('login/otp answers the same for a known and an unknown number and sends the SMS both times', async () => {
    s = await start();
    await s.createShopper({ phone_number: '9876543210', first_name: 'Known' });
    const known = await post(s, LOGIN_OTP, { mobile: '9876543210', country_code: '91' });
    const unknown = await post(s, LOGIN_OTP, { mobile: '9123456780', country_code: 91 });
    assert.equal(known.status, 200);
    assert.equal(unknown.status, 200);
    const a = await known.json();
    const b = await unknown.json();
    assert.deepEqual(Object.keys(a).sort(), ['country_code', 'message', 'mobile', 'request_id', 'resend_timer', 'resend_token', 'success']);
    assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort());
    assert.equal(a.success, true);
    assert.equal(a.message, 'OTP sent');
    assert.equal(b.message, a.message);
    assert.equal(a.mobile, '9876543210');
    assert.equal(a.country_code, '91');
    assert.equal(a.resend_timer, 30);
    assert.equal(b.resend_timer, 30);
    assert.match(a.request_id, /^[0-9a-f]{32}$/);
    assert.match(a.resend_token, /^[0-9a-f-]{36}$/);
    assert.notEqual(a.request_id, b.request_id);
    assert.ok(!('user_exists' in a) && !('user_exists' in b));
    assert.match(await lastCode(s, '+919876543210'), /^\d{6}$/);
    assert.match(await lastCode(s, '+919123456780'), /^\d{6}$/);
  });

  test('codes are stored only as hashes and never logged', async () => {
    s = await start();
    const res = await post(s, LOGIN_OTP, { mobile: '9876543210', country_code: '91' });
    const { request_id } = await res.json();
    const code = await lastCode(s, '+919876543210');
    const row = await s.service.sql.get('SELECT * FROM otp_requests WHERE request_id = ?', request_id) as Record<string, unknown>;
    assert.ok(!JSON.stringify(row).includes(code));
    assert.match(String(row['code_hash']), /^[0-9a-f]{64}$/);
    assert.ok(s.logs.some((l) => l.includes('otp send')));
    assert.ok(s.logs.every((l) => !l.includes(code)), 'no log line holds the code');
  });

  test('a bad number is a 400 that names the field', async () => {
    s = await start();
    for (const [body, field] of [
      [{ mobile: '98-abc', country_code: '91' }, 'mobile'],
      [{ mobile: '12', country_code: '91' }, 'mobile'],
      [{ mobile: '123456789012345', country_code: '91' }, 'mobile'],
      [{ mobile: '9876543210' }, 'country_code'],
      [{ mobile: '9876543210', country_code: 'India' }, 'country_code'],
      [{ country_code: '91' }, 'mobile'],
    ] as const) {
      const res = await post(s, LOGIN_OTP, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      const err = await res.json();
      assert.equal(err.code, 'VALIDATION_ERROR');
      assert.match(err.message, new RegExp(field));
      assert.ok(field in err.meta.fields);
    }
  });

  test('the right code signs an existing account in with a new session and verifies the phone', async () => {
    s = await start();
    const created = await (await s.createShopper({ phone_number: '9876543210', first_name: 'Asha' }, '')).json();
    assert.equal(created.user.phone_numbers[0].verified, false);
    const jar = new Jar();
    await s.login(DEMO.email, DEMO.password, jar);
    const before = jar.clone();
    const { request_id } = await (await post(s, LOGIN_OTP, { mobile: '98765 43210', country_code: '+91' })).json();
    const otp = await lastCode(s, '+919876543210');
    const res = await post(s, MOBILE_VERIFY, { otp, request_id }, { jar });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(Object.keys(body).sort(), ['register_token', 'user', 'user_exists']);
    assert.equal(body.user_exists, true);
    assert.equal(body.register_token, '');
    assert.equal(body.user._id, created.user._id);
    assert.equal(body.user.phone_numbers[0].verified, true);
    assert.match(res.headers.getSetCookie()[0]!, /^__Host-f\.session=[A-Za-z0-9_-]{43};.*HttpOnly/);
    const session = await s.fetch(SESSION, { jar });
    assert.equal((await session.json()).user._id, created.user._id);
    assert.equal((await s.fetch(SESSION, { jar: before })).status, 401, 'the session the browser had before is ended');
  });

  test('wrong codes count down attempts_left, and after 5 even the right code is refused', async () => {
    s = await start();
    const { request_id } = await (await post(s, LOGIN_OTP, { mobile: '9876543210', country_code: '91' })).json();
    const otp = await lastCode(s, '+919876543210');
    for (const left of [4, 3, 2, 1]) {
      const res = await post(s, MOBILE_VERIFY, { otp: otherCode(otp), request_id });
      assert.equal(res.status, 400);
      const err = await res.json();
      assert.equal(err.code, 'OTP_INVALID');
      assert.equal(err.message, 'Entered OTP is invalid, please retry');
      assert.equal(err.meta.attempts_left, left);
    }
    const fifth = await (await post(s, MOBILE_VERIFY, { otp: otherCode(otp), request_id })).json();
    assert.equal(fifth.code, 'OTP_ATTEMPTS_EXCEEDED');
    assert.equal(fifth.message, 'Too many wrong codes. Request a new code.');
    const right = await post(s, MOBILE_VERIFY, { otp, request_id });
    assert.equal(right.status, 400);
    assert.equal((await right.json()).code, 'OTP_ATTEMPTS_EXCEEDED');
    assert.equal(right.headers.getSetCookie().length, 0);
  });

  test('wrong codes sent all at once are each counted: only 5 are judged, then even the right code is refused', async () => {
    s = await start();
    const { request_id } = await (await post(s, LOGIN_OTP, { mobile: '9876543210', country_code: '91' })).json();
    const otp = await lastCode(s, '+919876543210');
    // Eight guesses in flight together: a check and its count may not interleave with another's.
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => post(s!, MOBILE_VERIFY, { otp: otherCode(otp), request_id }).then((r) => r.json())),
    );
    const invalid = answers.filter((a) => a.code === 'OTP_INVALID').map((a) => a.meta.attempts_left as number);
    assert.deepEqual(invalid.sort(), [1, 2, 3, 4], 'each wrong guess counted once, in turn');
    assert.equal(answers.filter((a) => a.code === 'OTP_ATTEMPTS_EXCEEDED').length, 4, 'the fifth guess ends it; the rest are refused unjudged');
    const after = await post(s, MOBILE_VERIFY, { otp, request_id });
    assert.equal((await after.json()).code, 'OTP_ATTEMPTS_EXCEEDED');
  });

  test('a code expires after 10 minutes', async () => {
    s = await start();
    const { request_id } = await (await post(s, LOGIN_OTP, { mobile: '9876543210', country_code: '91' })).json();
    const otp = await lastCode(s, '+919876543210');
    s.clock.advance(10 * 60 * 1000);
    const res = await post(s, MOBILE_VERIFY, { otp, request_id });
    assert.equal(res.status, 400);
    const err = await res.json();
    assert.equal(err.code, 'OTP_EXPIRED');
    assert.equal(err.message, 'This code has expired. Request a new code.');
  });

  test('a code works once', async () => {
    s = await start();
    await s.createShopper({ phone_number: '9876543210' });
    const { request_id } = await (await post(s, LOGIN_OTP, { mobile: '9876543210', country_code: '91' })).json();
    const otp = await lastCode(s, '+919876543210');
    assert.equal((await post(s, MOBILE_VERIFY, { otp, request_id })).status, 200);
    const again = await post(s, MOBILE_VERIFY, { otp, request_id });
    assert.equal(again.status, 400);
    assert.equal((await again.json()).code, 'OTP_EXPIRED');
  });

  test('a code is bound to its request_id, and unknown request ids look expired', async () => {
    s = await start();
    const a = await (await post(s, LOGIN_OTP, { mobile: '9876543210', country_code: '91' })).json();
    const codeA = await lastCode(s, '+919876543210');
    const b = await (await post(s, LOGIN_OTP, { mobile: '9123456780', country_code: '91' })).json();
    const codeB = await lastCode(s, '+919123456780');
    assert.notEqual(codeA, codeB, 'two random codes (a 1 in a million clash would make this test meaningless)');
    const crossed = await post(s, MOBILE_VERIFY, { otp: codeA, request_id: b.request_id });
    assert.equal((await crossed.json()).code, 'OTP_INVALID');
    const unknown = await post(s, MOBILE_VERIFY, { otp: codeA, request_id: 'f'.repeat(32) });
    assert.equal(unknown.status, 400);
    assert.equal((await unknown.json()).code, 'OTP_EXPIRED');
    assert.equal((await post(s, MOBILE_VERIFY, { otp: codeA, request_id: a.request_id })).status, 200);
  });

  test('resend: refused with 429 and Retry-After before resend_timer, then same request_id, new code, old code dead', async () => {
    s = await start();
    const first = await (await post(s, MOBILE_SEND, { mobile: '9876543210', country_code: '91', action: 'send' })).json();
    const oldCode = await lastCode(s, '+919876543210');
    s.clock.advance(10_000);
    const early = await post(s, MOBILE_SEND, { mobile: '9876543210', country_code: '91', action: 'resend', token: first.resend_token });
    assert.equal(early.status, 429);
    assert.equal(early.headers.get('retry-after'), '20');
    assert.equal((await early.json()).code, 'OTP_RESEND_TOO_SOON');

    s.clock.advance(20_000);
    const res = await post(s, MOBILE_SEND, { mobile: '9876543210', country_code: '91', action: 'resend', token: first.resend_token });
    assert.equal(res.status, 200);
    const second = await res.json();
    assert.equal(second.request_id, first.request_id);
    assert.notEqual(second.resend_token, first.resend_token);
    const newCode = await lastCode(s, '+919876543210');

    const stale = await post(s, MOBILE_SEND, { mobile: '9876543210', country_code: '91', action: 'resend', token: first.resend_token });
    assert.equal(stale.status, 400, 'a resend token works once');
    assert.equal((await stale.json()).code, 'RESEND_TOKEN_INVALID');
    const missing = await post(s, MOBILE_SEND, { mobile: '9876543210', country_code: '91', action: 'resend' });
    assert.match((await missing.json()).message, /token/);
    const otherNumber = await post(s, MOBILE_SEND, { mobile: '9123456780', country_code: '91', action: 'resend', token: second.resend_token });
    assert.equal((await otherNumber.json()).code, 'RESEND_TOKEN_INVALID', 'a token belongs to its number');

    if (newCode !== oldCode) {
      const old = await post(s, MOBILE_VERIFY, { otp: oldCode, request_id: first.request_id });
      assert.equal((await old.json()).code, 'OTP_INVALID', 'the first code died with the resend');
    }
    assert.equal((await post(s, MOBILE_VERIFY, { otp: newCode, request_id: first.request_id })).status, 200);
  });

  test('one resend token sent several times at once sends one new code, not one each', async () => {
    // Each resend read the request, saw its timer run out and re-issued; on PostgreSQL parallel
    // resends all read before any wrote, so one token sent a code per request, past resend_timer.
    s = await start();
    const first = await (await post(s, MOBILE_SEND, { mobile: '9876543210', country_code: '91', action: 'send' })).json();
    s.clock.advance(30_000);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => post(s!, MOBILE_SEND, { mobile: '9876543210', country_code: '91', action: 'resend', token: first.resend_token })),
    );
    const statuses = answers.map((r) => r.status);
    assert.equal(statuses.filter((x) => x === 200).length, 1, JSON.stringify(statuses));
    const refused = await Promise.all(answers.filter((r) => r.status !== 200).map(async (r) => [r.status, (await r.json()).code]));
    assert.deepEqual(refused, refused.map(() => [400, 'RESEND_TOKEN_INVALID']));
    assert.equal((await messagesTo(s, '+919876543210')).length, 2, 'the first code and one resend');
  });

  test('a new number gets a register_token; profile/detail creates the account, signs it in and keeps the phone verified', async () => {
    s = await start();
    const { request_id } = await (await post(s, LOGIN_OTP, { mobile: '9123456780', country_code: '91' })).json();
    const otp = await lastCode(s, '+919123456780');
    const verify = await post(s, MOBILE_VERIFY, { otp, request_id });
    assert.equal(verify.status, 200);
    const body = await verify.json();
    assert.deepEqual(Object.keys(body).sort(), ['register_token', 'user_exists']);
    assert.equal(body.user_exists, false);
    assert.match(body.register_token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(verify.headers.getSetCookie().length, 0, 'no session without an account');

    const jar = new Jar();
    const noName = await post(s, DETAIL, { register_token: body.register_token, last_name: 'Rao' }, { jar });
    assert.equal(noName.status, 400);
    assert.match((await noName.json()).message, /first_name: is required/);
    const tooLong = await post(s, DETAIL, { register_token: body.register_token, first_name: 'x'.repeat(61) }, { jar });
    assert.match((await tooLong.json()).message, /first_name: must be at most 60/);

    const res = await post(s, DETAIL, { register_token: body.register_token, first_name: ' Meera ', last_name: 'Rao', gender: 'female', email: 'meera@example.com' }, { jar });
    assert.equal(res.status, 200);
    const done = await res.json();
    assert.deepEqual(Object.keys(done).sort(), ['register_token', 'success', 'user', 'user_exists', 'verify_email_otp', 'verify_mobile_otp']);
    assert.equal(done.success, true);
    assert.equal(done.user_exists, true);
    assert.equal(done.register_token, '');
    assert.equal(done.verify_email_otp, true, 'the email given here still needs its own code');
    assert.equal(done.verify_mobile_otp, false);
    assert.equal(done.user.first_name, 'Meera');
    assert.equal(done.user.last_name, 'Rao');
    assert.deepEqual(done.user.phone_numbers, [{ phone: '9123456780', country_code: 91, active: true, primary: true, verified: true }]);
    assert.deepEqual(done.user.emails, [], 'an unproven email is never attached');
    const session = await s.fetch(SESSION, { jar });
    assert.equal((await session.json()).user._id, done.user._id);

    const reuse = await post(s, DETAIL, { register_token: body.register_token, first_name: 'Again' });
    assert.equal(reuse.status, 400);
    assert.equal((await reuse.json()).code, 'REGISTER_TOKEN_INVALID', 'a register_token works once');

    // The next code to that number signs the new account in.
    const again = await (await post(s, LOGIN_OTP, { mobile: '9123456780', country_code: '91' })).json();
    const second = await post(s, MOBILE_VERIFY, { otp: await lastCode(s, '+919123456780'), request_id: again.request_id });
    assert.equal((await second.json()).user._id, done.user._id);
  });

  test('a register_token expires after 10 minutes, and a contact taken meanwhile signs nobody in', async () => {
    s = await start();
    const tokenFor = async (mobile: string) => {
      const { request_id } = await (await post(s!, LOGIN_OTP, { mobile, country_code: '91' })).json();
      const res = await post(s!, MOBILE_VERIFY, { otp: await lastCode(s!, `+91${mobile}`), request_id });
      return (await res.json()).register_token as string;
    };
    const late = await tokenFor('9123456780');
    s.clock.advance(10 * 60 * 1000);
    assert.equal((await (await post(s, DETAIL, { register_token: late, first_name: 'Late' })).json()).code, 'REGISTER_TOKEN_INVALID');

    const raced = await tokenFor('9000000001');
    await s.createShopper({ phone_number: '9000000001' });
    const res = await post(s, DETAIL, { register_token: raced, first_name: 'Second' });
    assert.equal(res.status, 400);
    const err = await res.json();
    assert.equal(err.code, 'REGISTRATION_FAILED');
    assert.doesNotMatch(err.message, /phone|9000000001/i);
    assert.equal(res.headers.getSetCookie().length, 0);
  });

  test('email codes: identical answers, verify by request_id or by the latest code, sign-in or register_token', async () => {
    s = await start();
    const known = await post(s, EMAIL_SEND, { email: 'Shopper@Example.com', action: 'send' });
    const unknown = await post(s, EMAIL_SEND, { email: 'new@example.com', action: 'send' });
    assert.equal(known.status, 200);
    assert.equal(unknown.status, 200);
    const a = await known.json();
    const b = await unknown.json();
    assert.deepEqual(Object.keys(a).sort(), ['email', 'message', 'request_id', 'resend_email_token', 'resend_timer', 'success']);
    assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort());
    assert.equal(a.message, b.message);
    assert.equal(a.resend_timer, 30);

    const items = (await (await s.fetch('/__dev/outbox?to=shopper@example.com')).json()).items;
    assert.equal(items[0].channel, 'email');
    assert.match(items[0].subject, /code/);
    const signIn = await post(s, EMAIL_VERIFY, { email: 'shopper@example.com', otp: items[0].code });
    assert.equal(signIn.status, 200, 'without request_id the latest code for the address is used');
    const body = await signIn.json();
    assert.equal(body.user_exists, true);
    assert.equal(body.user.emails[0].email, DEMO.email);
    assert.equal(signIn.headers.getSetCookie().length, 1);

    const code = await lastCode(s, 'new@example.com');
    const wrongAddress = await post(s, EMAIL_VERIFY, { email: 'shopper@example.com', otp: code, request_id: b.request_id });
    assert.equal((await wrongAddress.json()).code, 'OTP_EXPIRED', 'a request_id is bound to its address');
    const res = await post(s, EMAIL_VERIFY, { email: 'new@example.com', otp: code, request_id: b.request_id, action: 'register' });
    const fresh = await res.json();
    assert.equal(fresh.user_exists, false);
    const jar = new Jar();
    const done = await (await post(s, DETAIL, { register_token: fresh.register_token, first_name: 'Nova', mobile: { phone: '9000000002', country_code: '91' } }, { jar })).json();
    assert.deepEqual(done.user.emails, [{ email: 'new@example.com', active: true, primary: true, verified: true }]);
    assert.deepEqual(done.user.phone_numbers, [], 'an unproven phone is never attached');
  });

  test('email resend follows the mobile rules with resend_email_token', async () => {
    s = await start();
    const first = await (await post(s, EMAIL_SEND, { email: 'new@example.com', action: 'send' })).json();
    const early = await post(s, EMAIL_SEND, { email: 'new@example.com', action: 'resend', token: first.resend_email_token });
    assert.equal(early.status, 429);
    assert.equal(early.headers.get('retry-after'), '30');
    s.clock.advance(30_000);
    const second = await (await post(s, EMAIL_SEND, { email: 'NEW@example.com', action: 'resend', token: first.resend_email_token })).json();
    assert.equal(second.request_id, first.request_id);
    assert.notEqual(second.resend_email_token, first.resend_email_token);
  });

  test('a blocked account is told so only after the right code', async () => {
    s = await start();
    await s.createShopper({ phone_number: '9876543210' });
    await s.service.sql.run("UPDATE users SET active = 0 WHERE username = '919876543210'");
    const { request_id } = await (await post(s, LOGIN_OTP, { mobile: '9876543210', country_code: '91' })).json();
    const wrong = await post(s, MOBILE_VERIFY, { otp: otherCode(await lastCode(s, '+919876543210')), request_id });
    assert.equal((await wrong.json()).code, 'OTP_INVALID');
    const right = await post(s, MOBILE_VERIFY, { otp: await lastCode(s, '+919876543210'), request_id });
    assert.equal(right.status, 400);
    assert.equal((await right.json()).code, 'ACCOUNT_DISABLED');
    assert.equal(right.headers.getSetCookie().length, 0);
  });

  test('sends are limited per number and per IP with 429 and Retry-After, the same for unknown numbers', async () => {
    s = await start({ rateLimits: { otpSendPerDestination: 2, otpSendPerIp: 5, windowSeconds: 60 } });
    await s.createShopper({ phone_number: '9876543210' });
    for (let i = 0; i < 2; i++) {
      assert.equal((await post(s, LOGIN_OTP, { mobile: '9876543210', country_code: '91' })).status, 200);
      assert.equal((await post(s, LOGIN_OTP, { mobile: '9123456780', country_code: '91' })).status, 200);
    }
    const known = await post(s, LOGIN_OTP, { mobile: '9876543210', country_code: '91' });
    const unknown = await post(s, MOBILE_SEND, { mobile: '9123456780', country_code: '91', action: 'send' });
    assert.equal(known.status, 429);
    assert.equal(unknown.status, 429);
    assert.equal(known.headers.get('retry-after'), '60');
    assert.equal(unknown.headers.get('retry-after'), '60');
    assert.deepEqual(withoutRequestId(await known.json()), withoutRequestId(await unknown.json()));
    // Four sends so far from this IP; the fifth (to a fresh number) is the last one allowed.
    assert.equal((await post(s, LOGIN_OTP, { mobile: '9000000001', country_code: '91' })).status, 200);
    const byIp = await post(s, EMAIL_SEND, { email: 'someone@example.com' });
    assert.equal(byIp.status, 429);
    assert.equal((await byIp.json()).code, 'TOO_MANY_REQUESTS');
    s.clock.advance(60_001);
    assert.equal((await post(s, LOGIN_OTP, { mobile: '9876543210', country_code: '91' })).status, 200);
  });

  test('verifies are limited per IP', async () => {
    s = await start({ rateLimits: { otpVerifyPerIp: 3, windowSeconds: 60 } });
    const { request_id } = await (await post(s, LOGIN_OTP, { mobile: '9876543210', country_code: '91' })).json();
    const otp = await lastCode(s, '+919876543210');
    for (let i = 0; i < 3; i++) await post(s, MOBILE_VERIFY, { otp: otherCode(otp), request_id: 'a'.repeat(32) });
    const limited = await post(s, MOBILE_VERIFY, { otp, request_id });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
  });

  test('profile/detail with a session edits the profile; without one it is a 401', async () => {
    s = await start();
    const anonymous = await post(s, DETAIL, { first_name: 'Nobody' });
    assert.equal(anonymous.status, 401);
    const jar = new Jar();
    await s.login(DEMO.email, DEMO.password, jar);
    const res = await post(s, DETAIL, { first_name: 'Ada', last_name: 'Lovelace', gender: 'female', dob: '1815-12-10', profile_pic_url: 'https://example.com/ada.png' }, { jar });
    assert.equal(res.status, 200);
    const { user } = await res.json();
    assert.equal(user.first_name, 'Ada');
    assert.equal(user.last_name, 'Lovelace');
    assert.equal(user.gender, 'female');
    assert.equal(user.dob, '1815-12-10');
    assert.equal(user.profile_pic_url, 'https://example.com/ada.png');
    const bad = await post(s, DETAIL, { first_name: '', dob: '1815-13-40', profile_pic_url: 'javascript:alert(1)' }, { jar });
    assert.equal(bad.status, 400);
    const err = await bad.json();
    assert.deepEqual(Object.keys(err.meta.fields).sort(), ['dob', 'first_name', 'profile_pic_url']);
  });
});
