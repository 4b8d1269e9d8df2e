// Sign-up through the registration form (api-contract 3c registerWithForm, flow 3): which fields
// the form must carry (from the config's register_required_fields), the pending registration that
// waits until each given contact is proven by a code, and the account made once they all are.
// Registering an email or phone that an account already has answers exactly like a fresh one, sends
// no code there and tells the real owner instead, so the form cannot be used to find out who shops here.
import type { ServiceInternals } from '../context';
import {
  deleteExpiredPending,
  deletePending,
  insertPending,
  markPendingVerified,
  pendingByRequestId,
  pendingByTokenHash,
  recordPrivacyConsent,
  setPendingRequest,
  type PendingRegistration,
} from '../store/pending-registrations';
import { ipBucket, type Caller } from '../shared/caller';
import { ApiError, validationError } from '../shared/errors';
import { contactOwner, emailDestination, enforceLimits, findRequest, newToken, phoneDestination, storedEmail, RESEND_TIMER_SECONDS, sendCode, storeName, tooManyRequests, type Destination, type OtpRow, type Problems, type SendCodeContext } from './codes';
import type { Channel } from '../store/outbox';
import { checkNewPassword, checkPasswordScreen } from './password-reset';
import { hashPassword } from './passwords';
import { parseCountryCode, parsePhone, type PhoneNumber } from '../shared/phone';
import type { Json, JsonObject } from './config';
import type { UserRow } from '../store/users';
import { hasForbiddenNameCharacters, isObject, isEmail, normalizeEmail } from '../shared/validation';
import { sha256 } from '../shared/ids';
import { queuedHash } from './hash-queue';

/** How long a sign-up may wait for its codes; a resend does not extend it. */
export const PENDING_REGISTRATION_TTL_MS = 30 * 60 * 1000;
export const NAME_MAX_LENGTH = 60;
export const GENDERS = ['male', 'female', 'unisex'] as const;

/** hard: must be given; soft: may be left out, checked when given; off: ignored. */
export type FieldMode = 'hard' | 'soft' | 'off';


/** The `register` switch; off unless the config says true. */
export function registrationEnabled(config: JsonObject): boolean {
  return config['register'] === true;
}

export function registrationDisabled(): ApiError {
  return new ApiError(400, 'REGISTRATION_DISABLED', 'This store does not take new sign-ups here.');
}

export function registerTokenInvalid(): ApiError {
  return new ApiError(400, 'REGISTER_TOKEN_INVALID', 'This sign-up has expired. Please start again.');
}

function registrationFailed(): ApiError {
  // As vague as the duplicate case: naming the taken contact would tell a stranger who has an account.
  return new ApiError(400, 'REGISTRATION_FAILED', 'We could not create your account. Start again, or sign in if you already have one.');
}

/**
 * register_required_fields read the way the storefront reads required_fields: is_required says
 * whether the field is on the form at all, level "hard" makes it mandatory and "soft" optional.
 * A store that switched both off still needs a way to reach the shopper, so both become optional.
 */
export function registerFieldModes(config: JsonObject): { email: FieldMode; mobile: FieldMode } {
  const fields = isObject(config['register_required_fields']) ? config['register_required_fields'] : {};
  const mode = (field: Json | undefined): FieldMode =>
    !isObject(field) || field['is_required'] !== true ? 'off' : field['level'] === 'soft' ? 'soft' : 'hard';
  const email = mode(fields['email']);
  const mobile = mode(fields['mobile']);
  if (email === 'off' && mobile === 'off') return { email: 'soft', mobile: 'soft' };
  return { email, mobile };
}

export interface RegistrationInput {
  firstName: string;
  lastName: string;
  gender: (typeof GENDERS)[number] | undefined;
  email: Destination | undefined;
  phone: PhoneNumber | undefined;
  password: string;
  consent: boolean;
}


function blank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Checks the form. Field problems use the paths the widget puts its messages next to (first_name,
 * last_name, gender, email, phone.mobile, phone.country_code, password), with short messages meant
 * for the shopper. A password that is the only problem keeps its own code (PASSWORD_TOO_SHORT,
 * PASSWORD_COMMON, ...) and also names the field in meta.fields.
 */
