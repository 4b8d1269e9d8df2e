// Leases (store/leases.ts): scheduled work runs on one instance at a time. Only one holder gets a
// lease, its holder renews it, it passes on when released or expired, and runExclusive runs work
// once when two instances race and recovers from an instance that died mid-run. Time is a
// hand-driven clock. Every test gets its database from openDatabases below, the one place to swap.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { LeaseStore, newHolderId, runExclusive } from '../../src/server/store/leases';
import { openDatabases } from '../support/test-database';
import { Clock } from './helpers';

const TTL = 60_000;

/** A promise and the function that settles it, to hold work open while the test looks around. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('leases', () => {
  let opened: Awaited<ReturnType<typeof openDatabases>> | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  /** Two instances, each with its own connection to the one database. */
  async function setup(): Promise<{ clock: Clock; a: LeaseStore; b: LeaseStore }> {
    opened = await openDatabases(2);
    const clock = new Clock();
    return { clock, a: new LeaseStore(opened.sqls[0]!, clock.now), b: new LeaseStore(opened.sqls[1]!, clock.now) };
  }

  test('only one of two holders gets a lease, also when they ask at the same moment', async () => {
    const { a, b } = await setup();
    const got = await Promise.all([a.tryAcquire('purge', 'one', TTL), b.tryAcquire('purge', 'two', TTL)]);
    assert.equal(got.filter(Boolean).length, 1);
    const [winner, loser] = got[0] ? [a, b] : [b, a];
    assert.equal(await loser.tryAcquire('purge', got[0] ? 'two' : 'one', TTL), false);
    assert.equal(await winner.tryAcquire('purge', got[0] ? 'one' : 'two', TTL), true, 'the winner still has it (renewed)');
    assert.equal(await loser.tryAcquire('other-work', 'three', TTL), true, 'another name is another lease');
  });

  test('an expired lease goes to whoever asks next, and the old holder has lost it', async () => {
    const { clock, a, b } = await setup();
    assert.equal(await a.tryAcquire('purge', 'one', TTL), true);
    clock.advance(TTL - 1);
    assert.equal(await b.tryAcquire('purge', 'two', TTL), false);
    clock.advance(1);
    assert.equal(await b.tryAcquire('purge', 'two', TTL), true);
    assert.equal(await a.tryAcquire('purge', 'one', TTL), false);
    assert.equal(await a.release('purge', 'one'), false, 'releasing a lost lease frees nothing');
    assert.equal(await a.tryAcquire('purge', 'three', TTL), false);
  });

  test('the holder renews its lease by acquiring again', async () => {
    const { clock, a, b } = await setup();
    assert.equal(await a.tryAcquire('purge', 'one', TTL), true);
    clock.advance(50_000);
    assert.equal(await a.tryAcquire('purge', 'one', TTL), true);
    clock.advance(20_000);
    assert.equal(await b.tryAcquire('purge', 'two', TTL), false, 'renewed at 50 s, so good until 110 s');
    clock.advance(40_000);
    assert.equal(await b.tryAcquire('purge', 'two', TTL), true);
  });

  test('a released lease is free at once; only its holder can release it', async () => {
    const { a, b } = await setup();
    assert.equal(await a.tryAcquire('purge', 'one', TTL), true);
    assert.equal(await b.release('purge', 'two'), false);
    assert.equal(await b.tryAcquire('purge', 'two', TTL), false);
    assert.equal(await a.release('purge', 'one'), true);
    assert.equal(await b.tryAcquire('purge', 'two', TTL), true);
  });

  test('runExclusive: of two instances racing, one runs the work; afterwards the lease is free again', async () => {
    const { a, b } = await setup();
    let runs = 0;
    const started = gate();
    const hold = gate();
    const work = async (): Promise<void> => {
      runs++;
      started.open();
      await hold.promise;
    };
    const racing = [runExclusive(a, 'purge', 'one', TTL, work), runExclusive(b, 'purge', 'two', TTL, work)];
    // The winner stays inside its work until the gate opens, so the first to finish is the loser,
    // which gave up without waiting and without running anything.
    const first = await Promise.race(racing);
    await started.promise;
    assert.equal(first, false);
    assert.equal(runs, 1);
    hold.open();
    assert.equal((await Promise.all(racing)).filter(Boolean).length, 1);
    assert.equal(runs, 1);
    assert.equal(await runExclusive(b, 'purge', 'two', TTL, work), true, 'the winner gave the lease back');
    assert.equal(runs, 2);
  });

  test('runExclusive gives the lease back when the work fails, and passes the error on', async () => {
    const { a, b } = await setup();
    await assert.rejects(
      runExclusive(a, 'purge', 'one', TTL, () => {
        throw new Error('disk full');
      }),
      /disk full/,
    );
    assert.equal(await b.tryAcquire('purge', 'two', TTL), true);
  });

  test('an instance that dies mid-run holds the work up only until the lease expires', async () => {
    const { clock, a, b } = await setup();
    const firstIn = gate();
    const hung = gate();
    // Instance one starts and never comes back (as good as dead while the gate stays shut).
    const first = runExclusive(a, 'purge', 'one', TTL, async () => {
      firstIn.open();
      await hung.promise;
    });
    await firstIn.promise;
    let secondRuns = 0;
    assert.equal(await runExclusive(b, 'purge', 'two', TTL, () => void secondRuns++), false);
    clock.advance(TTL);
    const secondIn = gate();
    const secondHeld = gate();
    const second = runExclusive(b, 'purge', 'two', TTL, async () => {
      secondRuns++;
      secondIn.open();
      await secondHeld.promise;
    });
    await secondIn.promise;
    assert.equal(secondRuns, 1, 'taken over after the ttl');

    // The first one wakes up late: its release must not free the lease the second holds now.
    hung.open();
    assert.equal(await first, true);
    assert.equal(await a.tryAcquire('purge', 'three', TTL), false);
    secondHeld.open();
    assert.equal(await second, true);
    assert.equal(await a.tryAcquire('purge', 'three', TTL), true);
  });

  test('holder ids differ between starts', () => {
    assert.notEqual(newHolderId(), newHolderId());
  });
});
