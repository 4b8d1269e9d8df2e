// Storefront operations of the published application client added by issue 13, item 3, under
// /service/application/user: user-exists, login/token, verify/email and verify/mobile, PUT
// profile/v1.0/email|mobile, profile/v1.0/email|mobile/link/send and the SMS reset link
// (login/password/mobile/reset); and, under the platform base behind the admin token, our
// extension that issues the one-time tokens login/token redeems. Thin: zod reads the published
// client's request shapes, services/storefront-ops.ts decides.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ipBucket, type ServiceInternals } from '../context';
import { clientIp } from '../http/context-vars';
import { requireSession } from '../http/auth-session';
import { readJsonObject } from '../http/body';
import { signIn } from '../http/cookies';
import { callerOf } from '../http/request';
import { emailDestination, enforceLimits, phoneDestination, readPhone, type Destination, type Problems } from '../services/codes';
import { resetLink } from '../services/password-reset';
import { LINK_PARAM, pageLink } from '../services/page-links';
import { requireRecentAuth } from '../services/reauth';
import type { StorefrontOps } from '../services/storefront-ops';
import { validationError } from '../shared/errors';
import { EMAIL_MAX_LENGTH, isEmail, parseOrThrow } from '../shared/validation';

// Clients send more fields than these (captcha_code, the v1 flags verified/active/primary); they
// are ignored, not refused, since the published client sends them.
const emailBody = z.object({
  email: z.string({ error: 'is required' }).trim().max(EMAIL_MAX_LENGTH, `must be at most ${EMAIL_MAX_LENGTH} characters`).refine(isEmail, 'expected an email address'),
});
const tokenBody = z.object({ token: z.string({ error: 'is required' }).trim().min(1, 'is required').max(200, 'is not a sign-in token') });
const codeBody = z.object({ code: z.string({ error: 'is required' }).trim().min(1, 'is required').max(200, 'is not a verification code') });
const phoneField = z.union([z.string().max(32), z.number()], { error: 'is required' });
const userIdBody = z.object({ user_id: z.string({ error: 'is required' }).trim().min(1, 'is required').max(64) });

/** `country_code` and the number under `numberField` (`phone` in profile bodies, `mobile` in the reset). */
function readPhoneBody(body: Record<string, unknown>, numberField: 'phone' | 'mobile'): Destination {
  parseOrThrow(z.object({ country_code: phoneField, [numberField]: phoneField }), body);
  const problems: Problems = [];
  const phone = readPhone(body, problems, { mobile: numberField, countryCode: 'country_code' });
  if (problems.length || !phone) throw validationError(problems);
  return phoneDestination(phone);
}

function bucket(c: Context): string {
  return ipBucket(clientIp(c));
}

export function storefrontOpsRoutes(svc: ServiceInternals, ops: StorefrontOps): Hono {
  const app = new Hono();
  const resetLinkFor = (c: Context) => (token: string) => resetLink(svc, callerOf(c), token);

  app.get('/authentication/v1.0/user-exists', async (c) => {
    const { q } = parseOrThrow(z.object({ q: z.string({ error: 'is required' }).trim().min(1, 'is required').max(320, 'is too long') }), {
      q: c.req.query('q'),
    });
    return c.json({ user_exists: await ops.userExists(q, bucket(c)) });
  });

  app.post('/authentication/v1.0/login/token', async (c) => {
    const { token } = parseOrThrow(tokenBody, await readJsonObject(c));
    // Counted against the code-check budget of the client before the token is looked up.
    await enforceLimits([[svc.otpLimits.verifyPerIp, bucket(c)]]);
    const user = await ops.redeemLoginToken(token);
    await signIn(svc, c, user, 'token');
    return c.json({ user: await svc.users.toSchema((await svc.users.findById(user.id))!), request_id: c.get('requestId'), register_token: '' });
  });

  const verify = (channel: 'email' | 'sms') => async (c: Context) => {
    const { code } = parseOrThrow(codeBody, await readJsonObject(c));
    await enforceLimits([[svc.otpLimits.verifyPerIp, bucket(c)]]);
    await ops.verifyContactLink(code, channel);
    return c.json({ message: 'verified' });
  };
  app.post('/authentication/v1.0/verify/email', verify('email'));
  app.post('/authentication/v1.0/verify/mobile', verify('sms'));

  /** PUT adds (answers the user and whether a link went out); link/send answers only the latter. */
  const contactLink = (channel: 'email' | 'sms', answer: 'add' | 'send') => async (c: Context) => {
    const signedIn = await requireSession(svc, c);
    const body = await readJsonObject(c);
    const d = channel === 'email' ? emailDestination(parseOrThrow(emailBody, body).email) : readPhoneBody(body, 'phone');
    // A new contact is a new way into the account: a recent sign-in or the current password.
    await requireRecentAuth(svc, callerOf(c), signedIn, body);
    // Its own parameter, so the store's page verifies it rather than taking it for a reset link.
    const param = channel === 'email' ? LINK_PARAM.verifyEmail : LINK_PARAM.verifyMobile;
    const pending = await ops.sendContactLink(signedIn.user.id, d, bucket(c), (token) => pageLink(svc, callerOf(c), param, token));
    const flag = channel === 'email' ? 'verify_email_link' : 'verify_mobile_link';
    if (answer === 'send') return c.json({ [flag]: pending });
    return c.json({ user: await svc.users.toSchema((await svc.users.findById(signedIn.user.id))!), [flag]: pending });
  };
  app.put('/profile/v1.0/email', contactLink('email', 'add'));
  app.put('/profile/v1.0/mobile', contactLink('sms', 'add'));
  app.post('/profile/v1.0/email/link/send', contactLink('email', 'send'));
  app.post('/profile/v1.0/mobile/link/send', contactLink('sms', 'send'));

  app.post('/authentication/v1.0/login/password/mobile/reset', async (c) => {
    const d = readPhoneBody(await readJsonObject(c), 'mobile');
    await ops.sendMobileReset(d, bucket(c), resetLinkFor(c));
    return c.json({ status: 'sent' });
  });

  return app;
}

/** Admin extension (mounted under the platform base, behind its bearer-token guard). */
export function platformLoginTokenRoutes(ops: StorefrontOps): Hono {
  const app = new Hono();
  app.post('/customers/login_token', async (c) => {
    const { user_id } = parseOrThrow(userIdBody, await readJsonObject(c));
    return c.json({ user_id, ...(await ops.issueLoginToken(user_id)) });
  });
  return app;
}