export function readRegistration(body: Record<string, unknown>, modes: { email: FieldMode; mobile: FieldMode }): RegistrationInput {
  const problems: Problems = [];

  const name = (field: 'first_name' | 'last_name', required: boolean): string => {
    const raw = body[field];
    if (blank(raw)) {
      if (required) problems.push({ path: field, message: 'Enter your first name' });
      return '';
    }
    if (typeof raw !== 'string') {
      problems.push({ path: field, message: 'Enter a name' });
      return '';
    }
    const value = raw.trim();
    if (value.length > NAME_MAX_LENGTH) problems.push({ path: field, message: `Use at most ${NAME_MAX_LENGTH} characters` });
    else if (hasForbiddenNameCharacters(value)) problems.push({ path: field, message: 'Remove the special characters' });
    return value;
  };
  const firstName = name('first_name', true);
  const lastName = name('last_name', false);

  let gender: RegistrationInput['gender'];
  if (!blank(body['gender'])) {
    if ((GENDERS as readonly unknown[]).includes(body['gender'])) gender = body['gender'] as RegistrationInput['gender'];
    else problems.push({ path: 'gender', message: 'Choose male, female or unisex' });
  }

  let email: Destination | undefined;
  const emailGiven = modes.email !== 'off' && !blank(body['email']);
  if (emailGiven) {
    const raw = body['email'];
    const value = typeof raw === 'string' ? normalizeEmail(raw) : '';
    if (!isEmail(value)) problems.push({ path: 'email', message: 'Enter a valid email address, like name@example.com' });
    else email = emailDestination(value);
  } else if (modes.email === 'hard') {
    problems.push({ path: 'email', message: 'Enter your email address' });
  }

  let phone: PhoneNumber | undefined;
  const rawPhone = body['phone'];
  const phoneObject = typeof rawPhone === 'object' && rawPhone !== null && !Array.isArray(rawPhone) ? (rawPhone as Record<string, unknown>) : undefined;
  // A country code alone is what a form with a pre-filled country picker sends for "no phone".
  const phoneGiven = modes.mobile !== 'off' && !blank(rawPhone) && (!phoneObject || !blank(phoneObject['mobile']));
  if (phoneGiven) {
    if (!phoneObject) {
      problems.push({ path: 'phone.mobile', message: 'Enter a valid phone number' });
    } else {
      const countryCode = blank(phoneObject['country_code']) ? null : parseCountryCode(phoneObject['country_code']);
      if (countryCode === null) {
        problems.push({
          path: 'phone.country_code',
          message: blank(phoneObject['country_code']) ? 'Choose a country code' : 'Enter a valid country code, like 91',
        });
      }
      const mobile = phoneObject['mobile'];
      const text = typeof mobile === 'number' && Number.isInteger(mobile) ? String(mobile) : mobile;
      // Digits only (spaces and dashes allowed): the country belongs in country_code, not a "+" here.
      const parsed = typeof text === 'string' && !text.includes('+') ? parsePhone(text, countryCode ?? 1) : null;
      if (!parsed) problems.push({ path: 'phone.mobile', message: 'Enter a valid phone number' });
      else if (countryCode !== null) phone = parsed;
    }
  } else if (modes.mobile === 'hard') {
    problems.push({ path: 'phone.mobile', message: 'Enter your phone number' });
  }

  if (!emailGiven && !phoneGiven && modes.email !== 'hard' && modes.mobile !== 'hard') {
    const message = 'Enter an email address or a phone number';
    if (modes.email !== 'off') problems.push({ path: 'email', message });
    if (modes.mobile !== 'off') problems.push({ path: 'phone.mobile', message });
  }

  let consent = false;
  if (body['consent'] !== undefined && body['consent'] !== null) {
    if (typeof body['consent'] === 'boolean') consent = body['consent'];
    else problems.push({ path: 'consent', message: 'expected true or false' });
  }

  let password = '';
  let passwordError: ApiError | undefined;
  const rawPassword = body['password'];
  if (typeof rawPassword !== 'string' || rawPassword === '') {
    problems.push({ path: 'password', message: 'Enter a password' });
  } else {
    try {
      password = checkNewPassword(rawPassword);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      passwordError = err;
    }
  }

  if (problems.length) {
    if (passwordError) problems.push({ path: 'password', message: passwordError.message });
    throw validationError(problems);
  }
  if (passwordError) {
    throw new ApiError(passwordError.status, passwordError.code, passwordError.message, {
      meta: { ...passwordError.meta, fields: { password: passwordError.message } },
    });
  }
  return { firstName, lastName, gender, email, phone, password, consent };
}

