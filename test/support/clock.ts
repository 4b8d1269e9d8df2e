/**
 * A clock a test moves by hand, for countdowns: `Date.now`, `setInterval` and `clearInterval` are
 * replaced until `restore()`; `setTimeout` stays real, so waits on the page and in `until()` still
 * run. `advance(ms)` fires each interval as often as that much time would, in order.
 */
export interface FakeClock {
  advance(ms: number): void;
  restore(): void;
}

export function fakeClock(): FakeClock {
  const real = { now: Date.now, setInterval: window.setInterval, clearInterval: window.clearInterval };
  let now = real.now();
  let ids = 0;
  const timers = new Map<number, { run: () => void; every: number; next: number }>();
  Date.now = () => now;
  window.setInterval = ((run: () => void, every = 0) => {
    timers.set(++ids, { run, every: Math.max(1, every), next: now + Math.max(1, every) });
    return ids;
  }) as typeof window.setInterval;
  window.clearInterval = ((id?: number) => void timers.delete(id!)) as typeof window.clearInterval;
  return {
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.values()].filter((t) => t.next <= end).sort((a, b) => a.next - b.next)[0];
        if (!due) break;
        now = due.next;
        due.next += due.every;
        due.run();
      }
      now = end;
    },
    restore() {
      Object.assign(window, { setInterval: real.setInterval, clearInterval: real.clearInterval });
      Date.now = real.now;
    },
  };
}
