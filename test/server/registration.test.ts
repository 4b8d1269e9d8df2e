// Registration by form (register/form, then a code per contact on otp/{mobile|email}/verify with the
// register_token): fields driven by register_required_fields (hard, soft, off), the password rules,
// the full path to a signed-in, active account with verified contacts, resends through the shared
// send endpoints, the no-enumeration answer for a taken email or phone (same answer, no code, the
// owner told), expiry of pending sign-ups, and the rate limits and captcha in front of it all.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { APP, count, DEMO, Jar, median, messagesTo, otherCode, postJson, SESSION, startServer, type TestServer } from './helpers';

const REGISTER = '/authentication/v1.0/register/form';
const MOBILE_SEND = '/authentication/v1.0/otp/mobile/send';
const MOBILE_VERIFY = '/authentication/v1.0/otp/mobile/verify';
const EMAIL_SEND = '/authentication/v1.0/otp/email/send';
const EMAIL_VERIFY = '/authentication/v1.0/otp/email/verify';
const PASSWORD = 'a long enough passphrase';
const ANSWER_KEYS = [
  'country_code',
  'email',
  'message',
  'mobile',
  'register_token',
  'request_id',
  'resend_email_token',
  'resend_timer',
  'resend_token',
  'success',
  'user_exists',
  'verify_email_otp',
  'verify_mobile_otp',
];

type Level = 'hard' | 'soft' | 'off';

function post(s: TestServer, path: string, body: unknown, jar?: Jar): Promise<Response> {
  return postJson(s, `${APP}${path}?platform=000000000000000000000001`, body, { jar });
}

async function lastCode(s: TestServer, to: string): Promise<string> {
  const [item] = await messagesTo(s, to);
  assert.ok(item?.code, `a code went to ${to}`);
  return item.code;
}

function fieldsConfig(email: Level, mobile: Level): Record<string, unknown> {
  const one = (level: Level) => (level === 'off' ? { is_required: false, level: 'soft' } : { is_required: true, level });
  return { register_required_fields: { email: one(email), mobile: one(mobile) } };
}

async function start(overrides: Parameters<typeof startServer>[0] = {}, config: Record<string, unknown> = {}): Promise<TestServer> {
  const s = await startServer({ printMessage: () => {}, ...overrides });
  await s.setConfig({ register: true, ...config });
  return s;
}

async function fieldErrors(res: Response): Promise<Record<string, string>> {
  const body = await res.json();
  assert.equal(res.status, 400, JSON.stringify(body));
  assert.equal(body.code, 'VALIDATION_ERROR');
  return body.meta.fields;
}

