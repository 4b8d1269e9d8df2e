/**
 * The one clock of an element: every wait a shopper sees (the 429 "try again in", a code's "resend
 * in") counts down on a single ticker per element, which runs only while some wait is on and stops
 * when the element leaves the page. The clock is injectable so tests move time instead of waiting.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Where time comes from: now, a callback every `ms`, and one callback after `ms` (an API request's
 * timeout, the pause before a failed read is retried); each until the returned stop is called.
 */
export interface Clock {
  now(): number;
  every(ms: number, tick: () => void): () => void;
  after(ms: number, run: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  every(ms, tick) {
    const id = setInterval(tick, ms);
    return () => clearInterval(id);
  },
  after(ms, run) {
    const id = setTimeout(run, ms);
    return () => clearTimeout(id);
  },
};

let defaultClock: Clock = systemClock;

/**
 * The clock new countdowns and API clients (their request timeouts and retry pauses) use; tests put
 * a manual clock here, `undefined` puts the real one back.
 */
export function useClock(clock?: Clock): void {
  defaultClock = clock ?? systemClock;
}

/** The clock new countdowns and API clients use (the real one unless a test replaced it). */
export const currentClock = (): Clock => defaultClock;

interface Wait {
  /** True while the wait is still on. */
  on: () => boolean;
  /** Runs once, on the tick that finds the wait over. */
  done?: () => void;
}

export class CountdownController implements ReactiveController {
  /** The time the host last rendered with (ms since epoch). */
  now: number;
  readonly #host: ReactiveControllerHost;
  readonly #clock: Clock;
  readonly #waits = new Map<string, Wait>();
  #stop?: () => void;

  constructor(host: ReactiveControllerHost, clock: Clock = currentClock()) {
    this.#host = host;
    this.#clock = clock;
    this.now = clock.now();
    host.addController(this);
  }

  /** Reads the clock now (not at the last tick); for deadlines set in between ticks. */
  refresh(): number {
    return (this.now = this.#clock.now());
  }

  /** Whole seconds left until `at` (0 once it has passed). */
  secondsUntil(at: number): number {
    return Math.max(0, Math.ceil((at - this.now) / 1000));
  }

  /** Counts down to `at` under `name` (replacing an earlier wait of that name); `done` runs when it is reached. */
  until(name: string, at: number, done?: () => void): void {
    this.keep(name, () => this.now < at, done);
  }

  /** Keeps the clock ticking under `name` while `on()` is true; `done` runs when it turns false. */
  keep(name: string, on: () => boolean, done?: () => void): void {
    this.refresh();
    this.#waits.set(name, { on, done });
    this.#start();
    this.#host.requestUpdate();
  }

  /** Drops a wait without running its `done`. */
  cancel(name: string): void {
    this.#waits.delete(name);
  }

  /** True while a wait of that name is on. */
  has(name: string): boolean {
    return this.#waits.has(name);
  }

  hostConnected(): void {
    // A countdown interrupted by a move goes on where it was.
    if (this.#waits.size) this.#start();
  }

  hostDisconnected(): void {
    this.#stop?.();
    this.#stop = undefined;
  }

  #start(): void {
    this.#stop ??= this.#clock.every(1000, () => this.#tick());
  }

  #tick(): void {
    this.now = this.#clock.now();
    for (const [name, wait] of this.#waits) {
      if (wait.on()) continue;
      this.#waits.delete(name);
      wait.done?.();
    }
    if (!this.#waits.size) this.hostDisconnected();
    this.#host.requestUpdate();
  }
}
