// The failed-password budget belongs to the account, not to how its name was typed: an account
// that signs in by an email, a second email and a phone must not give an attacker ten guesses per
// contact. Guesses fired in parallel across the spellings stop at the account's one budget, and a
// name is answered exactly like an unknown one (no answer tells which names share an account).
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { startServer, withoutRequestId, type TestServer } from './helpers';

const PASSWORD = 'the shoppers own passphrase';
const OVERLAPPING = { N: 2 ** 12, r: 8, p: 1 };
const ROOMY_QUEUE = { maxWaitingPerClient: 200, maxWaiting: 400 };

async function start(loginPerIp = 1000): Promise<TestServer> {
  const s = await startServer({ passwordParams: OVERLAPPING, hashing: ROOMY_QUEUE, rateLimits: { loginPerAccount: 10, loginPerIp } });
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
    assert.deepEqual([...new Set(answers.map((r) => r.status))].filter((x) => x !== 400 && x !== 429), []);
    // Past the account's budget a guess is answered like a wrong password without being checked,
    // so what was evaluated is counted where the service checks passwords.
    const evaluated = s.logs.filter((l) => l.includes('reason=invalid_credentials')).length;
    assert.ok(evaluated <= 10, `at most 10 evaluated, got ${evaluated}`);
    for (const name of names) assert.notEqual((await s.login(name, PASSWORD)).status, 200, `${name} is locked with the account`);
  });

  test('ten wrong guesses by one email: the account\'s phone, even with the right password, is answered like a fresh unknown name', async () => {
    s = await start();
    for (let i = 0; i < 10; i++) assert.equal((await s.login('many@example.com', `wrong-${i}`)).status, 400);
    const known = await s.login('919812345678', 'wrong-again');
    const unknown = await s.login('ghost@example.com', 'wrong-again');
    assert.equal(unknown.status, 400);
    assert.equal(known.status, unknown.status, 'another name of the locked account answers as an unknown name does');
    assert.deepEqual(withoutRequestId(await known.json()), withoutRequestId(await unknown.json()));
    // The account's budget still holds: the right password by another name opens no session.
    const right = await s.login('also@example.com', PASSWORD);
    assert.equal(right.status, 400);
    assert.equal(right.headers.getSetCookie().length, 0);
    // Once a name has spent its own ten, it is limited exactly like an unknown name that did.
    for (let i = 0; i < 9; i++) assert.equal((await s.login('919812345678', `more-${i}`)).status, 400);
    for (let i = 0; i < 9; i++) assert.equal((await s.login('ghost@example.com', `more-${i}`)).status, 400);
    const knownLocked = await s.login('919812345678', 'once-more');
    const unknownLocked = await s.login('ghost@example.com', 'once-more');
    assert.equal(knownLocked.status, 429);
    assert.deepEqual(withoutRequestId(await knownLocked.json()), withoutRequestId(await unknownLocked.json()));
  });

  test('probing other names of a locked account spends the caller\'s own budget', async () => {
    s = await start(12);
    for (let i = 0; i < 10; i++) assert.equal((await s.login('many@example.com', `wrong-${i}`)).status, 400);
    assert.equal((await s.login('also@example.com', 'probe-1')).status, 400);
    assert.equal((await s.login('+91 98123 45678', 'probe-2')).status, 400);
    // Twelve attempts from this address: the next name, never tried, is refused for the network.
    const next = await s.login('fresh@example.com', 'probe-3');
    assert.equal(next.status, 429);
    assert.equal((await next.json()).meta?.locked, 'network');
  });
});
