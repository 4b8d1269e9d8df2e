/**
 * A clock tests move by hand (controllers/countdown.ts `Clock`): countdowns, request timeouts and
 * the client's retry pauses are checked by moving time, never by waiting for real seconds.
 */
import { expect } from '@open-wc/testing';
import type { Clock } from '../../src/controllers/countdown.js';
import { until } from './service.js';

export class ManualClock implements Clock {
  time: number;
  readonly #ticks = new Map<() => void, number>();
  readonly #timers = new Set<{ at: number; run: () => void }>();

  constructor(start = Date.parse('2026-01-01T10:00:00Z')) {
    this.time = start;
  }

  now = (): number => this.time;

  every(ms: number, tick: () => void): () => void {
    this.#ticks.set(tick, ms);
    return () => this.#ticks.delete(tick);
  }

  after(ms: number, run: () => void): () => void {
    const timer = { at: this.time + ms, run };
    this.#timers.add(timer);
    return () => this.#timers.delete(timer);
  }

  /** Tickers running now (a countdown that stopped has none). */
  get running(): number {
    return this.#ticks.size;
  }

  /** One-shot timers set and not yet run or cleared (a request's timeout while it is on its way). */
  get pending(): number {
    return this.#timers.size;
  }

  /** Milliseconds until the soonest one-shot timer runs; undefined while none is set. */
  get next(): number | undefined {
    const soonest = Math.min(...[...this.#timers].map((t) => t.at));
    return soonest === Infinity ? undefined : soonest - this.time;
  }

  /**
   * Moves time on by `ms`, one second at a time, running every ticker on the way; a one-shot timer
   * runs at its own moment within the second, in order, and not a millisecond before it.
   */
  advance(ms: number): void {
    for (let left = ms; left > 0; left -= 1000) {
      const end = this.time + Math.min(1000, left);
      for (let due = this.#due(end); due; due = this.#due(end)) {
        this.#timers.delete(due);
        this.time = due.at;
        due.run();
      }
      this.time = end;
      for (const tick of [...this.#ticks.keys()]) tick();
    }
  }

  /** The earliest timer due by `end`. */
  #due(end: number) {
    return [...this.#timers].filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
  }
}

/**
 * Lets one retry pause of the API client pass on `clock`, checking its length: a failed read is
 * tried again after at least half of `backoff` and before all of it has passed (`retryDelayMs`
 * doubled per attempt: 400 and 800 ms for the elements' first and second retry). Waits until the
 * pause is set (a timer due within `backoff`; request timeouts are seconds away), moves the clock to a
 * millisecond before its end, runs `before` (what must not have happened yet), then moves the last
 * millisecond. A pause that is skipped, or longer than `backoff`, never shows and the wait fails.
 */
export async function retryPause(clock: ManualClock, backoff: number, before?: () => unknown): Promise<void> {
  await until(() => (clock.next ?? Infinity) < backoff, `a retry pause shorter than ${backoff} ms`);
  const pause = clock.next!;
  expect(pause, 'the retry pause').to.be.at.least(backoff / 2);
  clock.advance(pause - 1);
  await before?.();
  expect(clock.next, 'the pause is still on').to.equal(1);
  clock.advance(1);
}

/**
 * For code that reads the global clock (Date.now, setInterval, and with `{ timeouts: true }` setTimeout):
 * `fakeClock()` replaces them until `restore()`; `advance(ms)` fires each timer as often as that much
 * time would, in order. Keep `setTimeout` real (the default) while the test waits with `until()`.
 */
export interface FakeClock {
  advance(ms: number): void;
  restore(): void;
}

export function fakeClock({ timeouts = false } = {}): FakeClock {
  const real = {
    now: Date.now,
    setInterval: window.setInterval,
    clearInterval: window.clearInterval,
    setTimeout: window.setTimeout,
    clearTimeout: window.clearTimeout,
  };
  let now = real.now();
  let ids = 0;
  const timers = new Map<number, { run: () => void; every?: number; next: number }>();
  const add = (run: () => void, ms = 0, repeat = false) => {
    const wait = Math.max(repeat ? 1 : 0, ms);
    timers.set(++ids, { run, every: repeat ? wait : undefined, next: now + wait });
    return ids;
  };
  const remove = (id?: number) => void timers.delete(id!);
  Date.now = () => now;
  window.setInterval = ((run: () => void, ms?: number) => add(run, ms, true)) as typeof window.setInterval;
  window.clearInterval = remove as typeof window.clearInterval;
  if (timeouts) {
    window.setTimeout = ((run: () => void, ms?: number) => add(run, ms)) as typeof window.setTimeout;
    window.clearTimeout = remove as typeof window.clearTimeout;
  }
  return {
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const [id, due] = [...timers.entries()].filter(([, t]) => t.next <= end).sort(([, a], [, b]) => a.next - b.next)[0] ?? [];
        if (!due) break;
        now = due.next;
        if (due.every) due.next += due.every;
        else timers.delete(id!);
        due.run();
      }
      now = end;
    },
    restore() {
      Object.assign(window, { setInterval: real.setInterval, clearInterval: real.clearInterval, setTimeout: real.setTimeout, clearTimeout: real.clearTimeout });
      Date.now = real.now;
    },
  };
}
