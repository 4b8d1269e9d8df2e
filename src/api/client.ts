/**
 * DOM-free client for the user service's application API. It owns the transport rules:
 * cookies included, a timeout and an AbortSignal on every request, GETs retried with backoff,
 * POSTs never retried (RFC 9110 9.2.2: a login retried behind the user's back would also spend
 * their lockout budget), every failure turned into one `LatchApiError`.
 */
import type * as z from 'zod/mini';
import { currentClock, type Clock } from '../controllers/countdown.js';
import { LatchApiError, parseRetryAfter } from './errors.js';
import {
  errorBodySchema,
  loginSuccessSchema,
  logoutSchema,
  platformConfigSchema,
  sessionSchema,
  type LoginSuccess,
  type PlatformConfig,
  type User,
} from './schemas.js';

/** A phone as the service takes it: national number and country calling code without `+`. */
export interface Phone {
  mobile: string;
  country_code: string;
}

/** Where a one-time code goes: a phone or an email address. */
export type Destination = Phone | { email: string };

export type SocialProvider = 'google' | 'facebook' | 'apple';

/** `send` for a first code, `resend` with the previous answer's resend token. */
export interface Resend {
  action?: 'send' | 'resend';
  token?: string;
  captcha_code?: string;
}

export interface LatchClientOptions {
  /** Origin (and optional path prefix) of the user service; '' means the page's own origin. */
  apiBase?: string;
  applicationId?: string;
  /** Sent as `Authorization: Bearer base64(application_id:application_token)`, as the service expects. */
  applicationToken?: string;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number;
  /** Extra attempts for failed GETs. */
  getRetries?: number;
  /**
   * Base backoff between GET attempts, doubled each time, with jitter: the n-th pause is at least
   * half of `retryDelayMs * 2^(n-1)` and less than all of it.
   */
  retryDelayMs?: number;
  fetch?: typeof fetch;
  /**
   * Times each request out and each retry pause; default: the elements' clock
   * (controllers/countdown.ts), which tests move by hand.
   */
  clock?: Clock;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

interface Call<T> {
  method: Method;
  path: string;
  schema: z.ZodMiniType<T>;
  body?: unknown;
  /** Adds `?platform=<application id>`, as the contract's "plat" endpoints take it. */
  platform?: boolean;
  signal?: AbortSignal;
}

const USER = '/service/application/user';
/** The platform config, the first request of every element (and the one a page may preload). */
export const CONFIG_PATH = `${USER}/platform/v1.0/config`;

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export class LatchClient {
  readonly apiBase: string;
  readonly applicationId: string;
  readonly #applicationToken?: string;
  readonly #timeoutMs: number;
  readonly #getRetries: number;
  readonly #retryDelayMs: number;
  readonly #fetchImpl: typeof fetch;
  readonly #clock: Clock;

  constructor(options: LatchClientOptions = {}) {
    this.apiBase = (options.apiBase ?? '').replace(/\/+$/, '');
    this.applicationId = options.applicationId ?? '';
    this.#applicationToken = options.applicationToken;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    this.#getRetries = options.getRetries ?? 2;
    this.#retryDelayMs = options.retryDelayMs ?? 400;
    // Bound so that a `fetch` taken from `window` is not called with the client as `this`.
    this.#fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.#clock = options.clock ?? currentClock();
  }

  getPlatformConfig(options: RequestOptions = {}): Promise<PlatformConfig> {
    return this.#call({ method: 'GET', path: CONFIG_PATH, schema: platformConfigSchema, ...options });
  }

  loginWithPassword(
    body: { username: string; password: string; captcha_code?: string },
    options: RequestOptions = {},
  ): Promise<LoginSuccess> {
    return this.#call({
      method: 'POST',
      path: `${USER}/authentication/v1.0/login/password`,
      schema: loginSuccessSchema,
      body,
      ...options,
    });
  }

  /** The signed-in user, or null when there is no session (the service answers 401). */
  async getSession(options: RequestOptions = {}): Promise<User | null> {
    try {
      const { user } = await this.#call({
        method: 'GET',
        path: `${USER}/authentication/v1.0/session`,
        schema: sessionSchema,
        ...options,
      });
      return user;
    } catch (error) {
      if (error instanceof LatchApiError && error.kind === 'http' && error.status === 401) return null;
      throw error;
    }
  }

  async logout(options: RequestOptions = {}): Promise<void> {
    await this.#call({ method: 'GET', path: `${USER}/authentication/v1.0/logout`, schema: logoutSchema, ...options });
  }


  /**
   * Any application endpoint: `path` is relative to `/service/application/user` (for example
   * `/authentication/v1.0/sessions`) and may carry a query. The typed methods above and the
   * account elements' API modules are built on it; the transport rules are the same for all.
   */
  request<T>(method: Method, path: string, schema: z.ZodMiniType<T>, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.#call({ method, path: `${USER}${path}`, schema, body, platform: method !== 'GET', ...options });
  }


  #url(path: string, platform?: boolean): string {
    const query = platform && this.applicationId ? `${path.includes('?') ? '&' : '?'}platform=${encodeURIComponent(this.applicationId)}` : '';
    return `${this.apiBase}${path}${query}`;
  }

  #headers(hasBody: boolean): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json' };
    // A JSON body makes the request non-simple, so a cross-site form cannot forge it.
    if (hasBody) headers['content-type'] = 'application/json';
    if (this.#applicationToken) {
      headers.authorization = `Bearer ${btoa(`${this.applicationId}:${this.#applicationToken}`)}`;
    }
    return headers;
  }

  /**
   * A fetch that fails without an answer looks the same to a script whether the network is down or
   * the browser withheld a cross-origin answer (CORS). Against a service on another origin, while
   * the browser says it is online, a no-cors GET of the config tells them apart: it resolves (with
   * an unreadable answer) whenever the service is reachable at all, so the refusal was CORS.
   */
  async #explainNetwork(error: LatchApiError, signal?: AbortSignal): Promise<LatchApiError> {
    const page = pageOrigin();
    let service = page;
    let stop: (() => void) | undefined;
    try {
      service = new URL(this.apiBase, page).origin;
      if (service === page || navigator.onLine === false) return error;
      let probe: AbortSignal;
      [probe, stop] = this.#deadline(Math.min(this.#timeoutMs, 5000));
      await this.#fetchImpl(`${this.apiBase}${CONFIG_PATH}`, {
        mode: 'no-cors',
        credentials: 'omit',
        cache: 'no-store',
        signal: signal ? AbortSignal.any([probe, signal]) : probe,
      });
    } catch {
      // No page (Node), an unreadable api-base, or the probe failed too: the network it is.
      return error;
    } finally {
      stop?.();
    }
    return new LatchApiError(`CORS: the service at ${service} does not allow ${page}; add ${page} to ALLOWED_ORIGINS on the service`, {
      kind: 'cors',
      cause: error.cause,
    });
  }

  async #call<T>(call: Call<T>): Promise<T> {
    const attempts = call.method === 'GET' ? this.#getRetries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#once(call);
      } catch (error) {
        if (attempt >= attempts || !retryable(error)) throw error;
        // Half the backoff, plus up to half again at random (whole ms): a pause never shrinks to
        // nothing, and clients one failure hit together do not all come back together.
        const half = (this.#retryDelayMs * 2 ** (attempt - 1)) / 2;
        await this.#pause(half + Math.floor(Math.random() * half), call.signal);
      }
    }
  }

  /** Waits `ms` on the client's clock; a cancel by the caller ends the wait at once and clears its timer. */
  #pause(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const stop = this.#clock.after(ms, () => {
        signal?.removeEventListener('abort', cancel);
        resolve();
      });
      const cancel = () => {
        stop();
        reject(new LatchApiError('Request cancelled', { kind: 'aborted' }));
      };
      if (signal?.aborted) cancel();
      else signal?.addEventListener('abort', cancel, { once: true });
    });
  }

  /**
   * A signal the client's clock aborts after `ms` (as `AbortSignal.timeout` would, but on a clock a
   * test can move), and the stop that clears its timer once the request has settled.
   */
  #deadline(ms: number): [AbortSignal, () => void] {
    const timeout = new AbortController();
    return [timeout.signal, this.#clock.after(ms, () => timeout.abort(new DOMException('signal timed out', 'TimeoutError')))];
  }

  async #once<T>(call: Call<T>): Promise<T> {
    if (call.signal?.aborted) throw new LatchApiError('Request cancelled', { kind: 'aborted' });
    const [timeout, stop] = this.#deadline(this.#timeoutMs);
    try {
      return await this.#exchange(call, timeout);
    } finally {
      stop();
    }
  }

  /** One request and its answer, read and checked; `timeout` covers both. */
  async #exchange<T>(call: Call<T>, timeout: AbortSignal): Promise<T> {
    const signal = call.signal ? AbortSignal.any([timeout, call.signal]) : timeout;
    let response: Response;
    try {
      response = await this.#fetchImpl(this.#url(call.path, call.platform), {
        method: call.method,
        headers: this.#headers(call.body !== undefined),
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        // Cookies always, in CORS mode: the same request as a `<link rel="preload" as="fetch"
        // crossorigin="use-credentials">`, so a page's preload of the config is used (tested).
        credentials: 'include',
        cache: 'no-store',
        signal,
      });
    } catch (cause) {
      const error = transportError(cause, call.signal, timeout);
      throw error.kind === 'network' ? await this.#explainNetwork(error, call.signal) : error;
    }

    let json: unknown;
    let readable = true;
    try {
      // `null` fields are dropped while parsing, so schemas only need "optional", not "nullable".
      json = JSON.parse(await response.text(), (_key, value) => (value === null ? undefined : value));
    } catch (cause) {
      if (call.signal?.aborted || timeout.aborted) throw transportError(cause, call.signal, timeout);
      readable = false;
    }

    if (!response.ok) throw httpError(response, readable ? json : undefined);
    const parsed = readable ? call.schema.safeParse(json) : undefined;
    if (!parsed?.success) {
      throw new LatchApiError('The service sent a response that could not be read', {
        kind: 'malformed',
        status: response.status,
        requestId: response.headers.get('x-request-id') ?? undefined,
        cause: parsed?.error,
      });
    }
    return parsed.data;
  }
}

