// Recognising database errors the service answers on purpose, whichever database raised them:
// SQLite (better-sqlite3 puts a SQLITE_* string in `code`) or PostgreSQL (`pg` puts the five-character
// SQLSTATE in `code`; sql-postgres.ts tags a lost or refused connection PG_UNAVAILABLE). Store and
// service code asks these helpers instead of comparing codes, so it stays the same on both.

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A write broke a UNIQUE index or a primary key (the row exists already). PostgreSQL reports both as
 * 23505, so SQLite's primary-key variant counts too: callers must not depend on which it was.
 */
export function isUniqueViolation(err: unknown): boolean {
  const code = codeOf(err);
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** What sql-postgres.ts sets as `code` when the server cannot be reached or the connection broke. */
export const PG_UNAVAILABLE = 'PG_UNAVAILABLE';

// SQLSTATEs that mean "the database cannot take writes right now", not "this request was wrong".
const PG_STORAGE: Record<string, string> = {
  '53100': 'disk_full',
  '53200': 'out_of_memory',
  '53300': 'too_many_connections',
  '58030': 'io_error',
  '57P01': 'admin_shutdown',
  '57P02': 'crash_shutdown',
  '57P03': 'cannot_connect_now',
  '25006': 'read_only_sql_transaction', // a standby after failover
};

/**
 * A short name for a storage failure the service cannot fix but recovers from once it passes (a
 * full disk, an I/O error, the database server gone or restarting), or undefined for any other
 * error. The HTTP layer answers these with one 503 and one log line.
 */
export function storageFailure(err: unknown): string | undefined {
  const code = codeOf(err);
  if (code === undefined) return undefined;
  if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR' || code.startsWith('SQLITE_IOERR_')) return code;
  if (code === PG_UNAVAILABLE) return 'postgres_unavailable';
  const pg = PG_STORAGE[code];
  if (pg) return `postgres_${pg}`;
  // Class 08: connection exceptions, except 08P01 (a malformed message, which is a bug).
  if (/^08[0-9A-Z]{3}$/.test(code) && code !== '08P01') return 'postgres_connection_exception';
  return undefined;
}
