// SQL for the platform admin's customer endpoints (routes/platform-customers.ts through
// services/customers.ts): searching users, blocking and archiving, the admin's session views, and
// rewriting a user's columns and contact lists.
import type { Param, Sql } from './sql';
import type { AccountRow } from './accounts';

/** LIKE pattern for a substring, with the wildcards a shopper's name or email may contain escaped. */
function likeSubstring(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * One page of the application's users, newest first, optionally narrowed to a substring of the
 * names, username or an email, or (`digits`) of a phone number with or without its country code.
 */
export async function searchUsers(
  sql: Sql,
  applicationId: string,
  query: { text: string; digits: string | null } | undefined,
  page: { size: number; current: number },
): Promise<{ rows: AccountRow[]; total: number }> {
  let where = 'u.application_id = ?';
  const params: Param[] = [applicationId];
  if (query) {
    const like = likeSubstring(query.text);
    where += ` AND (lower(u.first_name) LIKE lower(?) ESCAPE '\\' OR lower(u.last_name) LIKE lower(?) ESCAPE '\\'
      OR lower(u.first_name || ' ' || u.last_name) LIKE lower(?) ESCAPE '\\' OR lower(u.username) LIKE lower(?) ESCAPE '\\'
      OR EXISTS (SELECT 1 FROM user_emails e WHERE e.user_id = u.id AND lower(e.email) LIKE lower(?) ESCAPE '\\')`;
    params.push(like, like, like, like, like);
    if (query.digits !== null) {
      const digits = likeSubstring(query.digits);
      where += ` OR EXISTS (SELECT 1 FROM user_phones p WHERE p.user_id = u.id
            AND (lower(p.phone) LIKE lower(?) ESCAPE '\\' OR lower(CAST(p.country_code AS TEXT) || p.phone) LIKE lower(?) ESCAPE '\\'))`;
      params.push(digits, digits);
    }
    where += ')';
  }
  const total = Number((await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM users u WHERE ${where}`, ...params))!.n);
  const rows = await sql.all<AccountRow>(
    `SELECT u.* FROM users u WHERE ${where} ORDER BY u.created_at DESC, u.id DESC LIMIT ? OFFSET ?`,
    ...params,
    page.size,
    (page.current - 1) * page.size,
  );
  return { rows, total };
}

export async function userIdsByEmailKey(sql: Sql, applicationId: string, emailKey: string): Promise<string[]> {
  const rows = await sql.all<{ id: string }>('SELECT user_id AS id FROM user_emails WHERE application_id = ? AND email_key = ?', applicationId, emailKey);
  return rows.map((r) => r.id);
}

/** "9876543210" (national), "919876543210" and "+91 98765 43210" (with the code) all match. */
export async function userIdsByPhoneDigits(sql: Sql, applicationId: string, digits: string): Promise<string[]> {
  const rows = await sql.all<{ id: string }>(
    `SELECT user_id AS id FROM user_phones WHERE application_id = ?
     AND (phone = ? OR (CAST(country_code AS TEXT) || phone) = ?)`,
    applicationId,
    digits,
    digits,
  );
  return rows.map((r) => r.id);
}

export async function unblockUser(q: Sql, userId: string, now: number): Promise<void> {
  await q.run('UPDATE users SET active = 1, archived = 0, blocked_reason = NULL, updated_at = ? WHERE id = ?', now, userId);
}

export async function blockUser(q: Sql, userId: string, reason: string | null, now: number): Promise<void> {
  await q.run('UPDATE users SET active = 0, blocked_reason = ?, updated_at = ? WHERE id = ?', reason, now, userId);
}

export async function archiveUser(q: Sql, userId: string, now: number): Promise<void> {
  await q.run('UPDATE users SET archived = 1, active = 0, updated_at = ? WHERE id = ?', now, userId);
}

/** Records the cookie domain of an admin-made session and returns the session's public id. */
export async function labelSession(sql: Sql, idHash: string, domain: string): Promise<string> {
  await sql.run('UPDATE sessions SET domain = ? WHERE id_hash = ?', domain, idHash);
  return (await sql.get<{ public_id: string }>('SELECT public_id FROM sessions WHERE id_hash = ?', idHash))!.public_id;
}

export interface AdminSessionRow {
  public_id: string;
  user_agent: string;
  ip: string;
  domain: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export async function liveSessions(sql: Sql, userId: string, now: number): Promise<AdminSessionRow[]> {
  return sql.all<AdminSessionRow>(
    `SELECT public_id, user_agent, ip, domain, created_at, last_seen_at, expires_at FROM sessions
     WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC, public_id`,
    userId,
    now,
  );
}

export async function endSessionByPublicId(sql: Sql, userId: string, publicId: string): Promise<number> {
  return (await sql.run('DELETE FROM sessions WHERE user_id = ? AND public_id = ?', userId, publicId)).changes;
}

export async function liveSessionIds(q: Sql, userId: string, now: number): Promise<string[]> {
  return (await q.all<{ public_id: string }>('SELECT public_id FROM sessions WHERE user_id = ? AND expires_at > ?', userId, now)).map((r) => r.public_id);
}

/** Sets user columns; `columns` names come from the caller's fixed list, never from input. */
export async function updateUserColumns(q: Sql, userId: string, columns: [string, Param][]): Promise<void> {
  await q.run(`UPDATE users SET ${columns.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`, ...columns.map(([, v]) => v), userId);
}

export interface StoredEmail {
  id: number;
  email_key: string;
  active: number;
  verified: number;
}

export interface StoredPhone {
  id: number;
  phone: string;
  country_code: number;
  active: number;
  verified: number;
}

export async function emailsOf(q: Sql, userId: string): Promise<StoredEmail[]> {
  return q.all<StoredEmail>('SELECT id, email_key, active, verified FROM user_emails WHERE user_id = ?', userId);
}

export async function phonesOf(q: Sql, userId: string): Promise<StoredPhone[]> {
  return q.all<StoredPhone>('SELECT id, phone, country_code, active, verified FROM user_phones WHERE user_id = ?', userId);
}

export async function deleteEmail(q: Sql, id: number): Promise<void> {
  await q.run('DELETE FROM user_emails WHERE id = ?', id);
}

export async function deletePhone(q: Sql, id: number): Promise<void> {
  await q.run('DELETE FROM user_phones WHERE id = ?', id);
}

export async function updateEmail(q: Sql, id: number, email: string, flags: { primary: number; active: number; verified: number }): Promise<void> {
  await q.run('UPDATE user_emails SET email = ?, is_primary = ?, active = ?, verified = ? WHERE id = ?', email, flags.primary, flags.active, flags.verified, id);
}

export async function updatePhone(q: Sql, id: number, flags: { primary: number; active: number; verified: number }): Promise<void> {
  await q.run('UPDATE user_phones SET is_primary = ?, active = ?, verified = ? WHERE id = ?', flags.primary, flags.active, flags.verified, id);
}
