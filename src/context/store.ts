/**
 * Shared state of the latch elements on a page: one client, one platform config, one session.
 * `<latch-provider>` owns one store for all elements under it; an element without a provider
 * owns a store of its own. Elements read the store and re-render on its `change` event.
 */
import { LatchClient } from '../api/client.js';
import { LatchApiError, isAbort, toApiError } from '../api/errors.js';
import { platformConfigSchema, type PlatformConfig, type User } from '../api/schemas.js';
import type { LatchErrorDetail } from '../events.js';

export type ConfigState =
  | { status: 'loading' }
  | { status: 'ready'; config: PlatformConfig }
  | { status: 'error'; error: LatchApiError };

export type SessionState = { status: 'unknown' } | { status: 'signed-out' } | { status: 'signed-in'; user: User };

const CACHE_PREFIX = 'latch:config:';

function cacheStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    // Storage is blocked (privacy modes, sandboxed frames): no cache, not an error.
    return undefined;
  }
}

export function toErrorDetail(action: LatchErrorDetail['action'], error: LatchApiError): LatchErrorDetail {
  return {
    action,
    kind: error.kind,
    status: error.status,
    code: error.code,
    message: error.message,
    requestId: error.requestId,
  };
}

export class LatchStore extends EventTarget {
  config: ConfigState = { status: 'loading' };
  session: SessionState = { status: 'unknown' };
  /** Called for failures no shopper action caused (config, session check), so the owner can fire `latch-error`. */
  onError?: (detail: LatchErrorDetail) => void;
  readonly #controller = new AbortController();
  #started = false;
  /** Bumped by every config decision; a fetch that finishes after a newer one is ignored. */
  #configEpoch = 0;
  /** Bumped by every sign-in or sign-out, so a session check that started earlier cannot undo it. */
  #sessionEpoch = 0;
  #sessionCheck?: Promise<void>;

  constructor(readonly client: LatchClient) {
    super();
  }

  get #cacheKey(): string {
    return `${CACHE_PREFIX}${this.client.apiBase || location.origin}|${this.client.applicationId}`;
  }

  #changed(): void {
    this.dispatchEvent(new Event('change'));
  }

  #fail(action: LatchErrorDetail['action'], error: unknown): LatchApiError | undefined {
    if (isAbort(error)) return undefined;
    const apiError = toApiError(error);
    this.onError?.(toErrorDetail(action, apiError));
    return apiError;
  }

  /** Starts loading once: renders from the cached config at once, then revalidates it. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    const cached = this.#readCache();
    if (cached) this.#setReady(cached);
    void this.fetchConfig(Boolean(cached));
  }

  /** Uses an inline config instead of fetching one. Invalid input becomes a visible config error. */
  useConfig(value: unknown, invalid = 'The platform config is invalid'): void {
    this.#started = true;
    this.#configEpoch++;
    const parsed = platformConfigSchema.safeParse(value);
    if (parsed.success) {
      this.#setReady(parsed.data);
      return;
    }
    const error = new LatchApiError(invalid, { kind: 'config', cause: parsed.error });
    this.#fail('config', error);
    this.config = { status: 'error', error };
    this.#changed();
  }

  /**
   * Uses the config a page embedded as JSON (`<script type="application/json" id="…">`), checked
   * like a fetched one. JSON in such a script is never executed, so a strict CSP allows it.
   */
  useEmbeddedConfig(id: string): void {
    let value: unknown;
    try {
      // `null` read as absent, as in a fetched config.
      value = JSON.parse((document.getElementById(id) as HTMLScriptElement).text, (_key, v) => (v === null ? undefined : v));
    } catch {
      // Missing or not JSON: the schema check turns it into the same visible config error.
    }
    this.useConfig(value, `The platform config in #${id} is missing or invalid`);
  }

  /**
   * Asks the service for the config again (after an admin changed it, or when another tab says
   * so). What is on screen stays while the request runs; a failure keeps a working config.
   */
  refreshConfig(): Promise<void> {
    return this.fetchConfig(this.config.status === 'ready');
  }

  /**
   * Fetches the config. With a cached one on screen (`haveCache`) a failure changes nothing the
   * shopper sees; after an error the error stays up until the new answer, so a "Try again" button
   * keeps its place (and focus) while the retry runs.
   */
  async fetchConfig(haveCache = false): Promise<void> {
    const epoch = ++this.#configEpoch;
    try {
      const config = await this.client.getPlatformConfig({ signal: this.#controller.signal });
      if (epoch !== this.#configEpoch) return;
      this.#writeCache(config);
      this.#setReady(config);
    } catch (error) {
      if (epoch !== this.#configEpoch) return;
      const apiError = this.#fail('config', error instanceof LatchApiError && error.kind === 'malformed' ? configError(error) : error);
      if (!apiError || haveCache) return;
      this.config = { status: 'error', error: apiError };
      this.#changed();
    }
  }

  #setReady(config: PlatformConfig): void {
    this.config = { status: 'ready', config };
    this.#changed();
    // A disabled application sends nothing further.
    if (config.active !== false && this.session.status === 'unknown') void this.checkSession();
  }

  /** Asks the service who is signed in; one check at a time, and a sign-in or sign-out made meanwhile wins. */
  checkSession(): Promise<void> {
    this.#sessionCheck ??= (async () => {
      const epoch = this.#sessionEpoch;
      let next: SessionState;
      try {
        const user = await this.client.getSession({ signal: this.#controller.signal });
        next = user ? { status: 'signed-in', user } : { status: 'signed-out' };
      } catch (error) {
        this.#fail('session', error);
        // Unknown is treated as signed out: the form shows and a sign-in will settle it.
        next = { status: 'signed-out' };
      }
      this.#sessionCheck = undefined;
      if (epoch !== this.#sessionEpoch) return;
      this.session = next;
      this.#changed();
    })();
    return this.#sessionCheck;
  }

  /** Asks again after something changed at the service (a contact proven by a link): a check already on its way may predate the change. */
  async refreshSession(): Promise<void> {
    await this.#sessionCheck;
    return this.checkSession();
  }

  signedIn(user: User): void {
    this.#sessionEpoch++;
    this.session = { status: 'signed-in', user };
    this.#changed();
  }

  signedOut(): void {
    this.#sessionEpoch++;
    this.session = { status: 'signed-out' };
    this.#changed();
  }

  dispose(): void {
    this.#controller.abort();
  }

  #readCache(): PlatformConfig | undefined {
    try {
      const raw = cacheStorage()?.getItem(this.#cacheKey);
      if (!raw) return undefined;
      const parsed = platformConfigSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  #writeCache(config: PlatformConfig): void {
    try {
      cacheStorage()?.setItem(this.#cacheKey, JSON.stringify(config));
    } catch {
      // Quota or blocked storage: the cache is an optimisation only.
    }
  }
}

/** A config response that fails its schema is a configuration problem, shown as such. */
function configError(error: LatchApiError): LatchApiError {
  return new LatchApiError('The platform config is invalid', { kind: 'config', status: error.status, cause: error });
}
