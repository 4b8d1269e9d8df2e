// OTP sign-in under /service/application/user (api-contract 3b, flow 1): send and resend a code by
// SMS or email, verify it, and either sign the account in or hand back a register_token that lets
// profile/detail create the account. Sends answer the same whether or not an account exists, so
// they cannot be used to find out who shops here. The same endpoints carry the codes of a
// registration-form sign-up (flow 3) when the request names its register_token (services/registration.ts).
import { callerOf } from '../http/request';
import { Hono, type Context } from 'hono';
import { checkCaptcha } from '../services/captcha';
import type { ServiceInternals } from '../context';
import { accountStateError } from '../services/deletion';
import { ApiError, validationError } from '../shared/errors';
import { accountFor, addVerifiedContact, emailCodeSent, emailDestination, findRequest, limitVerify, mobileCodeSent, phoneDestination, readAction, readEmail, readOtp, readPhone, readRequestId, sendCode, type Destination, type OtpRow, type Problems, type SentCode } from '../services/codes';
import { signIn } from '../http/cookies';
import { registrationForSend, sendRegistrationCode, verifyRegistrationCode, type RegistrationStep } from '../services/registration';
import { secureProvenContact } from '../services/notices';
import { isObject } from '../shared/validation';
import { readJsonObject } from '../http/body';
import { currentSession } from '../http/auth-session';

/** register_token lifetime: long enough to type a name, short like the code that earned it. */
export const REGISTER_TOKEN_TTL_MS = 10 * 60 * 1000;

async function otpLoginOn(svc: ServiceInternals): Promise<boolean> {
  const login = (await svc.config.get())['login'];
  return isObject(login) && login['otp'] === true;
}

function otpLoginDisabled(): ApiError {
  return new ApiError(400, 'LOGIN_METHOD_DISABLED', 'Signing in with a one-time code is turned off for this store.');
}

/**
 * Signing in by code is off unless the config has login.otp: true. A signed-in shopper still gets
 * codes and may check them: that is how account deletion and contact checks prove who they are.
 * Returns the id of the only account such a code may sign into (the session's own), or undefined
 * when code sign-in is on.
 */
async function refuseOtpSignIn(svc: ServiceInternals, c: Context): Promise<string | undefined> {
  if (await otpLoginOn(svc)) return undefined;
  const signedIn = await currentSession(svc, c);
  if (signedIn) return signedIn.user.id;
  throw otpLoginDisabled();
}

/** A non-empty register_token in the body, which makes a verify part of a form registration. */
function registerTokenOf(body: Record<string, unknown>): string | undefined {
  const token = body['register_token'];
  return typeof token === 'string' && token !== '' ? token : undefined;
}

/** What a right code leads to, shared by the mobile and email verify endpoints. */
async function afterLoginCode(svc: ServiceInternals, c: Context, row: OtpRow, onlyUser: string | undefined): Promise<Response> {
  const d: Destination = { channel: row.channel, destination: row.destination, address: row.address };
  const user = await accountFor(svc, d);
  // With code sign-in off, a signed-in shopper's code proves a contact of their own account only:
  // it may not sign into another account, nor start a sign-up.
  if (onlyUser !== undefined && user?.id !== onlyUser) throw otpLoginDisabled();
  if (!user) {
    const registerToken = await svc.tokens.issue('register', d, REGISTER_TOKEN_TTL_MS);
    return c.json({ user_exists: false, register_token: registerToken });
  }
  // The code proved the caller holds this contact, so the account's state may be told now.
  const refused = accountStateError(user);
  if (refused) throw refused;
  // A contact nobody had proved: whoever made the account loses what they held before this sign-in.
  await secureProvenContact(svc, user.id, d);
  await addVerifiedContact(svc, user.id, d);
  await signIn(svc, c, user, row.channel === 'sms' ? 'otp_sms' : 'otp_email');
  return c.json({ user: await svc.users.toSchema((await svc.users.findById(user.id))!), user_exists: true, register_token: '' });
}

