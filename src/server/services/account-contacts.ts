// The rules for the account page's contacts: which verified contact is primary, and removing one
// while the account stays reachable (its last verified contact, its last contact of any kind and,
// when the store requires one at level "hard", its last verified email or phone stay).
import type { ServiceInternals } from '../context';
import { ApiError } from '../shared/errors';
import type { JsonObject } from './config';
import { CONTACT_TABLE, countContacts, deleteContact, findContact, makePrimary, USABLE_CONTACT, type Destination } from '../store/contacts';

export type ContactKind = 'email' | 'mobile';

/** What these rules need of the service. */
export type AccountContactsContext = Pick<ServiceInternals, 'sql' | 'config' | 'now'>;

function contactNotFound(kind: ContactKind): ApiError {
  return new ApiError(404, 'CONTACT_NOT_FOUND', kind === 'email' ? 'Your account has no such email address' : 'Your account has no such phone number');
}

/** `required_fields.<kind>` is on with level "hard": the store insists on a verified one. */
function hardRequired(config: JsonObject, kind: ContactKind): boolean {
  const fields = config['required_fields'];
  const field = fields && typeof fields === 'object' && !Array.isArray(fields) ? fields[kind] : undefined;
  return !!field && typeof field === 'object' && !Array.isArray(field) && field['is_required'] === true && field['level'] === 'hard';
}

/** Makes a verified, active contact of the user their primary one of its kind. */
export async function setPrimaryContact(svc: Pick<AccountContactsContext, 'sql' | 'now'>, userId: string, kind: ContactKind, d: Destination): Promise<void> {
  const table = CONTACT_TABLE[kind];
  await svc.sql.tx(async (q) => {
    await q.lock(`contacts:${userId}`);
    const row = await findContact(q, userId, d);
    if (!row) throw contactNotFound(kind);
    if (Number(row.verified) !== 1 || Number(row.active) !== 1) {
      throw new ApiError(400, 'CONTACT_NOT_VERIFIED', kind === 'email' ? 'Verify this email address before making it your primary one' : 'Verify this phone number before making it your primary one');
    }
    await makePrimary(q, table, row.id, userId, svc.now());
  });
}

/** Removes a contact of the user, refusing when the account would become unreachable. */
export async function removeContact(svc: AccountContactsContext, userId: string, kind: ContactKind, d: Destination): Promise<void> {
  const table = CONTACT_TABLE[kind];
  const other = CONTACT_TABLE[kind === 'email' ? 'mobile' : 'email'];
  const config = await svc.config.get();
  await svc.sql.tx(async (q) => {
    // Count what is left, then delete: two removals at once must not both pass the count.
    await q.lock(`contacts:${userId}`);
    const row = await findContact(q, userId, d);
    if (!row) throw contactNotFound(kind);
    const usable = Number(row.verified) === 1 && Number(row.active) === 1;
    const sameKindUsableLeft = await countContacts(q, table, userId, `${USABLE_CONTACT} AND id <> ?`, row.id);
    const otherKindUsable = await countContacts(q, other, userId, USABLE_CONTACT);
    const anyLeft = (await countContacts(q, table, userId, 'id <> ?', row.id)) + (await countContacts(q, other, userId, '1 = 1'));
    // The account's own reachability and the store's rule are told apart by code, since what the
    // shopper can do differs (any other contact, or another of this kind).
    const refuse = (code: 'CONTACT_REQUIRED' | 'CONTACT_REQUIRED_BY_STORE', message: string): never => {
      throw new ApiError(400, code, message, { meta: { contact: kind } });
    };
    if (anyLeft === 0) refuse('CONTACT_REQUIRED', 'This is the only way to reach your account, so it cannot be removed. Add another one first.');
    if (usable && sameKindUsableLeft + otherKindUsable === 0) {
      refuse('CONTACT_REQUIRED', 'This is your only verified contact, so it cannot be removed. Verify another one first.');
    }
    if (usable && sameKindUsableLeft === 0 && hardRequired(config, kind)) {
      refuse(
        'CONTACT_REQUIRED_BY_STORE',
        kind === 'email' ? 'This store requires a verified email address. Verify another one before removing this one.' : 'This store requires a verified phone number. Verify another one before removing this one.',
      );
    }
    await deleteContact(q, table, row, userId, svc.now());
  });
}
