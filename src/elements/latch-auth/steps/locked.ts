/** The account is in its deletion grace period: say until when it can be restored, in the shopper's words. */
import { html, type TemplateResult } from 'lit/html.js';
import type { StepContext } from './context.js';
import { step } from './parts.js';

/** When the service will delete the account (`meta.delete_on` of the refusal), per context. */
const deleteOn = new WeakMap<StepContext, string>();

/** Remembers the date the refusal named, before the step shows. */
export function lockedUntil(ctx: StepContext, when: string | undefined): void {
  if (when && !Number.isNaN(Date.parse(when))) deleteOn.set(ctx, when);
  else deleteOn.delete(ctx);
}

export function locked(ctx: StepContext): TemplateResult {
  const when = deleteOn.get(ctx);
  const text = when ? ctx.t('auth.lockedUntil', { date: ctx.date(when) }) : ctx.t('auth.locked');
  return step(ctx, 'auth.lockedTitle', html`<p>${text}</p>${ctx.link('auth.back', 'password')}`);
}
