/**
 * Finishing a new account after a verified code or a provider: the name. Owns the registration
 * token (the secret that finishes a sign-up) for the steps that receive one.
 */
import { html, type TemplateResult } from 'lit/html.js';
import { updateProfile } from '../../../api/steps.js';
import { LatchApiError } from '../../../api/errors.js';
import type { StepContext } from './context.js';
import { completeSchema } from './schemas.js';
import { step } from './parts.js';

/** Private to the steps: no element property, nothing a page script can reach. */
const tokens = new WeakMap<StepContext, string>();

/** Keeps the token that finishes this sign-up ('' forgets it). */
export function holdRegisterToken(ctx: StepContext, token: string): void {
  tokens.set(ctx, token);
}

/** The token that finishes this sign-up, if one is held. */
export const registerToken = (ctx: StepContext): string => tokens.get(ctx) ?? '';

export function finishAccount(ctx: StepContext): TemplateResult {
  const submit = ctx.submit(completeSchema, async (data, signal) => {
    const { user } = await updateProfile(ctx.client, { ...data, register_token: registerToken(ctx) }, { signal });
    if (!user) throw new LatchApiError('No user in the answer', { kind: 'malformed' });
    tokens.delete(ctx);
    ctx.finish(user, 'otp');
  }, 'login');
  return step(
    ctx,
    'auth.complete',
    html`<p class="latch-card__subtitle">${ctx.t('auth.completeIntro')}</p>
      ${ctx.form(
        'complete',
        html`${ctx.field('first_name', 'field.firstName', { autocomplete: 'given-name' })}${ctx.field('last_name', 'field.lastName', {
          autocomplete: 'family-name',
          required: false,
        })}`,
        'auth.continue',
        submit,
      )}`,
  );
}
