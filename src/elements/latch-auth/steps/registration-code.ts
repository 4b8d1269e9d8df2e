/** Registration, second half: a code for each contact given, the phone first; the last one signs the new account in. */
import type { TemplateResult } from 'lit/html.js';
import { LatchApiError } from '../../../api/errors.js';
import { sendLoginCode, verifyLoginCode, type AuthResult } from '../../../api/steps.js';
import type { CheckCode } from '../../../controllers/code.js';
import type { StepContext } from './context.js';
import { holdRegisterToken, registerToken } from './finish-account.js';
import { shownContact, step, verify } from './parts.js';
import { pendingContacts } from './registration.js';

export function registrationCode(ctx: StepContext): TemplateResult {
  const check: CheckCode<AuthResult> = (client, to, body, options) =>
    verifyLoginCode(client, to, { ...body, register_token: registerToken(ctx), action: 'register' }, options);
  const sentTo = ctx.code.sent?.to;
  return step(
    ctx,
    'auth.verifyTitle',
    verify(ctx, check, (result) => {
      const pending = pendingContacts(ctx);
      pending.contacts.shift();
      if (result.user) {
        holdRegisterToken(ctx, '');
        ctx.code.clear();
        return ctx.finish(result.user, 'register');
      }
      if (result.register_token) holdRegisterToken(ctx, result.register_token);
      const next = pending.contacts[0];
      if (!next) throw new LatchApiError('Registration did not finish', { kind: 'malformed' });
      // The next contact's code was sent with the form; its resend token came then too.
      ctx.code.accept('register', next, { resend_email_token: pending.resendEmailToken, resend_timer: 0 }, sendLoginCode);
      ctx.go('registration-code', ctx.t('auth.codeSent', { to: shownContact(ctx, next) }));
    }, () => ctx.go('registration')),
    { to: sentTo ? shownContact(ctx, sentTo) : '' },
  );
}