export function otpRoutes(svc: ServiceInternals): Hono {
  /** A registration code's answer: what is left to verify, or the new account, signed in. */
  const registrationAnswer = async (c: Context, step: RegistrationStep): Promise<Response> => {
    if (!step.done) return c.json(step.answer);
    await signIn(svc, c, step.user, 'register');
    svc.log(`auth register completed user=${step.user.id} request_id=${c.get('requestId')}`);
    return c.json({ user: await svc.users.toSchema((await svc.users.findById(step.user.id))!), user_exists: true, register_token: '' });
  };

  const app = new Hono();

  /**
   * Sends a sign-in code, or a registration's code when the body names its register_token; the
   * same for SMS and email once the body was read.
   */
  const sendLoginCode = async (
    c: Context,
    body: Record<string, unknown>,
    d: Destination,
    action: 'send' | 'resend',
    token: string | undefined,
  ): Promise<SentCode> => {
    const registration = await registrationForSend(svc, d, action, token, body['register_token']);
    if (!registration) await refuseOtpSignIn(svc, c);
    // A resend carries its token as proof of the earlier send; only first sends meet the captcha.
    if (action === 'send') await checkCaptcha(svc, callerOf(c), body);
    // Login codes go out whether or not the contact has an account: an unknown one is a sign-up.
    return registration
      ? sendRegistrationCode(svc, callerOf(c), registration, d, action, token)
      : sendCode(svc, callerOf(c), { ...d, purpose: 'login', action, token, userId: null, deliver: true });
  };

  const sendMobile = async (c: Context, withAction: boolean) => {
    const body = await readJsonObject(c);
    const problems: Problems = [];
    const phone = readPhone(body, problems);
    const { action, token } = withAction ? readAction(body, problems) : { action: 'send' as const, token: undefined };
    if (problems.length || !phone) throw validationError(problems);
    const sent = await sendLoginCode(c, body, phoneDestination(phone), action, token);
    return c.json(mobileCodeSent(phone, sent));
  };

  app.post('/authentication/v1.0/login/otp', (c) => sendMobile(c, false));
  app.post('/authentication/v1.0/otp/mobile/send', (c) => sendMobile(c, true));

  app.post('/authentication/v1.0/otp/mobile/verify', async (c) => {
    const body = await readJsonObject(c);
    const problems: Problems = [];
    const otp = readOtp(body, problems);
    const registerToken = registerTokenOf(body);
    // A registration knows which request its code belongs to, so request_id is optional there.
    const requestId = readRequestId(body, problems, !registerToken);
    if (problems.length) throw validationError(problems);
    const onlyUser = registerToken ? undefined : await refuseOtpSignIn(svc, c);
    await limitVerify(svc, callerOf(c));
    if (registerToken) return registrationAnswer(c, await verifyRegistrationCode(svc, 'sms', registerToken, otp));
    const row = await svc.otp.verify(await findRequest(svc, requestId, { purpose: 'login', channel: 'sms' }), otp);
    return afterLoginCode(svc, c, row, onlyUser);
  });

  app.post('/authentication/v1.0/otp/email/send', async (c) => {
    const body = await readJsonObject(c);
    const problems: Problems = [];
    const email = readEmail(body, problems);
    const { action, token } = readAction(body, problems, 'token');
    if (problems.length || !email) throw validationError(problems);
    const sent = await sendLoginCode(c, body, emailDestination(email), action, token);
    return c.json(emailCodeSent(email, sent));
  });

  app.post('/authentication/v1.0/otp/email/verify', async (c) => {
    const body = await readJsonObject(c);
    const problems: Problems = [];
    const email = readEmail(body, problems);
    const otp = readOtp(body, problems);
    const requestId = readRequestId(body, problems, false);
    if (problems.length || !email) throw validationError(problems);
    const registerToken = registerTokenOf(body);
    const onlyUser = registerToken ? undefined : await refuseOtpSignIn(svc, c);
    await limitVerify(svc, callerOf(c));
    if (registerToken) return registrationAnswer(c, await verifyRegistrationCode(svc, 'email', registerToken, otp, email));
    const d = emailDestination(email);
    const row = await svc.otp.verify(await findRequest(svc, requestId, { purpose: 'login', channel: 'email', destination: d.destination }), otp);
    return afterLoginCode(svc, c, row, onlyUser);
  });

  return app;
}
