// SQL for social sign-in (services/social.ts): which provider account signs in as which user, and
// the email row the pre-hijacking check reads (the cut itself is store/contacts.ts keepOnlyProven).
import type { Sql } from './sql';

export async function identityOwner(q: Sql, applicationId: string, provider: string, subject: string): Promise<string | undefined> {
  const row = await q.get<{ user_id: string }>(
    'SELECT user_id FROM social_identities WHERE application_id = ? AND provider = ? AND subject = ?',
    applicationId,
    provider,
    subject,
  );
  return row?.user_id;
}

export async function touchIdentity(q: Sql, applicationId: string, provider: string, subject: string, now: number): Promise<void> {
  await q.run('UPDATE social_identities SET last_login_at = ? WHERE application_id = ? AND provider = ? AND subject = ?', now, applicationId, provider, subject);
}

export async function insertIdentity(q: Sql, applicationId: string, provider: string, subject: string, userId: string, now: number): Promise<void> {
  await q.run(
    `INSERT INTO social_identities (application_id, provider, subject, user_id, created_at, last_login_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
    applicationId,
    provider,
    subject,
    userId,
    now,
    now,
  );
}

/** The stored row of an email address (any account), for the pre-hijacking check. */
export async function emailRow(q: Sql, applicationId: string, emailKey: string): Promise<{ id: number; verified: number } | undefined> {
  return q.get<{ id: number; verified: number }>('SELECT id, verified FROM user_emails WHERE application_id = ? AND email_key = ?', applicationId, emailKey);
}
