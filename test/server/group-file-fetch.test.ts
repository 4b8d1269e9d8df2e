// The guarded fetcher of bulk user-group files (services/file-fetch.ts) on its own: which URLs and
// addresses it accepts, that DNS answers and redirects pointing inside are refused before any
// connection (counted at a local server that would receive it otherwise), and the size and time
// limits (time driven by injected timers, no waiting). Then the user-group service with the
// fetcher replaced: pending -> completed / failed, and loads resumed after a restart.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { openSql } from '../../src/server/store/open';
import type { Sql } from '../../src/server/store/sql';
import { addressAllowed, checkUrl, DEFAULT_FILE_LIMITS, fetchFile, FileFetchError, type FilePolicy, type Timers } from '../../src/server/services/file-fetch';
import { createUserGroupService, MAX_PARALLEL_LOADS } from '../../src/server/services/user-groups';
import { UserStore } from '../../src/server/store/users';
import { testDatabase } from './helpers';

const APP_ID = '000000000000000000000001';

function policy(overrides: Partial<FilePolicy> = {}): FilePolicy {
  return { dev: true, hosts: [], ...DEFAULT_FILE_LIMITS, ...overrides };
}

/** A TCP server on 127.0.0.1 that counts connections and answers each with `reply` (HTTP text). */
async function countingServer(reply?: (path: string, res: http.ServerResponse) => void) {
  const paths: string[] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    if (reply) reply(req.url ?? '', res);
    else res.end('email,action\n');
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    paths,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function refused(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof FileFetchError, String(err));
    assert.match((err as Error).message, message);
    return true;
  });
}

describe('which file URLs are accepted', () => {
  test('outside development: https to listed hosts only, no credentials in the URL', () => {
    const p = { dev: false, hosts: ['files.example.com', '*.cdn.example.net'] };
    for (const ok of ['https://files.example.com/a.csv', 'https://FILES.example.com:8443/a.csv?x=1', 'https://eu.cdn.example.net/a.csv']) {
      assert.equal(checkUrl(ok, p).href.toLowerCase(), new URL(ok).href.toLowerCase(), ok);
    }
    const bad: [string, RegExp][] = [
      ['http://files.example.com/a.csv', /https/],
      ['ftp://files.example.com/a.csv', /https/],
      ['file:///etc/passwd', /https/],
      ['http://127.0.0.1:8821/a.csv', /https/],
      ['https://127.0.0.1/a.csv', /not allowed/],
      ['https://localhost/a.csv', /not allowed/],
      ['https://cdn.example.net/a.csv', /not allowed/],
      ['https://evilcdn.example.net/a.csv', /not allowed/],
      ['https://files.example.com.evil.test/a.csv', /not allowed/],
      ['https://user:pw@files.example.com/a.csv', /user name or password/],
      ['url', /not an absolute URL/],
    ];
    for (const [url, message] of bad) assert.throws(() => checkUrl(url, p), message, url);
  });

  test('in development also loopback http, but never another internal address', () => {
    const p = { dev: true, hosts: [] };
    for (const ok of ['http://127.0.0.1:8821/a.csv', 'http://localhost:8821/a.csv', 'http://[::1]:8821/a.csv', 'https://127.0.0.1/a.csv']) {
      assert.doesNotThrow(() => checkUrl(ok, p), ok);
    }
    for (const bad of ['http://10.0.0.1/a.csv', 'http://169.254.169.254/latest/meta-data/', 'http://0.0.0.0:8821/a.csv', 'http://[fe80::1]/a.csv']) {
      assert.throws(() => checkUrl(bad, p), FileFetchError, bad);
    }
    // Listed by mistake, an internal IP literal is still refused.
    assert.throws(() => checkUrl('https://169.254.169.254/a.csv', { dev: true, hosts: ['169.254.169.254'] }), /internal address/);
  });

  test('addresses: public unicast only, loopback in development; mapped and embedded forms included', () => {
    for (const a of ['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111']) {
      assert.equal(addressAllowed(a, false), true, a);
      assert.equal(addressAllowed(a, true), true, a);
    }
    const internal = [
      '127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
      '224.0.0.1', '255.255.255.255', '::', '::1', 'fe80::1', 'fc00::1', 'fd12:3456::1', '::ffff:169.254.169.254',
      '::ffff:10.0.0.1', '64:ff9b::a9fe:a9fe', '2002:a9fe:a9fe::1', 'not-an-ip',
    ];
    for (const a of internal) assert.equal(addressAllowed(a, false), false, a);
    assert.equal(addressAllowed('127.0.0.1', true), true);
    assert.equal(addressAllowed('::1', true), true);
    for (const a of ['10.1.2.3', '169.254.169.254', '0.0.0.0', '::ffff:169.254.169.254', 'fe80::1']) assert.equal(addressAllowed(a, true), false, a);
  });
});

