// SQL for sign-ups waiting for their codes (pending_registrations; services/registration.ts has
// the rules). Only the SHA-256 of the register_token is kept.
import type { Channel } from './outbox';
import type { Sql } from './sql';

export interface PendingRegistration {
  token_hash: string;
  first_name: string;
  last_name: string;
  gender: string | null;
  email: string | null;
  email_key: string | null;
  phone: string | null;
  country_code: number | null;
  password_hash: string;
  consent: number;
  email_request_id: string | null;
  sms_request_id: string | null;
  email_verified: number;
  phone_verified: number;
  expires_at: number;
  created_at: number;
}

export type NewPendingRegistration = Omit<PendingRegistration, 'email_verified' | 'phone_verified'>;

/** Deletes the application's expired rows; returns how many went. */
export async function deleteExpiredPending(sql: Sql, applicationId: string, now: number): Promise<number> {
  return (await sql.run('DELETE FROM pending_registrations WHERE application_id = ? AND expires_at <= ?', applicationId, now)).changes;
}

export async function pendingByTokenHash(sql: Sql, applicationId: string, tokenHash: string): Promise<PendingRegistration | undefined> {
  return sql.get<PendingRegistration>('SELECT * FROM pending_registrations WHERE token_hash = ? AND application_id = ?', tokenHash, applicationId);
}

/** The registration whose code request (of that channel) this is. */
export async function pendingByRequestId(sql: Sql, applicationId: string, channel: Channel, requestId: string): Promise<PendingRegistration | undefined> {
  const column = channel === 'sms' ? 'sms_request_id' : 'email_request_id';
  return sql.get<PendingRegistration>(`SELECT * FROM pending_registrations WHERE ${column} = ? AND application_id = ?`, requestId, applicationId);
}

export async function insertPending(sql: Sql, applicationId: string, row: NewPendingRegistration): Promise<void> {
  await sql.run(
    `INSERT INTO pending_registrations (token_hash, application_id, first_name, last_name, gender, email, email_key,
       phone, country_code, password_hash, consent, email_request_id, sms_request_id, expires_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    row.token_hash,
    applicationId,
    row.first_name,
    row.last_name,
    row.gender,
    row.email,
    row.email_key,
    row.phone,
    row.country_code,
    row.password_hash,
    row.consent,
    row.email_request_id,
    row.sms_request_id,
    row.expires_at,
    row.created_at,
  );
}

/** Points the registration at its newest code request of one channel. */
export async function setPendingRequest(sql: Sql, tokenHash: string, channel: Channel, requestId: string): Promise<void> {
  const column = channel === 'sms' ? 'sms_request_id' : 'email_request_id';
  await sql.run(`UPDATE pending_registrations SET ${column} = ? WHERE token_hash = ?`, requestId, tokenHash);
}

export async function markPendingVerified(sql: Sql, tokenHash: string, channel: Channel): Promise<void> {
  const column = channel === 'sms' ? 'phone_verified' : 'email_verified';
  await sql.run(`UPDATE pending_registrations SET ${column} = 1 WHERE token_hash = ?`, tokenHash);
}

/** Deletes the registration; whether it was still there (of two racing finishes, one wins). */
export async function deletePending(sql: Sql, tokenHash: string): Promise<boolean> {
  return (await sql.run('DELETE FROM pending_registrations WHERE token_hash = ?', tokenHash)).changes === 1;
}

export async function recordPrivacyConsent(sql: Sql, userId: string, at: number): Promise<void> {
  await sql.run('UPDATE users SET privacy_consent_at = ? WHERE id = ?', at, userId);
}
