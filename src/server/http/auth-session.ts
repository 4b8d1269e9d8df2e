// Reading the signed-in shopper from the session cookie, shared by every application route that
// needs one. A session only counts while its user still exists, is active and is not deleted.
import type { Context } from 'hono';
import type { ServiceInternals } from '../context';
import { ApiError } from '../shared/errors';
import { sessionPolicy } from '../services/config';
import { type SessionRow } from '../store/sessions';
import { clearSessionCookies, cookieIsSecure, readSessionToken, setSessionCookie } from './cookies';
import type { UserRow } from '../store/users';

export interface SignedIn {
  token: string;
  session: SessionRow;
  user: UserRow;
}

/** The current session, or undefined; a stale cookie is expired in the response as a courtesy. */
export async function currentSession(svc: ServiceInternals, c: Context): Promise<SignedIn | undefined> {
  const token = readSessionToken(c, cookieIsSecure(c, svc.cookieSecure));
  if (!token) return undefined;
  const session = await svc.sessions.find(token);
  const user = session ? await svc.users.findById(session.user_id) : undefined;
  if (!session || !user || user.active !== 1 || user.deleted_at !== null) {
    // A blocked or deleted account's sessions are ended wherever they are met.
    if (session) await svc.sessions.end(token);
    clearSessionCookies(c, cookieIsSecure(c, svc.cookieSecure));
    return undefined;
  }
  c.set('authenticated', true);
  return { token, session, user };
}

/** Like currentSession, but a 401 when there is none; also applies rolling renewal. */
export async function requireSession(svc: ServiceInternals, c: Context): Promise<SignedIn> {
  const signedIn = await currentSession(svc, c);
  if (!signedIn) {
    throw new ApiError(401, 'UNAUTHENTICATED', 'You are not signed in', { authenticated: false });
  }
  const policy = sessionPolicy(await svc.config.get());
  const expires = await svc.sessions.touch(signedIn.session, policy.lifetimeMs, policy.rolling);
  if (expires !== null) {
    setSessionCookie(c, signedIn.token, (expires - svc.now()) / 1000, cookieIsSecure(c, svc.cookieSecure));
  }
  return signedIn;
}
