// Shoppers' contacts as the code flows see them (user_emails, user_phones): the normalised key a
// contact is stored and limited under, who holds one, and recording a proven one.
import type { DB } from './db';
import type { Channel } from './outbox';
import type { PhoneNumber } from '../shared/phone';

/** The part of the service these statements need. */
export interface ContactStoreContext {
  db: DB;
  applicationId: string;
  now: () => number;
}

export interface Destination {
  channel: Channel;
  /** See OtpRow.destination. */
  destination: string;
  /** See OtpRow.address. */
  address: string;
}

export function phoneDestination(phone: PhoneNumber): Destination {
  return { channel: 'sms', destination: `${phone.country_code}:${phone.phone}`, address: `+${phone.country_code}${phone.phone}` };
}

export function emailDestination(email: string): Destination {
  return { channel: 'email', destination: email.toLowerCase(), address: email };
}

export function phoneFromDestination(destination: string): PhoneNumber {
  const [countryCode, phone] = destination.split(':');
  return { country_code: Number(countryCode), phone: phone! };
}

/** The email as an account stored it, for a lowercased key; undefined when no account has it. */
export function storedEmail(svc: ContactStoreContext, key: string): string | undefined {
  const row = svc.db.prepare('SELECT email FROM user_emails WHERE application_id = ? AND email_key = ?').get(svc.applicationId, key) as
    | { email: string }
    | undefined;
  return row?.email;
}

/** Who has this contact at all (any state), or undefined when it is free. */
export function contactOwner(svc: ContactStoreContext, d: Pick<Destination, 'channel' | 'destination'>): { user_id: string; verified: boolean } | undefined {
  const row =
    d.channel === 'sms'
      ? (svc.db
          .prepare('SELECT user_id, verified FROM user_phones WHERE application_id = ? AND country_code = ? AND phone = ?')
          .get(svc.applicationId, phoneFromDestination(d.destination).country_code, phoneFromDestination(d.destination).phone) as
          | { user_id: string; verified: number }
          | undefined)
      : (svc.db
          .prepare('SELECT user_id, verified FROM user_emails WHERE application_id = ? AND email_key = ?')
          .get(svc.applicationId, d.destination) as { user_id: string; verified: number } | undefined);
  return row ? { user_id: row.user_id, verified: row.verified === 1 } : undefined;
}

/**
 * Records that the user proved they hold this contact: an existing row of theirs becomes verified,
 * a new one is added verified (and primary when they have no primary of that kind). Returns false
 * when another account holds the contact; the caller then answers generically.
 */
export function addVerifiedContact(svc: ContactStoreContext, userId: string, d: Destination, opts: { verified?: boolean } = {}): boolean {
  const verified = opts.verified === false ? 0 : 1;
  const t = svc.now();
  const table = d.channel === 'sms' ? 'user_phones' : 'user_emails';
  return svc.db.transaction(() => {
    const owner = contactOwner(svc, d);
    if (owner && owner.user_id !== userId) return false;
    if (owner) {
      if (verified) {
        if (d.channel === 'sms') {
          const p = phoneFromDestination(d.destination);
          svc.db.prepare('UPDATE user_phones SET verified = 1 WHERE user_id = ? AND country_code = ? AND phone = ?').run(userId, p.country_code, p.phone);
        } else {
          svc.db.prepare('UPDATE user_emails SET verified = 1 WHERE user_id = ? AND email_key = ?').run(userId, d.destination);
        }
      }
    } else {
      const hasPrimary = !!svc.db.prepare(`SELECT 1 FROM ${table} WHERE user_id = ? AND is_primary = 1`).get(userId);
      const primary = hasPrimary ? 0 : 1;
      if (d.channel === 'sms') {
        const p = phoneFromDestination(d.destination);
        svc.db
          .prepare(
            `INSERT INTO user_phones (user_id, application_id, phone, country_code, is_primary, verified, active, created_at)
             VALUES (?, ?, ?, ?, ?, ?, 1, ?)`,
          )
          .run(userId, svc.applicationId, p.phone, p.country_code, primary, verified, t);
      } else {
        svc.db
          .prepare(
            `INSERT INTO user_emails (user_id, application_id, email, email_key, is_primary, verified, active, created_at)
             VALUES (?, ?, ?, ?, ?, ?, 1, ?)`,
          )
          .run(userId, svc.applicationId, d.address, d.destination, primary, verified, t);
      }
    }
    svc.db.prepare('UPDATE users SET updated_at = ? WHERE id = ?').run(t, userId);
    return true;
  }).immediate();
}

/** The account's proven, active contacts as stored. */
export function provenContacts(db: DB, userId: string): { emails: { email: string }[]; phones: { phone: string; country_code: number }[] } {
  const emails = db.prepare('SELECT email FROM user_emails WHERE user_id = ? AND verified = 1 AND active = 1').all(userId) as { email: string }[];
  const phones = db
    .prepare('SELECT phone, country_code FROM user_phones WHERE user_id = ? AND verified = 1 AND active = 1')
    .all(userId) as { phone: string; country_code: number }[];
  return { emails, phones };
}

