// Runs async work now and then every interval, never two runs at once: a run that outlasts the
// interval makes the next tick skip instead of overlapping it. stop() ends the timer and waits for
// a run in flight, so the database is not closed under it.

export interface Periodic {
  /** Runs the work now (or joins the run in flight). */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

export function every(intervalMs: number, work: () => Promise<void>, onError: (err: unknown) => void): Periodic {
  let running: Promise<void> | undefined;
  let stopped = false;
  const runNow = (): Promise<void> => {
    if (running) return running;
    if (stopped) return Promise.resolve();
    running = work()
      .catch(onError)
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void runNow(), intervalMs);
  // The timer does not keep the process alive.
  timer.unref();
  return {
    runNow,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
