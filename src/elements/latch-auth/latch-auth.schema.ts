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

/** How registration treats a contact: `hard` mandatory, `soft` optional, `either` one of the two is needed. */
export type ContactRule = 'hard' | 'soft' | 'either';

/** Optional text: empty, or matching the rule. */
const optional = (pattern: RegExp, key: string) => z.string().check(z.regex(new RegExp(`^$|${pattern.source}`), key));

/**
 * The registration form's schema, built from `register_required_fields` (and whether a privacy
 * consent is asked): a hidden contact is not validated, a soft one only when filled.
 */
export function registerSchema(rules: { email?: ContactRule; mobile?: ContactRule }, consent: boolean) {
  const contact = (rule: ContactRule | undefined, strict: z.ZodMiniString, loose: z.ZodMiniString) =>
    rule === 'hard' ? strict : rule ? loose : z.optional(z.string());
  return z
    .object({
      first_name: z.string().check(z.regex(/./, 'firstName.required')),
      last_name: z.string(),
      gender: z.string(),
      email: contact(rules.email, email, optional(EMAIL, 'email.invalid')),
      country_code: contact(rules.mobile, phone.country_code, optional(/^\+?\d{1,4}$/, 'countryCode.invalid')),
      mobile: contact(rules.mobile, phone.mobile, optional(/^\d{6,15}$/, 'mobile.invalid')),
      password: newPassword,
      consent: consent ? z.string().check(z.regex(/^on$/, 'consent.required')) : z.optional(z.string()),
    })
    .check(
      z.refine((v) => !(rules.email === 'either' && rules.mobile === 'either') || Boolean(v.email || v.mobile), {
        message: 'contact.required',
        path: ['email'],
      }),
    );
}
