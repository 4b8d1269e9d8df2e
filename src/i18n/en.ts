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
  'auth.useCode': 'Sign in with a one-time code',
  'auth.lockedCodeWorks': 'Password sign-in is paused for this account, but a one-time code still works.',
  'auth.codeInstead': 'Sign in with a one-time code instead',
  'auth.byMobile': 'Use mobile number',
  'auth.byEmail': 'Use email',
  'auth.guest': 'Continue as guest',
  'auth.or': 'or',
  'auth.social': 'Continue with {provider}',
  'auth.forgot': 'Forgot password?',
  'auth.createAccount': 'Create account',
  'auth.passwordChanged': 'Your password has been changed. Sign in with your new password.',
  'auth.back': 'Back to sign in',
  'auth.busy': 'Please wait…',
  'field.email': 'Email',
  'field.password': 'Password',
  'field.showPassword': 'Show password',
  'field.captcha': 'Security check',
  'email.required': 'Enter your email address.',
  'email.invalid': 'Enter an email address like name@example.com.',
  'password.required': 'Enter your password.',
  'password.short': 'Use at least 8 characters.',
  'password.long': 'Use at most 512 characters.',
  'password.common': 'This password is one of the most common ones and easy to guess. Choose another.',
  'captcha.required': 'Answer the security check.',
  'form.summary': 'Please fix the highlighted fields.',
  'error.credentials': 'The email or password is incorrect. Check them and try again.',
  'error.code': 'That code is not right. Check it and try again.',
  'error.codeDead': 'This code can no longer be used. Send a new code.',
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
  'error.generic': 'Something went wrong: {message}',
  'error.retry': 'Try again',
  'error.crossOrigin': 'Sign-in is not set up for this website yet. Please contact the store.',
};

/** Every message key: this catalog's and those that arrive with on-demand code and other elements. */
export type MessageKey =
  | keyof typeof en
  | keyof typeof import('./en-flows.js').enFlows
  | keyof typeof import('./en-codes.js').enCodes
  | keyof typeof import('./en-account.js').enAccount
  | keyof typeof import('./en-delete.js').enDelete;
export type Catalog = Partial<Record<MessageKey, string>>;