/** The stored keys of the user's verified, active contacts, as otp_requests names destinations. */
export function verifiedContactKeys(db: DB, userId: string): { emails: { email_key: string }[]; phones: { country_code: number; phone: string }[] } {
  const emails = db.prepare('SELECT email_key FROM user_emails WHERE user_id = ? AND verified = 1 AND active = 1').all(userId) as { email_key: string }[];
  const phones = db
    .prepare('SELECT country_code, phone FROM user_phones WHERE user_id = ? AND verified = 1 AND active = 1')
    .all(userId) as { country_code: number; phone: string }[];
  return { emails, phones };
}

/** Whether the user's contact is verified; undefined when the user has no such contact. */
export function contactVerified(db: DB, userId: string, contact: { channel: Channel; destination: string }): boolean | undefined {
  const row =
    contact.channel === 'email'
      ? (db.prepare('SELECT verified FROM user_emails WHERE user_id = ? AND email_key = ?').get(userId, contact.destination) as { verified: number } | undefined)
      : (db
          .prepare('SELECT verified FROM user_phones WHERE user_id = ? AND country_code = ? AND phone = ?')
          .get(userId, ...splitDestination(contact.destination)) as { verified: number } | undefined);
  return row ? row.verified === 1 : undefined;
}

/**
 * Marks `contact` verified, drops the user's other unverified contacts (a dropped primary passes to
 * the first remaining contact of its kind) and deletes the password. Run inside the caller's
 * transaction (services/notices.ts secureProvenContact).
 */
export function keepOnlyProven(
  db: DB,
  userId: string,
  contact: { channel: Channel; destination: string },
): { hadPassword: boolean; droppedEmails: number; droppedPhones: number } {
  if (contact.channel === 'email') {
    db.prepare('UPDATE user_emails SET verified = 1 WHERE user_id = ? AND email_key = ?').run(userId, contact.destination);
  } else {
    db.prepare('UPDATE user_phones SET verified = 1 WHERE user_id = ? AND country_code = ? AND phone = ?').run(userId, ...splitDestination(contact.destination));
  }
  const droppedEmails = db.prepare('DELETE FROM user_emails WHERE user_id = ? AND verified = 0').run(userId).changes;
  const droppedPhones = db.prepare('DELETE FROM user_phones WHERE user_id = ? AND verified = 0').run(userId).changes;
  // The proven contact becomes primary of its kind when the primary was one of the dropped.
  for (const table of ['user_emails', 'user_phones']) {
    if (!db.prepare(`SELECT 1 FROM ${table} WHERE user_id = ? AND is_primary = 1`).get(userId)) {
      db.prepare(`UPDATE ${table} SET is_primary = 1 WHERE id = (SELECT id FROM ${table} WHERE user_id = ? ORDER BY id LIMIT 1)`).run(userId);
    }
  }
  const hadPassword = db.prepare('DELETE FROM password_hashes WHERE user_id = ?').run(userId).changes > 0;
  return { hadPassword, droppedEmails, droppedPhones };
}

/** The contact tables by the account page's kind. */
export const CONTACT_TABLE: Record<'email' | 'mobile', 'user_emails' | 'user_phones'> = { email: 'user_emails', mobile: 'user_phones' };
export const USABLE_CONTACT = 'verified = 1 AND active = 1';

export interface ContactRow {
  id: number;
  is_primary: number;
  verified: number;
  active: number;
}

export function findContact(db: DB, userId: string, d: Destination): ContactRow | undefined {
  if (d.channel === 'email') {
    return db
      .prepare('SELECT id, is_primary, verified, active FROM user_emails WHERE user_id = ? AND email_key = ?')
      .get(userId, d.destination) as ContactRow | undefined;
  }
  const [countryCode, phone] = d.destination.split(':');
  return db
    .prepare('SELECT id, is_primary, verified, active FROM user_phones WHERE user_id = ? AND country_code = ? AND phone = ?')
    .get(userId, Number(countryCode), phone) as ContactRow | undefined;
}

/** Counts the user's rows in `table` matching `where` (a fixed condition from the caller, never input). */
export function countContacts(db: DB, table: string, userId: string, where: string, ...params: unknown[]): number {
  return (db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE user_id = ? AND ${where}`).get(userId, ...params) as { n: number }).n;
}

export function makePrimary(db: DB, table: string, id: number, userId: string, now: number): void {
  db.prepare(`UPDATE ${table} SET is_primary = CASE WHEN id = ? THEN 1 ELSE 0 END WHERE user_id = ?`).run(id, userId);
  db.prepare('UPDATE users SET updated_at = ? WHERE id = ?').run(now, userId);
}

/** Deletes a contact; a deleted primary passes to the first usable contact of its kind. */
export function deleteContact(db: DB, table: string, row: Pick<ContactRow, 'id' | 'is_primary'>, userId: string, now: number): void {
  db.prepare(`DELETE FROM ${table} WHERE id = ?`).run(row.id);
  if (row.is_primary === 1) {
    db.prepare(`UPDATE ${table} SET is_primary = 1 WHERE id = (SELECT id FROM ${table} WHERE user_id = ? AND ${USABLE_CONTACT} ORDER BY id LIMIT 1)`).run(userId);
  }
  db.prepare('UPDATE users SET updated_at = ? WHERE id = ?').run(now, userId);
}

function splitDestination(destination: string): [number, string] {
  const [countryCode, phone] = destination.split(':');
  return [Number(countryCode), phone!];
}
