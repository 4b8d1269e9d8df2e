// Profile endpoints under /service/application/user (api-contract 3c):
// - POST /profile/v2.0/{email|mobile}/otp/send and .../verify add an email or phone to the
//   signed-in shopper once they typed the code sent there (the v2 bodies are unpublished; ours
//   mirror the v1.0 OTP bodies).
// - POST /profile/v1.0/detail completes an OTP sign-up (with a register_token: creates the account
//   and signs it in) or, with a session, edits the shopper's name, gender, birth date and picture.
import { callerOf } from '../http/request';
import { Hono, type Context } from 'hono';
import type { ServiceInternals } from '../context';
import { ApiError, validationError } from '../shared/errors';
import { addVerifiedContact, contactOwner, emailDestination, findRequest, limitVerify, phoneDestination, phoneFromDestination, readAction, readEmail, readOtp, readPhone, readRequestId, RESEND_TIMER_SECONDS, sendCode, type Destination, type Problems } from '../services/codes';
import { signIn } from '../http/cookies';
import { notifyChange, provenAddresses } from '../services/notices';
import { hasForbiddenNameCharacters } from '../shared/validation';
import { readJsonObject } from '../http/body';
import { requireRecentAuth } from '../services/reauth';
import { requireSession } from '../http/auth-session';

const NAME_MAX = 60;
const URL_MAX = 2048;


interface ProfileFields {
  first_name?: string;
  last_name?: string;
  gender?: string | null;
  dob?: string | null;
  profile_pic_url?: string;
}

/** Reads the editable profile fields; "" clears gender and dob, and a given first_name may not be empty. */
function readProfileFields(body: Record<string, unknown>, problems: Problems, firstNameRequired: boolean): ProfileFields {
  const out: ProfileFields = {};
  const text = (field: string, min: number, max: number, required = false): string | undefined => {
    const raw = body[field];
    if (raw === undefined || raw === null) {
      if (required) problems.push({ path: field, message: 'is required' });
      return undefined;
    }
    if (typeof raw !== 'string') {
      problems.push({ path: field, message: 'expected a string' });
      return undefined;
    }
    const value = raw.trim();
    if (value.length < min) problems.push({ path: field, message: 'must not be empty' });
    else if (value.length > max) problems.push({ path: field, message: `must be at most ${max} characters` });
    else if (hasForbiddenNameCharacters(value)) problems.push({ path: field, message: 'must not contain control or invisible characters' });
    else return value;
    return undefined;
  };
  const first = text('first_name', 1, NAME_MAX, firstNameRequired);
  if (first !== undefined) out.first_name = first;
  const last = text('last_name', 0, NAME_MAX);
  if (last !== undefined) out.last_name = last;
  const gender = text('gender', 0, 32);
  if (gender !== undefined) out.gender = gender || null;

  const dob = body['dob'];
  if (dob === '') out.dob = null;
  else if (dob !== undefined && dob !== null) {
    if (typeof dob !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(dob) || Number.isNaN(Date.parse(dob)) || new Date(dob).toISOString().slice(0, 10) !== dob) {
      problems.push({ path: 'dob', message: 'expected a date like 1990-04-30' });
    } else {
      out.dob = dob;
    }
  }

  const pic = body['profile_pic_url'];
  if (pic === '') out.profile_pic_url = '';
  else if (pic !== undefined && pic !== null) {
    let ok = false;
    if (typeof pic === 'string' && pic.length <= URL_MAX) {
      try {
        // Only web URLs: this value ends up in an <img src> on the storefront.
        ok = ['https:', 'http:'].includes(new URL(pic).protocol);
      } catch {
        ok = false;
      }
    }
    if (ok) out.profile_pic_url = pic as string;
    else problems.push({ path: 'profile_pic_url', message: 'expected an http(s) URL' });
  }
  return out;
}

function registrationFailed(): ApiError {
  // Deliberately vague: saying which contact is taken would tell a stranger who has an account.
  return new ApiError(400, 'REGISTRATION_FAILED', 'We could not create your account. Start again, or sign in if you already have one.');
}