// ---------------------------------------------------------------------------------------------
// Pending registrations.

export type { PendingRegistration };

/**
 * What registration reads from the service: what sending a code needs (services/codes.ts), plus the
 * account store, the registration limits and password hashing. Each function takes only its part.
 */
export type RegistrationContext = SendCodeContext & Pick<ServiceInternals, 'users' | 'accountLimits' | 'passwordScreen' | 'hashQueue' | 'passwordParams'>;
/** The pending registrations' rows, as of the service's clock. */
type PendingContext = Pick<RegistrationContext, 'sql' | 'applicationId' | 'now'>;

/** Expired sign-ups hold a password hash and contact details nobody proved; they are not kept. */
export async function purgePendingRegistrations(svc: PendingContext): Promise<number> {
  return deleteExpiredPending(svc.sql, svc.applicationId, svc.now());
}

export async function findPending(svc: PendingContext, registerToken: unknown): Promise<PendingRegistration | undefined> {
  if (typeof registerToken !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(registerToken)) return undefined;
  const row = await pendingByTokenHash(svc.sql, svc.applicationId, sha256(registerToken));
  return row && row.expires_at > svc.now() ? row : undefined;
}

async function pendingByRequest(svc: PendingContext, row: OtpRow): Promise<PendingRegistration | undefined> {
  const pending = await pendingByRequestId(svc.sql, svc.applicationId, row.channel, row.request_id);
  return pending && pending.expires_at > svc.now() ? pending : undefined;
}

