/**
 * Choosing a new password, after a reset link (`?code=` on the page) or a verified reset code.
 * Owns the reset code: held here, privately, from the moment it is read until the password is set.
 */
import { html, type TemplateResult } from 'lit/html.js';
import { checkResetCode, resetPassword } from '../../../api/steps.js';
import { toApiError } from '../../../api/errors.js';
import type { StepContext } from './context.js';
import { newPasswordSchema } from './schemas.js';
import { step } from './parts.js';

interface ResetCode {
  kind: 'link' | 'token';
  code: string;
}

/** Private to the steps: no element property, nothing a page script can reach. */
const codes = new WeakMap<StepContext, ResetCode>();

export function holdResetCode(ctx: StepContext, code: ResetCode): void {
  codes.set(ctx, code);
}

/**
 * A reset link was opened: the code is checked at once, so a dead link says so (with the way to a
 * new one) before a new password is typed for nothing.
 */
export async function openResetLink(ctx: StepContext, code: string): Promise<void> {
  holdResetCode(ctx, { kind: 'link', code });
  ctx.go('new-password');
  try {
    await checkResetCode(ctx.client, code);
  } catch (error) {
    codes.delete(ctx);
    const apiError = toApiError(error);
    // A refused code is an expired or used link; anything else (offline, server down) says what it is.
    const dead = apiError.kind === 'http' && apiError.status >= 400 && apiError.status < 500 && apiError.status !== 429;
    ctx.channel = 'email';
    ctx.go('forgot');
    if (dead) ctx.formError = ctx.t('auth.linkDead');
    else throw error;
  }
}

export function newPassword(ctx: StepContext): TemplateResult {
  const save = ctx.submit(newPasswordSchema, async ({ password }, signal) => {
    const reset = codes.get(ctx);
    if (!reset) return ctx.go('forgot');
    await resetPassword(ctx.client, reset.kind, reset.code, password, { signal });
    codes.delete(ctx);
    ctx.go('password', ctx.t('auth.passwordChanged'));
  }, 'reset');
  return step(
    ctx,
    'auth.newPassword',
    ctx.form(
      'new-password',
      // The account's name beside the new password, so a password manager saves the pair.
      html`<input type="hidden" name="username" autocomplete="username" .value=${ctx.values.email ?? ''} />
        ${ctx.passwordField('password', 'field.newPassword', 'new-password')}`,
      'auth.savePassword',
      save,
      ctx.link('auth.back', 'password'),
    ),
  );
}
