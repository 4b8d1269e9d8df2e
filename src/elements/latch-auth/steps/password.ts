/**
 * The password sign-in step: the first screen, so it is part of the first download (the element
 * imports it statically; every other step loads on demand through registry.ts).
 */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import { passwordLoginSchema } from '../latch-auth.schema.js';
import type { StepContext } from './context.js';

export function password(ctx: StepContext): TemplateResult {
  const login = ctx.submit(passwordLoginSchema, async (data, signal) => {
    const { user } = await ctx.client.loginWithPassword(data, { signal });
    ctx.finish(user, 'password');
  }, 'login', true);
  // "Forgot password?" sits on the password's label row, where the shopper looks when stuck.
  const forgot = ctx.vm.forgotPassword
    ? ctx.button('auth.forgot', () => {
        // A link by email first: it needs nothing but the address the shopper just typed.
        ctx.channel = 'email';
        ctx.go('forgot');
      }, 'latch-link')
    : nothing;
  return ctx.signInStep(
    ctx.form(
      'password',
      html`${ctx.emailField('username')}${ctx.passwordField('password', 'field.password', 'current-password', forgot)}${ctx.captchaField()}`,
      'auth.signIn',
      login,
    ),
    ctx.passwordLocked
      ? // The way in that still works, carrying the typed email over.
        ctx.button('auth.codeInstead', () => ctx.codeInstead())
      : ctx.vm.otp
        ? ctx.link('auth.useCode', 'code-request')
        : nothing,
  );
}
