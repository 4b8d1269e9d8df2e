// The failed-password budget belongs to the account, not to how its name was typed: an account
// that signs in by an email, a second email and a phone must not give an attacker ten guesses per
// contact. Guesses fired in parallel across the spellings stop at the account's one budget, and an
// unknown name is limited exactly like a known one (no answer tells them apart).
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { startServer, withoutRequestId, type TestServer } from './helpers';

const PASSWORD = 'the shoppers own passphrase';
const OVERLAPPING = { N: 2 ** 12, r: 8, p: 1 };
const ROOMY_QUEUE = { maxWaitingPerClient: 200, maxWaiting: 400 };

async function start(): Promise<TestServer> {
  const s = await startServer({ passwordParams: OVERLAPPING, hashing: ROOMY_QUEUE, rateLimits: { loginPerAccount: 10, loginPerIp: 1000 } });
  const made = await s.createShopper({ email: 'many@example.com', phone_number: '+919812345678', password: PASSWORD });
  assert.equal(made.status, 200);
  const { user } = await made.json();
  // A second verified email on the same account (the admin API sets the full list).
  const second = await s.admin(`/customers/${user.user_id ?? user._id}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ emails: [{ email: 'many@example.com', verified: true, primary: true, active: true }, { email: 'also@example.com', verified: true, primary: false, active: true }] }),
  });
  assert.equal(second.status, 200, await second.clone().text());
  return s;
}

describe('one failed-password budget per account', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('30 parallel guesses spread over an account\'s three sign-in names: at most 10 evaluated, the right one refused after', async () => {
    s = await start();
    const names = ['many@example.com', 'also@example.com', '+91 98123 45678'];
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => s!.login(names[i % 3]!, `wrong-guess-${i}`)));
    const evaluated = answers.filter((r) => r.status !== 429).length;
    assert.ok(evaluated <= 10, `at most 10 evaluated, got ${evaluated}: ${answers.map((r) => r.status).join(',')}`);
    for (const name of names) assert.equal((await s.login(name, PASSWORD)).status, 429, `${name} is locked with the account`);
  });

  test('ten wrong guesses by one email lock the account\'s phone too, with the same answer an unknown name gets', async () => {
    s = await start();
    for (let i = 0; i < 10; i++) assert.equal((await s.login('many@example.com', `wrong-${i}`)).status, 400);
    for (let i = 0; i < 10; i++) assert.equal((await s.login('ghost@example.com', `wrong-${i}`)).status, 400);
    const known = await s.login('919812345678', 'wrong-again');
    const unknown = await s.login('ghost@example.com', 'wrong-again');
    assert.equal(known.status, 429);
    assert.equal(unknown.status, 429);
    assert.deepEqual(withoutRequestId(await known.json()), withoutRequestId(await unknown.json()));
  });
});