describe('registration form: required fields', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('email hard, mobile off (the default): email required, a phone is ignored', async () => {
    s = await start();
    const missing = await fieldErrors(await post(s, REGISTER, { first_name: 'Ann', password: PASSWORD }));
    assert.deepEqual(Object.keys(missing), ['email']);
    assert.equal(missing['email'], 'Enter your email address');
    const res = await post(s, REGISTER, { first_name: 'Ann', email: 'ann@example.com', password: PASSWORD, phone: { country_code: '91', mobile: 'not a number' } });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(Object.keys(body).sort(), ANSWER_KEYS);
    assert.equal(body.verify_mobile_otp, false);
    assert.equal(body.mobile, '');
    assert.equal(body.verify_email_otp, true);
  });

  test('mobile hard, email off: phone required, an email is ignored', async () => {
    s = await start({}, fieldsConfig('off', 'hard'));
    const missing = await fieldErrors(await post(s, REGISTER, { first_name: 'Ann', password: PASSWORD, email: 'ann@example.com' }));
    assert.deepEqual(Object.keys(missing), ['phone.mobile']);
    const noCode = await fieldErrors(await post(s, REGISTER, { first_name: 'Ann', password: PASSWORD, phone: { mobile: '9876543210' } }));
    assert.deepEqual(Object.keys(noCode), ['phone.country_code']);
    const res = await post(s, REGISTER, { first_name: 'Ann', password: PASSWORD, email: 'not an email', phone: { country_code: '+91', mobile: '98765 43210' } });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual([body.email, body.mobile, body.country_code, body.verify_email_otp, body.verify_mobile_otp], ['', '9876543210', '91', false, true]);
    assert.equal(body.resend_email_token, '');
    assert.match(body.resend_token, /^[0-9a-f-]{36}$/);
    assert.equal((await messagesTo(s, 'not an email')).length, 0);
  });

  test('both hard: both required', async () => {
    s = await start({}, fieldsConfig('hard', 'hard'));
    const missing = await fieldErrors(await post(s, REGISTER, { first_name: 'Ann', password: PASSWORD }));
    assert.deepEqual(Object.keys(missing).sort(), ['email', 'phone.mobile']);
    const emailOnly = await fieldErrors(await post(s, REGISTER, { first_name: 'Ann', password: PASSWORD, email: 'ann@example.com' }));
    assert.deepEqual(Object.keys(emailOnly), ['phone.mobile']);
    const res = await post(s, REGISTER, { first_name: 'Ann', password: PASSWORD, email: 'ann@example.com', phone: { country_code: 91, mobile: '9876543210' } });
    assert.equal(res.status, 200);
  });

  test('both soft: either one is enough, neither is a 400 naming both, a malformed one is a 400', async () => {
    s = await start({}, fieldsConfig('soft', 'soft'));
    const neither = await fieldErrors(await post(s, REGISTER, { first_name: 'Ann', password: PASSWORD, email: '', phone: { country_code: '91', mobile: '' } }));
    assert.deepEqual(Object.keys(neither).sort(), ['email', 'phone.mobile']);
    assert.equal((await post(s, REGISTER, { first_name: 'Ann', password: PASSWORD, email: 'ann@example.com' })).status, 200);
    assert.equal((await post(s, REGISTER, { first_name: 'Bo', password: PASSWORD, phone: { country_code: '91', mobile: '9876543211' } })).status, 200);
    const badEmail = await fieldErrors(await post(s, REGISTER, { first_name: 'Ann', password: PASSWORD, email: 'ann@', phone: { country_code: '91', mobile: '9876543212' } }));
    assert.deepEqual(Object.keys(badEmail), ['email']);
    const badPhone = await fieldErrors(await post(s, REGISTER, { first_name: 'Ann', password: PASSWORD, email: 'ok@example.com', phone: { country_code: '91', mobile: '12ab' } }));
    assert.deepEqual(Object.keys(badPhone), ['phone.mobile']);
    const badCode = await fieldErrors(await post(s, REGISTER, { first_name: 'Ann', password: PASSWORD, phone: { country_code: '9999', mobile: '9876543213' } }));
    assert.deepEqual(Object.keys(badCode), ['phone.country_code']);
  });

  test('email soft, mobile hard; email hard, mobile soft', async () => {
    s = await start({}, fieldsConfig('soft', 'hard'));
    assert.deepEqual(Object.keys(await fieldErrors(await post(s, REGISTER, { first_name: 'A', password: PASSWORD, email: 'a@example.com' }))), ['phone.mobile']);
    assert.equal((await post(s, REGISTER, { first_name: 'A', password: PASSWORD, phone: { country_code: '91', mobile: '9876543210' } })).status, 200);
    await s.setConfig(fieldsConfig('hard', 'soft'));
    assert.deepEqual(
      Object.keys(await fieldErrors(await post(s, REGISTER, { first_name: 'A', password: PASSWORD, phone: { country_code: '91', mobile: '9876543211' } }))),
      ['email'],
    );
    assert.deepEqual(
      Object.keys(await fieldErrors(await post(s, REGISTER, { first_name: 'A', password: PASSWORD, email: 'a2@example.com', phone: { country_code: '91', mobile: 'x' } }))),
      ['phone.mobile'],
    );
    assert.equal((await post(s, REGISTER, { first_name: 'A', password: PASSWORD, email: 'a2@example.com' })).status, 200);
  });

  test('both switched off: both taken as optional, so the shopper can still be reached', async () => {
    s = await start({}, fieldsConfig('off', 'off'));
    assert.deepEqual(Object.keys(await fieldErrors(await post(s, REGISTER, { first_name: 'A', password: PASSWORD }))).sort(), ['email', 'phone.mobile']);
    assert.equal((await post(s, REGISTER, { first_name: 'A', password: PASSWORD, email: 'a@example.com' })).status, 200);
  });

  test('names and gender: first name required, at most 60 characters each, gender one of three', async () => {
    s = await start();
    const base = { email: 'n@example.com', password: PASSWORD };
    const errors = await fieldErrors(await post(s, REGISTER, { ...base, first_name: ' ', last_name: 'x'.repeat(61), gender: 'other' }));
    assert.deepEqual(Object.keys(errors).sort(), ['first_name', 'gender', 'last_name']);
    assert.equal(errors['first_name'], 'Enter your first name');
    assert.equal((await fieldErrors(await post(s, REGISTER, { ...base, first_name: 'x'.repeat(61) })))['first_name'], 'Use at most 60 characters');
    for (const gender of ['male', 'female', 'unisex', '']) {
      assert.equal((await post(s, REGISTER, { ...base, first_name: 'Nia', last_name: 'x'.repeat(60), gender })).status, 200, gender);
    }
  });

  test('passwords: missing, too short, too common; its own code when it is the only problem', async () => {
    s = await start();
    const base = { first_name: 'Pat', email: 'pat@example.com' };
    assert.deepEqual(Object.keys(await fieldErrors(await post(s, REGISTER, base))), ['password']);
    const short = await post(s, REGISTER, { ...base, password: 'short12' });
    assert.equal(short.status, 400);
    const shortBody = await short.json();
    assert.equal(shortBody.code, 'PASSWORD_TOO_SHORT');
    assert.ok(shortBody.meta.fields.password);
    const common = await (await post(s, REGISTER, { ...base, password: 'password123' })).json();
    assert.equal(common.code, 'PASSWORD_COMMON');
    assert.ok(common.meta.fields.password);
    const both = await fieldErrors(await post(s, REGISTER, { ...base, first_name: '', password: 'short' }));
    assert.deepEqual(Object.keys(both).sort(), ['first_name', 'password']);
    assert.equal((await post(s, REGISTER, { ...base, password: 'x7q2m9wz' })).status, 200, 'eight characters are enough');
  });
});

