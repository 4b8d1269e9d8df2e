// The platform admin's customer operations (routes/platform-customers.ts): search, block and
// archive, admin-made sessions, and editing a user with their contact lists. Each change that
// reads and then writes runs in one transaction; SQL is store/customers.ts.
import type { ServiceInternals } from '../context';
import { ApiError } from '../shared/errors';
import { normalizeEmail } from '../shared/validation';
import type { PhoneNumber } from '../shared/phone';
import type { Param, Sql } from '../store/sql';
import type { UserRow } from '../store/users';
import { insertEmail, insertPhone } from '../store/contacts';
import {
  archiveUser,
  blockUser,
  deleteEmail,
  deletePhone,
  emailsOf,
  endSessionByPublicId,
  labelSession,
  liveSessionIds,
  liveSessions,
  phonesOf,
  searchUsers,
  unblockUser,
  updateEmail,
  updatePhone,
  updateUserColumns,
  userIdsByEmailKey,
  userIdsByPhoneDigits,
  type AdminSessionRow,
} from '../store/customers';
import { addTimelineEvent, findAccount, type AccountRow, type DeletionContext } from './deletion';

export type { AdminSessionRow };

/**
 * What the customer operations read from the service: the rows of this application, the clock, the
 * account and session stores (blocking ends sessions; contact edits check who holds an address) and
 * the timeline's part of services/deletion.ts. Each function takes only the part it touches.
 */
export type CustomersContext = Pick<DeletionContext, 'sql' | 'applicationId' | 'now'> & Pick<ServiceInternals, 'users' | 'sessions'>;
export type { Param };

export async function listCustomers(
  svc: Pick<CustomersContext, 'sql' | 'applicationId'>,
  query: { text: string; digits: string | null } | undefined,
  page: { size: number; current: number },
): Promise<{ rows: AccountRow[]; total: number }> {
  return searchUsers(svc.sql, svc.applicationId, query, page);
}

/** Ids of the users an email address (any case) or a phone number's digits name. */
export async function customerIdsFor(svc: Pick<CustomersContext, 'sql' | 'applicationId'>, term: { email: string } | { digits: string }): Promise<string[]> {
  if ('email' in term) return userIdsByEmailKey(svc.sql, svc.applicationId, normalizeEmail(term.email).toLowerCase());
  return userIdsByPhoneDigits(svc.sql, svc.applicationId, term.digits);
}

/** Blocks or unblocks every listed user, all or nothing: a typo in one id leaves the others alone. */
export async function setActivation(svc: Omit<CustomersContext, 'users'>, ids: string[], active: boolean, reason: string): Promise<void> {
  await svc.sql.tx(async (q) => {
    const inner = { ...svc, sql: q };
    const users: (readonly [string, AccountRow | undefined])[] = [];
    for (const id of ids) users.push([id, await findAccount(inner, id)] as const);
    const unknown = users.filter(([, u]) => !u).map(([id]) => id);
    if (unknown.length) {
      throw new ApiError(404, 'USER_NOT_FOUND', `No user with id ${unknown.join(', ')}`, { meta: { user_ids: unknown } });
    }
    const t = svc.now();
    // Each user once, in id order: ending sessions locks sessions:<id>, and two bulk calls taking
    // the same users in opposite orders would each hold what the other waits for (PostgreSQL).
    const accounts = [...new Map(users.map(([, u]) => [u!.id, u!] as const)).values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const user of accounts) {
      if (active) {
        if (Number(user.active) === 1 && Number(user.archived) === 0) continue;
        await unblockUser(q, user.id, t);
        await addTimelineEvent(inner, user.id, { type: 'unblocked', title: 'Account unblocked', subTitle: reason }, q);
      } else {
        // Sessions end at once, not at their next use, so a blocked shopper is out everywhere.
        await svc.sessions.endAllForUser(user.id, q);
        if (Number(user.active) === 0) continue;
        await blockUser(q, user.id, reason || null, t);
        await addTimelineEvent(inner, user.id, { type: 'blocked', title: 'Account blocked', subTitle: reason }, q);
      }
    }
  });
}

/** Archives a user (also inactive) and ends their sessions; undefined when there is no such user. */
export async function archiveCustomer(svc: Omit<CustomersContext, 'users'>, userId: string): Promise<boolean> {
  return svc.sql.tx(async (q) => {
    const inner = { ...svc, sql: q };
    const user = await findAccount(inner, userId);
    if (!user) return false;
    await svc.sessions.endAllForUser(user.id, q);
    if (Number(user.archived) === 1) return true;
    await archiveUser(q, user.id, svc.now());
    await addTimelineEvent(inner, user.id, { type: 'archived', title: 'Account archived' }, q);
    return true;
  });
}

/** Starts a session for the admin's createUserSession; returns the cookie value and the public id. */
export async function createAdminSession(svc: Pick<CustomersContext, 'sql' | 'sessions'>, userId: string, lifetimeMs: number, domain: string): Promise<{ token: string; publicId: string }> {
  const { token, row } = await svc.sessions.create(userId, { userAgent: '', ip: '' }, lifetimeMs);
  return { token, publicId: await labelSession(svc.sql, row.id_hash, domain) };
}

