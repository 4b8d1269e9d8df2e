// Two service processes on one PostgreSQL database behave as one service: a session made on one
// works and ends on the other, failed sign-ins spread over both lock the account as if they had
// all gone to one, and the scheduled purge runs on one instance at a time. Each instance is a real
// `src/server/main.ts` process on its own port (as behind a load balancer); readiness is read from
// its "listening" line, never waited for by time.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { PURGE_LEASE } from '../../src/server/app';
import { freshDatabase } from '../support/test-database';
import { ADMIN_BASE, APPLICATION_ID, COMPANY_ID, fetchWithJar, Jar, jsonRequest, LOGIN, SESSION } from '../server/helpers';

const pgClient = pg.Client;
const ADMIN_TOKEN = 'multi-instance-admin-token-0123456789abcdef';
const ROOT = new URL('../..', import.meta.url).pathname;

interface Instance {
  base: string;
  proc: ChildProcess;
  output: string[];
  fetch(path: string, init?: RequestInit & { jar?: Jar }): Promise<Response>;
}

/** Starts `src/server/main.ts` on an ephemeral port; resolves once it printed where it listens. */
async function startInstance(database: string, name: string): Promise<Instance> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE: database,
      PORT: '0',
      HOST: '127.0.0.1',
      LATCH_DEV: '1',
      ADMIN_TOKEN,
      COMPANY_ID,
      APPLICATION_ID,
      SHUTDOWN_GRACE_SECONDS: '2',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  proc.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const lines = createInterface({ input: proc.stdout! });
  const base = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      output.push(line);
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', (code) => reject(new Error(`instance ${name} exited with ${code}:\n${output.join('\n')}`)));
  });
  return {
    base,
    proc,
    output,
    fetch: fetchWithJar(base),
  };
}

async function stopInstance(i: Instance): Promise<void> {
  if (i.proc.exitCode !== null) return;
  i.proc.kill('SIGTERM');
  await once(i.proc, 'exit');
}

