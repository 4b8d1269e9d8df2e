/** Sign-in by one-time code, first half: where to send the code (a phone or an email). */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import { sendLoginCode } from '../../../api/steps.js';
import { contactSchema } from '../../../ui/contact.schema.js';
import type { StepContext } from './context.js';
import { contactFields, destination, sendCode } from './parts.js';

export function codeRequest(ctx: StepContext): TemplateResult {
  const email = ctx.channel === 'email';
  const send = ctx.submit(contactSchema(email), async (data, signal) => {
    ctx.go('code-check', await sendCode(ctx, 'login', destination(ctx, ctx.channel), sendLoginCode, signal, data.captcha_code));
  }, 'code', true);
  return ctx.signInStep(
    ctx.form('otp', html`${contactFields(ctx, email)}${ctx.captchaField()}`, 'auth.sendCode', send, ctx.channelSwitch()),
    ctx.vm.password ? ctx.link('auth.usePassword', 'password') : nothing,
  );
}
