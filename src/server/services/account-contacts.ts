// The rules for the account page's contacts: which verified contact is primary, and removing one
// while the account stays reachable (its last verified contact, its last contact of any kind and,
// when the store requires one at level "hard", its last verified email or phone stay).
import type { ServiceInternals } from '../context';
import { ApiError } from '../shared/errors';
import type { JsonObject } from './config';
import { CONTACT_TABLE, countContacts, deleteContact, findContact, makePrimary, USABLE_CONTACT, type Destination } from '../store/contacts';

export type ContactKind = 'email' | 'mobile';

/** What these rules need of the service. */
export type AccountContactsContext = Pick<ServiceInternals, 'db' | 'config' | 'now'>;

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
export function setPrimaryContact(svc: AccountContactsContext, userId: string, kind: ContactKind, d: Destination): void {
  const table = CONTACT_TABLE[kind];
  svc.db.transaction(() => {
    const row = findContact(svc.db, userId, d);
    if (!row) throw contactNotFound(kind);
    if (row.verified !== 1 || row.active !== 1) {
      throw new ApiError(400, 'CONTACT_NOT_VERIFIED', kind === 'email' ? 'Verify this email address before making it your primary one' : 'Verify this phone number before making it your primary one');
    }
    makePrimary(svc.db, table, row.id, userId, svc.now());
  }).immediate();
}

/** Removes a contact of the user, refusing when the account would become unreachable. */
export function removeContact(svc: AccountContactsContext, userId: string, kind: ContactKind, d: Destination): void {
  const table = CONTACT_TABLE[kind];
  const other = CONTACT_TABLE[kind === 'email' ? 'mobile' : 'email'];
  const config = svc.config.get();
  svc.db.transaction(() => {
    const row = findContact(svc.db, userId, d);
    if (!row) throw contactNotFound(kind);
    const usable = row.verified === 1 && row.active === 1;
    const sameKindUsableLeft = countContacts(svc.db, table, userId, `${USABLE_CONTACT} AND id != ?`, row.id);
    const otherKindUsable = countContacts(svc.db, other, userId, USABLE_CONTACT);
    const anyLeft = countContacts(svc.db, table, userId, 'id != ?', row.id) + countContacts(svc.db, other, userId, '1');
    const refuse = (message: string): never => {
      throw new ApiError(400, 'CONTACT_REQUIRED', message, { meta: { contact: kind } });
    };
    if (anyLeft === 0) refuse('This is the only way to reach your account, so it cannot be removed. Add another one first.');
    if (usable && sameKindUsableLeft + otherKindUsable === 0) {
      refuse('This is your only verified contact, so it cannot be removed. Verify another one first.');
    }
    if (usable && sameKindUsableLeft === 0 && hardRequired(config, kind)) {
      refuse(kind === 'email' ? 'This store requires a verified email address. Verify another one before removing this one.' : 'This store requires a verified phone number. Verify another one before removing this one.');
    }
    deleteContact(svc.db, table, row, userId, svc.now());
  }).immediate();
}