describe('registration form: the path to an account', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('email and phone: nothing exists until both codes are in; then active, verified, signed in, listed', async () => {
    s = await start({}, fieldsConfig('hard', 'soft'));
    const res = await post(s, REGISTER, {
      first_name: 'Rita',
      last_name: 'Ray',
      gender: 'female',
      email: 'Rita@Example.com',
      password: PASSWORD,
      phone: { country_code: '91', mobile: '9876543210' },
      consent: true,
    });
    assert.equal(res.status, 200);
    const reg = await res.json();
    assert.deepEqual(Object.keys(reg).sort(), ANSWER_KEYS);
    assert.equal(reg.success, true);
    assert.equal(reg.user_exists, false);
    assert.equal(reg.resend_timer, 30);
    assert.deepEqual([reg.email, reg.mobile, reg.country_code], ['Rita@Example.com', '9876543210', '91']);
    assert.equal(reg.verify_email_otp, true);
    assert.equal(reg.verify_mobile_otp, true);
    assert.match(reg.register_token, /^[A-Za-z0-9_-]{43}$/);
    assert.match(reg.request_id, /^[0-9a-f]{32}$/);

    const smsCode = await lastCode(s, '+919876543210');
    const [mail] = await messagesTo(s, 'rita@example.com');
    assert.match(mail!.text, /confirm the email address of your new/);
    const emailCode = mail!.code!;

    // Pending: no account, so no sign-in and nothing in the admin list.
    assert.equal((await s.login('rita@example.com', PASSWORD)).status, 400);
    assert.equal(await count(s, 'SELECT COUNT(*) AS n FROM users WHERE username = ?', 'rita@example.com'), 0);
    const stored = await s.service.sql.get('SELECT * FROM pending_registrations') as Record<string, unknown>;
    assert.ok(!JSON.stringify(stored).includes(reg.register_token) && !JSON.stringify(stored).includes(PASSWORD), 'token and password stored hashed');

    const jar = new Jar();
    const wrong = await post(s, MOBILE_VERIFY, { otp: otherCode(smsCode), request_id: reg.request_id, register_token: reg.register_token }, jar);
    assert.equal((await wrong.json()).code, 'OTP_INVALID');
    const half = await post(s, MOBILE_VERIFY, { otp: smsCode, request_id: reg.request_id, register_token: reg.register_token }, jar);
    assert.equal(half.status, 200);
    assert.deepEqual(await half.json(), { user_exists: false, register_token: reg.register_token, verify_email_otp: true, verify_mobile_otp: false });
    assert.equal(jar.cookies.size, 0, 'no session yet');

    const done = await post(s, EMAIL_VERIFY, { email: 'rita@example.com', otp: emailCode, action: 'register', register_token: reg.register_token }, jar);
    assert.equal(done.status, 200);
    const body = await done.json();
    assert.deepEqual(Object.keys(body).sort(), ['register_token', 'user', 'user_exists']);
    assert.equal(body.user_exists, true);
    assert.equal(body.register_token, '');
    assert.deepEqual([body.user.first_name, body.user.last_name, body.user.gender, body.user.active], ['Rita', 'Ray', 'female', true]);
    assert.deepEqual(body.user.emails, [{ email: 'Rita@Example.com', active: true, primary: true, verified: true }]);
    assert.deepEqual(body.user.phone_numbers, [{ phone: '9876543210', country_code: 91, active: true, primary: true, verified: true }]);

    const session = await s.fetch(SESSION, { jar });
    assert.equal(session.status, 200);
    assert.equal((await session.json()).user._id, body.user._id);

    const list = await (await s.admin('/customers/list?q=rita')).json();
    assert.equal(list.items.length, 1);
    assert.equal(list.items[0].status, 'active');
    assert.equal(list.items[0].emails[0].verified, true);
    assert.equal(list.items[0].phone_numbers[0].verified, true);
    assert.equal((await s.login('rita@example.com', PASSWORD)).status, 200, 'the password given at registration works');
    assert.equal((await s.login('919876543210', PASSWORD)).status, 200);
    const row = await s.service.sql.get('SELECT privacy_consent_at FROM users WHERE id = ?', body.user._id) as { privacy_consent_at: number };
    assert.equal(row.privacy_consent_at, s.clock.now());
    assert.equal(await count(s, 'SELECT COUNT(*) AS n FROM pending_registrations'), 0, 'the pending registration is gone');

    const again = await post(s, EMAIL_VERIFY, { email: 'rita@example.com', otp: emailCode, register_token: reg.register_token });
    assert.equal((await again.json()).code, 'REGISTER_TOKEN_INVALID');
    assert.ok(s.logs.every((l) => !l.includes(smsCode) && !l.includes(emailCode) && !l.includes(PASSWORD) && !l.includes(reg.register_token)));
  });

  test('email only: one code signs in; a code for another address or without the token does not', async () => {
    s = await start({}, { login: { otp: true } });
    const reg = await (await post(s, REGISTER, { first_name: 'Eve', email: 'eve@example.com', password: PASSWORD })).json();
    const code = await lastCode(s, 'eve@example.com');
    const otherAddress = await post(s, EMAIL_VERIFY, { email: 'someone@example.com', otp: code, register_token: reg.register_token });
    assert.equal((await otherAddress.json()).code, 'OTP_EXPIRED');
    // The code is bound to the registration: as a sign-in code it is unknown.
    const asLogin = await post(s, EMAIL_VERIFY, { email: 'eve@example.com', otp: code, request_id: reg.request_id });
    assert.equal((await asLogin.json()).code, 'OTP_EXPIRED');
    const jar = new Jar();
    const done = await post(s, EMAIL_VERIFY, { email: 'eve@example.com', otp: code, action: 'register', register_token: reg.register_token }, jar);
    assert.equal(done.status, 200);
    assert.equal((await done.json()).user_exists, true);
    assert.equal((await s.fetch(SESSION, { jar })).status, 200);
  });

  test('resend through the shared send endpoints, while OTP sign-in is off', async () => {
    s = await start({}, fieldsConfig('hard', 'soft'));
    const reg = await (await post(s, REGISTER, { first_name: 'Res', email: 'res@example.com', password: PASSWORD, phone: { country_code: '91', mobile: '9876543210' } })).json();
    const firstSms = await lastCode(s, '+919876543210');
    const firstMail = await lastCode(s, 'res@example.com');

    const early = await post(s, MOBILE_SEND, { mobile: '9876543210', country_code: '91', action: 'resend', token: reg.resend_token });
    assert.equal(early.status, 429);
    assert.equal((await early.json()).code, 'OTP_RESEND_TOO_SOON');
    s.clock.advance(30_000);
    const sms = await post(s, MOBILE_SEND, { mobile: '9876543210', country_code: '91', action: 'resend', token: reg.resend_token });
    assert.equal(sms.status, 200);
    assert.equal((await sms.json()).request_id, reg.request_id, 'same request');
    const mail = await post(s, EMAIL_SEND, { email: 'res@example.com', action: 'resend', token: reg.resend_email_token, register_token: reg.register_token });
    assert.equal(mail.status, 200);
    const newSms = await lastCode(s, '+919876543210');
    const newMail = await lastCode(s, 'res@example.com');

    if (newSms !== firstSms) {
      const old = await post(s, MOBILE_VERIFY, { otp: firstSms, request_id: reg.request_id, register_token: reg.register_token });
      assert.equal((await old.json()).code, 'OTP_INVALID', 'the old code is dead');
    }
    assert.equal((await post(s, MOBILE_VERIFY, { otp: newSms, request_id: reg.request_id, register_token: reg.register_token })).status, 200);
    if (newMail !== firstMail) {
      const old = await post(s, EMAIL_VERIFY, { email: 'res@example.com', otp: firstMail, register_token: reg.register_token });
      assert.equal((await old.json()).code, 'OTP_INVALID');
    }
    const done = await post(s, EMAIL_VERIFY, { email: 'res@example.com', otp: newMail, action: 'register', register_token: reg.register_token });
    assert.equal(done.status, 200);
    assert.equal((await done.json()).user_exists, true);
  });

  test('a pending registration expires after 30 minutes, is removed, and reserved nothing meanwhile', async () => {
    s = await start();
    const squatter = await (await post(s, REGISTER, { first_name: 'Not', email: 'owner@example.com', password: PASSWORD })).json();
    const squatterCode = await lastCode(s, 'owner@example.com');

    // The real owner can register the same address while the other sign-up waits.
    const owner = await (await post(s, REGISTER, { first_name: 'Owner', email: 'owner@example.com', password: PASSWORD })).json();
    const ownerCode = await lastCode(s, 'owner@example.com');
    assert.equal((await post(s, EMAIL_VERIFY, { email: 'owner@example.com', otp: ownerCode, register_token: owner.register_token })).status, 200);
    const late = await post(s, EMAIL_VERIFY, { email: 'owner@example.com', otp: squatterCode, register_token: squatter.register_token });
    assert.equal(late.status, 400, 'the address now belongs to an account, so the other sign-up fails like a wrong code');
    assert.equal((await late.json()).code, 'OTP_INVALID');

    const slow = await (await post(s, REGISTER, { first_name: 'Slow', email: 'slow@example.com', password: PASSWORD })).json();
    // Resends keep the codes fresh, but not the registration.
    for (let i = 0; i < 3; i++) {
      s.clock.advance(9 * 60 * 1000);
      const resent = await post(s, EMAIL_SEND, { email: 'slow@example.com', action: 'resend', token: slow.resend_email_token, register_token: slow.register_token });
      assert.equal(resent.status, 200);
      slow.resend_email_token = (await resent.json()).resend_email_token;
    }
    s.clock.advance(3 * 60 * 1000 + 1);
    const expired = await post(s, EMAIL_VERIFY, { email: 'slow@example.com', otp: await lastCode(s, 'slow@example.com'), register_token: slow.register_token });
    assert.equal(expired.status, 400);
    assert.equal((await expired.json()).code, 'REGISTER_TOKEN_INVALID');
    await post(s, REGISTER, { first_name: 'Next', email: 'next@example.com', password: PASSWORD });
    assert.equal(await count(s, 'SELECT COUNT(*) AS n FROM pending_registrations WHERE expires_at <= ?', s.clock.now()), 0, 'expired rows are deleted');
  });

  test('registrations are limited per IP and per address with 429 and Retry-After', async () => {
    s = await start({ rateLimits: { registerPerIp: 3, registerPerDestination: 2 } });
    for (let i = 0; i < 2; i++) assert.equal((await post(s, REGISTER, { first_name: 'R', email: 'same@example.com', password: PASSWORD })).status, 200);
    const perAddress = await post(s, REGISTER, { first_name: 'R', email: 'same@example.com', password: PASSWORD });
    assert.equal(perAddress.status, 429);
    assert.ok(Number(perAddress.headers.get('retry-after')) > 0);
    assert.equal((await post(s, REGISTER, { first_name: 'R', email: 'other@example.com', password: PASSWORD })).status, 200);
    const perIp = await post(s, REGISTER, { first_name: 'R', email: 'third@example.com', password: PASSWORD });
    assert.equal(perIp.status, 429);
    assert.equal((await perIp.json()).code, 'TOO_MANY_REQUESTS');
  });

  test('with skip_captcha false the form needs a captcha, after the fields are checked', async () => {
    s = await start({}, { skip_captcha: false });
    const res = await post(s, REGISTER, { first_name: 'C', email: 'c@example.com', password: PASSWORD });
    assert.equal((await res.json()).code, 'CAPTCHA_REQUIRED');
    assert.equal((await messagesTo(s, 'c@example.com')).length, 0);
  });

  test('refused with REGISTRATION_DISABLED while register is not true', async () => {
    s = await start({}, { register: false });
    const res = await post(s, REGISTER, { first_name: 'D', email: 'd@example.com', password: PASSWORD });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).code, 'REGISTRATION_DISABLED');
  });
});

