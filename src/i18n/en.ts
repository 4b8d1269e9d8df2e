/**
 * English messages of the first download, the fallback catalog. Keys name the place, not the words.
 * Messages of the on-demand steps live in en-flows.ts and join this catalog when those steps load.
 */
export const en = {
  'auth.loading': 'Loading sign-in…',
  'auth.unavailable': 'Sign-in is unavailable right now. Please try again later.',
  'auth.noMethod': 'No sign-in method is enabled for this store.',
  'auth.signIn': 'Sign in',
  'auth.signedInAs': 'You are signed in as {name}.',
  'auth.signOut': 'Sign out',
  'auth.signedOut': 'You have signed out.',
  'auth.useCode': 'Sign in with a one-time code',
  'auth.lockedCodeWorks': 'Password sign-in is paused for this account, but a one-time code still works.',
  'auth.codeInstead': 'Sign in with a one-time code instead',
  'auth.guest': 'Continue as guest',
  'auth.or': 'or',
  'auth.social': 'Continue with {provider}',
  'auth.forgot': 'Forgot password?',
  'auth.createAccount': 'Create account',
  'auth.newHere': 'New here?',
  'auth.busy': 'Please wait…',
  'field.email': 'Email',
  'field.password': 'Password',
  'field.showPassword': 'Show password',
  'field.hidePassword': 'Hide password',
  'field.captcha': 'Security check',
  'captcha.question': '{label}: What is {a} plus {b}?',
  'email.required': 'Enter your email address.',
  'email.invalid': 'Enter an email address like name@example.com.',
  'password.required': 'Enter your password.',
  'password.short': 'Use at least {min} characters.',
  'password.long': 'Use at most {max} characters.',
  'captcha.required': 'Answer the security check.',
  'form.summary': 'Please fix the highlighted fields.',
  'error.credentials': 'The email or password is incorrect. Check them and try again.',
  'error.captcha': 'The security check did not pass. Try the new one.',
  'error.rateLimited': 'Too many attempts. Please wait {time} before trying again.',
  'error.tooMany': 'Too many attempts.',
  'error.canRetry': 'You can try again now.',
  'error.retryIn': 'You can try again in {time}.',
  'error.network': 'We could not reach the sign-in service. Check your connection and try again.',
  'error.timeout': 'The sign-in service took too long to answer. Please try again.',
  'error.server': 'Something went wrong on our side. Please try again in a moment.',
  'error.malformed': 'The sign-in service sent an answer we could not read. Please try again later.',
  'error.config': 'Sign-in is not set up correctly for this store. Please try again later.',
  'error.disabled': 'This account has been disabled. Please contact the store.',
  'error.generic': 'Something went wrong. Please try again.',
  'error.captchaDown': 'The security check is not available right now. Please try again later.',
  'error.deleted': 'This account is scheduled for deletion. To restore it, contact the store.',
  'error.methodOff': 'This option is not available in this store.',
  'error.invalid': 'Some details are not right. Check them and try again.',
  'error.signedOut': 'Please sign in again to continue.',
  'error.gone': 'That is no longer there. Reload the page and try again.',
  'error.retry': 'Try again',
  'error.crossOrigin': 'Sign-in is not set up for this website yet. Please contact the store.',
  // A field problem the service names, before the rules that read them have loaded (i18n/errors.ts).
  'field.check': 'Check this field.',
};

type English = typeof en &
  typeof import('./en-flows.js').enFlows &
  typeof import('./en-codes.js').enCodes &
  typeof import('./en-account.js').enAccount &
  typeof import('./en-delete.js').enDelete;

/** Every message key: this catalog's and those that arrive with on-demand code and other elements. */
export type MessageKey = keyof English;

/** The plural categories `Intl.PluralRules` knows; a language uses some of them (Arabic all six). */
export type PluralCategory = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';
/**
 * A message that depends on a count: one sentence per plural category of the language, chosen by
 * `Intl.PluralRules` from the `count` parameter. `other` is required: it is the fallback.
 */
export type PluralMessage = { readonly [C in Exclude<PluralCategory, 'other'>]?: string } & { readonly other: string };
/** Keys whose English message is a plural entry; every catalog writes them as plural entries too. */
export type PluralKey = { [K in MessageKey]: English[K] extends string ? never : K }[MessageKey];
/** Messages of one language: any subset of the keys, plural keys as plural entries. */
export type Catalog = { [K in MessageKey]?: K extends PluralKey ? PluralMessage : string };
