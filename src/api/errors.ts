/**
 * The one error type the client throws. Elements branch on `kind` (what went wrong at the
 * transport level) and on `status`/`code` (what the service said), never on message text.
 */

/** `http`: the service answered with an error status. `network`: no answer at all (down, offline).
 * `cors`: the service answers but the browser withheld the answer, because the service does not
 * allow this page's origin (ALLOWED_ORIGINS). `cross-site`: the service refused a request from
 * another site (403 CROSS_SITE_REQUEST): storefront and service must share a site. `timeout`: no
 * answer in time. `malformed`: an answer we cannot read. `aborted`: the caller cancelled; elements
 * stay silent about it. `config`: the platform config itself is invalid. */
export type LatchErrorKind = 'http' | 'network' | 'cors' | 'cross-site' | 'timeout' | 'malformed' | 'aborted' | 'config';

export interface LatchErrorInit {
  kind: LatchErrorKind;
  status?: number;
  code?: string;
  requestId?: string;
  isDeleted?: boolean;
  deleteOn?: string;
  retryAfter?: number;
  locked?: 'account' | 'network';
  otpLogin?: boolean;
  /** Field problems the service named: path (`email`, `phone.mobile`) -> message. */
  fields?: Record<string, string>;
  cause?: unknown;
}

export class LatchApiError extends Error {
  override readonly name = 'LatchApiError';
  readonly kind: LatchErrorKind;
  /** HTTP status, 0 when there was no answer. */
  readonly status: number;
  readonly code?: string;
  readonly requestId?: string;
  /** The service refused a sign-in because the account is in its deletion grace period. */
  readonly isDeleted: boolean;
  /** When a locked account will be deleted for good (ISO date, the service's `meta.delete_on`). */
  readonly deleteOn?: string;
  /** Seconds to wait before trying again (from `Retry-After` on a 429). */
  readonly retryAfter?: number;
  /**
   * On a 429 for sign-in attempts (`meta.locked`): whose budget is spent, this account's password
   * tries (`account`) or the caller's address (`network`).
   */
  readonly locked?: 'account' | 'network';
  /** On that 429 (`meta.otp_login`): the store takes one-time codes, which the lock does not stop. */
  readonly otpLogin?: boolean;
  /** Field problems the service named: path (`email`, `phone.mobile`) -> message. */
  readonly fields?: Record<string, string>;

  constructor(message: string, init: LatchErrorInit) {
    super(message, { cause: init.cause });
    this.kind = init.kind;
    this.status = init.status ?? 0;
    this.code = init.code;
    this.requestId = init.requestId;
    this.isDeleted = init.isDeleted ?? false;
    this.deleteOn = init.deleteOn;
    this.retryAfter = init.retryAfter;
    this.locked = init.locked;
    this.otpLogin = init.otpLogin;
    this.fields = init.fields;
  }
}

export const isAbort = (error: unknown): boolean =>
  (error instanceof LatchApiError && error.kind === 'aborted') || (error as Error | undefined)?.name === 'AbortError';

/** Any thrown value as a `LatchApiError`; a non-API failure counts as an answer we could not use. */
export function toApiError(error: unknown): LatchApiError {
  if (error instanceof LatchApiError) return error;
  return new LatchApiError(error instanceof Error ? error.message : String(error), {
    kind: isAbort(error) ? 'aborted' : 'malformed',
    cause: error,
  });
}

/**
 * `Retry-After` is either delta-seconds or an HTTP-date (RFC 9110 10.2.3).
 * Returns whole seconds from `now`, at least 1, or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.max(1, Number(trimmed));
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(1, Math.ceil((at - now) / 1000));
}
