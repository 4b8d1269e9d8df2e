/**
 * A clock tests move by hand (controllers/countdown.ts `Clock`): countdowns are checked by moving
 * time, never by waiting for real seconds.
 */
import type { Clock } from '../../src/controllers/countdown.js';

export class ManualClock implements Clock {
  time: number;
  readonly #ticks = new Map<() => void, number>();

  constructor(start = Date.parse('2026-01-01T10:00:00Z')) {
    this.time = start;
  }

  now = (): number => this.time;

  every(ms: number, tick: () => void): () => void {
    this.#ticks.set(tick, ms);
    return () => this.#ticks.delete(tick);
  }

  /** Tickers running now (a countdown that stopped has none). */
  get running(): number {
    return this.#ticks.size;
  }

  /** Moves time on by `ms`, one second at a time, running every ticker on the way. */
  advance(ms: number): void {
    for (let left = ms; left > 0; left -= 1000) {
      this.time += Math.min(1000, left);
      for (const tick of [...this.#ticks.keys()]) tick();
    }
  }
}
