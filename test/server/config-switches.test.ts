// The platform config's switches as the server enforces them: each sign-in path, forgot password
// and registration is refused with 400 and its own code while switched off, and works once on.
// OTP sign-in being off must not stop a signed-in shopper from getting a code (account deletion).
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { APP, DEMO, Jar, postJson, SESSION, startServer, type TestServer } from './helpers';

function post(s: TestServer, path: string, body: unknown, jar?: Jar): Promise<Response> {
  return postJson(s, APP + path, body, { jar });
}

async function codeOf(res: Response): Promise<string> {
  return (await res.json()).code;
}

const OTP_PATHS: [string, Record<string, unknown>][] = [
  ['/authentication/v1.0/login/otp', { mobile: '9876543210', country_code: '91' }],
  ['/authentication/v1.0/otp/mobile/send', { mobile: '9876543210', country_code: '91', action: 'send' }],
  ['/authentication/v1.0/otp/email/send', { email: DEMO.email, action: 'send' }],
  ['/authentication/v1.0/otp/mobile/verify', { otp: '123456', request_id: '0'.repeat(32) }],
  ['/authentication/v1.0/otp/email/verify', { email: DEMO.email, otp: '123456' }],
];

const FORGOT_PATHS: [string, Record<string, unknown>][] = [
  ['/authentication/v1.0/login/password/reset', { email: DEMO.email }],
  ['/authentication/v1.0/login/password/reset/token', { code: 'x'.repeat(43) }],
  ['/authentication/v1.0/login/password/reset/forgot', { code: 'x'.repeat(43), password: 'a new passphrase' }],
  ['/authentication/v1.0/login/password/forgot', { code: 'x'.repeat(43), password: 'a new passphrase' }],
  ['/authentication/v1.0/otp/forgot/mobile/send', { mobile: '9876543210', country_code: '91' }],
  ['/authentication/v1.0/otp/forgot/email/send', { email: DEMO.email }],
  ['/authentication/v1.0/otp/forgot/mobile/verify', { otp: '123456', request_id: '0'.repeat(32) }],
  ['/authentication/v1.0/otp/forgot/email/verify', { email: DEMO.email, otp: '123456' }],
];

const REGISTER = '/authentication/v1.0/register/form';
const REGISTRATION = { first_name: 'New', email: 'new@example.com', password: 'a long enough passphrase' };

describe('config switches', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('the defaults: password login on; OTP sign-in, forgot password and registration off', async () => {
    s = await startServer({ printMessage: () => {} });
    assert.equal((await s.login(DEMO.email, DEMO.password)).status, 200);
    for (const [path, body] of OTP_PATHS) {
      const res = await post(s, path, body);
      assert.equal(res.status, 400, path);
      assert.equal(await codeOf(res), 'LOGIN_METHOD_DISABLED', path);
    }
    for (const [path, body] of FORGOT_PATHS) {
      const res = await post(s, path, body);
      assert.equal(res.status, 400, path);
      assert.equal(await codeOf(res), 'FORGOT_PASSWORD_DISABLED', path);
    }
    const reg = await post(s, REGISTER, REGISTRATION);
    assert.equal(reg.status, 400);
    assert.equal(await codeOf(reg), 'REGISTRATION_DISABLED');
    assert.equal((await s.fetch('/__dev/outbox')).status, 200);
    assert.equal((await (await s.fetch('/__dev/outbox')).json()).items.length, 0, 'nothing was sent');
  });

  test('password login off: refused before the password or the captcha is looked at; on again: works', async () => {
    s = await startServer({ printMessage: () => {} });
    await s.setConfig({ login: { password: false }, skip_captcha: false });
    for (const password of [DEMO.password, 'wrong-password']) {
      const res = await s.login(DEMO.email, password);
      assert.equal(res.status, 400);
      assert.equal(await codeOf(res), 'LOGIN_METHOD_DISABLED');
    }
    await s.setConfig({ login: { password: true }, skip_captcha: true });
    assert.equal((await s.login(DEMO.email, DEMO.password)).status, 200);
  });

  test('OTP sign-in off still lets a signed-in shopper get a code; on: everyone can', async () => {
    s = await startServer({ printMessage: () => {} });
    const jar = new Jar();
    assert.equal((await s.login(DEMO.email, DEMO.password, jar)).status, 200);
    const signedIn = await post(s, '/authentication/v1.0/otp/email/send', { email: DEMO.email, action: 'send' }, jar);
    assert.equal(signedIn.status, 200);
    assert.equal((await s.fetch(SESSION, { jar })).status, 200);

    await s.setConfig({ login: { otp: true } });
    for (const [path, body] of OTP_PATHS.slice(0, 3)) assert.equal((await post(s, path, body)).status, 200, path);
    const sent = await (await post(s, '/authentication/v1.0/login/otp', { mobile: '9123456780', country_code: '91' })).json();
    const [sms] = (await (await s.fetch('/__dev/outbox?to=%2B919123456780')).json()).items;
    const verified = await post(s, '/authentication/v1.0/otp/mobile/verify', { otp: sms.code, request_id: sent.request_id });
    assert.equal(verified.status, 200);
    assert.equal((await verified.json()).user_exists, false);
  });

  test('forgot password on: the reset paths work again', async () => {
    s = await startServer({ printMessage: () => {} });
    await s.setConfig({ forgot_password: true });
    assert.equal((await post(s, FORGOT_PATHS[0]![0], FORGOT_PATHS[0]![1])).status, 200);
    assert.equal((await post(s, '/authentication/v1.0/otp/forgot/email/send', { email: DEMO.email })).status, 200);
    const token = await post(s, '/authentication/v1.0/login/password/reset/token', { code: 'x'.repeat(43) });
    assert.equal(await codeOf(token), 'RESET_CODE_INVALID', 'past the switch, the code itself is checked');
  });

  test('the forgot-password switch covers those paths only, not their neighbours', async () => {
    s = await startServer({ printMessage: () => {} });
    const jar = new Jar();
    // login/password is a prefix of the reset paths, and the session route shares their base.
    assert.equal((await s.login(DEMO.email, DEMO.password, jar)).status, 200);
    assert.equal((await s.fetch(SESSION, { jar })).status, 200);
  });

  test('registration on: the form is taken; switched off mid-way, its codes are refused too', async () => {
    s = await startServer({ printMessage: () => {} });
    await s.setConfig({ register: true });
    const res = await post(s, `${REGISTER}?platform=000000000000000000000001`, REGISTRATION);
    assert.equal(res.status, 200);
    const body = await res.json();
    const [mail] = (await (await s.fetch(`/__dev/outbox?to=${REGISTRATION.email}`)).json()).items;
    await s.setConfig({ register: false });
    const verify = await post(s, '/authentication/v1.0/otp/email/verify', {
      email: REGISTRATION.email,
      otp: mail.code,
      action: 'register',
      register_token: body.register_token,
    });
    assert.equal(verify.status, 400);
    assert.equal(await codeOf(verify), 'REGISTRATION_DISABLED');
  });
});
