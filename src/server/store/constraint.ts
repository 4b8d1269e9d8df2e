// Recognising a unique-index violation from either database, so a race that the index settles
// becomes the same clear 409 on SQLite and on PostgreSQL.

/** True when `err` is a unique constraint failure (SQLite's code or PostgreSQL's SQLSTATE 23505). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}
