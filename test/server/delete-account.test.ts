// The shopper's own account deletion (POST .../authentication/v1.0/delete): re-authentication by a
// code sent to a verified contact (SMS or email), or by password only for a shopper without one;
// reason and consent checks; every session dead at once; sign-in then answers is_deleted; an admin
// restore brings the account back. Also the refusals: no session, someone else's id, a code sent to
// an unverified or foreign contact, too many attempts.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { APP, Jar, lastCode, otherCode, postJson, SESSION, sessionFor, signedIn, startServer, type TestServer } from './helpers';

const DELETE = '/authentication/v1.0/delete';
const MOBILE_SEND = '/authentication/v1.0/otp/mobile/send';
const EMAIL_SEND = '/authentication/v1.0/otp/email/send';
const DAY = 86_400_000;
const PASSWORD = 'leaving-for-good';

function post(s: TestServer, path: string, body: unknown, jar?: Jar): Promise<Response> {
  return postJson(s, APP + path, body, { jar });
}

/** A shopper made through the admin API; `verified` marks their email and phone verified. */
async function shopper(s: TestServer, fields: Record<string, unknown>, verified: boolean): Promise<string> {
  const res = await s.createShopper({ password: PASSWORD, first_name: 'Leaving', ...fields }, verified ? '?verified=true' : '');
  assert.equal(res.status, 200);
  return (await res.json()).user._id;
}

async function start(overrides: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  return startServer({ printMessage: () => {}, ...overrides });
}

async function error(res: Response): Promise<{ code: string; meta: Record<string, unknown> }> {
  assert.equal(res.status, 400);
  return res.json();
}

