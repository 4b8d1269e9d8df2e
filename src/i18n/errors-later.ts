/**
 * The messages for codes that only later sign-in steps and the account elements meet (codes,
 * registration, password reset, provider sign-in, contacts, sessions, attributes, deletion), and
 * those only the platform's admin API answers. Not in `<latch-auth>`'s first download: the steps
 * chunk, `<latch-account>` and `<latch-delete-account>` register them with `addCodeMessages`
 * (i18n/errors.ts) when they load, with their words: keys whose English words are not in the first
 * download's catalog (en.ts) come with the same code, from en-flows.ts (`consent.required`,
 * `password.common`, `password.breached`, `error.exists`, `error.startAgain`, `error.verifyLinkDead`, `error.contactTaken`,
 * `error.contactUnverified`: the steps, `<latch-account>` and `<latch-delete-account>` register them), en-codes.ts
 * (`error.code`, `error.codeDead`: every element that checks codes) and en-account.ts
 * (`account.keepRefused`, `account.keepRequiredRefused`, `error.notEditable`, `error.attributeChanged`, `error.currentSession`: the account page only).
 */
import type { MessageKey } from './en.js';

export const LATER_MESSAGES: Readonly<Record<string, MessageKey>> = {
  // Codes.
  OTP_INVALID: 'error.code',
  OTP_EXPIRED: 'error.codeDead',
  OTP_ATTEMPTS_EXCEEDED: 'error.codeDead',
  RESEND_TOKEN_INVALID: 'error.codeDead',
  OTP_REQUIRED: 'error.invalid',
  OTP_RESEND_TOO_SOON: 'error.tooMany',
  // Other ways in, and the links and tokens they hand on.
  ALREADY_DELETED: 'error.deleted',
  PROVIDER_DISABLED: 'error.methodOff',
  FORGOT_PASSWORD_DISABLED: 'error.methodOff',
  REGISTRATION_DISABLED: 'error.methodOff',
  USER_EXISTS_DISABLED: 'error.methodOff',
  SOCIAL_TOKEN_INVALID: 'error.startAgain',
  REGISTER_TOKEN_INVALID: 'error.startAgain',
  RESET_CODE_INVALID: 'error.startAgain',
  LOGIN_TOKEN_INVALID: 'error.startAgain',
  VERIFY_LINK_INVALID: 'error.verifyLinkDead',
  REAUTH_REQUIRED: 'error.signedOut',
  // Registration and the shopper's own data.
  PASSWORD_TOO_SHORT: 'password.short',
  PASSWORD_TOO_LONG: 'password.long',
  PASSWORD_COMMON: 'password.common',
  PASSWORD_BREACHED: 'password.breached',
  CONSENT_REQUIRED: 'consent.required',
  // Only removing a contact answers it (the account's last way to be reached); the account page
  // hides that button, so the refusal comes when the page's list was out of date.
  CONTACT_REQUIRED: 'account.keepRefused',
  CONTACT_REQUIRED_BY_STORE: 'account.keepRequiredRefused',
  CONTACT_NOT_VERIFIED: 'error.contactUnverified',
  CONTACT_UNAVAILABLE: 'error.contactTaken',
  EMAIL_EXISTS: 'error.exists',
  PHONE_EXISTS: 'error.exists',
  USER_EXISTS: 'error.exists',
  USERNAME_EXISTS: 'error.exists',
  ATTRIBUTE_NOT_EDITABLE: 'error.notEditable',
  ATTRIBUTE_DEFINITION_CHANGED: 'error.attributeChanged',
  CURRENT_SESSION: 'error.currentSession',
  USER_NOT_FOUND: 'error.gone',
  CONTACT_NOT_FOUND: 'error.gone',
  SESSION_NOT_FOUND: 'error.gone',
  ATTRIBUTE_NOT_FOUND: 'error.gone',
};
