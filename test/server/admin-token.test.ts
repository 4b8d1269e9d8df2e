// Wrong admin tokens are throttled per client address (issue 12, item 5), so the bearer token of
// the platform API cannot be guessed at full speed; the right token keeps working from elsewhere.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ADMIN_BASE, ADMIN_TOKEN, startServer, type TestServer } from './helpers';

let s: TestServer | undefined;
afterEach(() => s?.close());

test('after 20 wrong admin tokens even the right one is refused with 429 until the window passes', async () => {
  s = await startServer();
  const attempt = (token: string) => s!.fetch(`${ADMIN_BASE}/platform/config`, { headers: { authorization: `Bearer ${token}` } });
  const wrong = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(`guess-${i}`)));
  assert.deepEqual(wrong.map((r) => r.status), Array(20).fill(401));
  const limited = await attempt(ADMIN_TOKEN);
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
  s.clock.advance(15 * 60 * 1000 + 1);
  assert.equal((await attempt(ADMIN_TOKEN)).status, 200);
});

test('wrong admin tokens sent all at once still stop at 20: the rest are refused with 429', async () => {
  // Checked first and counted after the compare, parallel guesses (several pool connections, or
  // instances) would all pass the check before any was counted; each wrong token is reserved at once.
  s = await startServer();
  const attempt = (token: string) => s!.fetch(`${ADMIN_BASE}/platform/config`, { headers: { authorization: `Bearer ${token}` } });
  const answers = await Promise.all(Array.from({ length: 35 }, (_, i) => attempt(`guess-${i}`)));
  const statuses = answers.map((r) => r.status);
  assert.equal(statuses.filter((x) => x === 401).length, 20);
  assert.equal(statuses.filter((x) => x === 429).length, 15);
  assert.equal((await attempt(ADMIN_TOKEN)).status, 429);
});