/** The contact a pending registration has on one channel, if it gave one. */
function pendingContact(pending: PendingRegistration, channel: Channel): Destination | undefined {
  if (channel === 'email') return pending.email ? emailDestination(pending.email) : undefined;
  return pending.phone && pending.country_code !== null ? phoneDestination({ country_code: pending.country_code, phone: pending.phone }) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Starting a registration.

function duplicateNotice(store: string, channel: Channel): { subject: string; text: string } {
  const what = channel === 'email' ? 'this address' : 'this phone number';
  return {
    subject: `Someone tried to create a ${store} account with your email address`,
    text:
      `Someone tried to create an account with ${what}. If it was you, sign in or reset your password.\n\n` +
      `If it was not you, you can ignore this message: your ${store} account has not changed.`,
  };
}

/** Tells the holder of a taken contact about the attempt, at the address the account stored. */
async function notifyOwner(svc: Pick<RegistrationContext, 'config' | 'outbox' | 'sql' | 'applicationId' | 'now'>, d: Destination): Promise<void> {
  const store = await storeName(svc);
  const notice = duplicateNotice(store, d.channel);
  if (d.channel === 'sms') {
    await svc.outbox.send({ channel: 'sms', to: d.address, text: notice.text });
    return;
  }
  const stored = await storedEmail(svc, d.destination);
  await svc.outbox.send({ channel: 'email', to: stored ?? d.address, subject: notice.subject, text: notice.text });
}

export interface RegisterAnswer {
  success: true;
  request_id: string;
  message: string;
  email: string;
  mobile: string;
  country_code: string;
  resend_timer: number;
  resend_token: string;
  resend_email_token: string;
  register_token: string;
  verify_mobile_otp: boolean;
  verify_email_otp: boolean;
  user_exists: false;
}

/**
 * Limits, hashes the password, sends a code to each contact (or, for a contact an account already
 * has, a notice to its owner and no code) and stores the pending registration. Every path does the
 * same work in the same order, so the answer, its status and its timing do not depend on whether a
 * contact is taken.
 */
export async function startRegistration(svc: Omit<RegistrationContext, 'users'>, caller: Caller, input: RegistrationInput): Promise<RegisterAnswer> {
  const ip = caller.ip;
  const contacts: Destination[] = [];
  if (input.email) contacts.push(input.email);
  if (input.phone) contacts.push(phoneDestination(input.phone));

  await enforceLimits([
    [svc.accountLimits.registerPerIp, ipBucket(ip)],
    ...contacts.map((d): [typeof svc.accountLimits.registerPerIp, string] => [svc.accountLimits.registerPerDestination, `${d.channel}:${d.destination}`]),
  ]);
  // The code sends below count against the OTP limits too; checking them first keeps a limited
  // request from sending one code and then failing on the other.
  const otpLimited = (
    await Promise.all([
      svc.otpLimits.sendPerIp.check(ipBucket(ip)),
      ...contacts.map((d) => svc.otpLimits.sendPerDestination.check(`${d.channel}:${d.destination}`)),
    ])
  ).filter((s) => s.limited);
  if (otpLimited.length) throw tooManyRequests(Math.max(...otpLimited.map((s) => s.retryAfterSeconds)));

  await checkPasswordScreen(svc, input.password);
  const passwordHash = await queuedHash(svc.hashQueue, ipBucket(ip), caller.signal, () => hashPassword(input.password, svc.passwordParams));
  await purgePendingRegistrations(svc);

  const sent: Partial<Record<Channel, { requestId: string; resendToken: string }>> = {};
  let taken = 0;
  for (const d of contacts) {
    const owner = await contactOwner(svc, d);
    const code = await sendCode(svc, caller, { ...d, purpose: 'register', action: 'send', token: undefined, userId: null, deliver: !owner });
    sent[d.channel] = { requestId: code.row.request_id, resendToken: code.resendToken };
    if (owner) {
      await notifyOwner(svc, d);
      taken++;
    }
  }

  const registerToken = newToken();
  const t = svc.now();
  await insertPending(svc.sql, svc.applicationId, {
    token_hash: sha256(registerToken),
    first_name: input.firstName,
    last_name: input.lastName,
    gender: input.gender ?? null,
    email: input.email?.address ?? null,
    email_key: input.email?.destination ?? null,
    phone: input.phone?.phone ?? null,
    country_code: input.phone?.country_code ?? null,
    password_hash: passwordHash,
    consent: input.consent ? 1 : 0,
    email_request_id: sent.email?.requestId ?? null,
    sms_request_id: sent.sms?.requestId ?? null,
    expires_at: t + PENDING_REGISTRATION_TTL_MS,
    created_at: t,
  });
  // "taken" is logged as a count only; the log says nothing a reader could tie to an address.
  svc.log(`auth register started contacts=${contacts.length} taken=${taken} ip=${ip} request_id=${caller.requestId}`);

  return {
    success: true,
    request_id: (sent.sms ?? sent.email)!.requestId,
    message: 'OTP sent',
    email: input.email?.address ?? '',
    mobile: input.phone?.phone ?? '',
    country_code: input.phone ? String(input.phone.country_code) : '',
    resend_timer: RESEND_TIMER_SECONDS,
    resend_token: sent.sms?.resendToken ?? '',
    resend_email_token: sent.email?.resendToken ?? '',
    register_token: registerToken,
    verify_mobile_otp: !!input.phone,
    verify_email_otp: !!input.email,
    user_exists: false,
  };
}

// ---------------------------------------------------------------------------------------------
// Codes for a pending registration through the shared send endpoints.

/**
 * The pending registration a send on otp/{mobile|email}/send belongs to: named by its
 * register_token, or found through the resend token of one of its codes. Undefined when the send
 * is not a registration's (the endpoint then treats it as OTP sign-in).
 */
export async function registrationForSend(
  svc: PendingContext & Pick<RegistrationContext, 'otp' | 'config'>,
  d: Destination,
  action: 'send' | 'resend',
  resendToken: string | undefined,
  registerToken: unknown,
): Promise<PendingRegistration | undefined> {
  let pending = registerToken ? await findPending(svc, registerToken) : undefined;
  if (!pending && action === 'resend' && resendToken) {
    const row = await svc.otp.byResendToken(resendToken, 'register', d.channel, d.destination);
    if (row) {
      pending = await pendingByRequest(svc, row);
      if (!pending) throw registerTokenInvalid();
    }
  }
  if (!pending || pendingContact(pending, d.channel)?.destination !== d.destination) return undefined;
  if (!registrationEnabled(await svc.config.get())) throw registrationDisabled();
  return pending;
}

/** Sends or resends a registration's code; a contact an account has gets none, as at the start. */
export async function sendRegistrationCode(
  svc: SendCodeContext,
  caller: Caller,
  pending: PendingRegistration,
  d: Destination,
  action: 'send' | 'resend',
  token: string | undefined,
): Promise<{ row: OtpRow; resendToken: string }> {
  const sent = await sendCode(svc, caller, { ...d, purpose: 'register', action, token, userId: null, deliver: !(await contactOwner(svc, d)) });
  await setPendingRequest(svc.sql, pending.token_hash, d.channel, sent.row.request_id);
  return sent;
}

// ---------------------------------------------------------------------------------------------
// Verifying a registration's codes.

/**
 * Checks a registration's code for one channel. A contact an account has fails like a wrong code,
 * whatever was typed. When every given contact is proven the account is made, active and with
 * verified contacts (the route signs it in with a new session); until then the answer says what is left.
 */
export async function verifyRegistrationCode(
  svc: PendingContext & Pick<RegistrationContext, 'otp' | 'config' | 'users'>,
  channel: Channel,
  registerToken: string,
  otp: string,
  email?: string,
): Promise<RegistrationStep> {
  if (!registrationEnabled(await svc.config.get())) throw registrationDisabled();
  const pending = await findPending(svc, registerToken);
  if (!pending) throw registerTokenInvalid();
  const d = pendingContact(pending, channel);
  const requestId = channel === 'sms' ? pending.sms_request_id : pending.email_request_id;
  // An email verify names its address; a different one than the registration's has no code here.
  const named = email === undefined || (d !== undefined && email.toLowerCase() === d.destination);
  const row = d && requestId && named ? await findRequest(svc, requestId, { purpose: 'register', channel, destination: d.destination }) : undefined;
  await svc.otp.verify(row, otp, !!d && !(await contactOwner(svc, d)));

  // Marked and read back under a lock on the registration: of an email and a phone verify finishing
  // together (two connections, or instances), exactly one sees both proven and makes the account.
  // Deciding from the row read before the code check let each see the other still open.
  const now = await svc.sql.tx(async (q) => {
    await q.lock(`registration:${pending.token_hash}`);
    await markPendingVerified(q, pending.token_hash, channel);
    return pendingByTokenHash(q, svc.applicationId, pending.token_hash);
  });
  if (!now) throw registerTokenInvalid();
  const emailLeft = now.email !== null && Number(now.email_verified) !== 1;
  const mobileLeft = now.phone !== null && Number(now.phone_verified) !== 1;
  if (emailLeft || mobileLeft) {
    return { done: false, answer: { user_exists: false, register_token: registerToken, verify_email_otp: emailLeft, verify_mobile_otp: mobileLeft } };
  }
  return { done: true, user: await completeRegistration(svc, now) };
}

/** Where a registration stands after a verified code: more codes to go, or the account made. */
export type RegistrationStep =
  | { done: false; answer: { user_exists: false; register_token: string; verify_email_otp: boolean; verify_mobile_otp: boolean } }
  | { done: true; user: UserRow };

/** Makes the account from a fully proven registration and forgets the registration. */
async function completeRegistration(svc: Pick<RegistrationContext, 'sql' | 'users' | 'now'>, pending: PendingRegistration): Promise<UserRow> {
  try {
    return await svc.sql.tx(async (q) => {
      // Spent first: of two verifies racing to finish the same registration, one makes the account.
      if (!(await deletePending(q, pending.token_hash))) throw registerTokenInvalid();
      const user = await svc.users.create({
        first_name: pending.first_name,
        last_name: pending.last_name,
        ...(pending.gender ? { gender: pending.gender } : {}),
        ...(pending.email ? { email: pending.email } : {}),
        ...(pending.phone && pending.country_code !== null ? { phone: { phone: pending.phone, country_code: pending.country_code } } : {}),
        verified: true,
        passwordHash: pending.password_hash,
      }, q);
      if (Number(pending.consent) === 1) await recordPrivacyConsent(q, user.id, svc.now());
      return user;
    });
  } catch (err) {
    // A contact or username taken since the codes were sent (by another sign-up, say).
    if (err instanceof ApiError && err.status === 409) {
      await deletePending(svc.sql, pending.token_hash);
      throw registrationFailed();
    }
    throw err;
  }
}