describe('account deletion by the shopper', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('with an SMS code: soft-deleted with the reason, every session dead, sign-in says is_deleted, admin restore works', async () => {
    s = await start();
    const id = await shopper(s, { email: 'leaving@example.com', phone_number: '9876543210' }, true);
    const jar = await signedIn(s, 'leaving@example.com', PASSWORD);
    const laptop = await signedIn(s, 'leaving@example.com', PASSWORD);
    const before = jar.clone();

    const sent = await (await post(s, MOBILE_SEND, { mobile: '9876543210', country_code: '91', action: 'send' }, jar)).json();
    const otp = await lastCode(s, '+919876543210');
    const res = await post(s, DELETE, { user_id: id, reason: 'Moving to another shop', reason_id: 'other', request_id: sent.request_id, otp }, jar);
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(body, { success: true, delete_on: new Date(s.clock.now() + 7 * DAY).toISOString() });
    assert.ok(res.headers.getSetCookie().some((c) => /Max-Age=0/.test(c)), 'the caller’s cookie is cleared');

    for (const j of [before, laptop]) assert.equal((await s.fetch(SESSION, { jar: j })).status, 401, 'old cookies are dead at once');
    assert.equal(Number((await s.service.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?', id))!.n), 0);
    const row = await s.service.sql.get('SELECT delete_reason, delete_reason_id, delete_reason_text FROM users WHERE id = ?', id);
    assert.deepEqual(row, { delete_reason: 'Other', delete_reason_id: 'other', delete_reason_text: 'Moving to another shop' });

    const login = await s.login('leaving@example.com', PASSWORD);
    const refused = await error(login);
    assert.equal(refused.code, 'ACCOUNT_DELETED');
    assert.equal(refused.meta['is_deleted'], true);
    assert.equal(refused.meta['delete_on'], body.delete_on);

    const restore = await s.admin('/customers/undelete', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: id, reason: 'asked support' }),
    });
    assert.equal(restore.status, 200);
    assert.equal((await s.login('leaving@example.com', PASSWORD)).status, 200);
    assert.ok(s.logs.every((l) => !l.includes(otp) && !l.includes(PASSWORD)), 'no log line holds the code or the password');
  });

  test('with an email code (verify by request_id), sent while OTP sign-in is off', async () => {
    s = await start();
    const id = await shopper(s, { email: 'Mail.Only@example.com' }, true);
    const jar = await signedIn(s, 'mail.only@example.com', PASSWORD);
    const sent = await (await post(s, EMAIL_SEND, { email: 'mail.only@example.com', action: 'send' }, jar)).json();
    const otp = await lastCode(s, 'mail.only@example.com');
    const res = await post(s, DELETE, { user_id: id, reason: '', reason_id: 'privacy', request_id: sent.request_id, otp }, jar);
    assert.equal(res.status, 200);
    assert.equal((await s.fetch(SESSION, { jar })).status, 401);
  });

  test('a code sent to an unverified contact, to someone else’s contact or to a stranger’s number fails like a wrong code', async () => {
    s = await start();
    const id = await shopper(s, { email: 'half@example.com', phone_number: '9876543210' }, true);
    await s.service.sql.run('UPDATE user_phones SET verified = 0 WHERE user_id = ?', id);
    await shopper(s, { email: 'neighbour@example.com' }, true);
    const jar = await signedIn(s, 'half@example.com', PASSWORD);
    await s.setConfig({ login: { otp: true } });

    const attempts: [string, Record<string, unknown>, string][] = [
      [MOBILE_SEND, { mobile: '9876543210', country_code: '91', action: 'send' }, '+919876543210'],
      [EMAIL_SEND, { email: 'neighbour@example.com', action: 'send' }, 'neighbour@example.com'],
      [MOBILE_SEND, { mobile: '9000000001', country_code: '91', action: 'send' }, '+919000000001'],
    ];
    for (const [path, body, to] of attempts) {
      const sent = await (await post(s, path, body, jar)).json();
      const otp = await lastCode(s, to);
      const err = await error(await post(s, DELETE, { user_id: id, reason_id: 'other', request_id: sent.request_id, otp }, jar));
      assert.equal(err.code, 'OTP_INVALID', to);
      assert.equal(err.meta['attempts_left'], 4);
    }
    assert.equal((await s.fetch(SESSION, { jar })).status, 200, 'still signed in, still there');
  });

  test('the code errors of OTP verify: wrong (attempts_left), too many, expired', async () => {
    s = await start();
    const id = await shopper(s, { phone_number: '9876543210' }, true);
    const jar = await signedIn(s, '919876543210', PASSWORD);
    const send = async () => (await (await post(s!, MOBILE_SEND, { mobile: '9876543210', country_code: '91', action: 'send' }, jar)).json()).request_id as string;

    let requestId = await send();
    let otp = await lastCode(s, '+919876543210');
    for (let left = 4; left >= 1; left--) {
      const err = await error(await post(s, DELETE, { user_id: id, reason_id: 'other', request_id: requestId, otp: otherCode(otp) }, jar));
      assert.deepEqual([err.code, err.meta['attempts_left']], ['OTP_INVALID', left]);
    }
    const fifth = await error(await post(s, DELETE, { user_id: id, reason_id: 'other', request_id: requestId, otp: otherCode(otp) }, jar));
    assert.equal(fifth.code, 'OTP_ATTEMPTS_EXCEEDED');
    assert.equal((await error(await post(s, DELETE, { user_id: id, reason_id: 'other', request_id: requestId, otp }, jar))).code, 'OTP_ATTEMPTS_EXCEEDED');

    requestId = await send();
    otp = await lastCode(s, '+919876543210');
    s.clock.advance(10 * 60 * 1000);
    const expired = await error(await post(s, DELETE, { user_id: id, reason_id: 'other', request_id: requestId, otp }, jar));
    assert.equal(expired.code, 'OTP_EXPIRED');
  });

  test('by password only without a verified contact: wrong password refused, right one deletes', async () => {
    s = await start();
    const id = await shopper(s, { email: 'unverified@example.com' }, false);
    // Password login refuses unproven contacts, so the session is made in the store.
    const jar = await sessionFor(s, id);
    const wrong = await error(await post(s, DELETE, { user_id: id, reason_id: 'not_using', password: 'not-my-password' }, jar));
    assert.equal(wrong.code, 'INVALID_CREDENTIALS');
    const missing = await error(await post(s, DELETE, { user_id: id, reason_id: 'not_using' }, jar));
    assert.equal(missing.code, 'VALIDATION_ERROR');
    const res = await post(s, DELETE, { user_id: id, reason: 'bye', reason_id: 'not_using', password: PASSWORD }, jar);
    assert.equal(res.status, 200);
    assert.equal((await s.fetch(SESSION, { jar })).status, 401);
    const row = await s.service.sql.get('SELECT deleted_at FROM users WHERE id = ?', id) as { deleted_at: number | null };
    assert.notEqual(row.deleted_at, null);
  });

  test('a password is refused once the shopper has a verified contact: OTP_REQUIRED', async () => {
    s = await start();
    const id = await shopper(s, { email: 'verified@example.com' }, true);
    const jar = await signedIn(s, 'verified@example.com', PASSWORD);
    for (const body of [{ password: PASSWORD }, {}]) {
      const err = await error(await post(s, DELETE, { user_id: id, reason_id: 'other', ...body }, jar));
      assert.equal(err.code, 'OTP_REQUIRED');
    }
    assert.equal((await s.fetch(SESSION, { jar })).status, 200);
  });

  test('consent is required when the config has a consent text', async () => {
    s = await start();
    await s.setConfig({ delete_account_consent: { consent_text: 'I understand my orders and points will be lost.' } });
    const id = await shopper(s, { email: 'consent@example.com' }, false);
    // Password login refuses unproven contacts, so the session is made in the store.
    const jar = await sessionFor(s, id);
    for (const consent of [undefined, false, 'yes']) {
      const err = await error(await post(s, DELETE, { user_id: id, reason_id: 'other', password: PASSWORD, consent }, jar));
      assert.equal(err.code, 'CONSENT_REQUIRED');
    }
    assert.equal((await post(s, DELETE, { user_id: id, reason_id: 'other', password: PASSWORD, consent: true }, jar)).status, 200);
  });

  test('reason_id must be one of the configured reasons; with none configured it may be empty; reason is at most 500 characters', async () => {
    s = await start();
    const id = await shopper(s, { email: 'reasons@example.com' }, false);
    // Password login refuses unproven contacts, so the session is made in the store.
    const jar = await sessionFor(s, id);
    for (const body of [{ reason_id: 'made_up' }, {}, { reason_id: 'other', reason: 'x'.repeat(501) }]) {
      const err = await error(await post(s, DELETE, { user_id: id, password: PASSWORD, ...body }, jar));
      assert.equal(err.code, 'VALIDATION_ERROR');
      assert.ok(Object.keys(err.meta['fields'] as object).some((k) => k === 'reason_id' || k === 'reason'));
    }
    await s.setConfig({ delete_account_reasons: [] });
    const res = await post(s, DELETE, { user_id: id, password: PASSWORD, reason: 'x'.repeat(500), reason_id: '' }, jar);
    assert.equal(res.status, 200);
  });

  test('needs a session (401) and the shopper’s own user_id (403)', async () => {
    s = await start();
    const id = await shopper(s, { email: 'mine@example.com' }, false);
    const otherId = await shopper(s, { email: 'theirs@example.com' }, false);
    assert.equal((await post(s, DELETE, { user_id: id, reason_id: 'other', password: PASSWORD })).status, 401);
    // Password login refuses unproven contacts, so the session is made in the store.
    const jar = await sessionFor(s, id);
    const forbidden = await post(s, DELETE, { user_id: otherId, reason_id: 'other', password: PASSWORD }, jar);
    assert.equal(forbidden.status, 403);
    assert.equal((await forbidden.json()).code, 'FORBIDDEN');
    const row = await s.service.sql.get('SELECT deleted_at FROM users WHERE id = ?', otherId) as { deleted_at: number | null };
    assert.equal(row.deleted_at, null);
  });

  test('attempts are limited per user with 429 and Retry-After', async () => {
    s = await start({ rateLimits: { deletePerUser: 2 } });
    const id = await shopper(s, { email: 'limited@example.com' }, false);
    // Password login refuses unproven contacts, so the session is made in the store.
    const jar = await sessionFor(s, id);
    for (let i = 0; i < 2; i++) {
      assert.equal((await error(await post(s, DELETE, { user_id: id, reason_id: 'other', password: 'wrong-guess' }, jar))).code, 'INVALID_CREDENTIALS');
    }
    const limited = await post(s, DELETE, { user_id: id, reason_id: 'other', password: PASSWORD }, jar);
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    s.clock.advance(15 * 60 * 1000);
    assert.equal((await post(s, DELETE, { user_id: id, reason_id: 'other', password: PASSWORD }, jar)).status, 200);
  });
});
