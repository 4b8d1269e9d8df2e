// Forgot and reset password under /service/application/user (api-contract 3d, flows 4 and 5):
// a reset link by email, or a code by SMS or email that buys a forgot_token; either one sets a new
// password. Every "send" answers the same whether or not an account exists, and a reset ends all
// sessions of the account and signs nobody in. The latter deviates from the contract, whose
// reset/forgot answers LoginSuccess: OWASP advises against logging in automatically after a reset.
import { callerOf } from '../http/request';
import { clearSessionCookies, cookieIsSecure, readSessionToken } from '../http/cookies';
import { Hono, type Context } from 'hono';
import { ipBucket, type ServiceInternals } from '../context';
import { clientIp } from '../http/context-vars';
import { ApiError, validationError } from '../shared/errors';
import {
  accountFor,
  addVerifiedContact,
  emailCodeSent,
  emailDestination,
  enforceLimits,
  findRequest,
  limitVerify,
  mobileCodeSent,
  phoneDestination,
  readAction,
  readEmail,
  readOtp,
  readPhone,
  readRequestId,
  sendCode,
  storeName,
  storedEmail,
  type Destination,
  type OtpRow,
  type Problems,
} from '../services/codes';
import { checkNewPassword, completeReset, FORGOT_TOKEN_TTL_MS, RESET_LINK_TTL_MS, resetEmail, resetLink } from '../services/password-reset';
import { secureProvenContact } from '../services/notices';
import { readJsonObject } from '../http/body';

function resetCodeInvalid(): ApiError {
  return new ApiError(400, 'RESET_CODE_INVALID', 'This reset link has expired or was already used. Ask for a new one.');
}

function forgotTokenInvalid(): ApiError {
  return new ApiError(400, 'RESET_CODE_INVALID', 'This password reset has expired or was already used. Ask for a new code.');
}

function readCode(body: Record<string, unknown>, problems: Problems): string {
  const code = body['code'];
  if (typeof code !== 'string' || code.trim() === '') {
    problems.push({ path: 'code', message: 'is required' });
    return '';
  }
  return code.trim();
}

/** Every forgot-password path, refused as a whole while the config's forgot_password is not true. */
const FORGOT_PATHS = [
  '/authentication/v1.0/login/password/reset',
  '/authentication/v1.0/login/password/reset/token',
  '/authentication/v1.0/login/password/reset/forgot',
  '/authentication/v1.0/login/password/forgot',
  '/authentication/v1.0/otp/forgot/mobile/send',
  '/authentication/v1.0/otp/forgot/email/send',
  '/authentication/v1.0/otp/forgot/mobile/verify',
  '/authentication/v1.0/otp/forgot/email/verify',
];

