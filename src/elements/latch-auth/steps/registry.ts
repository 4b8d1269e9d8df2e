/**
 * The on-demand steps of `<latch-auth>`, by name. Everything in this folder but the first screen
 * (password.ts, which the element imports itself) is one chunk, loaded the first time a shopper
 * leaves the first screen. A new step is one file here and one line below.
 */
import type { TemplateResult } from 'lit/html.js';
import formStyles from '../../../ui/forms.css?inline';
import type { StepContext, StepName } from './context.js';
import { codeCheck } from './code-check.js';
import { codeRequest } from './code-request.js';
import { finishAccount } from './finish-account.js';
import { forgot, forgotSent } from './forgot.js';
import { locked } from './locked.js';
import { newPassword } from './new-password.js';
import { registration } from './registration.js';
import { registrationCode } from './registration-code.js';
import { resetCode } from './reset-code.js';

export const steps: Record<Exclude<StepName, 'password'>, (ctx: StepContext) => TemplateResult> = {
  'code-request': codeRequest,
  'code-check': codeCheck,
  'finish-account': finishAccount,
  forgot,
  'forgot-sent': forgotSent,
  'reset-code': resetCode,
  'new-password': newPassword,
  locked,
  registration,
  'registration-code': registrationCode,
};

// Steps reached another way than by name: after sign-in, from a provider's button, from a link, from a refusal;
// and following a contact verification link, told on whatever step shows.
export { requiredContact } from './required-contact.js';
export { providerSignIn } from './provider-sign-in.js';
export { openResetLink } from './new-password.js';
export { followContactLink } from './contact-link.js';
export { lockedUntil } from './locked.js';
// The code controller: only steps send codes, so the element makes it when they load.
export { CodeController } from '../../../controllers/code.js';
// Their words join the English catalog when they load.
export { enFlows } from '../../../i18n/en-flows.js';
export { enCodes } from '../../../i18n/en-codes.js';
// So do the messages for the codes only they meet, and the rules that read the service's field problems.
export { LATER_MESSAGES } from '../../../i18n/errors-later.js';
export { useFigures } from '../../../i18n/figures.js';
export { readFieldProblem } from '../../../i18n/field-errors.js';
// The rules only these steps' forms use (phone fields, choices, hints), adopted when they render.
export { formStyles };
