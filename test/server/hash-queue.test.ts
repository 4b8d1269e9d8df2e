// The password hashing queue: unit tests with a fake hasher (order, bounds, cancellation), then
// the real service over real sockets from two client addresses (127.0.0.1 and 127.0.0.2): one
// client's login storm is refused with 503 past its share while the other client's login is served
// in its turn.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { defaultHashQueueOptions, HashQueue, optionalHash, HashQueueAbortedError, HashQueueFullError, hashQueueOptionsFromEnv, threadPoolSize } from '../../src/server/services/hash-queue';
import { DEMO, LOGIN, startServer, type TestServer } from './helpers';

/** A job the test finishes by hand, recording when it started. */
class Gate {
  readonly started: string[] = [];
  readonly #open = new Map<string, () => void>();

  job(name: string): () => Promise<string> {
    return () => {
      this.started.push(name);
      return new Promise<string>((resolve) => this.#open.set(name, () => resolve(name)));
    };
  }

  finish(name: string): void {
    const open = this.#open.get(name);
    assert.ok(open, `${name} is running`);
    this.#open.delete(name);
    open();
  }
}

/** Lets already-resolved promise callbacks run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('hash queue', () => {
  it('serves clients round-robin, so a client with many jobs does not hold up the others', async () => {
    const q = new HashQueue({ concurrency: 1, maxWaitingPerClient: 10, maxWaiting: 100 });
    const gate = new Gate();
    const done: Promise<string>[] = [];
    done.push(q.run('x', gate.job('x1')));
    for (const name of ['a1', 'a2', 'a3']) done.push(q.run('a', gate.job(name)));
    for (const name of ['b1', 'b2']) done.push(q.run('b', gate.job(name)));
    done.push(q.run('c', gate.job('c1')));
    assert.deepEqual(gate.started, ['x1']);
    assert.equal(q.waiting(), 6);
    assert.equal(q.waiting('a'), 3);

    for (const name of ['x1', 'a1', 'b1', 'c1', 'a2', 'b2', 'a3']) {
      await settle();
      gate.finish(name);
    }
    assert.deepEqual(await Promise.all(done), ['x1', 'a1', 'a2', 'a3', 'b1', 'b2', 'c1']);
    assert.deepEqual(gate.started, ['x1', 'a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
    assert.equal(q.waiting(), 0);
    assert.equal(q.running, 0);
  });

  it('runs at most `concurrency` jobs at once', async () => {
    const q = new HashQueue({ concurrency: 2, maxWaitingPerClient: 10, maxWaiting: 100 });
    const gate = new Gate();
    const done = ['j1', 'j2', 'j3', 'j4'].map((name) => q.run('a', gate.job(name)));
    assert.deepEqual(gate.started, ['j1', 'j2']);
    assert.equal(q.running, 2);
    gate.finish('j2');
    await settle();
    assert.deepEqual(gate.started, ['j1', 'j2', 'j3']);
    gate.finish('j1');
    gate.finish('j3');
    await settle();
    gate.finish('j4');
    assert.deepEqual(await Promise.all(done), ['j1', 'j2', 'j3', 'j4']);
  });

  it('refuses a job past the per-client bound while other clients still get in', async () => {
    const q = new HashQueue({ concurrency: 1, maxWaitingPerClient: 2, maxWaiting: 3 });
    const gate = new Gate();
    const running = q.run('a', gate.job('a0'));
    const a1 = q.run('a', gate.job('a1'));
    const a2 = q.run('a', gate.job('a2'));
    await assert.rejects(q.run('a', gate.job('a3')), (err: unknown) => {
      assert.ok(err instanceof HashQueueFullError);
      assert.ok(err.retryAfterSeconds >= 1);
      return true;
    });
    assert.ok(q.wouldRefuse('a')! >= 1, 'a route can ask before doing any work');
    assert.equal(q.wouldRefuse('b'), undefined);
    // Another client still fits, until the overall bound is reached.
    const b1 = q.run('b', gate.job('b1'));
    await assert.rejects(q.run('c', gate.job('c1')), HashQueueFullError);
    assert.equal(q.waiting(), 3);
    for (const name of ['a0', 'a1', 'b1', 'a2']) {
      await settle();
      gate.finish(name);
    }
    assert.deepEqual(await Promise.all([running, a1, a2, b1]), ['a0', 'a1', 'a2', 'b1']);
    assert.ok(!gate.started.includes('a3') && !gate.started.includes('c1'), 'refused jobs never ran');
  });

  it('drops a waiting job whose client has gone, without running it', async () => {
    const q = new HashQueue({ concurrency: 1, maxWaitingPerClient: 5, maxWaiting: 10 });
    const gate = new Gate();
    const first = q.run('a', gate.job('first'));
    const controller = new AbortController();
    const gone = q.run('b', gate.job('gone'), controller.signal);
    const stays = q.run('c', gate.job('stays'));
    assert.equal(q.waiting(), 2);
    controller.abort();
    await assert.rejects(gone, HashQueueAbortedError);
    assert.equal(q.waiting(), 1);
    assert.equal(q.waiting('b'), 0);
    gate.finish('first');
    await settle();
    gate.finish('stays');
    assert.deepEqual(await Promise.all([first, stays]), ['first', 'stays']);
    assert.deepEqual(gate.started, ['first', 'stays']);
  });

  it('refuses at once a job whose signal already fired', async () => {
    const q = new HashQueue({ concurrency: 1, maxWaitingPerClient: 5, maxWaiting: 10 });
    let ran = false;
    await assert.rejects(
      q.run('a', async () => (ran = true), AbortSignal.abort()),
      HashQueueAbortedError,
    );
    assert.equal(ran, false);
  });

  it('skips an optional hash (an upgrade after sign-in) when the queue is full, instead of failing', async () => {
    const q = new HashQueue({ concurrency: 1, maxWaitingPerClient: 0, maxWaiting: 0 });
    const gate = new Gate();
    const running = q.run('a', gate.job('running'));
    assert.equal(await optionalHash(q, 'a', async () => 'upgraded'), undefined);
    gate.finish('running');
    await running;
    assert.equal(await optionalHash(q, 'a', async () => 'upgraded'), 'upgraded');
  });

  it('keeps going after a job fails', async () => {
    const q = new HashQueue({ concurrency: 1, maxWaitingPerClient: 5, maxWaiting: 10 });
    await assert.rejects(q.run('a', () => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await q.run('a', async () => 'ok'), 'ok');
    assert.equal(q.running, 0);
  });

  it('takes its settings from HASH_CONCURRENCY, HASH_QUEUE_PER_CLIENT and HASH_QUEUE_MAX, refusing nonsense', () => {
    assert.deepEqual(hashQueueOptionsFromEnv({}), {});
    assert.deepEqual(hashQueueOptionsFromEnv({ HASH_CONCURRENCY: '3', HASH_QUEUE_PER_CLIENT: '0', HASH_QUEUE_MAX: ' 200 ' }), {
      concurrency: 3,
      maxWaitingPerClient: 0,
      maxWaiting: 200,
    });
    assert.throws(() => hashQueueOptionsFromEnv({ HASH_CONCURRENCY: '0' }), /HASH_CONCURRENCY must be a whole number of at least 1/);
    assert.throws(() => hashQueueOptionsFromEnv({ HASH_QUEUE_MAX: 'lots' }), /HASH_QUEUE_MAX/);
  });

  it('sizes itself to the machine: a hash per core but one, a thread pool with a thread to spare', () => {
    assert.equal(defaultHashQueueOptions(1).concurrency, 1);
    assert.equal(defaultHashQueueOptions(2).concurrency, 1);
    assert.equal(defaultHashQueueOptions(16).concurrency, 15);
    assert.equal(threadPoolSize(2), 4);
    assert.equal(threadPoolSize(16), 16);
  });
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** A JSON POST sent from a chosen loopback source address, so the service sees another client. */
function postFrom(
  base: string,
  path: string,
  body: unknown,
  localAddress: string,
  signal?: AbortSignal,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request(
      base + path,
      {
        method: 'POST',
        localAddress,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
        ...(signal ? { signal } : {}),
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** Waits (turn by turn of the event loop, never by the clock) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await settle();
}

describe('hash queue in the service', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({
      hashing: { concurrency: 1, maxWaitingPerClient: 3, maxWaiting: 50 },
      rateLimits: { loginPerAccount: 1000, loginPerIp: 1000 },
    });
  });
  after(() => s.close());

  it("refuses one client's storm past its share with 503 and Retry-After, and serves another client in its turn", async () => {
    // A job the test holds keeps the only hashing slot busy, so every login below has to queue.
    const gate = new Gate();
    const blocker = s.service.hashQueue.run('test-blocker', gate.job('blocker'));
    // The order the queue starts hashes in, by client: what fairness is about. (Answers can finish
    // in another order, as what follows a hash takes database round trips of different lengths.)
    const started: string[] = [];
    const queue = s.service.hashQueue;
    const run = queue.run.bind(queue);
    queue.run = (client, task, signal) => run(client, () => (started.push(client), task()), signal);

    const finished: string[] = [];
    const storm = Array.from({ length: 10 }, (_, i) =>
      postFrom(s.base, LOGIN, { username: `storm${i}@example.com`, password: 'wrong password' }, '127.0.0.1').then((a) => {
        finished.push(`storm ${a.status}`);
        return a;
      }),
    );
    // Seven are refused at once; three wait for their turn.
    await until(() => finished.length === 7);
    assert.deepEqual(finished, Array(7).fill('storm 503'));
    assert.equal(s.service.hashQueue.waiting('127.0.0.1'), 3);

    const other = postFrom(s.base, LOGIN, { username: DEMO.email, password: DEMO.password }, '127.0.0.2').then((a) => {
      finished.push(`other ${a.status}`);
      return a;
    });
    await until(() => s.service.hashQueue.waiting('127.0.0.2') === 1);
    gate.finish('blocker');
    await blocker;

    const answers = await Promise.all(storm);
    const mine = await other;
    assert.equal(mine.status, 200);
    assert.match(String(mine.headers['set-cookie']), /session=/);
    // Round-robin: the other client's login is hashed second, not behind the whole storm.
    assert.deepEqual(started, ['127.0.0.1', '127.0.0.2', '127.0.0.1', '127.0.0.1']);
    assert.deepEqual(finished.slice(7).sort(), ['other 200', 'storm 400', 'storm 400', 'storm 400']);

    const refused = answers.filter((a) => a.status === 503);
    assert.equal(refused.length, 7);
    for (const a of refused) {
      assert.equal(a.body['code'], 'SERVICE_BUSY');
      assert.ok(Number(a.headers['retry-after']) >= 1, 'Retry-After is a positive number of seconds');
    }
  });

  it('takes a login out of the queue when its client hangs up', async () => {
    const gate = new Gate();
    const blocker = s.service.hashQueue.run('test-blocker', gate.job('blocker'));
    // The order the queue starts hashes in, by client: what fairness is about. (Answers can finish
    // in another order, as what follows a hash takes database round trips of different lengths.)
    const started: string[] = [];
    const queue = s.service.hashQueue;
    const run = queue.run.bind(queue);
    queue.run = (client, task, signal) => run(client, () => (started.push(client), task()), signal);
    const controller = new AbortController();
    const gone = postFrom(s.base, LOGIN, { username: DEMO.email, password: DEMO.password }, '127.0.0.1', controller.signal);
    await until(() => s.service.hashQueue.waiting('127.0.0.1') === 1);
    controller.abort();
    await assert.rejects(gone);
    await until(() => s.service.hashQueue.waiting() === 0);
    gate.finish('blocker');
    await blocker;
    assert.equal(s.service.hashQueue.running, 0, 'the abandoned login was never hashed');
  });
});
