// In-memory sliding-window limiter for failed logins, keyed per account and per IP. Memory is the
// right home for a single-process reference server: the counts only need to outlive the window,
// and a restart giving an attacker a fresh window is no worse than the window itself.
// Its methods return promises so a limiter kept in a shared database can take its place; the
// in-memory work itself stays synchronous, which keeps reserveAttempt atomic on one process.

export interface LimitStatus {
  limited: boolean;
  /** Seconds until the oldest counted failure leaves the window (0 when not limited). */
  retryAfterSeconds: number;
}

export class SlidingWindowLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #hits = new Map<string, number[]>();
  #lastSweep = 0;

  constructor(limit: number, windowMs: number, now: () => number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#now = now;
  }

  #recent(key: string, t: number): number[] {
    const list = this.#hits.get(key);
    if (!list) return [];
    const fresh = list.filter((at) => at > t - this.#windowMs);
    if (fresh.length === 0) this.#hits.delete(key);
    else if (fresh.length !== list.length) this.#hits.set(key, fresh);
    return fresh;
  }

  async check(key: string): Promise<LimitStatus> {
    return this.checkNow(key);
  }

  async hit(key: string): Promise<void> {
    this.hitNow(key);
  }

  async reset(key: string): Promise<void> {
    this.#hits.delete(key);
  }

  async release(key: string): Promise<void> {
    this.releaseNow(key);
  }

  /** check, synchronously: reserveAttempt uses it so nothing runs between its checks and hits. */
  checkNow(key: string): LimitStatus {
    const t = this.#now();
    const recent = this.#recent(key, t);
    if (recent.length < this.#limit) return { limited: false, retryAfterSeconds: 0 };
    // The request becomes possible once enough old failures have left the window.
    const freeAt = recent[recent.length - this.#limit]! + this.#windowMs;
    return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - t) / 1000)) };
  }

  hitNow(key: string): void {
    const t = this.#now();
    const recent = this.#recent(key, t);
    recent.push(t);
    // Only the newest `limit` entries can ever matter, which bounds memory per key.
    this.#hits.set(key, recent.slice(-this.#limit));
    this.#sweep(t);
  }

  /** Takes back the newest counted hit of `key`: a reserved attempt that turned out to succeed. */
  releaseNow(key: string): void {
    const list = this.#hits.get(key);
    if (!list) return;
    list.pop();
    if (list.length === 0) this.#hits.delete(key);
  }

  /** Drops keys whose failures have all aged out, at most once per window. */
  #sweep(t: number): void {
    if (t - this.#lastSweep < this.#windowMs) return;
    this.#lastSweep = t;
    for (const key of [...this.#hits.keys()]) this.#recent(key, t);
  }
}

/**
 * Counts an attempt in every (limiter, key) pair before the slow work (a password hash) starts, so
 * parallel attempts cannot all pass a check made before any of them failed. Returns the refusal
 * when one pair is already full (nothing is counted then), or null when the attempt may go on; the
 * caller forgives the attempt on success (reset or release).
 */
export async function reserveAttempt(pairs: [SlidingWindowLimiter, string][]): Promise<{ status: LimitStatus; index: number } | null> {
  // No await in here: on one process, checks and hits happen in one go.
  const statuses = pairs.map(([limiter, key]) => limiter.checkNow(key));
  let worst = -1;
  statuses.forEach((s, i) => {
    if (s.limited && (worst < 0 || s.retryAfterSeconds > statuses[worst]!.retryAfterSeconds)) worst = i;
  });
  if (worst >= 0) return { status: statuses[worst]!, index: worst };
  for (const [limiter, key] of pairs) limiter.hitNow(key);
  return null;
}

/**
 * Gives back an attempt reserveAttempt counted when no guess was checked after all: the hashing
 * queue was full (503) or the client left while waiting (499). A busy server must not use up a
 * shopper's attempts.
 */
export async function releaseAttempt(pairs: [SlidingWindowLimiter, string][]): Promise<void> {
  for (const [limiter, key] of pairs) await limiter.release(key);
}
