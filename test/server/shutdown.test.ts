// The standalone service as a real child process (`src/server/main.ts` on 127.0.0.1, a database
// file, production password hashing): logins in flight when SIGTERM arrives all finish with 200,
// no new connection is accepted meanwhile, the database is closed cleanly (its WAL file is gone)
// and the process exits 0. Also GET /healthz, up and when the database is gone.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ADMIN_BASE, LOGIN, startServer } from './helpers';

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'server', 'main.ts');
const TOKEN = 'shutdown-test-admin-token-0123456789abcdef';

interface Answer {
  status: number;
  body: string;
}

/** One request on its own connection; `sent` resolves once the whole request is written. */
function send(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): { sent: Promise<void>; answer: Promise<Answer> } {
  let markSent: () => void = () => {};
  const sent = new Promise<void>((resolve) => (markSent = resolve));
  const answer = new Promise<Answer>((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      base + path,
      { method, agent: false, headers: { ...(data ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(data)) } : {}), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('finish', markSent);
    req.on('error', reject);
    req.end(data);
  });
  return { sent, answer };
}

/** Resolves with the first stdout line matching `pattern`'s first group. */
function waitForLine(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk;
      const m = pattern.exec(out);
      if (m) {
        child.stdout.off('data', onData);
        resolve(m[1] ?? m[0]);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited (${code}) before printing ${pattern}: ${out}`)));
  });
}

describe('graceful shutdown of the standalone service', () => {
  const dir = mkdtempSync(join(tmpdir(), 'latch-shutdown-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finishes in-flight logins after SIGTERM, accepts no new connection, closes the database and exits 0', async () => {
    const database = join(dir, 'latch.db');
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      stdio: 'pipe',
      // Room for all six logins of one client in the hashing queue, whatever the machine's cores.
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE: database, ADMIN_TOKEN: TOKEN, NODE_ENV: 'production', HASH_QUEUE_PER_CLIENT: '8' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const port = await waitForLine(child, /listening on http:\/\/127\.0\.0\.1:(\d+)/);
      const base = `http://127.0.0.1:${port}`;

      const created = await send(base, 'POST', `${ADMIN_BASE}/customers?verified=true`, { email: 'slow@example.com', first_name: 'Slow', password: 'a long enough password' }, { authorization: `Bearer ${TOKEN}` }).answer;
      assert.equal(created.status, 200, created.body);

      // Six logins, each a production-cost hash, more than the machine hashes at once.
      const logins = Array.from({ length: 6 }, () => send(base, 'POST', LOGIN, { username: 'slow@example.com', password: 'a long enough password' }));
      await Promise.all(logins.map((l) => l.sent));
      // Sent after the logins on a new connection: once it is answered, the service has read them.
      const health = await send(base, 'GET', '/healthz').answer;
      assert.deepEqual({ status: health.status, body: JSON.parse(health.body) }, { status: 200, body: { status: 'ok' } });

      const stopping = waitForLine(child, /(SIGTERM: stopped accepting[^\n]*)/);
      child.kill('SIGTERM');
      assert.match(await stopping, /SIGTERM: stopped accepting; \d+ request\(s\) in flight/);
      await assert.rejects(send(base, 'GET', '/healthz').answer, /ECONNREFUSED/, 'no new connection once stopping');

      const answers = await Promise.all(logins.map((l) => l.answer));
      assert.deepEqual(answers.map((a) => a.status), Array(6).fill(200), answers.map((a) => a.body).join('\n'));
      assert.equal(await exited, 0, stderr);
      assert.ok(existsSync(database));
      assert.ok(!existsSync(`${database}-wal`), 'the database was closed (its WAL checkpointed and removed)');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

describe('GET /healthz', () => {
  it('is 200 {status: "ok"} while the database answers, 503 once it does not or the service is stopping', async () => {
    const s = await startServer();
    try {
      const ok = await s.fetch('/healthz');
      assert.equal(ok.status, 200);
      assert.deepEqual(await ok.json(), { status: 'ok' });
      // Not part of the storefront API: no session, origin or CORS rules apply to it.
      assert.equal((await s.fetch('/healthz', { headers: { origin: 'https://elsewhere.example' } })).status, 200);
      s.service.beginShutdown();
      const stopping = await s.fetch('/healthz');
      assert.equal(stopping.status, 503);
      assert.deepEqual(await stopping.json(), { status: 'stopping' });
    } finally {
      await s.close();
    }
    const gone = await startServer();
    try {
      await gone.service.sql.close();
      const res = await gone.service.app.request('/healthz');
      assert.equal(res.status, 503);
      assert.deepEqual(await res.json(), { status: 'unavailable' });
    } finally {
      await gone.close().catch(() => {});
    }
  });
});
