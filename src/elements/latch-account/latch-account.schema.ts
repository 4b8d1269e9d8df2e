/**
 * Form schemas of `<latch-account>`; issue messages are message keys, localized at render time.
 * Regex checks only, as in latch-auth.schema.ts, so zod/mini adds no new check kinds to the bundle.
 * Custom attributes are checked against their definitions instead (the service decides the rules).
 */
import * as z from 'zod/mini';
import { newPassword, password } from '../../ui/rules.js';

const name = z.string().check(z.regex(/^[^]{0,60}$/, 'account.nameLong'));

export const profileSchema = z.object({
  first_name: name.check(z.regex(/\S/, 'firstName.required')),
  last_name: name,
  gender: z.string(),
  dob: z.string().check(z.regex(/^(\d{4}-\d\d-\d\d)?$/, 'account.dobInvalid')),
  // Only web addresses: the service stores nothing else, and the preview is an <img src>.
  profile_pic_url: z.string().check(z.regex(/^(https?:\/\/\S+)?$/i, 'account.pictureInvalid')),
});

/**
 * A change needs the current password; an account without one (code or social sign-up) sets its
 * first. The new one is `password`, the name the shared form code puts the service's verdicts on.
 */
export const passwordSchema = (hasPassword: boolean): z.ZodMiniType<{ old_password?: string; password: string }> =>
  hasPassword ? z.object({ old_password: password, password: newPassword }) : z.object({ password: newPassword });

/** Re-authentication before ending sessions: the current password. */
export const reauthSchema = z.object({ current_password: password });
