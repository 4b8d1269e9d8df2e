/**
 * English messages of one-time codes (where to send one, the code field, resend), shared by the
 * on-demand sign-in steps, the account page and account deletion; each registers them when it
 * loads, so the first download of the sign-in widget carries none of them.
 */
export const enCodes = {
  'auth.sendCode': 'Send code',
  'auth.verify': 'Verify',
  'auth.codeSent': 'We sent a code to {to}. It expires in {minutes} minutes.',
  'auth.resend': 'Resend code',
  'auth.resendIn': 'Resend code in {time}',
  'auth.newCode': 'Send a new code',
  'auth.changeContact': 'Use a different {what}',
  'field.countryCode': 'Country code',
  'field.mobile': 'Mobile number',
  'field.code': 'Code',
  'what.email': 'email address',
  'what.mobile': 'mobile number',
  'mobile.invalid': 'Enter a mobile number of {min} to {max} digits.',
  'countryCode.invalid': 'Enter a country code like {example}.',
  'code.invalid': 'Enter the code we sent you.',
  'error.code': 'That code is not right. Check it and try again.',
  'error.codeDead': 'This code can no longer be used. Send a new code.',
};
