/** Form schemas of `<latch-auth>`; issue messages are message keys, localized at render time. */
import * as z from 'zod/mini';

// Deliberately loose: the service is the judge of what an address is; this only catches typos.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const passwordLoginSchema = z.object({
  username: z.string().check(z.minLength(1, 'email.required'), z.regex(EMAIL, 'email.invalid')),
  password: z.string().check(z.minLength(1, 'password.required')),
});

export type PasswordLogin = z.infer<typeof passwordLoginSchema>;
