/**
 * What several on-demand steps share: a step under its heading, where a code goes (fields and
 * destination), sending a code with its "sent" notice, and the code step wired to a check.
 */
import { html, type TemplateResult } from 'lit/html.js';
import type { Destination } from '../../../api/client.js';
import type { CheckCode, SendCode } from '../../../controllers/code.js';
import { formatContact } from '../../../i18n/contact.js';
import type { MessageKey } from '../../../i18n/en.js';
import { codeForm } from '../../../ui/code-form.js';
import { phoneFields } from '../../../ui/phone-fields.js';
import { codeSchema } from '../../../ui/contact.schema.js';
import type { Channel, CodePurpose, StepContext } from './context.js';

/** A step under its heading; focus goes to the heading when the step opens. */
export function step(ctx: StepContext, title: MessageKey, body: unknown, params?: Record<string, string>): TemplateResult {
  return html`<div class="latch-step">${ctx.heading(title, params)}${body}</div>`;
}

/** The phone fields, pre-filled with what was typed before or the host's country code. */
export const phone = (ctx: StepContext, spec = {}) =>
  phoneFields(
    (name, key, s) => ctx.field(name, key, s),
    { id: ctx.fid('country_code'), label: ctx.t('field.countryCode'), error: ctx.fieldErrors.country_code },
    ctx.values.country_code ?? ctx.countryCode,
    spec,
  );

/** Where a code goes: an email address, or a phone. */
export const contactFields = (ctx: StepContext, email: boolean) => (email ? ctx.emailField() : phone(ctx));

/** "email address" or "mobile number", for messages about a contact. */
export const contactWord = (ctx: StepContext, email: boolean) => ctx.t(email ? 'what.email' : 'what.mobile');

/** Where a code goes, from what the shopper typed. */
export function destination(ctx: StepContext, channel: Channel): Destination {
  const { values } = ctx;
  return channel === 'email'
    ? { email: values.email ?? '' }
    : { mobile: (values.mobile ?? '').replace(/\s/g, ''), country_code: (values.country_code ?? ctx.countryCode).replace('+', '') };
}

/** Where a code goes as the shopper reads it, in the language shown (`formatContact`). */
export const shownContact = (ctx: StepContext, to: Destination): string => formatContact(ctx.locale, to);

/** Sends a code for `purpose` and returns the "code sent" notice. */
export async function sendCode(
  ctx: StepContext,
  purpose: CodePurpose,
  to: Destination,
  sender: SendCode,
  signal: AbortSignal,
  captcha?: string,
): Promise<string> {
  await ctx.code.send(ctx.client, purpose, to, sender, signal, captcha ? { captcha_code: captcha } : {});
  return ctx.t('auth.codeSent', { to: shownContact(ctx, to) });
}

/**
 * The code step of every flow (sign-in, reset, registration, contacts): the typed code goes to
 * `check` for the code last sent, and its answer to `done`; `back` changes where it goes.
 */
export function verify<R>(ctx: StepContext, check: CheckCode<R>, done: (result: R) => unknown, back: () => void): TemplateResult {
  return codeForm(ctx, ctx.code, {
    verify: ctx.submit(codeSchema, async ({ otp }, signal) => {
      await done(await ctx.code.verify(ctx.client, check, otp, signal));
    }, 'code'),
    // Nothing to run while the countdown is on (the button says so and is disabled).
    resend: () =>
      ctx.code.wait > 0 ||
      void ctx.run(async (signal) => {
        const sent = await ctx.code.resend(ctx.client, signal);
        if (sent) ctx.notice = ctx.t('auth.codeSent', { to: shownContact(ctx, sent.to) });
      }, 'code'),
    back,
  });
}
