/** After sign-in, a contact the config requires that the shopper lacks: add it by code, or skip it when soft. */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import type { User } from '../../../api/schemas.js';
import { sendContactCode, verifyContactCode, type AuthResult } from '../../../api/steps.js';
import { contactSchema } from '../../../ui/contact.schema.js';
import type { MissingContact, StepContext } from './context.js';
import { contactFields, contactWord, destination, sendCode, step, verify } from './parts.js';

export function requiredContact(ctx: StepContext, missing: MissingContact, user: User): TemplateResult {
  const email = missing.field === 'email';
  const what = contactWord(ctx, email);
  const waiting = ctx.code.sent?.purpose === 'contact';
  const enter = ctx.submit(contactSchema(email), async (_data, signal) => {
    ctx.notice = await sendCode(ctx, 'contact', destination(ctx, missing.field), sendContactCode, signal);
    // To the code field, as after sending a sign-in code: the heading above has not changed.
    ctx.focusStep('otp');
  }, 'contact');
  const back = () => {
    ctx.code.clear();
    ctx.notice = undefined;
    ctx.focusStep();
  };
  const added = (result: AuthResult) => {
    ctx.code.clear();
    ctx.notice = undefined;
    ctx.contactAdded(result.user ?? user);
  };
  return step(
    ctx,
    'auth.requiredTitle',
    html`<p>${ctx.t(missing.hard ? 'auth.requiredHard' : 'auth.requiredSoft', { what })}</p>
      ${ctx.renderMessages()}
      ${waiting
        ? verify(ctx, verifyContactCode, added, back)
        : ctx.form('contact', contactFields(ctx, email), 'auth.sendCode', enter)}
      ${missing.hard ? nothing : ctx.button('auth.skip', () => ctx.skipContact(missing.field, user), 'latch-link')}`,
    { what },
  );
}
