// A bounded, fair queue for password hashing. Each scrypt call holds a libuv thread and 32 MiB for
// about a third of a second, so an unbounded pile of them makes every login wait behind everyone
// else's. Here each client (keyed by its address) gets its own sub-queue and the sub-queues are
// served round-robin: a client sending a storm of logins waits behind its own requests, not in
// front of everyone else's. Past a bound per client (and a larger one overall) the work is refused
// at once, so the caller can answer 503 with Retry-After instead of queueing for minutes. Work whose
// client has gone (its AbortSignal fired) leaves the queue without being hashed.
import { availableParallelism } from 'node:os';
import { ApiError } from '../shared/errors';

export interface HashQueueOptions {
  /** Hashes run at once; more than the cores only adds latency (and 32 MiB each). */
  concurrency: number;
  /** Waiting jobs one client may have; the next one is refused. */
  maxWaitingPerClient: number;
  /** Waiting jobs over all clients; the next one is refused. */
  maxWaiting: number;
}

/** Thrown when a job does not fit in the queue; `retryAfterSeconds` estimates when it would. */
export class HashQueueFullError extends Error {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super('The password hashing queue is full');
    this.name = 'HashQueueFullError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Thrown when the job's signal fired before it started: the client is gone, nobody waits for it. */
export class HashQueueAbortedError extends Error {
  constructor() {
    super('The client went away before its password was hashed');
    this.name = 'HashQueueAbortedError';
  }
}

interface Job {
  client: string;
  task: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * The thread-pool size the service wants: at least libuv's default of 4 (files and DNS share the
 * pool with hashing), and one more than the hashing concurrency so a full hashing load never
 * starves the rest. bin/latch-server.cjs sets it before the pool starts.
 */
export function threadPoolSize(cores: number = availableParallelism()): number {
  return Math.max(4, defaultHashConcurrency(cores) + 1);
}

/**
 * One hash per core but one: scrypt is CPU-bound, so more at once only stretches every one of
 * them, and the core left over keeps the event loop (HTTP, SQLite) answering during a login storm.
 */
export function defaultHashConcurrency(cores: number = availableParallelism()): number {
  return Math.max(1, cores - 1);
}

export function defaultHashQueueOptions(cores: number = availableParallelism()): HashQueueOptions {
  const concurrency = defaultHashConcurrency(cores);
  return { concurrency, maxWaitingPerClient: Math.max(4, 4 * concurrency), maxWaiting: Math.max(64, 64 * concurrency) };
}

export class HashQueue {
  readonly #options: HashQueueOptions;
  /** Waiting jobs per client. Map order is the round-robin order: a served client moves to the end. */
  readonly #waiting = new Map<string, Job[]>();
  #waitingCount = 0;
  #running = 0;
  /** Moving average of a job's duration, for Retry-After. Starts at a typical production hash. */
  #averageMs = 300;
  readonly #now: () => number;

  constructor(options: HashQueueOptions, now: () => number = () => performance.now()) {
    if (!(options.concurrency >= 1) || !(options.maxWaitingPerClient >= 0) || !(options.maxWaiting >= 0)) {
      throw new Error('HashQueue: concurrency must be at least 1 and the bounds not negative');
    }
    this.#options = { ...options };
    this.#now = now;
  }

  get options(): Readonly<HashQueueOptions> {
    return this.#options;
  }

  /** Jobs running now. */
  get running(): number {
    return this.#running;
  }

  /** Jobs waiting, for one client or for all. */
  waiting(client?: string): number {
    return client === undefined ? this.#waitingCount : (this.#waiting.get(client)?.length ?? 0);
  }

