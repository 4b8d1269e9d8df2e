/**
 * Following a contact verification link (`?verify_email=` or `?verify_mobile=` on the page, sent
 * when a contact was added through the profile API): the service adds the proven contact to the
 * account that asked for it, and the shopper is told so on whatever step shows. Not a step of its
 * own: the link works signed in or out, on this device or another. The element tells a refusal.
 */
import { verifyContactLink } from '../../../api/steps.js';
import type { Channel, StepContext } from './context.js';

export async function followContactLink(ctx: StepContext, channel: Channel, token: string): Promise<void> {
  await verifyContactLink(ctx.client, channel, token);
  ctx.notice = ctx.t('auth.contactConfirmed', { what: ctx.t(channel === 'email' ? 'what.email' : 'what.mobile') });
  // A shopper signed in here sees the contact on their account (and a required-contact step, satisfied, goes).
  await ctx.refreshSession();
}
