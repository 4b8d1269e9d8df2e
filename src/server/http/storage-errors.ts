// Storage failures the service cannot fix by itself but recovers from once they pass: a full disk,
// an I/O error, or (PostgreSQL) a database server that is gone or restarting (store/sql-errors.ts).
// They become one clear 503 and one log line per request instead of a stack trace each; the
// database rolls the failed write back, so the next write simply works again once it has passed.
import { ApiError } from '../shared/errors';
import { storageFailure as storageFailureOf } from '../store/sql-errors';

/** Seconds a client is told to wait before trying a write again. */
export const STORAGE_RETRY_AFTER_SECONDS = 30;

/**
 * The failure's short name (SQLITE_FULL, SQLITE_IOERR_*, postgres_disk_full, postgres_unavailable…)
 * when `err` is a full disk, an I/O failure or a lost database server, else undefined.
 */
export const storageFailure = storageFailureOf;

export function storageUnavailable(): ApiError {
  return new ApiError(503, 'STORAGE_UNAVAILABLE', 'The service cannot save changes right now. Please try again in a few minutes.', {
    headers: { 'Retry-After': String(STORAGE_RETRY_AFTER_SECONDS) },
    meta: { retry_after: STORAGE_RETRY_AFTER_SECONDS },
  });
}
