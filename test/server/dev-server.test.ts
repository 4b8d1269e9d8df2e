// The Vite dev server with the service inside (issue 12, item 5): dev features are on there, but the
// SQLite database and its WAL are never served, not through /@fs/ nor from the demo root.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { createServer, type ViteDevServer } from 'vite';

const dir = resolve(process.cwd(), '.latch', `dev-server-test-${process.pid}`);
const database = resolve(dir, 'shop.db');
let server: ViteDevServer;
let origin: string;

before(async () => {
  mkdirSync(dir, { recursive: true });
  Object.assign(process.env, { DATABASE: database, ADMIN_TOKEN: 'dev-server-test-admin-token-32-chars!' });
  server = await createServer({ logLevel: 'silent', server: { port: 0, host: 'localhost' } });
  await server.listen();
  const address = server.httpServer!.address();
  origin = `http://localhost:${typeof address === 'object' && address ? address.port : 0}`;
});

after(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the dev server runs the service in dev mode', async () => {
  const info = await fetch(`${origin}/__dev/info`);
  assert.equal(info.status, 200);
  assert.equal(((await info.json()) as { demo_user: { email: string } }).demo_user.email, 'shopper@example.com');
});

test('the database file and its WAL are not served through /@fs/', async () => {
  // A write makes sure the WAL exists next to the database.
  await fetch(`${origin}/service/application/user/authentication/v1.0/login/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'nobody@example.com', password: 'not-a-real-password' }),
  });
  for (const file of [database, `${database}-wal`, `${database}-shm`]) {
    const res = await fetch(`${origin}/@fs${file}`);
    const body = Buffer.from(await res.arrayBuffer());
    assert.notEqual(res.status, 200, `${file} answered ${res.status}`);
    assert.ok(!body.subarray(0, 16).toString('latin1').startsWith('SQLite format 3'));
  }
  // Any database file name is denied, not only the configured one (an unknown path may fall back to the page).
  const other = resolve(dir, 'copy.sqlite');
  (await import('node:fs')).copyFileSync(database, other);
  const copy = Buffer.from(await (await fetch(`${origin}/@fs${other}`)).arrayBuffer());
  assert.ok(!copy.subarray(0, 16).toString('latin1').startsWith('SQLite format 3'));
});