/** The page's origin, or undefined outside a page (Node tests, workers without a location). */
const pageOrigin = (): string | undefined => globalThis.location?.origin;

function transportError(cause: unknown, caller: AbortSignal | undefined, timeout: AbortSignal): LatchApiError {
  if (caller?.aborted) return new LatchApiError('Request cancelled', { kind: 'aborted', cause });
  if (timeout.aborted) return new LatchApiError('The service did not answer in time', { kind: 'timeout', cause });
  return new LatchApiError('The service could not be reached', { kind: 'network', cause });
}

function httpError(response: Response, json: unknown): LatchApiError {
  const parsed = errorBodySchema.safeParse(json);
  const body = parsed.success ? parsed.data : {};
  // The service's own answer to a request from another site: a set-up problem, not the shopper's.
  const crossSite = response.status === 403 && body.code === 'CROSS_SITE_REQUEST';
  const message = crossSite
    ? `Cross-site: the service refused ${pageOrigin()}; serve the storefront and the service from the same site (shop.example.com, id.example.com) and list the storefront in ALLOWED_ORIGINS`
    : body.message || response.statusText || `HTTP ${response.status}`;
  return new LatchApiError(message, {
    kind: crossSite ? 'cross-site' : 'http',
    status: response.status,
    code: body.code == null ? undefined : String(body.code),
    requestId: body.request_id ?? response.headers.get('x-request-id') ?? undefined,
    isDeleted: body.meta?.is_deleted === true || body.is_deleted === true,
    deleteOn: typeof body.meta?.delete_on === 'string' ? body.meta.delete_on : undefined,
    retryAfter: response.status === 429 ? parseRetryAfter(response.headers.get('retry-after')) : undefined,
    locked: body.meta?.locked === 'account' || body.meta?.locked === 'network' ? body.meta.locked : undefined,
    otpLogin: typeof body.meta?.otp_login === 'boolean' ? body.meta.otp_login : undefined,
    fields: fieldMessages(body.meta?.fields),
  });
}

/** `meta.fields` as path -> message, keeping only text messages (it is shown to the shopper as text). */
function fieldMessages(fields: unknown): Record<string, string> | undefined {
  if (!fields || typeof fields !== 'object') return undefined;
  return Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** Worth another GET: no answer, or a server/gateway failure that may pass. Not 4xx, not 429. */
function retryable(error: unknown): boolean {
  if (!(error instanceof LatchApiError)) return false;
  if (error.kind === 'network' || error.kind === 'timeout') return true;
  return error.kind === 'http' && error.status >= 500 && error.status !== 501;
}
