/**
 * Form schemas of `<latch-auth>`'s first screen (the on-demand steps' are in steps/schemas.ts). The
 * field rules themselves (email, phone, new password) are the shared ones of ui/rules.ts.
 */
import * as z from 'zod/mini';
import { email, password } from '../../ui/rules.js';

export const passwordLoginSchema = z.object({
  username: email,
  password,
});
