/**
 * Form schemas of `<latch-delete-account>`; issue messages are message keys, localized at render
 * time. Regex checks only, like the sign-in forms, so zod/mini adds no further check kinds.
 */
import * as z from 'zod/mini';
import { password } from '../../ui/rules.js';

/** A reason must be chosen; the shopper's own words are optional and as long as the service keeps. */
export const reasonSchema = z.object({
  // An unchosen radio group is absent from the form data: the type error names it too.
  reason_id: z.string('delete.reasonRequired').check(z.regex(/./, 'delete.reasonRequired')),
  reason: z.optional(z.string().check(z.regex(/^[^]{0,500}$/, 'delete.tooLong'))),
});
/** A ticked checkbox is in the form data as `on`; an unticked one is absent. */
export const consentSchema = z.object({ consent: z.string().check(z.regex(/./, 'delete.consentRequired')) });
export const passwordSchema = z.object({ password });
export const emptySchema = z.object({});
