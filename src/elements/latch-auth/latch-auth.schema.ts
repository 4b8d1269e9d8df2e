/**
 * Form schemas of `<latch-auth>`'s first screen (the on-demand steps' are in flows.schema.ts);
 * issue messages are message keys, localized at render time.
 * Every rule is a regex check: one check kind keeps zod/mini's share of the bundle small.
 */
import * as z from 'zod/mini';

// Deliberately loose: the service is the judge of what an address is; this only catches typos.
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const email = z.string().check(z.regex(/./, 'email.required'), z.regex(EMAIL, 'email.invalid'));
export const phone = {
  country_code: z.string().check(z.regex(/^\+?\d{1,4}$/, 'countryCode.invalid')),
  mobile: z.string().check(z.regex(/^\d{6,15}$/, 'mobile.invalid')),
};
/** 8+ characters and nothing else: no composition rules (ASVS 6.2.5); the service refuses common ones. */
export const newPassword = z.string().check(z.regex(/^[^]{8}/, 'password.short'));

export const passwordLoginSchema = z.object({
  username: email,
  password: z.string().check(z.regex(/^[^]/, 'password.required')),
});