describe('registration form: both codes at once', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('the email and phone codes sent together make the account once, signed in by one of the two answers', async () => {
    // Each verify marks its own contact and then decides from what it read: two at once on
    // PostgreSQL each saw the other still open, so neither made the account and both codes were spent.
    s = await start({}, fieldsConfig('hard', 'soft'));
    for (const [i, email] of ['pair0@example.com', 'pair1@example.com', 'pair2@example.com'].entries()) {
      const mobile = `98765432${String(i).padStart(2, '0')}`;
      const reg = await (await post(s, REGISTER, { first_name: 'Pat', email, password: PASSWORD, phone: { country_code: '91', mobile } })).json();
      const smsCode = await lastCode(s, `+91${mobile}`);
      const emailCode = await lastCode(s, email);
      const [bySms, byEmail]: Response[] = await Promise.all([
        post(s, MOBILE_VERIFY, { otp: smsCode, request_id: reg.request_id, register_token: reg.register_token }),
        post(s, EMAIL_VERIFY, { email, otp: emailCode, action: 'register', register_token: reg.register_token }),
      ]);
      const answers = [await bySms.json(), await byEmail.json()];
      assert.deepEqual([bySms.status, byEmail.status], [200, 200], JSON.stringify(answers));
      assert.equal(answers.filter((a) => a.user_exists === true).length, 1, JSON.stringify(answers));
      assert.equal(await count(s, 'SELECT COUNT(*) AS n FROM users WHERE username = ?', email), 1, 'the account exists');
      assert.equal((await s.login(email, PASSWORD)).status, 200);
    }
    assert.equal(await count(s, 'SELECT COUNT(*) AS n FROM pending_registrations'), 0);
  });
});