describe('fetching a file', () => {
  test('a listed host whose DNS answer is internal is refused before connecting', async () => {
    const server = await countingServer();
    try {
      // 0.0.0.0 reaches this local server on Linux; any internal answer must stop the fetch first.
      for (const answer of [['0.0.0.0'], ['127.0.0.1', '0.0.0.0']]) {
        const p = policy({ hosts: ['rebind.test'], resolve: async () => answer.map((address) => ({ address, family: 4 })) });
        await refused(fetchFile(`https://rebind.test:${server.port}/members.csv`, p), /internal address/);
      }
      // Outside development loopback is internal too.
      const prod = policy({ dev: false, hosts: ['files.example.test'], resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
      await refused(fetchFile(`https://files.example.test:${server.port}/members.csv`, prod), /internal address/);
      assert.equal(server.connections(), 0);
    } finally {
      await server.close();
    }
  });

  test('the connection goes to the address that was checked, not to a second lookup', async () => {
    const server = await countingServer();
    try {
      // Only the injected resolver knows pinned.test; the TLS handshake with this plain HTTP
      // server then fails, but the connection proves where the fetch went.
      const p = policy({ hosts: ['pinned.test'], resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
      await refused(fetchFile(`https://pinned.test:${server.port}/members.csv`, p), /could not be fetched/);
      assert.equal(server.connections(), 1);
    } finally {
      await server.close();
    }
  });

  test('redirects are followed only to URLs that pass the same checks', async () => {
    const target = await countingServer();
    const origin = await countingServer((path, res) => {
      if (path === '/ok') res.writeHead(302, { location: `/file.csv` }).end();
      else if (path === '/file.csv') res.end('email,action\na@example.com,add\n');
      else if (path === '/to-zero') res.writeHead(302, { location: `http://0.0.0.0:${target.port}/secret.csv` }).end();
      else if (path === '/to-name') res.writeHead(307, { location: `https://rebind.test:${target.port}/secret.csv` }).end();
      else if (path === '/loop') res.writeHead(301, { location: '/loop' }).end();
      else res.writeHead(404).end();
    });
    try {
      const p = policy({ hosts: ['rebind.test'], resolve: async () => [{ address: '0.0.0.0', family: 4 }] });
      const base = `http://127.0.0.1:${origin.port}`;
      assert.equal((await fetchFile(`${base}/ok`, p)).toString(), 'email,action\na@example.com,add\n');
      await refused(fetchFile(`${base}/to-zero`, p), /redirected to a URL that is not allowed/);
      await refused(fetchFile(`${base}/to-name`, p), /internal address/);
      await refused(fetchFile(`${base}/loop`, p), /redirected more than 3 times/);
      await refused(fetchFile(`${base}/missing`, p), /answered 404/);
      assert.equal(target.connections(), 0);
    } finally {
      await origin.close();
      await target.close();
    }
  });

  test('a file larger than the limit is refused, with or without a Content-Length', async () => {
    const server = await countingServer((path, res) => {
      if (path === '/declared') res.writeHead(200, { 'content-length': '11' }).end('12345678901');
      else {
        res.writeHead(200);
        res.write('123456');
        res.end('78901');
      }
    });
    try {
      const p = policy({ maxBytes: 10 });
      await refused(fetchFile(`http://127.0.0.1:${server.port}/declared`, p), /larger than 10 bytes/);
      await refused(fetchFile(`http://127.0.0.1:${server.port}/chunked`, p), /larger than 10 bytes/);
      assert.equal((await fetchFile(`http://127.0.0.1:${server.port}/chunked`, policy({ maxBytes: 11 }))).toString(), '12345678901');
    } finally {
      await server.close();
    }
  });

  test('a file that does not arrive in time is given up (timers injected, nothing waits)', async () => {
    let seen: () => void = () => {};
    const requested = new Promise<void>((resolve) => (seen = resolve));
    const server = await countingServer(() => seen()); // never answers
    const pending: { fn: () => void; ms: number }[] = [];
    const timers: Timers = {
      setTimeout: (fn, ms) => pending.push({ fn, ms }),
      clearTimeout: () => {},
    };
    try {
      const fetching = fetchFile(`http://127.0.0.1:${server.port}/slow.csv`, policy({ timeoutMs: 30_000, timers }));
      await requested;
      assert.deepEqual(pending.map((t) => t.ms), [30_000]);
      pending[0]!.fn();
      await refused(fetching, /did not arrive within 30000 ms/);
    } finally {
      await server.close();
    }
  });
});

describe('the user-group service with the fetcher replaced', () => {
  async function setup(fetch: (url: string, signal: AbortSignal) => Promise<Uint8Array>, sql?: Sql) {
    const db = sql ?? (await openSql((await testDatabase()).database));
    const logs: string[] = [];
    const ctx = { sql: db, isOpen: () => true, applicationId: APP_ID, now: () => Date.parse('2030-01-01T00:00:00Z'), log: (l: string) => logs.push(l), dev: true };
    return { db, logs, groups: await createUserGroupService(ctx, { fetchFile: fetch }), users: new UserStore(db, APP_ID, ctx.now) };
  }

  test('pending until the file arrives, then completed; a fetch error fails it with its message', async () => {
    let deliver: (bytes: Uint8Array) => void = () => {};
    let fail: (err: Error) => void = () => {};
    const { groups, users, logs } = await setup(
      () =>
        new Promise((resolve, reject) => {
          deliver = resolve;
          fail = reject;
        }),
    );
    await users.create({ email: 'a@example.com', verified: true });
    const g = await groups.create({ name: 'G', description: 'd', file_url: 'https://files.example.com/a.csv' });
    assert.equal(g.status, 'pending');
    assert.equal((await groups.get('1')).status, 'pending');
    deliver(Buffer.from('email,action\na@example.com,add\n'));
    await groups.idle();
    assert.equal((await groups.get('1')).status, 'completed');
    assert.equal((await groups.members('1', { size: 10, current: 1 })).total, 1);

    await groups.patch('1', { file_url: 'https://files.example.com/b.csv' });
    fail(new FileFetchError('the file server answered 500'));
    await groups.idle();
    assert.deepEqual([(await groups.get('1')).status, (await groups.get('1')).failure], ['failed', 'the file server answered 500']);

    // An unexpected error is logged for the developer, and the admin gets a plain reason.
    await groups.patch('1', { file_url: 'https://files.example.com/c.csv' });
    fail(new TypeError('boom'));
    await groups.idle();
    assert.deepEqual([(await groups.get('1')).status, (await groups.get('1')).failure], ['failed', 'the file could not be loaded']);
    assert.ok(logs.some((l) => l.includes('TypeError: boom')));
    assert.equal((await groups.members('1', { size: 10, current: 1 })).total, 1);
  });

  test(`at most ${MAX_PARALLEL_LOADS} files are fetched at once; the others wait their turn`, async () => {
    const calls: { url: string; deliver: (bytes: Uint8Array) => void }[] = [];
    // Resolves once `n` fetches have started: waits on the fetcher itself, not on turns of the loop.
    const waiters: (() => void)[] = [];
    const started = (n: number) => new Promise<void>((resolve) => {
      const check = (): void => void (calls.length >= n ? resolve() : waiters.push(check));
      check();
    });
    const { groups, users } = await setup(
      (url) => new Promise((deliver) => {
        calls.push({ url, deliver });
        for (const wake of waiters.splice(0)) wake();
      }),
    );
    await users.create({ email: 'a@example.com', verified: true });
    for (const name of ['a', 'b', 'c']) await groups.create({ name, description: 'd', file_url: `https://files.example.com/${name}.csv` });
    await started(2);
    // Both slots are held by fetches that have not answered, so the third cannot have started.
    assert.deepEqual(calls.map((c) => c.url), ['https://files.example.com/a.csv', 'https://files.example.com/b.csv']);
    calls[1]!.deliver(Buffer.from('email,action\na@example.com,add\n'));
    await started(3);
    assert.equal(calls[2]!.url, 'https://files.example.com/c.csv');
    assert.deepEqual(await Promise.all(['1', '2', '3'].map(async (uid) => (await groups.get(uid)).status)), ['pending', 'completed', 'pending']);
    for (const c of [calls[0]!, calls[2]!]) c.deliver(Buffer.from('email,action\n'));
    await groups.idle();
    assert.deepEqual(await Promise.all(['1', '2', '3'].map(async (uid) => (await groups.get(uid)).status)), ['completed', 'completed', 'completed']);
  });

  test('a load left pending by a stopped process runs again at the next start; close() drops a running one', async () => {
    const db = await openSql((await testDatabase()).database);
    const seenSignals: AbortSignal[] = [];
    const first = await setup((_url, signal) => {
      seenSignals.push(signal);
      return new Promise(() => {}); // the process "stops" before the file arrives
    }, db);
    await first.users.create({ email: 'a@example.com', verified: true });
    await first.groups.create({ name: 'G', description: 'd', file_url: 'https://files.example.com/a.csv' });
    await first.groups.close();
    assert.equal(seenSignals[0]!.aborted, true);

    const urls: string[] = [];
    const second = await setup(async (url) => {
      urls.push(url);
      return Buffer.from('email,action\na@example.com,add\n');
    }, db);
    await second.groups.idle();
    assert.deepEqual(urls, ['https://files.example.com/a.csv']);
    assert.equal((await second.groups.get('1')).status, 'completed');
    assert.equal((await second.groups.members('1', { size: 10, current: 1 })).total, 1);
  });
});
