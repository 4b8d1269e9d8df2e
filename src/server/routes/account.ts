// The signed-in shopper's account page, under /service/application/user:
// - their active sessions: list, end one, end all others (ASVS 7.5.2: after re-authenticating);
// - password change and "has a password?" (ASVS 6.2.3: a change needs the current password);
// - which email and phone are primary, and removing one while keeping the account reachable.
// Every route needs a session. Re-authentication means the session signed in (or the password was
// typed again) within the last 10 minutes, or the request body carries the current password.
import { checkCurrentPassword, optionalPassword, reauthRequired, REAUTH_WINDOW_MS, requireRecentAuth } from '../services/reauth';
import { callerOf } from '../http/request';
import { removeContact, setPrimaryContact, type ContactKind } from '../services/account-contacts';
import { Hono, type Context } from 'hono';
import type { ServiceInternals } from '../context';
import { clientIp } from '../http/context-vars';
import { ApiError, validationError } from '../shared/errors';
import { emailDestination, phoneDestination, readEmail, readPhone, type Destination, type Problems } from '../services/codes';
import { changePassword, checkNewPassword } from '../services/password-reset';
import { notifyChange, provenAddresses } from '../services/notices';
import { parseUserAgent } from '../services/user-agent';
import { readJsonObject } from '../http/body';
import { requireSession } from '../http/auth-session';

const iso = (ms: number): string => new Date(ms).toISOString();

// ---- contacts -----------------------------------------------------------------------------------

type Kind = ContactKind;

function readContact(kind: Kind, source: Record<string, unknown>): Destination {
  const problems: Problems = [];
  let d: Destination | undefined;
  if (kind === 'email') {
    const email = readEmail(source, problems);
    if (email) d = emailDestination(email);
  } else {
    const phone = readPhone(source, problems, { mobile: 'phone', countryCode: 'country_code' });
    if (phone) d = phoneDestination(phone);
  }
  if (problems.length || !d) throw validationError(problems);
  return d;
}

// ---- routes -------------------------------------------------------------------------------------

