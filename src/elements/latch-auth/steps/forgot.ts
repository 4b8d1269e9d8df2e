/** Forgot password: a reset link by email, or a code to the phone (when codes are on); then "sent". */
import { nothing, type TemplateResult } from 'lit/html.js';
import { sendForgotCode, sendResetLink } from '../../../api/steps.js';
import { contactSchema } from '../../../ui/contact.schema.js';
import { formatEmail } from '../../../i18n/contact.js';
import type { StepContext } from './context.js';
import { contactFields, destination, sendCode, step } from './parts.js';

export function forgot(ctx: StepContext): TemplateResult {
  const { otp } = ctx.vm;
  const email = ctx.channel === 'email' || !otp;
  const send = ctx.submit(contactSchema(email), async (_data, signal) => {
    if (email) {
      await sendResetLink(ctx.client, ctx.values.email, { signal });
      ctx.go('forgot-sent', ctx.t('auth.linkSent', { email: formatEmail(ctx.values.email ?? '') }));
    } else {
      ctx.go('reset-code', await sendCode(ctx, 'forgot', destination(ctx, 'mobile'), sendForgotCode, signal));
    }
  }, 'reset');
  return step(
    ctx,
    'auth.forgotTitle',
    ctx.form(
      'forgot',
      contactFields(ctx, email),
      email ? 'auth.sendLink' : 'auth.sendCode',
      send,
      [otp ? ctx.channelSwitch() : nothing, ctx.link('auth.back', 'password')],
    ),
  );
}

/** After a link was sent: the notice says where; the way back to sign in. */
export const forgotSent = (ctx: StepContext): TemplateResult => step(ctx, 'auth.forgotTitle', ctx.link('auth.back', 'password'));