export function contactRoutes(svc: ServiceInternals): Hono {
  const app = new Hono();

  // ---- adding an email or phone to the signed-in shopper ------------------------------------

  const sendContactCode = async (c: Context, channel: 'email' | 'sms') => {
    const signedIn = await requireSession(svc, c);
    const { user } = signedIn;
    const body = await readJsonObject(c);
    const problems: Problems = [];
    const d = readDestination(body, problems, channel);
    const { action, token } = readAction(body, problems);
    if (problems.length || !d) throw validationError(problems);
    // A new contact is a new way into the account (and to its password reset): recent sign-in only.
    await requireRecentAuth(svc, callerOf(c), signedIn, body);
    // Nothing goes to a contact another account holds: the answer stays the same and the verify
    // then fails like a wrong code, so this cannot be used to learn whose contact it is.
    const owner = await contactOwner(svc, d);
    const deliver = !owner || owner.user_id === user.id;
    const sent = await sendCode(svc, callerOf(c), { ...d, purpose: 'contact', action, token, userId: user.id, deliver });
    return c.json({ success: true, request_id: sent.row.request_id, resend_timer: RESEND_TIMER_SECONDS, resend_token: sent.resendToken });
  };

  const verifyContactCode = async (c: Context, channel: 'email' | 'sms') => {
    const { user } = await requireSession(svc, c);
    const body = await readJsonObject(c);
    const problems: Problems = [];
    const d = readDestination(body, problems, channel);
    const otp = readOtp(body, problems);
    const requestId = readRequestId(body, problems, true);
    if (problems.length || !d) throw validationError(problems);
    await limitVerify(svc, callerOf(c));
    const row = await findRequest(svc, requestId, { purpose: 'contact', channel, destination: d.destination, userId: user.id });
    const owner = await contactOwner(svc, d);
    const spent = await svc.otp.verify(row, otp, !owner || owner.user_id === user.id);
    const tell = await provenAddresses(svc, user.id);
    // Stored as typed when the code was asked for, not as retyped for the check.
    if (!(await addVerifiedContact(svc, user.id, { ...d, address: spent.address }))) {
      // Another account took the contact between the check above and now.
      throw new ApiError(400, 'CONTACT_UNAVAILABLE', 'This email address or phone number cannot be added. Try another one.');
    }
    // The addresses the account had before hear about the new one (unless it was already theirs).
    if (!owner) await notifyChange(svc, user.id, channel === 'email' ? 'email-added' : 'phone-added', tell);
    svc.log(`profile contact added channel=${channel} user=${user.id} request_id=${c.get('requestId')}`);
    return c.json({ user: await svc.users.toSchema((await svc.users.findById(user.id))!) });
  };

  app.post('/profile/v2.0/email/otp/send', (c) => sendContactCode(c, 'email'));
  app.post('/profile/v2.0/mobile/otp/send', (c) => sendContactCode(c, 'sms'));
  app.post('/profile/v2.0/email/otp/verify', (c) => verifyContactCode(c, 'email'));
  app.post('/profile/v2.0/mobile/otp/verify', (c) => verifyContactCode(c, 'sms'));

  // ---- profile details ------------------------------------------------------------------------

  app.post('/profile/v1.0/detail', async (c) => {
    const body = await readJsonObject(c);
    const registerToken = body['register_token'];
    if (typeof registerToken === 'string' && registerToken !== '') return completeSignup(c, body, registerToken);

    const { user } = await requireSession(svc, c);
    const problems: Problems = [];
    const fields = readProfileFields(body, problems, false);
    if (problems.length) throw validationError(problems);
    const sets = Object.keys(fields);
    if (sets.length) {
      await svc.users.updateProfile(user.id, fields);
      svc.log(`profile updated fields=${sets.join(',')} user=${user.id} request_id=${c.get('requestId')}`);
    }
    return c.json({ user: await svc.users.toSchema((await svc.users.findById(user.id))!) });
  });

  /**
   * Creates the account an OTP verify could not find: the contact the register_token proves is
   * stored verified and primary. An extra email or mobile given here is not stored: nobody proved
   * it, and attaching it would let anyone park someone else's address on their own account. The
   * answer's verify_email_otp / verify_mobile_otp say it still needs its own code (the add-contact
   * endpoints).
   */
  async function completeSignup(c: Context, body: Record<string, unknown>, registerToken: string): Promise<Response> {
    const problems: Problems = [];
    const fields = readProfileFields(body, problems, true);
    const extraEmail = body['email'] !== undefined && body['email'] !== null && body['email'] !== '' ? readEmail(body, problems) : undefined;
    let extraPhone: Destination | undefined;
    const mobile = body['mobile'];
    if (mobile !== undefined && mobile !== null && mobile !== '') {
      if (typeof mobile !== 'object' || Array.isArray(mobile)) {
        problems.push({ path: 'mobile', message: 'expected { phone, country_code }' });
      } else {
        const nested: Problems = [];
        const phone = readPhone(mobile as Record<string, unknown>, nested, { mobile: 'phone', countryCode: 'country_code' });
        problems.push(...nested.map((p) => ({ path: `mobile.${p.path}`, message: p.message })));
        if (phone) extraPhone = phoneDestination(phone);
      }
    }
    // Validation comes first so a typo does not cost the shopper their register_token.
    if (problems.length) throw validationError(problems);

    const token = await svc.tokens.consume(registerToken, 'register');
    if (!token || !token.channel || !token.destination || !token.address) {
      throw new ApiError(400, 'REGISTER_TOKEN_INVALID', 'This sign-up step has expired. Verify your phone number or email again.');
    }
    const proven: Destination = { channel: token.channel, destination: token.destination, address: token.address };
    if (await contactOwner(svc, proven)) throw registrationFailed();

    let created;
    try {
      created = await svc.users.create({
        first_name: fields.first_name,
        last_name: fields.last_name,
        ...(fields.gender ? { gender: fields.gender } : {}),
        ...(fields.dob ? { dob: fields.dob } : {}),
        ...(proven.channel === 'sms' ? { phone: phoneFromDestination(proven.destination) } : { email: proven.address }),
        verified: true,
      });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) throw registrationFailed();
      throw err;
    }
    if (fields.profile_pic_url) {
      await svc.users.setProfilePicUrl(created.id, fields.profile_pic_url);
    }
    const extra = proven.channel === 'sms' && extraEmail ? emailDestination(extraEmail) : proven.channel === 'email' ? extraPhone : undefined;

    await signIn(svc, c, created, 'otp_signup');
    svc.log(`auth signup user=${created.id} via=${proven.channel} request_id=${c.get('requestId')}`);
    return c.json({
      user: await svc.users.toSchema((await svc.users.findById(created.id))!),
      user_exists: true,
      register_token: '',
      verify_email_otp: extra?.channel === 'email',
      verify_mobile_otp: extra?.channel === 'sms',
      success: true,
    });
  }

  return app;
}

function readDestination(body: Record<string, unknown>, problems: Problems, channel: 'email' | 'sms'): Destination | undefined {
  if (channel === 'email') {
    const email = readEmail(body, problems);
    return email ? emailDestination(email) : undefined;
  }
  const phone = readPhone(body, problems);
  return phone ? phoneDestination(phone) : undefined;
}
