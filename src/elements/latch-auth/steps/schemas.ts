/**
 * Form schemas of the on-demand steps (codes, reset, finishing an account, registration); they
 * load with those steps. Issue messages are message keys; every rule is a regex check.
 */
import * as z from 'zod/mini';
import { EMAIL, email, newPassword, phone } from '../../../ui/rules.js';
export { codeSchema, contactSchema } from '../../../ui/contact.schema.js';

export const newPasswordSchema = z.object({ password: newPassword });
/** A new account's name: the first is needed. */
const names = {
  first_name: z.string().check(z.regex(/./, 'firstName.required')),
  last_name: z.string(),
};
export const completeSchema = z.object(names);

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
      ...names,
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
