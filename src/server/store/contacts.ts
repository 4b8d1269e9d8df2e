// Shoppers' contacts as the code flows see them (user_emails, user_phones): the normalised key a
// contact is stored and limited under, who holds one, and recording a proven one.
import type { Param, Sql } from './sql';
import type { Channel } from './outbox';
import type { PhoneNumber } from '../shared/phone';

/** The part of the service these statements need. */
export interface ContactStoreContext {
  sql: Sql;
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

/** How a contact row is flagged (0 or 1 each). */
export interface ContactFlags {
  primary: number;
  active: number;
  verified: number;
}

/** Adds an email row to a user; its key is the one every lookup and limit uses (`emailDestination`). */
export async function insertEmail(q: Sql, user: { id: string; application_id: string }, email: string, flags: ContactFlags, now: number): Promise<void> {
  await q.run(
    `INSERT INTO user_emails (user_id, application_id, email, email_key, is_primary, verified, active, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    user.id,
    user.application_id,
    email,
    emailDestination(email).destination,
    flags.primary,
    flags.verified,
    flags.active,
    now,
  );
}

/** Adds a phone row to a user. */
export async function insertPhone(q: Sql, user: { id: string; application_id: string }, phone: PhoneNumber, flags: ContactFlags, now: number): Promise<void> {
  await q.run(
    `INSERT INTO user_phones (user_id, application_id, phone, country_code, is_primary, verified, active, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    user.id,
    user.application_id,
    phone.phone,
    phone.country_code,
    flags.primary,
    flags.verified,
    flags.active,
    now,
  );
}

export function phoneFromDestination(destination: string): PhoneNumber {
  const [countryCode, phone] = destination.split(':');
  return { country_code: Number(countryCode), phone: phone! };
}

/** The email as an account stored it, for a lowercased key; undefined when no account has it. */
export async function storedEmail(svc: ContactStoreContext, key: string): Promise<string | undefined> {
  const row = await svc.sql.get('SELECT email FROM user_emails WHERE application_id = ? AND email_key = ?', svc.applicationId, key) as
    | { email: string }
    | undefined;
  return row?.email;
}

/** Who has this contact at all (any state), or undefined when it is free. */
export async function contactOwner(
  svc: ContactStoreContext,
  d: Pick<Destination, 'channel' | 'destination'>,
  q: Sql = svc.sql,
): Promise<{ user_id: string; verified: boolean } | undefined> {
  const row =
    d.channel === 'sms'
      ? (await q.get('SELECT user_id, verified FROM user_phones WHERE application_id = ? AND country_code = ? AND phone = ?', svc.applicationId, phoneFromDestination(d.destination).country_code, phoneFromDestination(d.destination).phone) as
          | { user_id: string; verified: number }
          | undefined)
      : (await q.get('SELECT user_id, verified FROM user_emails WHERE application_id = ? AND email_key = ?', svc.applicationId, d.destination) as { user_id: string; verified: number } | undefined);
  return row ? { user_id: row.user_id, verified: Number(row.verified) === 1 } : undefined;
}

/**
 * Records that the user proved they hold this contact: an existing row of theirs becomes verified,
 * a new one is added verified (and primary when they have no primary of that kind). Returns false
 * when another account holds the contact; the caller then answers generically.
 */
export async function addVerifiedContact(
  svc: ContactStoreContext,
  userId: string,
  d: Destination,
  opts: { verified?: boolean } = {},
): Promise<boolean> {
  const verified = opts.verified === false ? 0 : 1;
  const t = svc.now();
  const table = d.channel === 'sms' ? 'user_phones' : 'user_emails';
  return svc.sql.tx(async (q) => {
    // Who holds the contact, then add it: one decision per contact across instances.
    await q.lock(`contact:${svc.applicationId}:${d.channel}:${d.destination}`);
    // The user's contacts too, the key every other change of their contact list takes: whether they
    // have a primary is read here, so two contacts added at once (each locked only on its own
    // address) would both become primary. Always contact first, then user, and no other path holds
    // the user's key while it asks for a contact's, so the two cannot deadlock.
    await q.lock(`contacts:${userId}`);
    const owner = await contactOwner(svc, d, q);
    if (owner && owner.user_id !== userId) return false;
    if (owner) {
      if (verified) {
        if (d.channel === 'sms') {
          const p = phoneFromDestination(d.destination);
          await q.run('UPDATE user_phones SET verified = 1 WHERE user_id = ? AND country_code = ? AND phone = ?', userId, p.country_code, p.phone);
        } else {
          await q.run('UPDATE user_emails SET verified = 1 WHERE user_id = ? AND email_key = ?', userId, d.destination);
        }
      }
    } else {
      const hasPrimary = !!(await q.get(`SELECT 1 AS x FROM ${table} WHERE user_id = ? AND is_primary = 1`, userId));
      const primary = hasPrimary ? 0 : 1;
      const user = { id: userId, application_id: svc.applicationId };
      const flags = { primary, verified, active: 1 };
      if (d.channel === 'sms') await insertPhone(q, user, phoneFromDestination(d.destination), flags, t);
      else await insertEmail(q, user, d.address, flags, t);
    }
    await q.run('UPDATE users SET updated_at = ? WHERE id = ?', t, userId);
    return true;
  });
}

/** The account's proven, active contacts as stored. */
export async function provenContacts(sql: Sql, userId: string): Promise<{ emails: { email: string }[]; phones: { phone: string; country_code: number }[] }> {
  const emails = await sql.all('SELECT email FROM user_emails WHERE user_id = ? AND verified = 1 AND active = 1', userId) as { email: string }[];
  const phones = await sql.all('SELECT phone, country_code FROM user_phones WHERE user_id = ? AND verified = 1 AND active = 1', userId) as { phone: string; country_code: number }[];
  return { emails, phones };
}

/** The stored keys of the user's verified, active contacts, as otp_requests names destinations. */
export async function verifiedContactKeys(sql: Sql, userId: string): Promise<{ emails: { email_key: string }[]; phones: { country_code: number; phone: string }[] }> {
  const emails = await sql.all('SELECT email_key FROM user_emails WHERE user_id = ? AND verified = 1 AND active = 1', userId) as { email_key: string }[];
  const phones = await sql.all('SELECT country_code, phone FROM user_phones WHERE user_id = ? AND verified = 1 AND active = 1', userId) as { country_code: number; phone: string }[];
  return { emails, phones };
}

/** Every contact of the user in any state, as otp_requests names destinations (`channel`, `destination`). */
export async function allContactKeys(sql: Sql, userId: string): Promise<{ channel: Channel; destination: string }[]> {
  const emails = await sql.all<{ email_key: string }>('SELECT email_key FROM user_emails WHERE user_id = ?', userId);
  const phones = await sql.all<{ country_code: number; phone: string }>('SELECT country_code, phone FROM user_phones WHERE user_id = ?', userId);
  return [
    ...emails.map((e) => ({ channel: 'email' as const, destination: e.email_key })),
    ...phones.map((p) => ({ channel: 'sms' as const, destination: `${Number(p.country_code)}:${p.phone}` })),
  ];
}

/** Whether the user's contact is verified; undefined when the user has no such contact. */
export async function contactVerified(sql: Sql, userId: string, contact: { channel: Channel; destination: string }): Promise<boolean | undefined> {
  const row =
    contact.channel === 'email'
      ? (await sql.get('SELECT verified FROM user_emails WHERE user_id = ? AND email_key = ?', userId, contact.destination) as { verified: number } | undefined)
      : (await sql.get('SELECT verified FROM user_phones WHERE user_id = ? AND country_code = ? AND phone = ?', userId, ...splitDestination(contact.destination)) as { verified: number } | undefined);
  return row ? Number(row.verified) === 1 : undefined;
}

/**
 * Marks `contact` verified, drops the user's other unverified contacts (a dropped primary passes to
 * the first remaining contact of its kind), unlinks every social sign-in and deletes the password.
 * A social link is a way in that whoever made the account attached (a provider that vouched for
 * them, not for this address): left in place, it would open the account the real owner just
 * claimed. Run inside the caller's transaction (services/notices.ts secureProvenContact, social
 * linking by a provider-verified email).
 */
export async function keepOnlyProven(
  sql: Sql,
  userId: string,
  contact: { channel: Channel; destination: string },
  /** The service clock's now, for the spent marks. */
  t: number,
): Promise<{ hadPassword: boolean; droppedEmails: number; droppedPhones: number; droppedLinks: number }> {
  if (contact.channel === 'email') {
    await sql.run('UPDATE user_emails SET verified = 1 WHERE user_id = ? AND email_key = ?', userId, contact.destination);
  } else {
    await sql.run('UPDATE user_phones SET verified = 1 WHERE user_id = ? AND country_code = ? AND phone = ?', userId, ...splitDestination(contact.destination));
  }
  const droppedEmails = (await sql.run('DELETE FROM user_emails WHERE user_id = ? AND verified = 0', userId)).changes;
  const droppedPhones = (await sql.run('DELETE FROM user_phones WHERE user_id = ? AND verified = 0', userId)).changes;
  // The proven contact becomes primary of its kind when the primary was one of the dropped.
  for (const table of ['user_emails', 'user_phones']) {
    if (!(await sql.get(`SELECT 1 AS x FROM ${table} WHERE user_id = ? AND is_primary = 1`, userId))) {
      await sql.run(`UPDATE ${table} SET is_primary = 1 WHERE id = (SELECT id FROM ${table} WHERE user_id = ? ORDER BY id LIMIT 1)`, userId);
    }
  }
  const droppedLinks = (await sql.run('DELETE FROM social_identities WHERE user_id = ?', userId)).changes;
  // Ways in that the unproven party may have set up beforehand and that need no session: a reset
  // link or forgot token (sent to an unproven contact of theirs, now dropped) and a link adding a
  // contact of theirs. Spent, not deleted, so they answer like any used one. (Codes bound to the
  // account, for adding a contact or confirming a deletion, are checked only with a session, and
  // every session ends with this.)
  await sql.run("UPDATE one_time_tokens SET consumed_at = ? WHERE user_id = ? AND consumed_at IS NULL AND purpose IN ('reset', 'forgot')", t, userId);
  await sql.run("UPDATE storefront_tokens SET consumed_at = ? WHERE user_id = ? AND consumed_at IS NULL AND purpose IN ('verify-email', 'verify-mobile')", t, userId);
  const hadPassword = (await sql.run('DELETE FROM password_hashes WHERE user_id = ?', userId)).changes > 0;
  return { hadPassword, droppedEmails, droppedPhones, droppedLinks };
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

export async function findContact(sql: Sql, userId: string, d: Destination): Promise<ContactRow | undefined> {
  if (d.channel === 'email') {
    return await sql.get('SELECT id, is_primary, verified, active FROM user_emails WHERE user_id = ? AND email_key = ?', userId, d.destination) as ContactRow | undefined;
  }
  const [countryCode, phone] = d.destination.split(':');
  return await sql.get('SELECT id, is_primary, verified, active FROM user_phones WHERE user_id = ? AND country_code = ? AND phone = ?', userId, Number(countryCode), phone) as ContactRow | undefined;
}

/** Counts the user's rows in `table` matching `where` (a fixed condition from the caller, never input). */
export async function countContacts(sql: Sql, table: string, userId: string, where: string, ...params: Param[]): Promise<number> {
  return Number((await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE user_id = ? AND ${where}`, userId, ...params))!.n);
}

export async function makePrimary(sql: Sql, table: string, id: number, userId: string, now: number): Promise<void> {
  await sql.run(`UPDATE ${table} SET is_primary = CASE WHEN id = ? THEN 1 ELSE 0 END WHERE user_id = ?`, id, userId);
  await sql.run('UPDATE users SET updated_at = ? WHERE id = ?', now, userId);
}

/** Deletes a contact; a deleted primary passes to the first usable contact of its kind. */
export async function deleteContact(sql: Sql, table: string, row: Pick<ContactRow, 'id' | 'is_primary'>, userId: string, now: number): Promise<void> {
  await sql.run(`DELETE FROM ${table} WHERE id = ?`, row.id);
  if (Number(row.is_primary) === 1) {
    await sql.run(`UPDATE ${table} SET is_primary = 1 WHERE id = (SELECT id FROM ${table} WHERE user_id = ? AND ${USABLE_CONTACT} ORDER BY id LIMIT 1)`, userId);
  }
  await sql.run('UPDATE users SET updated_at = ? WHERE id = ?', now, userId);
}

function splitDestination(destination: string): [number, string] {
  const [countryCode, phone] = destination.split(':');
  return [Number(countryCode), phone!];
}
