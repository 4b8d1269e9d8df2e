/**
 * Forms every element with one-time codes shares: where a code goes (an email, or a phone with its
 * country code) and the code itself. Issue messages are message keys.
 */
import * as z from 'zod/mini';
import { email, phone } from './rules.js';

export const emailSchema = z.object({ email });
export const phoneSchema = z.object(phone);
export const codeSchema = z.object({ otp: z.string().check(z.regex(/^\d{4,8}$/, 'code.invalid')) });
/** The form for a code's destination: an email address, or a phone with its country code. */
export const contactSchema = (email: boolean): z.ZodMiniType<Record<string, string>> => (email ? emailSchema : phoneSchema);

