/**
 * Pending states without timers: a widget pointed at `HOLD` (the test server's /__fault/hold, see
 * test/support/faults.mjs) sends its submissions into a hold; the test checks what the shopper sees
 * while they wait, then `release()`s them and checks the outcome. Importing this module also lets
 * go of anything still held after every test, so a test that fails while holding cannot stall the
 * ones after it.
 */
export const HOLD = '/__fault/hold';

export interface Released {
  /** Requests that were held and are now answered by the service. */
  released: number;
  /** Of those, the ones the browser had given up (aborted) while they were held. */
  abandoned: number;
}

/**
 * Waits until the service has this page's held request(s), passes them on, and resolves once the
 * service has answered them (the browser may still be handling the answer).
 */
export async function release(): Promise<Released> {
  const response = await fetch('/__fault/release', { method: 'POST' });
  return (await response.json()) as Released;
}

/** What this page has held at the test server now (`abandoned`: given up by the browser). */
export async function held(): Promise<{ held: number; abandoned: number }> {
  const response = await fetch('/__fault/held');
  return (await response.json()) as { held: number; abandoned: number };
}

/** Lets everything this page has held go at once, waiting for nothing (teardown). */
export async function releaseHeld(): Promise<void> {
  await fetch('/__fault/held', { method: 'DELETE' });
}

// A root hook: runs after every test of any file that imports this module.
afterEach(releaseHeld);