describe('registration form: an email or phone that already has an account', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('same answer as a fresh address, no code there, the owner told, and the verify fails like a wrong code', async () => {
    s = await start({}, fieldsConfig('hard', 'soft'));
    const fresh = await post(s, REGISTER, { first_name: 'New', email: 'fresh@example.com', password: PASSWORD });
    const taken = await post(s, REGISTER, { first_name: 'Mallory', email: DEMO.email.toUpperCase(), password: PASSWORD });
    assert.equal(taken.status, fresh.status);
    const a = await fresh.json();
    const b = await taken.json();
    assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort());
    for (const key of Object.keys(a)) assert.equal(typeof b[key], typeof a[key], key);
    assert.deepEqual(
      [b.success, b.message, b.user_exists, b.verify_email_otp, b.verify_mobile_otp, b.resend_timer],
      [a.success, a.message, a.user_exists, a.verify_email_otp, a.verify_mobile_otp, a.resend_timer],
    );

    const toOwner = await messagesTo(s, DEMO.email);
    assert.equal(toOwner.length, 1);
    assert.equal(toOwner[0]!.code, undefined, 'no code went to the owner');
    assert.equal(toOwner[0]!.to, DEMO.email, 'sent to the address the account stored');
    assert.match(toOwner[0]!.text, /Someone tried to create an account with this address\. If it was you, sign in or reset your password\./);

    // Every code fails like a wrong one, and the account is untouched.
    for (const otp of ['000000', '123456', '999999']) {
      const res = await post(s, EMAIL_VERIFY, { email: DEMO.email, otp, action: 'register', register_token: b.register_token });
      assert.equal((await res.json()).code, 'OTP_INVALID');
    }
    assert.equal(await count(s, 'SELECT COUNT(*) AS n FROM users'), 1);
    assert.equal((await s.login(DEMO.email, DEMO.password)).status, 200);
    assert.equal((await s.login(DEMO.email, PASSWORD)).status, 400, 'the registration’s password did not reach the account');

    // A resend sends nothing there either.
    s.clock.advance(30_000);
    assert.equal((await post(s, EMAIL_SEND, { email: DEMO.email, action: 'resend', token: b.resend_email_token })).status, 200);
    assert.equal((await messagesTo(s, DEMO.email)).length, 1);
  });

  test('a taken phone: no SMS code, an SMS notice; the fresh email still verifies but the account never comes', async () => {
    s = await start({}, fieldsConfig('hard', 'soft'));
    await s.createShopper({ phone_number: '9876543210', first_name: 'Holder' }, '?verified=true');
    const reg = await (await post(s, REGISTER, { first_name: 'M', email: 'm@example.com', password: PASSWORD, phone: { country_code: '91', mobile: '9876543210' } })).json();
    const [sms] = await messagesTo(s, '+919876543210');
    assert.equal(sms!.code, undefined);
    assert.match(sms!.text, /Someone tried to create an account with this phone number/);
    const half = await post(s, EMAIL_VERIFY, { email: 'm@example.com', otp: await lastCode(s, 'm@example.com'), register_token: reg.register_token });
    assert.deepEqual(await half.json(), { user_exists: false, register_token: reg.register_token, verify_email_otp: false, verify_mobile_otp: true });
    const res = await post(s, MOBILE_VERIFY, { otp: '123456', request_id: reg.request_id, register_token: reg.register_token });
    assert.equal((await res.json()).code, 'OTP_INVALID');
    assert.equal(await count(s, "SELECT COUNT(*) AS n FROM user_emails WHERE email_key = 'm@example.com'"), 0);
  });
});

describe('registration form: timing', () => {
  let s: TestServer;
  before(async () => {
    s = await start({ passwordParams: { N: 2 ** 14, r: 8, p: 1 }, rateLimits: { registerPerIp: 1000, registerPerDestination: 1000, otpSendPerIp: 1000, otpSendPerDestination: 1000 } });
  });
  after(() => s.close());

  test('a taken email and a fresh one take similar time', async () => {
    const time = async (email: string): Promise<number> => {
      const started = performance.now();
      const res = await post(s, REGISTER, { first_name: 'T', email, password: PASSWORD });
      await res.arrayBuffer();
      return performance.now() - started;
    };
    await time('warmup@example.com');
    const fresh: number[] = [];
    const taken: number[] = [];
    for (let i = 0; i < 7; i++) {
      fresh.push(await time(`fresh${i}@example.com`));
      taken.push(await time(DEMO.email));
    }
    const a = median(fresh);
    const b = median(taken);
    assert.ok(a < b * 3 && b < a * 3, `medians ${a.toFixed(1)} ms (fresh) vs ${b.toFixed(1)} ms (taken)`);
  });
});
