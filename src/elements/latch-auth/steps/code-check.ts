/** Sign-in by one-time code, second half: the code; an unknown contact goes on to finish an account. */
import { html, type TemplateResult } from 'lit/html.js';
import { verifyLoginCode, type AuthResult } from '../../../api/steps.js';
import type { Method, StepContext } from './context.js';
import { holdRegisterToken } from './finish-account.js';
import { verify } from './parts.js';

/** After a right sign-in code (or a provider's token): signed in, or on to finishing a new account. */
export function signedIn(ctx: StepContext, result: AuthResult, method: Method = 'otp'): void {
  ctx.code.clear();
  if (result.user) return ctx.finish(result.user, method);
  holdRegisterToken(ctx, result.register_token ?? '');
  ctx.go('finish-account');
}

export function codeCheck(ctx: StepContext): TemplateResult {
  return html`<div id=${ctx.fid('step')} class="latch-step">${verify(ctx, verifyLoginCode, (result) => signedIn(ctx, result), () => ctx.go('code-request'))}</div>`;
}
