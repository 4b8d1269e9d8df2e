// Adding an email or phone number to the signed-in shopper by code (profile v2.0 endpoints): a
// session is required, the contact is added verified (primary when it is the first of its kind), a
// contact another account holds gets the same answer but no code, and codes are bound to the user.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { APP, DEMO, Jar, messagesTo, postJson, signedIn, startServer, withoutRequestId, type TestServer } from './helpers';

const EMAIL_SEND = '/profile/v2.0/email/otp/send';
const EMAIL_VERIFY = '/profile/v2.0/email/otp/verify';
const MOBILE_SEND = '/profile/v2.0/mobile/otp/send';
const MOBILE_VERIFY = '/profile/v2.0/mobile/otp/verify';

function post(s: TestServer, path: string, body: unknown, jar?: Jar): Promise<Response> {
  return postJson(s, APP + path, body, { jar });
}

describe('adding contacts by code', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('every contact endpoint needs a session', async () => {
    s = await startServer({ printMessage: () => {} });
    for (const [path, body] of [
      [EMAIL_SEND, { email: 'a@example.com' }],
      [EMAIL_VERIFY, { email: 'a@example.com', otp: '123456', request_id: 'x' }],
      [MOBILE_SEND, { mobile: '9876543210', country_code: '91' }],
      [MOBILE_VERIFY, { mobile: '9876543210', country_code: '91', otp: '123456', request_id: 'x' }],
    ] as const) {
      const res = await post(s, path, body);
      assert.equal(res.status, 401, path);
      assert.equal((await res.json()).code, 'UNAUTHENTICATED');
    }
    assert.equal((await messagesTo(s, 'a@example.com')).length, 0);
  });

  test('an email added by code is verified, and not primary when the shopper already has one', async () => {
    s = await startServer({ printMessage: () => {} });
    const jar = await signedIn(s);
    const res = await post(s, EMAIL_SEND, { email: 'Second@Example.com' }, jar);
    assert.equal(res.status, 200);
    const sent = await res.json();
    assert.deepEqual(Object.keys(sent).sort(), ['request_id', 'resend_timer', 'resend_token', 'success']);
    assert.equal(sent.success, true);
    assert.equal(sent.resend_timer, 30);
    const [message] = await messagesTo(s, 'second@example.com');
    assert.match(message!.text, /add this email address/);

    const wrong = await post(s, EMAIL_VERIFY, { email: 'second@example.com', otp: message!.code === '000000' ? '000001' : '000000', request_id: sent.request_id }, jar);
    assert.equal((await wrong.json()).meta.attempts_left, 4);
    const ok = await post(s, EMAIL_VERIFY, { email: 'second@example.com', otp: message!.code, request_id: sent.request_id }, jar);
    assert.equal(ok.status, 200);
    const { user } = await ok.json();
    assert.deepEqual(user.emails, [
      { email: DEMO.email, active: true, primary: true, verified: true },
      { email: 'Second@Example.com', active: true, primary: false, verified: true },
    ]);
    const again = await post(s, EMAIL_VERIFY, { email: 'second@example.com', otp: message!.code, request_id: sent.request_id }, jar);
    assert.equal((await again.json()).code, 'OTP_EXPIRED', 'single use');
  });

  test('a first phone number added by code becomes the verified primary one; resend works', async () => {
    s = await startServer({ printMessage: () => {} });
    const jar = await signedIn(s);
    const first = await (await post(s, MOBILE_SEND, { mobile: '9876543210', country_code: '91' }, jar)).json();
    s.clock.advance(30_000);
    const resent = await post(s, MOBILE_SEND, { mobile: '9876543210', country_code: '91', action: 'resend', token: first.resend_token }, jar);
    assert.equal(resent.status, 200);
    const second = await resent.json();
    assert.equal(second.request_id, first.request_id);
    const [sms] = await messagesTo(s, '+919876543210');
    const ok = await post(s, MOBILE_VERIFY, { mobile: '9876543210', country_code: '91', otp: sms!.code, request_id: second.request_id }, jar);
    assert.equal(ok.status, 200);
    const { user } = await ok.json();
    assert.deepEqual(user.phone_numbers, [{ phone: '9876543210', country_code: 91, active: true, primary: true, verified: true }]);
  });

  test('first phone numbers verified at once: one of them is primary, not several', async () => {
    // Each add reads "no primary phone yet" and inserts; on PostgreSQL adds locked only on their own
    // numbers all read before any wrote, and the shopper ended with several primaries. Several
    // shoppers at once give the interleaving more than one chance.
    s = await startServer({ printMessage: () => {}, rateLimits: { otpSendPerIp: 1000, otpVerifyPerIp: 1000 } });
    const shoppers = ['p0@example.com', 'p1@example.com', 'p2@example.com', 'p3@example.com'];
    for (const email of shoppers) await s.createShopper({ email, password: 'another-long-password' }, '?verified=true');
    const results = await Promise.all(
      shoppers.map(async (email, n) => {
        const jar = await signedIn(s!, email, 'another-long-password');
        const numbers = [0, 1, 2, 3, 4].map((i) => `98765432${n}${i}`);
        const sent = await Promise.all(numbers.map(async (mobile) => (await post(s!, MOBILE_SEND, { mobile, country_code: '91' }, jar)).json()));
        const codes = await Promise.all(numbers.map(async (mobile) => (await messagesTo(s!, `+91${mobile}`))[0]!.code));
        const answers = await Promise.all(
          numbers.map((mobile, i) => post(s!, MOBILE_VERIFY, { mobile, country_code: '91', otp: codes[i], request_id: sent[i].request_id }, jar)),
        );
        assert.deepEqual(answers.map((r) => r.status), numbers.map(() => 200));
        const session = await (await s!.fetch('/service/application/user/authentication/v1.0/session', { jar })).json();
        const phones: { phone: string; primary: boolean; verified: boolean }[] = session.user.phone_numbers;
        assert.deepEqual(phones.map((p) => p.phone).sort(), numbers);
        assert.ok(phones.every((p) => p.verified));
        return phones.filter((p) => p.primary).length;
      }),
    );
    assert.deepEqual(results, shoppers.map(() => 1), 'primary phones per shopper');
  });

  test('a contact another account holds gets the same answer, no code, and a verify that fails like a wrong code', async () => {
    s = await startServer({ printMessage: () => {} });
    await s.createShopper({ email: 'taken@example.com', password: 'another-long-password' }, '?verified=true');
    const jar = await signedIn(s);
    const free = await post(s, EMAIL_SEND, { email: 'free@example.com' }, jar);
    const taken = await post(s, EMAIL_SEND, { email: 'taken@example.com' }, jar);
    assert.equal(taken.status, free.status);
    const a = await free.json();
    const b = await taken.json();
    assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort());
    assert.equal((await messagesTo(s, 'taken@example.com')).length, 0, 'nothing is sent to the other account');
    // Whatever code is tried, including every one a guesser might pick, it fails as wrong.
    const res = await post(s, EMAIL_VERIFY, { email: 'taken@example.com', otp: '123456', request_id: b.request_id }, jar);
    assert.equal(res.status, 400);
    const err = await res.json();
    assert.equal(err.code, 'OTP_INVALID');
    const [freeMessage] = await messagesTo(s, 'free@example.com');
    const wrongForFree = await post(s, EMAIL_VERIFY, { email: 'free@example.com', otp: freeMessage!.code === '123456' ? '654321' : '123456', request_id: a.request_id }, jar);
    assert.deepEqual(withoutRequestId(err), withoutRequestId(await wrongForFree.json()), 'same as a wrong code for a free address');
  });

  test('a code is bound to the shopper who asked for it', async () => {
    s = await startServer({ printMessage: () => {} });
    await s.createShopper({ email: 'other@example.com', password: 'another-long-password' }, '?verified=true');
    const mine = await signedIn(s);
    const theirs = await signedIn(s, 'other@example.com', 'another-long-password');
    const sent = await (await post(s, EMAIL_SEND, { email: 'new@example.com' }, mine)).json();
    const [message] = await messagesTo(s, 'new@example.com');
    const stolen = await post(s, EMAIL_VERIFY, { email: 'new@example.com', otp: message!.code, request_id: sent.request_id }, theirs);
    assert.equal(stolen.status, 400);
    assert.equal((await stolen.json()).code, 'OTP_EXPIRED');
    const wrongAddress = await post(s, EMAIL_VERIFY, { email: 'else@example.com', otp: message!.code, request_id: sent.request_id }, mine);
    assert.equal((await wrongAddress.json()).code, 'OTP_EXPIRED');
    assert.equal((await post(s, EMAIL_VERIFY, { email: 'new@example.com', otp: message!.code, request_id: sent.request_id }, mine)).status, 200);
  });

  test('bad fields are named', async () => {
    s = await startServer({ printMessage: () => {} });
    const jar = await signedIn(s);
    const res = await post(s, MOBILE_VERIFY, { mobile: 'abc', country_code: '91', otp: '12', request_id: '' }, jar);
    assert.equal(res.status, 400);
    const err = await res.json();
    assert.deepEqual(Object.keys(err.meta.fields).sort(), ['mobile', 'otp', 'request_id']);
  });
});
