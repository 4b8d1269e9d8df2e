/** Password reset by a code sent to the phone: the code, exchanged for the token that sets the new password. */
import type { TemplateResult } from 'lit/html.js';
import { verifyForgotCode } from '../../../api/steps.js';
import type { StepContext } from './context.js';
import { holdResetCode } from './new-password.js';
import { step, verify } from './parts.js';

export function resetCode(ctx: StepContext): TemplateResult {
  return step(
    ctx,
    'auth.forgotTitle',
    verify(ctx, verifyForgotCode, (token) => {
      holdResetCode(ctx, { kind: 'token', code: token });
      ctx.code.clear();
      ctx.notice = undefined;
      ctx.go('new-password');
    }, () => ctx.go('forgot')),
  );
}
