// Storage failures the service cannot fix by itself but recovers from once they pass: a full disk
// (SQLITE_FULL) or an I/O error (SQLITE_IOERR_*). They become one clear 503 and one log line per
// request instead of a stack trace each; SQLite rolls the failed write back, so the next write
// simply works again once there is space.
import { ApiError } from '../shared/errors';

/** Seconds a client is told to wait before trying a write again. */
export const STORAGE_RETRY_AFTER_SECONDS = 30;

/** The SQLite error code when `err` is a full disk or an I/O failure, else undefined. */
export function storageFailure(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  return code === 'SQLITE_FULL' || code === 'SQLITE_IOERR' || code.startsWith('SQLITE_IOERR_') ? code : undefined;
}

export function storageUnavailable(): ApiError {
  return new ApiError(503, 'STORAGE_UNAVAILABLE', 'The service cannot save changes right now. Please try again in a few minutes.', {
    headers: { 'Retry-After': String(STORAGE_RETRY_AFTER_SECONDS) },
    meta: { retry_after: STORAGE_RETRY_AFTER_SECONDS },
  });
}