describe('two instances on one PostgreSQL database', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let a: Instance;
  let b: Instance;

  before(async () => {
    db = await freshDatabase();
    assert.match(db.database, /^postgres/, 'this suite needs LATCH_TEST_DATABASE (npm run test:server:postgres)');
    // Both start at once against an empty schema: migrations must be applied exactly once.
    [a, b] = await Promise.all([startInstance(db.database, 'a'), startInstance(db.database, 'b')]);
  });

  after(async () => {
    await Promise.all([a && stopInstance(a), b && stopInstance(b)]);
    await db?.drop();
  });

  const admin = (i: Instance, path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${ADMIN_TOKEN}`);
    return i.fetch(ADMIN_BASE + path, { ...init, headers });
  };

  async function shopper(email: string, password: string): Promise<string> {
    const res = await admin(a, '/customers?verified=true', jsonRequest('POST', { email, password, first_name: 'Multi' }));
    assert.equal(res.status, 200, await res.clone().text());
    const body = (await res.json()) as { user: { _id: string } };
    return body.user._id;
  }

  const login = (i: Instance, username: string, password: string, jar?: Jar): Promise<Response> =>
    i.fetch(LOGIN, { ...jsonRequest('POST', { username, password }), ...(jar ? { jar } : {}) });

  test('both instances answer for the same config version after both migrated the same schema', async () => {
    const [ca, cb] = await Promise.all([
      a.fetch('/service/application/user/platform/v1.0/config').then((r) => r.json()),
      b.fetch('/service/application/user/platform/v1.0/config').then((r) => r.json()),
    ]);
    assert.deepEqual(ca, cb);
    // An admin change made through one is what the other serves next.
    assert.equal((await admin(a, '/platform/config', jsonRequest('POST', { name: 'Shared store' }))).status, 200);
    const after = (await (await b.fetch('/service/application/user/platform/v1.0/config')).json()) as { name: string };
    assert.equal(after.name, 'Shared store');
  });

  test('a session made on one instance works on the other, and signing out everywhere on one ends it on both', async () => {
    await shopper('roaming@example.com', 'a long enough roaming password');
    const onA = new Jar();
    assert.equal((await login(a, 'roaming@example.com', 'a long enough roaming password', onA)).status, 200);
    assert.equal((await b.fetch(SESSION, { jar: onA.clone() })).status, 200, 'the session from a is valid on b');

    const onB = new Jar();
    assert.equal((await login(b, 'roaming@example.com', 'a long enough roaming password', onB)).status, 200);
    // Ending every other session from b (just signed in there, so no re-authentication is due).
    const ended = await b.fetch('/service/application/user/authentication/v1.0/sessions?others=true', { method: 'DELETE', jar: onB });
    assert.equal(ended.status, 200, await ended.clone().text());
    assert.equal((await a.fetch(SESSION, { jar: onA.clone() })).status, 401, 'the session made on a ended');
    assert.equal((await a.fetch(SESSION, { jar: onB.clone() })).status, 200, "b's own session stays");
  });

  test('ten failed sign-ins spread over both instances lock the account as ten', async () => {
    await shopper('guessed@example.com', 'the real password of this shopper');
    for (let i = 0; i < 10; i++) {
      const res = await login(i % 2 ? b : a, 'guessed@example.com', `wrong guess ${i}`);
      assert.equal(res.status, 400, `guess ${i} was checked and refused`);
    }
    // The eleventh try is refused without a check on either instance, even with the right password.
    for (const i of [a, b]) {
      const res = await login(i, 'guessed@example.com', 'the real password of this shopper');
      assert.equal(res.status, 429, await res.clone().text());
      assert.ok(Number(res.headers.get('retry-after')) > 0);
    }
  });

  test('parallel guesses on both instances at once are all counted against one limit', async () => {
    await shopper('stormed@example.com', 'another real password here');
    const guess = (i: number, n: number) => login(i % 2 ? b : a, 'stormed@example.com', `wrong guess ${n}`).then((r) => r.status);
    const storm = await Promise.all(Array.from({ length: 24 }, (_, i) => guess(i, i)));
    const checked = storm.filter((s) => s === 400).length;
    // Never more than ten checked, however the 24 interleave over two processes. (A guess the
    // hashing queue turned away, 503, gave its attempt back: a busy server costs no tries.)
    assert.ok(checked <= 10, `at most ten guesses were checked: ${storm.join(',')}`);
    assert.equal(storm.filter((s) => s === 400 || s === 429 || s === 503).length, 24, storm.join(','));
    // The attempts left, one at a time on either instance, make exactly ten in all.
    let more = 0;
    for (let n = 0; n < 12; n++) {
      const status = await guess(n, 100 + n);
      if (status === 429) break;
      assert.equal(status, 400);
      more++;
    }
    assert.equal(checked + more, 10, `${checked} in the storm and ${more} after`);
  });

  test('the scheduled purge runs under one lease: an instance that died holding it blocks it only until it expires', async () => {
    const pg = new pgClient({ connectionString: db.database });
    await pg.connect();
    try {
      const purge = async (i: Instance): Promise<boolean> => ((await (await i.fetch('/__dev/purge', { method: 'POST' })).json()) as { ran: boolean }).ran;
      // An instance took the lease and died mid-run: nobody else purges while its lease lasts...
      await pg.query(
        `INSERT INTO leases (name, holder, expires_at) VALUES ($1, 'crashed-instance', $2)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at`,
        [PURGE_LEASE, Date.now() + 3_600_000],
      );
      assert.deepEqual(await Promise.all([purge(a), purge(b)]), [false, false]);
      // ...and once it has run out, the next instance takes over; each run hands the lease back.
      await pg.query('UPDATE leases SET expires_at = $1 WHERE name = $2', [Date.now() - 1, PURGE_LEASE]);
      assert.equal(await purge(a), true);
      assert.equal(await purge(b), true);
      const left = await pg.query('SELECT holder FROM leases WHERE name = $1', [PURGE_LEASE]);
      assert.equal(left.rowCount, 0, 'no lease is left behind after a run');
    } finally {
      await pg.end();
    }
  });
});