export function passwordResetRoutes(svc: ServiceInternals): Hono {
  const app = new Hono();

  // Exact paths, not '*': a sub-app's '*' would cover every route mounted under the same base.
  for (const path of FORGOT_PATHS) {
    app.use(path, async (_c, next) => {
      if ((await svc.config.get())['forgot_password'] !== true) {
        throw new ApiError(400, 'FORGOT_PASSWORD_DISABLED', 'Password reset is turned off for this store. Contact the store for help.');
      }
      await next();
    });
  }

  app.post('/authentication/v1.0/login/password/reset', async (c) => {
    const body = await readJsonObject(c);
    const problems: Problems = [];
    const email = readEmail(body, problems);
    if (problems.length || !email) throw validationError(problems);
    const d = emailDestination(email);
    await enforceLimits([
      [svc.otpLimits.sendPerDestination, `email:${d.destination}`],
      [svc.otpLimits.sendPerIp, ipBucket(clientIp(c))],
    ]);
    const user = await accountFor(svc, d);
    // Both paths store a token and compose the mail, so an unknown address costs the same work; only
    // a known one has an owner for the token and a mailbox to send to (as the account stored it).
    const to = user ? (await storedEmail(svc, d.destination))! : d.address;
    const code = await svc.tokens.issue('reset', { ...(user ? { userId: user.id } : {}), channel: 'email', destination: d.destination, address: to }, RESET_LINK_TTL_MS);
    const mail = { channel: 'email' as const, to, ...resetEmail(await storeName(svc), resetLink(svc, callerOf(c), code)) };
    if (user) await svc.outbox.send(mail);
    svc.log(`auth password reset link requested ip=${clientIp(c)} request_id=${c.get('requestId')}`);
    return c.json({ status: 'sent' });
  });

  app.post('/authentication/v1.0/login/password/reset/token', async (c) => {
    const body = await readJsonObject(c);
    const problems: Problems = [];
    const code = readCode(body, problems);
    if (problems.length) throw validationError(problems);
    if (!(await svc.tokens.peek(code, 'reset'))?.user_id) throw resetCodeInvalid();
    return c.json({ status: 'valid' });
  });

  /** Shared by both "set the new password" endpoints; they differ only in the kind of code. */
  const setPassword = async (c: Context, purpose: 'reset' | 'forgot', invalid: () => ApiError) => {
    const body = await readJsonObject(c);
    const problems: Problems = [];
    const code = readCode(body, problems);
    if (problems.length) throw validationError(problems);
    const row = await svc.tokens.peek(code, purpose);
    if (!row || !row.user_id) throw invalid();
    const password = checkNewPassword(body['password']);
    const done = await completeReset(
      svc,
      callerOf(c),
      row.user_id,
      password,
      { code, purpose },
      purpose === 'reset' && row.channel && row.destination ? { channel: row.channel, destination: row.destination } : null,
    );
    if (!done) throw invalid();
    // Every session of the account ended, the caller's too: its cookie goes with it.
    const secure = cookieIsSecure(c, svc.cookieSecure);
    if (readSessionToken(c, secure)) clearSessionCookies(c, secure);
    c.set('authenticated', false);
    return c.json({ success: true });
  };

  app.post('/authentication/v1.0/login/password/reset/forgot', (c) => setPassword(c, 'reset', resetCodeInvalid));
  app.post('/authentication/v1.0/login/password/forgot', (c) => setPassword(c, 'forgot', forgotTokenInvalid));

  // Forgot-password codes go only to a contact that belongs to an account; for any other address
  // the request is recorded and answered the same way, but nothing is sent.
  app.post('/authentication/v1.0/otp/forgot/mobile/send', async (c) => {
    const body = await readJsonObject(c);
    const problems: Problems = [];
    const phone = readPhone(body, problems);
    const { action, token } = readAction(body, problems);
    if (problems.length || !phone) throw validationError(problems);
    const d = phoneDestination(phone);
    const sent = await sendCode(svc, callerOf(c), { ...d, purpose: 'forgot', action, token, userId: null, deliver: !!(await accountFor(svc, d)) });
    return c.json(mobileCodeSent(phone, sent));
  });

  app.post('/authentication/v1.0/otp/forgot/email/send', async (c) => {
    const body = await readJsonObject(c);
    const problems: Problems = [];
    const email = readEmail(body, problems);
    const { action, token } = readAction(body, problems);
    if (problems.length || !email) throw validationError(problems);
    const d = emailDestination(email);
    const sent = await sendCode(svc, callerOf(c), { ...d, purpose: 'forgot', action, token, userId: null, deliver: !!(await accountFor(svc, d)) });
    return c.json(emailCodeSent(email, sent));
  });

  /** A right code for an address with an account buys a forgot_token; without one it fails like a wrong code. */
  const forgotToken = async (c: Context, row: OtpRow | undefined, otp: string) => {
    const user = row ? await accountFor(svc, row) : undefined;
    const spent = await svc.otp.verify(row, otp, !!user);
    const d: Destination = { channel: spent.channel, destination: spent.destination, address: spent.address };
    // Proving an unproven contact cuts off whoever made the account without it (see services/notices.ts).
    await secureProvenContact(svc, user!.id, d);
    await addVerifiedContact(svc, user!.id, d);
    const forgot = await svc.tokens.issue('forgot', { userId: user!.id, ...d }, FORGOT_TOKEN_TTL_MS);
    svc.log(`auth forgot code verified user=${user!.id} channel=${spent.channel} request_id=${c.get('requestId')}`);
    return c.json({ success: true, forgot_token: forgot });
  };

  app.post('/authentication/v1.0/otp/forgot/mobile/verify', async (c) => {
    const body = await readJsonObject(c);
    const problems: Problems = [];
    const otp = readOtp(body, problems);
    const requestId = readRequestId(body, problems, true);
    if (problems.length) throw validationError(problems);
    await limitVerify(svc, callerOf(c));
    return forgotToken(c, await findRequest(svc, requestId, { purpose: 'forgot', channel: 'sms' }), otp);
  });

  app.post('/authentication/v1.0/otp/forgot/email/verify', async (c) => {
    const body = await readJsonObject(c);
    const problems: Problems = [];
    const email = readEmail(body, problems);
    const otp = readOtp(body, problems);
    const requestId = readRequestId(body, problems, false);
    if (problems.length || !email) throw validationError(problems);
    await limitVerify(svc, callerOf(c));
    const d = emailDestination(email);
    return forgotToken(c, await findRequest(svc, requestId, { purpose: 'forgot', channel: 'email', destination: d.destination }), otp);
  });

  return app;
}
