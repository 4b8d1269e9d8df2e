/**
 * Form schemas of `<latch-auth>`; issue messages are message keys, localized at render time.
 * Every rule is a regex check: one check kind keeps zod/mini's share of the bundle small.
 */
import * as z from 'zod/mini';

// Deliberately loose: the service is the judge of what an address is; this only catches typos.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const email = z.string().check(z.regex(/./, 'email.required'), z.regex(EMAIL, 'email.invalid'));
const phone = {
  country_code: z.string().check(z.regex(/^\+?\d{1,4}$/, 'countryCode.invalid')),
  mobile: z.string().check(z.regex(/^\d{6,15}$/, 'mobile.invalid')),
};
/** 8+ characters and nothing else: no composition rules (ASVS 6.2.5); the service refuses common ones. */
const newPassword = z.string().check(z.regex(/^[^]{8}/, 'password.short'));

export const passwordLoginSchema = z.object({
  username: email,
  password: z.string().check(z.regex(/^[^]/, 'password.required')),
});
export const emailSchema = z.object({ email });
export const phoneSchema = z.object(phone);
export const codeSchema = z.object({ otp: z.string().check(z.regex(/^\d{4,8}$/, 'code.invalid')) });
export const newPasswordSchema = z.object({ password: newPassword });
export const completeSchema = z.object({
  first_name: z.string().check(z.regex(/./, 'firstName.required')),
  last_name: z.string(),
});

/** The form for a code's destination: an email address, or a phone with its country code. */
export const contactSchema = (email: boolean): z.ZodMiniType<Record<string, string>> => (email ? emailSchema : phoneSchema);
