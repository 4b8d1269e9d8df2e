/**
 * A clock a test moves by hand, for countdowns and debounces: `Date.now`, `setInterval` and
 * `clearInterval` (and with `{ timeouts: true }` also `setTimeout` and `clearTimeout`) are replaced
 * until `restore()`. `advance(ms)` fires each timer as often as that much time would, in order. Keep
 * `setTimeout` real (the default) while the test waits with `until()`, which polls with it.
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
