// The dev outbox: what each entry holds, the WebOTP line of an SMS (host from a trusted Origin
// only), newest-first listing with a recipient filter, printing in dev mode only, and no outbox
// route at all outside dev mode.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { APP, postJson, startServer, type TestServer } from './helpers';

function post(s: TestServer, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return postJson(s, APP + path, body, { headers });
}

const LOGIN_OTP = '/authentication/v1.0/login/otp';
const EMAIL_SEND = '/authentication/v1.0/otp/email/send';

/** OTP sign-in and forgot password are off in the default config; the messages here come from them. */
async function start(overrides: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const s = await startServer(overrides);
  await s.setConfig({ login: { otp: true }, forgot_password: true });
  return s;
}

describe('dev outbox', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('entries carry channel, to, subject, text, created_at, and the code and link pulled out', async () => {
    s = await start({ printMessage: () => {} });
    await s.setConfig({ display: 'Acme Store' });
    await post(s, LOGIN_OTP, { mobile: '9876543210', country_code: '91' });
    s.clock.advance(1000);
    await post(s, EMAIL_SEND, { email: 'Buyer@Example.com' });
    s.clock.advance(1000);
    await post(s, '/authentication/v1.0/login/password/reset', { email: 'shopper@example.com' });

    const res = await s.fetch('/__dev/outbox');
    assert.equal(res.status, 200);
    const { items } = await res.json();
    assert.equal(items.length, 3);
    const [reset, mail, sms] = items;
    assert.ok(reset.id > mail.id && mail.id > sms.id, 'newest first');

    assert.deepEqual(Object.keys(sms).sort(), ['channel', 'code', 'created_at', 'id', 'subject', 'text', 'to']);
    assert.equal(sms.channel, 'sms');
    assert.equal(sms.to, '+919876543210');
    assert.equal(sms.subject, '');
    assert.equal(sms.created_at, '2030-01-01T00:00:00.000Z');
    const lines = sms.text.split('\n');
    assert.equal(lines[0], `${sms.code} is your Acme Store code. It expires in 10 minutes.`);
    assert.equal(lines.at(-1), `@127.0.0.1 #${sms.code}`, 'WebOTP origin-bound last line');

    assert.equal(mail.channel, 'email');
    assert.equal(mail.to, 'Buyer@Example.com');
    assert.equal(mail.subject, 'Your Acme Store code');
    assert.match(mail.text, new RegExp(mail.code));
    assert.equal(mail.created_at, '2030-01-01T00:00:01.000Z');

    assert.equal(reset.to, 'shopper@example.com');
    assert.match(reset.link, /\?code=[A-Za-z0-9_-]{43}$/);
    assert.ok(!('code' in reset), 'no six-digit code in a reset mail');
  });

  test('?to= filters by recipient: case-insensitive for email, separators ignored for phones', async () => {
    s = await start({ printMessage: () => {} });
    await post(s, LOGIN_OTP, { mobile: '9876543210', country_code: '91' });
    await post(s, LOGIN_OTP, { mobile: '9123456780', country_code: '91' });
    await post(s, EMAIL_SEND, { email: 'Buyer@Example.com' });
    const list = async (to: string) => (await (await s!.fetch(`/__dev/outbox?to=${encodeURIComponent(to)}`)).json()).items;
    assert.equal((await list('buyer@EXAMPLE.com')).length, 1);
    assert.equal((await list('+91 98765 43210')).length, 1);
    assert.equal((await list('+919123456780'))[0].to, '+919123456780');
    assert.equal((await list('nobody@example.com')).length, 0);
  });

  test('the SMS names an allowed Origin host, and never a foreign one', async () => {
    s = await start({ printMessage: () => {}, allowedOrigins: ['https://shop.example:8443'] });
    await post(s, LOGIN_OTP, { mobile: '9876543210', country_code: '91' }, { origin: 'https://shop.example:8443' });
    const { items } = await (await s.fetch('/__dev/outbox')).json();
    assert.match(items[0].text, /\n@shop\.example #\d{6}$/);
    // A foreign Origin never reaches the sender: state changes from it are refused outright.
    const foreign = await post(s, LOGIN_OTP, { mobile: '9876543210', country_code: '91' }, { origin: 'https://evil.example' });
    assert.equal(foreign.status, 403);
  });

  test('dev mode prints each message as one block; the log never holds the code', async () => {
    const printed: string[] = [];
    s = await start({ printMessage: (block) => printed.push(block) });
    await post(s, LOGIN_OTP, { mobile: '9876543210', country_code: '91' });
    assert.equal(printed.length, 1);
    const { items } = await (await s.fetch('/__dev/outbox')).json();
    assert.match(printed[0]!, /^----- dev outbox: SMS to \+919876543210 -----\n/);
    assert.ok(printed[0]!.includes(items[0].text));
    assert.ok(s.logs.every((l) => !l.includes(items[0].code)));
  });

  test('outside dev mode: no /__dev/outbox and nothing printed, though messages are still stored', async () => {
    const printed: string[] = [];
    s = await start({ dev: false, printMessage: (block) => printed.push(block) });
    assert.equal((await post(s, LOGIN_OTP, { mobile: '9876543210', country_code: '91' })).status, 200);
    const res = await s.fetch('/__dev/outbox');
    assert.equal(res.status, 404);
    assert.equal(printed.length, 0);
    const rows = await s.service.sql.all('SELECT channel, recipient FROM outbox');
    assert.deepEqual(rows, [{ channel: 'sms', recipient: '+919876543210' }]);
  });

  test('messages older than a day are dropped', async () => {
    s = await start({ printMessage: () => {} });
    await post(s, LOGIN_OTP, { mobile: '9876543210', country_code: '91' });
    s.clock.advance(24 * 60 * 60 * 1000 + 1);
    await post(s, LOGIN_OTP, { mobile: '9123456780', country_code: '91' });
    const { items } = await (await s.fetch('/__dev/outbox')).json();
    assert.deepEqual(items.map((i: { to: string }) => i.to), ['+919123456780']);
  });
});
