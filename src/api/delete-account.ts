/**
 * Account deletion against the user service (api-contract 3e deleteUser, flow 7): the deletion
 * settings read leniently from the platform config, how the shopper proves it is them, and the
 * delete request itself, sent through the client's public `request` so the transport rules
 * (timeout, abort, no retry of a POST, one error type) are the same as everywhere else.
 */
import * as z from 'zod/mini';
import { LatchApiError } from './errors.js';
import type { Destination, LatchClient, RequestOptions } from './client.js';
import type { User } from './schemas.js';

/** The service's own default when the config has no usable `delete_account_day`. */
export const DEFAULT_DELETE_DAYS = 7;
/** The longest free-text reason the service keeps. */
export const REASON_MAX_LENGTH = 500;

export interface DeleteReason {
  id: string;
  text: string;
  /** The reason asks for the shopper's own words. */
  textArea: boolean;
}

/** What the platform config says about deletion, already made safe to render. */
export interface DeleteSettings {
  reasons: DeleteReason[];
  /** Consent checkbox label; empty means no checkbox. */
  consent: string;
  /** Grace period in whole days before the account is purged. */
  days: number;
}

/** Older services type the consent as a bare string rather than `{ consent_text }`. */
function consentText(raw: unknown): string {
  const text = typeof raw === 'string' ? raw : (raw as { consent_text?: unknown } | null)?.consent_text;
  return typeof text === 'string' ? text.trim() : '';
}

/**
 * The shared config schema deliberately leaves these fields alone (sign-in must never fail over
 * them), so they are read here, one by one: a malformed reason is dropped, not fatal.
 */
export function deleteSettings(config: Record<string, unknown>): DeleteSettings {
  const list: unknown[] = Array.isArray(config.delete_account_reasons) ? config.delete_account_reasons : [];
  const reasons: DeleteReason[] = [];
  for (const raw of list) {
    // `Object()` reads any entry, even `null` or a string, as an object whose fields may be missing.
    const { reason_id: id, reason_text: text, show_text_area: textArea = false } = Object(raw) as Record<string, unknown>;
    if (typeof id === 'string' && id && typeof text === 'string' && text.trim() && typeof textArea === 'boolean') reasons.push({ id, text, textArea });
  }
  // A whole number of days, also when an older service sends it as a string ("30").
  const days = config.delete_account_day;
  return {
    reasons,
    consent: consentText(config.delete_account_consent),
    days: ['number', 'string'].includes(typeof days) && /^\d+$/.test(String(days)) ? Number(days) : DEFAULT_DELETE_DAYS,
  };
}

interface Contact {
  primary?: boolean;
  verified?: boolean;
  active?: boolean;
}
/** Verified, active entries, the primary one first. */
const usable = <T extends Contact>(list: T[] = []): T[] =>
  list.filter((c) => c.verified && c.active !== false).sort((a, b) => Number(!!b.primary) - Number(!!a.primary));

/**
 * Where the re-verification code goes: a verified phone (the primary first), else a verified
 * email. Undefined means the shopper has neither, and confirms with their password instead (the
 * only case in which the service accepts one).
 */
export function verificationTarget(user: User): Destination | undefined {
  const phone = usable(user.phone_numbers).find((p) => p.country_code != null);
  if (phone) return { mobile: phone.phone, country_code: String(phone.country_code).replace('+', '') };
  const email = usable(user.emails)[0];
  return email && { email: email.email };
}

/** The body of `POST /authentication/v1.0/delete`: a code (`request_id` + `otp`) or a `password`. */
export interface DeleteRequest {
  user_id: string;
  reason?: string;
  reason_id?: string;
  request_id?: string;
  otp?: string;
  password?: string;
  /** Sent when the config has a consent text; the shopper ticked it. */
  consent?: boolean;
}

// Anything but `success: true` is not a deletion: fail closed rather than tell the shopper it happened.
const deletedSchema = z.looseObject({ success: z.boolean(), delete_on: z.optional(z.string()) });
export type DeleteResult = z.infer<typeof deletedSchema>;

/** Schedules the signed-in shopper's account for deletion; every session ends at once. */
export async function deleteAccount(client: LatchClient, body: DeleteRequest, options: RequestOptions = {}): Promise<DeleteResult> {
  const result = await client.request('POST', '/authentication/v1.0/delete', deletedSchema, body, options);
  if (result.success !== true) throw new LatchApiError('The service did not confirm the deletion', { kind: 'malformed' });
  return result;
}
