// One mailbox, many spellings: a trailing dot on the domain, full-width letters (which IDNA maps to
// the same domain when the mail is sent) and other compatibility characters all reach the same
// inbox, but each would be a key of its own: a fresh per-address send budget for flooding that
// inbox with sign-in codes, and a second account for the same person. They are refused where an
// address comes in; an address as people write it still works.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { APP, count, messagesTo, postJson, startServer, type TestServer } from './helpers';

const EMAIL_SEND = `${APP}/authentication/v1.0/otp/email/send`;
const REGISTER = `${APP}/authentication/v1.0/register/form`;

const LOOK_ALIKES = [
  'victim@example.com.', // the DNS root dot: the same host
  'victim@ｅxample.com', // full-width e: IDNA maps it to "e"
  'victim@example.ｃｏｍ',
  'ｖictim@example.com', // a compatibility form of the local part
  'victim@.example.com',
];

describe('look-alike spellings of one address', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('a code send to a look-alike is a 400 and sends nothing, so spellings buy no fresh budget for one inbox', async () => {
    s = await startServer({ printMessage: () => {}, rateLimits: { otpSendPerDestination: 1, otpSendPerIp: 100 } });
    await s.setConfig({ login: { otp: true } });
    assert.equal((await postJson(s, EMAIL_SEND, { email: 'victim@example.com', action: 'send' })).status, 200);
    assert.equal((await postJson(s, EMAIL_SEND, { email: 'Victim@Example.com', action: 'send' })).status, 429, 'case is one key already');
    for (const email of LOOK_ALIKES) {
      const res = await postJson(s, EMAIL_SEND, { email, action: 'send' });
      assert.equal(res.status, 400, `${email} is refused`);
      const err = await res.json();
      assert.equal(err.code, 'VALIDATION_ERROR');
      assert.ok(err.meta.fields.email, 'the email field is named');
    }
    assert.equal(await count(s, "SELECT COUNT(*) AS n FROM outbox WHERE channel = 'email'"), 1, 'one message went out in all');
  });

  test('registration and the admin API refuse them too, so a second account cannot be made for the same inbox', async () => {
    s = await startServer({ printMessage: () => {} });
    await s.setConfig({ register: true });
    for (const email of LOOK_ALIKES) {
      const reg = await postJson(s, REGISTER, { first_name: 'Vic', email, password: 'a long enough passphrase' });
      assert.equal(reg.status, 400, `register ${email}`);
      assert.ok((await reg.json()).meta.fields.email);
      const admin = await s.createShopper({ email, first_name: 'Vic' });
      assert.equal(admin.status, 400, `admin create ${email}`);
    }
    assert.equal((await postJson(s, REGISTER, { first_name: 'Vic', email: 'vic.tim+shop@例え.jp', password: 'a long enough passphrase' })).status, 200, 'a real address in any script still works');
    assert.equal((await messagesTo(s, 'vic.tim+shop@例え.jp')).length, 1);
  });

  test('a decomposed spelling (e + combining accent) is the same address as the composed one: one key, one budget, one account', async () => {
    s = await startServer({ printMessage: () => {}, rateLimits: { otpSendPerDestination: 1, otpSendPerIp: 100 } });
    await s.setConfig({ login: { otp: true } });
    const composed = 'jos\u00e9@caf\u00e9.example';
    const decomposed = 'jose\u0301@cafe\u0301.example';
    assert.equal((await postJson(s, EMAIL_SEND, { email: composed, action: 'send' })).status, 200);
    const again = await postJson(s, EMAIL_SEND, { email: decomposed, action: 'send' });
    assert.equal(again.status, 429, 'the decomposed spelling shares the composed one\'s budget');
    assert.equal((await s.createShopper({ email: decomposed, first_name: 'Jos' })).status, 200);
    assert.equal((await s.createShopper({ email: composed, first_name: 'Jos' })).status, 409, 'no second account for the composed spelling');
    assert.equal(await count(s, 'SELECT COUNT(*) AS n FROM user_emails WHERE email = ?', composed), 1, 'stored composed');
  });

  test('the admin search finds an account by the decomposed spelling of its address', async () => {
    s = await startServer();
    const made = await (await s.createShopper({ email: 'jos\u00e9@caf\u00e9.example', first_name: 'Jos' })).json();
    const found = await (await s.admin(`/customers/search?q=${encodeURIComponent('jose\u0301@cafe\u0301.example')}`)).json();
    assert.deepEqual(found.users.map((u: { _id: string }) => u._id), [made.user._id]);
  });
});
