// The links the service mails or texts to a shopper: the store page they asked from, with one
// query parameter carrying a one-time token. Each kind of link has its own parameter, so the
// widget on that page knows what the token is for without asking the service (a verification link
// must never open the "choose a new password" step, nor a reset link add a contact).
import type { Caller } from '../shared/caller';
import { trustedOrigin, type CodesContext } from './codes';

/** The query parameter of each kind of link (documented in src/server/README.md; read by `<latch-auth>`). */
export const LINK_PARAM = {
  /** A password reset link (`?code=`), as the published reset emails carry it. */
  reset: 'code',
  /** Proves an email address added through PUT profile/v1.0/email or .../email/link/send. */
  verifyEmail: 'verify_email',
  /** Proves a phone number added through PUT profile/v1.0/mobile or .../mobile/link/send. */
  verifyMobile: 'verify_mobile',
} as const;
export type LinkParam = (typeof LINK_PARAM)[keyof typeof LINK_PARAM];

/**
 * The page the shopper asked from (the Referer), when this service trusts its origin, with `param`
 * set to `token`; otherwise the service's own root. A foreign Referer is never used: the link would
 * carry the token to a site that is not the store.
 */
export function pageLink(svc: Pick<CodesContext, 'allowedOrigins'>, caller: Pick<Caller, 'ownOrigin' | 'referer'>, param: LinkParam, token: string): string {
  const referer = caller.referer;
  const origin = trustedOrigin(svc, caller, referer);
  let url: URL;
  try {
    url = referer && new URL(referer).origin === origin ? new URL(referer) : new URL(`${origin}/`);
  } catch {
    url = new URL(`${origin}/`);
  }
  url.hash = '';
  // A link asked from a page opened by another link carries only its own token.
  for (const other of Object.values(LINK_PARAM)) url.searchParams.delete(other);
  url.searchParams.set(param, token);
  return url.toString();
}
