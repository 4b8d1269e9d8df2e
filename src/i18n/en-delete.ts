/**
 * English messages of `<latch-delete-account>`. They join the English catalog when that element is
 * first made, so a page that only signs shoppers in downloads none of them. The element reuses the
 * first download's keys where the words are the same (codes, errors, "Please wait…").
 */
export const enDelete = {
  'delete.loading': 'Loading…',
  'delete.unavailable': 'Account deletion is unavailable right now. Please try again later.',
  'delete.signInTitle': 'Sign in to delete your account',
  'delete.signIn': 'You need to be signed in to delete your account.',
  'delete.title': 'Delete your account',
  'delete.locked': 'Your account is locked straight away.',
  'delete.signedOut': 'You are signed out on every device.',
  'delete.purge': 'After {days}, on {date}, your account and its data are deleted for good. Until then, you can restore it by contacting the store.',
  'delete.reasonTitle': 'Why are you leaving?',
  'delete.reasonLegend': 'Choose the reason that fits best',
  'delete.reasonRequired': 'Choose a reason.',
  'delete.details': 'Tell us more (optional)',
  'delete.charsLeft': { one: '{count} character left', other: '{count} characters left' },
  'delete.tooLong': 'Use at most {max} characters.',
  'delete.consentTitle': 'Confirm you understand',
  'delete.consentRequired': 'Tick the box to confirm before you continue.',
  'delete.verifyTitle': 'Confirm it is you',
  'delete.codeIntro': 'We will send a code to {to}.',
  'delete.passwordIntro': 'Enter your password.',
  'delete.wrongPassword': 'That password is not right. Check it and try again.',
  'delete.confirmTitle': 'Delete your account?',
  'delete.confirm': 'Your account will be locked now and you will be signed out on every device. It will be deleted for good on {date}.',
  'delete.submit': 'Delete my account',
  'delete.doneTitle': 'Your account is scheduled for deletion',
  'delete.done': 'You have been signed out on every device. Your account will be deleted for good on {date}. To keep it, contact the store before then.',
  'delete.continue': 'Continue',
  'delete.back': 'Back',
  'delete.cancel': 'Cancel',
  'delete.cancelled': 'Nothing was changed. Your account is still active.',
};

export type DeleteMessageKey = keyof typeof enDelete;