export async function adminSessions(svc: Pick<CustomersContext, 'sql' | 'now'>, userId: string): Promise<AdminSessionRow[]> {
  return liveSessions(svc.sql, userId, svc.now());
}

export async function endAdminSession(svc: Pick<CustomersContext, 'sql'>, userId: string, publicId: string): Promise<boolean> {
  return (await endSessionByPublicId(svc.sql, userId, publicId)) > 0;
}

/** Ends every session of the user; returns the public ids of the live ones that ended. */
export async function endAllAdminSessions(svc: Pick<CustomersContext, 'sql' | 'now' | 'sessions'>, userId: string): Promise<string[]> {
  return svc.sql.tx(async (q) => {
    const ids = await liveSessionIds(q, userId, svc.now());
    await svc.sessions.endAllForUser(userId, q);
    return ids;
  });
}

interface ContactFlags {
  active?: boolean | undefined;
  primary?: boolean | undefined;
  verified?: boolean | undefined;
}
export type EmailInput = ContactFlags & { email: string };
export type PhoneInput = ContactFlags & PhoneNumber;

/** updateUser: the given columns (names from the route's fixed list) and, when sent, the contact lists. */
export async function updateCustomer(
  svc: Pick<CustomersContext, 'sql' | 'now' | 'users'>,
  user: UserRow,
  columns: [string, Param][],
  emails: EmailInput[] | undefined,
  phones: PhoneInput[] | undefined,
): Promise<void> {
  await svc.sql.tx(async (q) => {
    await q.lock(`contacts:${user.id}`);
    const t = svc.now();
    await updateUserColumns(q, user.id, [...columns, ['updated_at', t]]);
    if (emails) await replaceEmails(svc, q, user, emails, t);
    if (phones) await replacePhones(svc, q, user, phones, t);
  });
}

/** Which entry is primary: the one marked so, else the first active one, else the first. */
function primaryIndex(list: ContactFlags[]): number {
  const marked = list.findIndex((e) => e.primary);
  if (marked >= 0) return marked;
  const active = list.findIndex((e) => e.active !== false);
  return active >= 0 ? active : 0;
}

function flagValue(given: boolean | undefined, current: number): number {
  return given === undefined ? Number(current) : given ? 1 : 0;
}

/**
 * Makes the user's emails exactly the given list. Rows are updated in place rather than replaced,
 * so anything keyed to an existing row survives; a flag left out keeps its current value (or the
 * default for a new address: active, not verified).
 */
async function replaceEmails(svc: Pick<CustomersContext, 'users'>, q: Sql, user: UserRow, list: EmailInput[], t: number): Promise<void> {
  const existing = await emailsOf(q, user.id);
  const byKey = new Map(existing.map((e) => [e.email_key, e]));
  const wanted = new Set(list.map((e) => e.email.toLowerCase()));
  for (const e of existing) if (!wanted.has(e.email_key)) await deleteEmail(q, e.id);
  const primary = primaryIndex(list);
  for (const [i, entry] of list.entries()) {
    const current = byKey.get(entry.email.toLowerCase());
    const isPrimary = i === primary ? 1 : 0;
    if (current) {
      await updateEmail(q, current.id, entry.email, {
        primary: isPrimary,
        active: flagValue(entry.active, current.active),
        verified: flagValue(entry.verified, current.verified),
      });
      continue;
    }
    if (await svc.users.emailTaken(entry.email, q)) throw new ApiError(409, 'EMAIL_EXISTS', `Another user already has the email ${entry.email}`);
    await insertEmail(q, user, entry.email, { primary: isPrimary, verified: flagValue(entry.verified, 0), active: flagValue(entry.active, 1) }, t);
  }
}

async function replacePhones(svc: Pick<CustomersContext, 'users'>, q: Sql, user: UserRow, list: PhoneInput[], t: number): Promise<void> {
  const existing = await phonesOf(q, user.id);
  const keyOf = (p: { country_code: number; phone: string }): string => `${Number(p.country_code)}:${p.phone}`;
  const byKey = new Map(existing.map((p) => [keyOf(p), p]));
  const wanted = new Set(list.map(keyOf));
  for (const p of existing) if (!wanted.has(keyOf(p))) await deletePhone(q, p.id);
  const primary = primaryIndex(list);
  for (const [i, entry] of list.entries()) {
    const current = byKey.get(keyOf(entry));
    const isPrimary = i === primary ? 1 : 0;
    if (current) {
      await updatePhone(q, current.id, {
        primary: isPrimary,
        active: flagValue(entry.active, current.active),
        verified: flagValue(entry.verified, current.verified),
      });
      continue;
    }
    if (await svc.users.phoneTaken(entry, q)) {
      throw new ApiError(409, 'PHONE_EXISTS', `Another user already has the phone number +${entry.country_code} ${entry.phone}`);
    }
    await insertPhone(q, user, entry, { primary: isPrimary, verified: flagValue(entry.verified, 0), active: flagValue(entry.active, 1) }, t);
  }
}
