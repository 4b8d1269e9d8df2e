// The smaller rules of issue 12, item 7, each attacked: codes go to the stored address; wrong codes
// count per address across resends; rolling sessions end at an absolute limit; long usernames are
// refused before they become limiter keys; the common-password list and the breached-password hook;
// the reset-link path does the same work for unknown addresses; log lines escape request keys and
// deep bodies are a 400; names refuse invisible characters; phone numbers lose trunk zeros and
// unknown country codes are refused.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { APP, count, DEMO, Jar, jsonRequest, lastCode, messagesTo, otherCode, postJson, SESSION, signedIn, startServer, type TestServer } from './helpers';

const post = (s: TestServer, path: string, body: unknown, jar?: Jar) => postJson(s, APP + path, body, { jar });
const KELVIN = '\u212A';

describe('the smaller rules', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('a code for an account goes to its stored address, never to a look-alike typed one (Kelvin sign)', async () => {
    s = await startServer();
    await s.setConfig({ forgot_password: true, login: { otp: true } });
    await s.createShopper({ email: 'kate@example.com' });
    const typed = `${KELVIN}ate@example.com`;
    assert.equal((await post(s, '/authentication/v1.0/otp/forgot/email/send', { email: typed })).status, 200);
    assert.equal((await post(s, '/authentication/v1.0/otp/email/send', { email: typed })).status, 200);
    // The outbox's ?to= folds case like the account lookup does, so the recipients are read as stored.
    const recipients = await s.service.sql.all("SELECT recipient FROM outbox WHERE channel = 'email'") as { recipient: string }[];
    assert.deepEqual(recipients.map((r) => r.recipient), ['kate@example.com', 'kate@example.com'], 'nothing reaches the look-alike address');
  });

  test('a resend does not reset the wrong-code count, and new sends share one budget per address', async () => {
    s = await startServer();
    await s.setConfig({ login: { otp: true } });
    const SEND = '/authentication/v1.0/otp/mobile/send';
    const VERIFY = '/authentication/v1.0/otp/mobile/verify';
    const first = await (await post(s, SEND, { mobile: '9000044444', country_code: '91' })).json();
    for (let i = 0; i < 4; i++) assert.equal((await post(s, VERIFY, { otp: otherCode(await lastCode(s, '+919000044444')), request_id: first.request_id })).status, 400);
    s.clock.advance(31_000);
    const resent = await post(s, SEND, { mobile: '9000044444', country_code: '91', action: 'resend', token: first.resend_token });
    assert.equal(resent.status, 200);
    const code = await lastCode(s, '+919000044444');
    await post(s, VERIFY, { otp: otherCode(code), request_id: first.request_id });
    const right = await post(s, VERIFY, { otp: code, request_id: first.request_id });
    assert.equal(right.status, 400, 'five wrong codes in all, resend or not');
    assert.equal((await right.json()).code, 'OTP_ATTEMPTS_EXCEEDED');

    // A fresh request: 5 more wrong codes reach the per-address budget of 10, and then even the right one fails.
    const second = await (await post(s, SEND, { mobile: '9000044444', country_code: '91' })).json();
    for (let i = 0; i < 5; i++) await post(s, VERIFY, { otp: otherCode(await lastCode(s, '+919000044444')), request_id: second.request_id });
    const third = await (await post(s, SEND, { mobile: '9000044444', country_code: '91' })).json();
    const blocked = await post(s, VERIFY, { otp: await lastCode(s, '+919000044444'), request_id: third.request_id });
    assert.equal(blocked.status, 400);
    assert.equal((await blocked.json()).code, 'OTP_ATTEMPTS_EXCEEDED');
  });

  test('a rolling session kept busy still ends 30 days after the sign-in', async () => {
    s = await startServer();
    await s.setConfig({ session_config: { duration: 1, type: 'days', is_rolling: true } });
    const jar = await signedIn(s);
    for (let hours = 12; hours < 30 * 24; hours += 12) {
      s.clock.advance(12 * 3_600_000);
      assert.equal((await s.fetch(SESSION, { jar })).status, 200, `alive after ${hours} h`);
    }
    s.clock.advance(12 * 3_600_000);
    assert.equal((await s.fetch(SESSION, { jar })).status, 401);
  });

  test('a 60 kB username is refused before it becomes a limiter key', async () => {
    s = await startServer();
    const res = await s.login(`${'a'.repeat(60_000)}@example.com`, 'whatever-password');
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.code, 'VALIDATION_ERROR');
    assert.match(body.meta.fields.username, /at most 320/);
  });

  test('passwords from the top of the breach rankings are refused, and the breached-password hook is asked', async () => {
    const asked: string[] = [];
    s = await startServer({ passwordScreen: async (p) => (asked.push(p), p === 'once-leaked-passphrase') });
    const jar = await signedIn(s);
    const change = (new_password: string) => s!.fetch(`${APP}/authentication/v1.0/password`, { ...jsonRequest('POST', { old_password: DEMO.password, new_password }), jar });
    for (const common of ['qazwsxedcrfv', 'terminator', '123456qwerty']) {
      const res = await change(common);
      assert.equal(res.status, 400, common);
      assert.equal((await res.json()).code, 'PASSWORD_COMMON');
    }
    const breached = await change('once-leaked-passphrase');
    assert.equal(breached.status, 400);
    assert.equal((await breached.json()).code, 'PASSWORD_BREACHED');
    assert.deepEqual(asked, ['once-leaked-passphrase'], 'the hook sees only passwords the list let through');
    assert.equal((await s.login(DEMO.email, DEMO.password)).status, 200, 'the password did not change');
  });

  test('a reset link for an unknown address costs the same work: a token is stored either way, a mail only for the account', async () => {
    s = await startServer();
    await s.setConfig({ forgot_password: true });
    const tokens = () => count(s!, 'SELECT COUNT(*) AS n FROM one_time_tokens');
    await post(s, '/authentication/v1.0/login/password/reset', { email: DEMO.email });
    assert.equal(await tokens(), 1);
    await post(s, '/authentication/v1.0/login/password/reset', { email: 'nobody@example.com' });
    assert.equal(await tokens(), 2);
    assert.equal((await messagesTo(s, 'nobody@example.com')).length, 0);
  });

  test('request keys are escaped in log lines, and a body nested 4,000 deep is a 400', async () => {
    s = await startServer();
    const sneaky = 'x\nauth login success user=admin';
    // The platform config refuses unknown keys (400, nothing logged); an attribute definition update
    // ignores them but still logs the body's keys.
    const [definition] = (await (await s.admin('/user_attribute/definition')).json()).items as { _id: string }[];
    const res = await s.admin(`/user_attribute/definition/${definition!._id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ [sneaky]: 1 }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const line = s.logs.find((l) => l.startsWith('admin attribute definition updated'))!;
    assert.ok(!line.includes('\n'), line);
    assert.ok(line.includes(JSON.stringify(sneaky)));
    assert.ok(!s.logs.some((l) => l.split('\n').some((part) => part.startsWith('auth login success user=admin'))));

    const deep = `{"a":${'['.repeat(4000)}${']'.repeat(4000)}}`;
    const nested = await s.admin('/platform/config', { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep });
    assert.equal(nested.status, 400);
    assert.equal((await nested.json()).code, 'INVALID_JSON');
  });

  test('names refuse bidi overrides and zero-width characters', async () => {
    s = await startServer();
    const jar = await signedIn(s);
    for (const name of ['Ann\u202Egpj.exe', 'Zero\u200Bwidth', 'Iso\u2067late']) {
      const res = await post(s, '/profile/v1.0/detail', { first_name: name }, jar);
      assert.equal(res.status, 400, JSON.stringify(name));
      assert.match((await res.json()).meta.fields.first_name, /invisible/);
    }
    const admin = await s.createShopper({ email: 'rtl@example.com', first_name: 'Eve\u202E' });
    assert.equal(admin.status, 400);
    assert.equal((await post(s, '/profile/v1.0/detail', { first_name: 'Zoë Ångström-O’Neil' }, jar)).status, 200, 'real names still pass');
  });

  test('phone numbers lose their trunk zero, and unknown country codes are refused', async () => {
    s = await startServer();
    await s.setConfig({ login: { otp: true } });
    const created = await (await s.createShopper({ phone_number: '09876501234', country_code: '91' })).json();
    assert.equal(created.user.phone_numbers[0].phone, '9876501234');
    await post(s, '/authentication/v1.0/login/otp', { mobile: '098765 01234', country_code: '+91' });
    assert.equal((await messagesTo(s, '+919876501234')).length, 1, 'the same number with or without its trunk zero');
    const unknown = await post(s, '/authentication/v1.0/login/otp', { mobile: '9876501234', country_code: '999' });
    assert.equal(unknown.status, 400);
    assert.ok((await unknown.json()).meta.fields.country_code);
    assert.equal((await s.createShopper({ phone_number: '+999 9876501234' })).status, 400);
    assert.equal((await s.login('+999 9876501234', 'whatever-password')).status, 400);
  });
});
