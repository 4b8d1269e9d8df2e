// Sliding-window limits for failed sign-ins, code sends and checks, registrations and the like.
// The counts live in the database (store/limits.ts), so every instance of the service on one
// database counts against the same limit: ten wrong passwords spread over two instances lock as ten.
// A limiter is a named rule (bucket, limit, window) over that one shared store.
import type { LimitRule, LimitStatus, LimitStore } from '../store/limits';

export type { LimitStatus } from '../store/limits';

export class SlidingWindowLimiter {
  readonly store: LimitStore;
  readonly rule: LimitRule;

  /** `bucket` names the rule in the shared table; it includes the application, so apps sharing a database count apart. */
  constructor(store: LimitStore, bucket: string, limit: number, windowMs: number) {
    this.store = store;
    this.rule = { bucket, limit, windowMs };
  }

  check(key: string): Promise<LimitStatus> {
    return this.store.check(this.rule, key);
  }

  hit(key: string): Promise<void> {
    return this.store.hit(this.rule, key);
  }

  reset(key: string): Promise<void> {
    return this.store.reset(this.rule, key);
  }

  /** Takes back the newest counted hit of `key`: a reserved attempt that turned out to succeed. */
  release(key: string): Promise<void> {
    return this.store.release(this.rule, key);
  }
}

/**
 * Counts an attempt in every (limiter, key) pair before the slow work (a password hash) starts, so
 * parallel attempts cannot all pass a check made before any of them failed. Returns the refusal
 * when one pair is already full (nothing is counted then), or null when the attempt may go on; the
 * caller forgives the attempt on success (reset or release).
 */
export function reserveAttempt(pairs: [SlidingWindowLimiter, string][]): Promise<{ status: LimitStatus; index: number } | null> {
  if (pairs.length === 0) return Promise.resolve(null);
  // One transaction over every pair, each key locked, across all instances (LimitStore.reserve).
  return pairs[0]![0].store.reserve(pairs.map(([limiter, key]) => [limiter.rule, key] as const));
}

/**
 * Gives back an attempt reserveAttempt counted when no guess was checked after all: the hashing
 * queue was full (503) or the client left while waiting (499). A busy server must not use up a
 * shopper's attempts.
 */
export async function releaseAttempt(pairs: [SlidingWindowLimiter, string][]): Promise<void> {
  for (const [limiter, key] of pairs) await limiter.release(key);
}
