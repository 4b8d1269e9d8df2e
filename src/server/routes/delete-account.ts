// POST /authentication/v1.0/delete under /service/application/user (api-contract 3e, flow 7): the
// signed-in shopper asks for their account to be deleted. Re-authentication comes first: a code sent
// to one of their verified contacts (by otp/mobile/send, login/otp or otp/email/send), or, only for a
// shopper who has no verified contact to send one to, their password. Then services/deletion.ts soft-deletes
// the account with the reason, every session ends at once and the caller's cookie is cleared.
import { callerOf } from '../http/request';
import { verifiedContactKeys } from '../services/codes';
import { Hono } from 'hono';
import type { ServiceInternals } from '../context';
import { hashClient } from '../http/context-vars';
import { requestDeletion } from '../services/deletion';
import { ApiError, validationError } from '../shared/errors';
import { enforceLimits, findRequest, limitVerify, readOtp, readRequestId, type OtpRow, type Problems } from '../services/codes';
import type { JsonObject } from '../services/config';
import { verifyPassword } from '../services/passwords';
import { clearSessionCookies, cookieIsSecure } from '../http/cookies';
import { isObject } from '../shared/validation';
import { readJsonObject } from '../http/body';
import { INVALID_CREDENTIALS_MESSAGE } from '../services/passwords';
import { requireSession } from '../http/auth-session';
import { queuedHash } from '../services/hash-queue';

export const DELETE_REASON_MAX_LENGTH = 500;


/** The reason ids the config offers; an empty list means the shopper is not asked for one. */
function reasonIds(config: JsonObject): string[] {
  const reasons = config['delete_account_reasons'];
  if (!Array.isArray(reasons)) return [];
  return reasons.flatMap((r) => (isObject(r) && typeof r['reason_id'] === 'string' ? [r['reason_id']] : []));
}

function consentText(config: JsonObject): string {
  const consent = config['delete_account_consent'];
  return isObject(consent) && typeof consent['consent_text'] === 'string' ? consent['consent_text'].trim() : '';
}

/** `channel|destination` of every verified, active contact of the user, as otp_requests stores them. */
async function verifiedContacts(svc: ServiceInternals, userId: string): Promise<Set<string>> {
  const { emails, phones } = await verifiedContactKeys(svc.sql, userId);
  return new Set([...emails.map((e) => `email|${e.email_key}`), ...phones.map((p) => `sms|${p.country_code}:${p.phone}`)]);
}

export function deleteAccountRoutes(svc: ServiceInternals): Hono {
  const app = new Hono();

  app.post('/authentication/v1.0/delete', async (c) => {
    const { user } = await requireSession(svc, c);
    const body = await readJsonObject(c);
    const config = await svc.config.get();
    const problems: Problems = [];

    const userId = body['user_id'];
    if (typeof userId !== 'string' || userId === '') problems.push({ path: 'user_id', message: 'is required' });
    else if (userId !== user.id) throw new ApiError(403, 'FORBIDDEN', 'You can only delete your own account.');

    const reason = body['reason'];
    if (reason !== undefined && reason !== null && typeof reason !== 'string') problems.push({ path: 'reason', message: 'expected text' });
    else if (typeof reason === 'string' && reason.length > DELETE_REASON_MAX_LENGTH) {
      problems.push({ path: 'reason', message: `Use at most ${DELETE_REASON_MAX_LENGTH} characters` });
    }

    const ids = reasonIds(config);
    const rawReasonId = body['reason_id'];
    const reasonId = typeof rawReasonId === 'string' ? rawReasonId.trim() : '';
    if (rawReasonId !== undefined && rawReasonId !== null && typeof rawReasonId !== 'string') {
      problems.push({ path: 'reason_id', message: 'expected one of the reasons offered' });
    } else if (ids.length > 0 && !ids.includes(reasonId)) {
      problems.push({ path: 'reason_id', message: reasonId ? 'expected one of the reasons offered' : 'Choose a reason' });
    } else if (ids.length === 0 && reasonId !== '') {
      problems.push({ path: 'reason_id', message: 'no reasons are offered, so leave it empty' });
    }

    // Either a code (otp + request_id) or a password; which one is allowed is settled below.
    const byCode = body['otp'] !== undefined || body['request_id'] !== undefined;
    let otp = '';
    let requestId: string | undefined;
    if (byCode) {
      otp = readOtp(body, problems);
      requestId = readRequestId(body, problems, true);
    }
    if (problems.length) throw validationError(problems);

    // An extension of the contract: with a consent text configured, the shopper must tick it.
    if (consentText(config) !== '' && body['consent'] !== true) {
      throw new ApiError(400, 'CONSENT_REQUIRED', 'Confirm that you understand what deleting your account means.');
    }

    const contacts = await verifiedContacts(svc, user.id);
    const password = body['password'];
    if (!byCode) {
      if (contacts.size > 0) {
        throw new ApiError(400, 'OTP_REQUIRED', 'Confirm with the code we send to your phone number or email address.');
      }
      if (typeof password !== 'string' || password === '') throw validationError([{ path: 'password', message: 'Enter your password' }]);
    }

    // Counted before the code or password is checked, so guessing is bounded per account.
    await enforceLimits([[svc.accountLimits.deletePerUser, user.id]]);
    if (byCode) {
      await limitVerify(svc, callerOf(c));
      const row: OtpRow | undefined =
        (await findRequest(svc, requestId, { purpose: 'login', channel: 'sms' })) ?? (await findRequest(svc, requestId, { purpose: 'login', channel: 'email' }));
      // Only a code that went to one of this shopper's verified contacts proves it is them.
      await svc.otp.verify(row, otp, !!row && contacts.has(`${row.channel}|${row.destination}`));
    } else {
      const stored = await svc.users.passwordHash(user.id);
      // A shopper without a password costs the same full hash and fails like a wrong password.
      const matches = await queuedHash(svc.hashQueue, hashClient(c), c.req.raw.signal, () => verifyPassword(password as string, stored ?? svc.dummyHash, svc.passwordParams));
      if (!stored || !matches) {
        svc.log(`account deletion refused reason=invalid_credentials user=${user.id} request_id=${c.get('requestId')}`);
        throw new ApiError(400, 'INVALID_CREDENTIALS', INVALID_CREDENTIALS_MESSAGE);
      }
    }

    const { deleteOn } = await requestDeletion(svc, {
      userId: user.id,
      ...(reasonId ? { reasonId } : {}),
      ...(typeof reason === 'string' && reason.trim() ? { reasonText: reason } : {}),
    });
    // requestDeletion ended every session in the database; the browser's cookie goes too.
    clearSessionCookies(c, cookieIsSecure(c, svc.cookieSecure));
    c.set('authenticated', false);
    return c.json({ success: true, delete_on: new Date(deleteOn).toISOString() });
  });

  return app;
}