export function accountRoutes(svc: ServiceInternals): Hono {
  const app = new Hono();

  // ---- sessions --------------------------------------------------------------------------------

  app.get('/authentication/v1.0/sessions', async (c) => {
    const { user, session } = await requireSession(svc, c);
    const rows = await svc.sessions.listForUser(user.id);
    return c.json({
      sessions: rows.map((r) => ({
        session_id: r.public_id,
        current: r.id_hash === session.id_hash,
        user_agent: r.user_agent,
        ...parseUserAgent(r.user_agent),
        ip: r.ip,
        // No geolocation database ships with this service.
        location: '',
        created_at: iso(r.created_at),
        last_active_at: iso(r.last_seen_at),
        expires_at: iso(r.expires_at),
      })),
    });
  });

  app.delete('/authentication/v1.0/sessions/:session_id', async (c) => {
    const signedIn = await requireSession(svc, c);
    // The body is optional (it carries `password` when re-authenticating); empty counts as {}.
    const body = await readJsonObject(c);
    const publicId = c.req.param('session_id');
    const target = await svc.sessions.findByPublicId(publicId, signedIn.user.id);
    // Another user's session answers exactly like one that does not exist.
    if (!target) throw new ApiError(404, 'SESSION_NOT_FOUND', 'You have no active session with this id');
    if (target.id_hash === signedIn.session.id_hash) {
      throw new ApiError(400, 'CURRENT_SESSION', 'This is the session you are using; sign out to end it');
    }
    await requireRecentAuth(svc, callerOf(c), signedIn, body);
    await svc.sessions.endByIdHash(target.id_hash);
    svc.log(`auth session revoked user=${signedIn.user.id} session=${publicId} ip=${clientIp(c)} request_id=${c.get('requestId')}`);
    return c.json({ success: true });
  });

  app.delete('/authentication/v1.0/sessions', async (c) => {
    const signedIn = await requireSession(svc, c);
    if (c.req.query('others') !== 'true') {
      throw validationError([{ path: 'others', message: 'must be true (ends every session but this one; sign out to end this one)' }]);
    }
    const body = await readJsonObject(c);
    await requireRecentAuth(svc, callerOf(c), signedIn, body);
    const ended = await svc.sessions.endOthers(signedIn.user.id, signedIn.session.id_hash);
    svc.log(`auth sessions revoked scope=others user=${signedIn.user.id} count=${ended} ip=${clientIp(c)} request_id=${c.get('requestId')}`);
    return c.json({ success: true, ended });
  });

  // ---- password --------------------------------------------------------------------------------

  app.get('/authentication/v1.0/has-password', async (c) => {
    const { user } = await requireSession(svc, c);
    return c.json({ result: (await svc.users.passwordHash(user.id)) !== undefined ? 1 : 0 });
  });

  app.post('/authentication/v1.0/password', async (c) => {
    const signedIn = await requireSession(svc, c);
    const { user } = signedIn;
    const body = await readJsonObject(c);
    const raw = body['new_password'];
    if (raw === undefined || raw === null || raw === '') throw validationError([{ path: 'new_password', message: 'is required' }]);
    if (typeof raw !== 'string') throw validationError([{ path: 'new_password', message: 'expected a string' }]);
    const oldPassword = optionalPassword(body, 'old_password');
    // The new password's rules first: they cost nothing and spend none of the attempt budget.
    const newPassword = checkNewPassword(raw);

    let checkedHash = await svc.users.passwordHash(user.id);
    const hasPassword = checkedHash !== undefined;
    if (oldPassword !== undefined) {
      checkedHash = await checkCurrentPassword(svc, callerOf(c), user, oldPassword);
    } else if (hasPassword) {
      throw validationError([{ path: 'old_password', message: 'is required' }]);
    } else if (svc.now() - (await svc.sessions.authenticatedAt(signedIn.session.id_hash)) > REAUTH_WINDOW_MS) {
      // A first password (OTP or social accounts) is a new way in, so only a fresh sign-in may add it.
      throw await reauthRequired(svc, user);
    }

    // Set under the account's lock only while this session lives and the password checked is still
    // the current one; reset links and forgot codes asked for before the change die with it. Typing
    // the current password is a re-authentication, so the widget's next step (ending the other
    // sessions) does not ask for it again. Other sessions are left to that explicit step.
    await changePassword(svc, callerOf(c), { userId: user.id, sessionIdHash: signedIn.session.id_hash }, checkedHash, newPassword);
    svc.log(`auth password ${hasPassword ? 'changed' : 'set'} user=${user.id} ip=${clientIp(c)} request_id=${c.get('requestId')}`);
    return c.json({ message: 'Password updated', success: true });
  });

  // ---- primary contact ---------------------------------------------------------------------------

  const setPrimary = async (c: Context, kind: Kind) => {
    const signedIn = await requireSession(svc, c);
    const { user } = signedIn;
    const body = await readJsonObject(c);
    const d = readContact(kind, body);
    await requireRecentAuth(svc, callerOf(c), signedIn, body);
    const tell = await provenAddresses(svc, user.id);
    await setPrimaryContact(svc, user.id, kind, d);
    await notifyChange(svc, user.id, kind === 'email' ? 'primary-email' : 'primary-phone', tell);
    svc.log(`profile primary contact set channel=${d.channel} user=${user.id} request_id=${c.get('requestId')}`);
    return c.json({ user: await svc.users.toSchema((await svc.users.findById(user.id))!) });
  };

  app.post('/profile/v1.0/email/primary', (c) => setPrimary(c, 'email'));
  app.post('/profile/v1.0/mobile/primary', (c) => setPrimary(c, 'mobile'));

  // ---- removing a contact ------------------------------------------------------------------------

  /**
   * The contract's `active`, `primary` and `verified` query flags are accepted and ignored: the
   * stored row says what the contact is. The account must stay reachable: its last verified
   * contact, its last contact of any kind, and (when the store requires one, level "hard") its
   * last verified email or phone cannot be removed. A removed primary hands over to another
   * verified contact of its kind, if there is one.
   */
  const removeRoute = async (c: Context, kind: Kind) => {
    const signedIn = await requireSession(svc, c);
    const { user } = signedIn;
    const source = kind === 'email' ? { email: c.req.query('email') } : { phone: c.req.query('phone'), country_code: c.req.query('country_code') };
    const d = readContact(kind, source);
    // The body is optional (it carries `password` when re-authenticating).
    await requireRecentAuth(svc, callerOf(c), signedIn, await readJsonObject(c));
    const tell = await provenAddresses(svc, user.id);
    await removeContact(svc, user.id, kind, d);
    // Told at the removed address too: it was collected before the removal.
    await notifyChange(svc, user.id, kind === 'email' ? 'email-removed' : 'phone-removed', tell);
    svc.log(`profile contact removed channel=${d.channel} user=${user.id} request_id=${c.get('requestId')}`);
    return c.json({ user: await svc.users.toSchema((await svc.users.findById(user.id))!) });
  };

  app.delete('/profile/v1.0/email', (c) => removeRoute(c, 'email'));
  app.delete('/profile/v1.0/mobile', (c) => removeRoute(c, 'mobile'));

  return app;
}