  /**
   * Runs `task` when a slot is free and this client's turn has come. Rejects at once with
   * HashQueueFullError when the bounds are reached, and with HashQueueAbortedError when `signal`
   * fires while the job still waits (a job already running finishes; scrypt cannot be stopped).
   */
  run<T>(client: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(new HashQueueAbortedError());
    if (this.#running < this.#options.concurrency && this.#waitingCount === 0) {
      return this.#start(task);
    }
    const mine = this.#waiting.get(client);
    if ((mine?.length ?? 0) >= this.#options.maxWaitingPerClient || this.#waitingCount >= this.#options.maxWaiting) {
      return Promise.reject(new HashQueueFullError(this.#retryAfter((mine?.length ?? 0) + 1)));
    }
    return new Promise<T>((resolve, reject) => {
      const job: Job = { client, task, resolve: resolve as (v: unknown) => void, reject, signal, onAbort: undefined };
      if (signal) {
        job.onAbort = () => {
          if (this.#remove(job)) reject(new HashQueueAbortedError());
        };
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      if (mine) mine.push(job);
      else this.#waiting.set(client, [job]);
      this.#waitingCount++;
    });
  }

  /**
   * Whether a job from `client` would be refused now; the seconds to wait when it would. Lets a
   * route refuse before it parses, looks up or counts anything, so a refused request stays cheap.
   */
  wouldRefuse(client: string): number | undefined {
    if (this.#running < this.#options.concurrency && this.#waitingCount === 0) return undefined;
    const mine = this.waiting(client);
    if (mine >= this.#options.maxWaitingPerClient || this.#waitingCount >= this.#options.maxWaiting) return this.#retryAfter(mine + 1);
    return undefined;
  }

  /** Seconds until `position` jobs of one client would have had their turn, at least 1. */
  #retryAfter(position: number): number {
    const clients = Math.max(1, this.#waiting.size);
    const seconds = (position * clients * this.#averageMs) / this.#options.concurrency / 1000;
    return Math.max(1, Math.ceil(seconds));
  }

  #remove(job: Job): boolean {
    const list = this.#waiting.get(job.client);
    const index = list ? list.indexOf(job) : -1;
    if (!list || index < 0) return false;
    list.splice(index, 1);
    if (list.length === 0) this.#waiting.delete(job.client);
    this.#waitingCount--;
    return true;
  }

  #start<T>(task: () => Promise<T>): Promise<T> {
    this.#running++;
    const started = this.#now();
    const done = (): void => {
      this.#running--;
      this.#averageMs = 0.8 * this.#averageMs + 0.2 * Math.max(0, this.#now() - started);
      this.#next();
    };
    let promise: Promise<T>;
    try {
      promise = task();
    } catch (err) {
      promise = Promise.reject(err);
    }
    return promise.finally(done);
  }

  /** Starts the first waiting job of the next client in turn, and moves that client to the end. */
  #next(): void {
    while (this.#running < this.#options.concurrency && this.#waitingCount > 0) {
      const [client, list] = this.#waiting.entries().next().value as [string, Job[]];
      const job = list.shift()!;
      this.#waiting.delete(client);
      if (list.length > 0) this.#waiting.set(client, list);
      this.#waitingCount--;
      if (job.signal && job.onAbort) job.signal.removeEventListener('abort', job.onAbort);
      this.#start(job.task).then(job.resolve, job.reject);
    }
  }
}

function serviceBusy(retryAfter: number): ApiError {
  return new ApiError(503, 'SERVICE_BUSY', 'Too many sign-ins are being checked right now. Please try again in a moment.', {
    headers: { 'Retry-After': String(retryAfter) },
    meta: { retry_after: retryAfter },
  });
}

/** Throws 503 SERVICE_BUSY when a hash for `client` would be refused now (see wouldRefuse). */
export function refuseWhenFull(queue: HashQueue, client: string): void {
  const retryAfter = queue.wouldRefuse(client);
  if (retryAfter !== undefined) throw serviceBusy(retryAfter);
}

/**
 * Runs one password hash for `client` through the queue and turns the queue's refusals into API
 * errors: 503 SERVICE_BUSY with Retry-After when full, 499 when the client has gone (nobody reads it).
 */
export async function queuedHash<T>(
  queue: HashQueue,
  client: string,
  signal: AbortSignal | undefined,
  task: () => Promise<T>,
): Promise<T> {
  try {
    return await queue.run(client, task, signal);
  } catch (err) {
    if (err instanceof HashQueueFullError) throw serviceBusy(err.retryAfterSeconds);
    if (err instanceof HashQueueAbortedError) throw new ApiError(499, 'CLIENT_CLOSED_REQUEST', err.message);
    throw err;
  }
}

/**
 * Queue settings from the environment, for the standalone service: HASH_CONCURRENCY,
 * HASH_QUEUE_PER_CLIENT and HASH_QUEUE_MAX override the defaults (see defaultHashQueueOptions).
 */
export function hashQueueOptionsFromEnv(env: NodeJS.ProcessEnv): Partial<HashQueueOptions> {
  const read = (name: string, min: number): number | undefined => {
    const v = env[name]?.trim();
    if (!v) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}, got "${v}"`);
    return n;
  };
  const options: Partial<HashQueueOptions> = {};
  const concurrency = read('HASH_CONCURRENCY', 1);
  const perClient = read('HASH_QUEUE_PER_CLIENT', 0);
  const max = read('HASH_QUEUE_MAX', 0);
  if (concurrency !== undefined) options.concurrency = concurrency;
  if (perClient !== undefined) options.maxWaitingPerClient = perClient;
  if (max !== undefined) options.maxWaiting = max;
  return options;
}

/**
 * A hash that is nice to have (upgrading an old hash after a successful sign-in): undefined when
 * the queue refuses it, so a busy queue never turns a correct password into a 503. The upgrade
 * then happens at a later sign-in.
 */
export async function optionalHash(queue: HashQueue, client: string, task: () => Promise<string>): Promise<string | undefined> {
  try {
    return await queue.run(client, task);
  } catch (err) {
    if (err instanceof HashQueueFullError) return undefined;
    throw err;
  }
}
