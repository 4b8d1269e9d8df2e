// Account-change notices and contact proof: what happens when the way into an account changes.
// - Notices (ASVS 6.3.7, 2.5.5): a password change or reset, and adding, making primary or removing
//   an email or phone, are told to the account's proven addresses (and a removed or replaced one),
//   so a takeover does not go unnoticed by the real owner.
// - Proof of a contact that was unproven (account pre-hijacking): whoever made the account never
//   proved the address, so once its holder proves it by code, what the unproven party may hold is
//   cut off: every session, the password, the other unproven contacts and every social link.
import type { ServiceInternals } from '../context';
import { contactVerified, keepOnlyProven, provenContacts } from '../store/contacts';
import type { Channel } from '../store/outbox';
import type { Sql } from '../store/sql';

/** What the notices read from the service; each function below takes only the part it touches. */
export type NoticesContext = Pick<ServiceInternals, 'sql' | 'sessions' | 'outbox' | 'config' | 'log' | 'now'>;
type NoticeContext = Pick<NoticesContext, 'outbox' | 'config' | 'log'>;

export type AccountChange =
  | 'password-changed'
  | 'password-reset'
  | 'email-added'
  | 'phone-added'
  | 'primary-email'
  | 'primary-phone'
  | 'email-removed'
  | 'phone-removed';

const WHAT: Record<AccountChange, string> = {
  'password-changed': 'The password of your account was changed.',
  'password-reset': 'The password of your account was reset.',
  'email-added': 'An email address was added to your account.',
  'phone-added': 'A phone number was added to your account.',
  'primary-email': 'Your account has a new primary email address.',
  'primary-phone': 'Your account has a new primary phone number.',
  'email-removed': 'An email address was removed from your account.',
  'phone-removed': 'A phone number was removed from your account.',
};

export interface Address {
  channel: Channel;
  /** Where the message goes: the stored email, or +<country code><number>. */
  to: string;
}

/** The account's proven, active addresses as stored. */
export async function provenAddresses(svc: Pick<NoticesContext, 'sql'>, userId: string): Promise<Address[]> {
  const { emails, phones } = await provenContacts(svc.sql, userId);
  return [
    ...emails.map((e): Address => ({ channel: 'email', to: e.email })),
    ...phones.map((p): Address => ({ channel: 'sms', to: `+${p.country_code}${p.phone}` })),
  ];
}

async function storeLabel(svc: Pick<NoticesContext, 'config'>): Promise<string> {
  const config = await svc.config.get();
  const name = [config['display'], config['name']].find((v) => typeof v === 'string' && v.trim() !== '') as string | undefined;
  return (name ?? 'Latch').replace(/\s+/g, ' ').trim();
}

/**
 * Tells `to` (addresses collected before the change, so a replaced or removed one is included)
 * about a change. Each address gets one message; the text names no address, so a notice reveals
 * nothing to whoever reads the old mailbox beyond the fact of the change.
 */
export async function notifyChange(svc: NoticeContext, userId: string, change: AccountChange, to: Address[]): Promise<void> {
  const store = await storeLabel(svc);
  const seen = new Set<string>();
  const text = `${WHAT[change]}\n\nIf this was you, there is nothing to do. If it was not, reset your ${store} password now and contact the store.`;
  for (const address of to) {
    const key = `${address.channel}:${address.to.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (address.channel === 'email') await svc.outbox.send({ channel: 'email', to: address.to, subject: `Your ${store} account changed`, text });
    else await svc.outbox.send({ channel: 'sms', to: address.to, text: `${store}: ${WHAT[change]} Not you? Reset your password now.` });
  }
  svc.log(`account notice change=${change} user=${userId} recipients=${seen.size}`);
}

/**
 * Called when a code (or a reset link) proved `contact` belongs to whoever holds it. When that
 * contact was on the account unproven, the account was made by someone who never proved it:
 * every session ends, the password goes and the other unproven contacts are dropped. Returns
 * whether anything was cut off. Run before the holder's own session starts.
 */
export async function secureProvenContact(
  svc: Pick<NoticesContext, 'sql' | 'sessions' | 'log' | 'now'>,
  userId: string,
  contact: { channel: Channel; destination: string },
): Promise<boolean> {
  return svc.sql.tx((q) => secureProvenContactIn(svc, q, userId, contact));
}

/** secureProvenContact inside the caller's transaction `q` (a password reset's, which already holds `account:`). */
export async function secureProvenContactIn(
  svc: Pick<NoticesContext, 'sessions' | 'log' | 'now'>,
  q: Sql,
  userId: string,
  contact: { channel: Channel; destination: string },
): Promise<boolean> {
  // The account's key first, as every password set takes it (lock order account: -> contacts: ->
  // sessions:): this drops the password and spends reset links. A caller already holding it (a
  // reset's setPasswordOnce) takes it again at no cost: PostgreSQL's advisory locks are re-entrant
  // within a transaction, and on SQLite the transaction alone already excludes every other.
  await q.lock(`account:${userId}`);
  await q.lock(`contacts:${userId}`);
  const verified = await contactVerified(q, userId, contact);
  if (verified === undefined || verified) return false;
  const { hadPassword, droppedEmails, droppedPhones, droppedLinks } = await keepOnlyProven(q, userId, contact, svc.now());
  const ended = await svc.sessions.endAllForUser(userId, q);
  svc.log(
    `account contact proven over unproven account user=${userId} channel=${contact.channel} password_removed=${hadPassword} ` +
      `sessions_ended=${ended} unproven_dropped=${droppedEmails + droppedPhones} social_unlinked=${droppedLinks}`,
  );
  return true;
}
