/**
 * An SMS for WebOTP on demand. Chromium under test receives no SMS, so the browser's side of WebOTP
 * (`navigator.credentials.get({ otp })`) is replaced until `restore()`; `deliver(code)` answers
 * the request the page made, as the browser does when the SMS arrives and the shopper allows it.
 */
export interface SmsInbox {
  /** Resolves once the page asks for an SMS code. */
  asked: Promise<void>;
  deliver(code: string): void;
  restore(): void;
}

export function smsInbox(): SmsInbox {
  const container = navigator.credentials;
  const hadOtp = 'OTPCredential' in window;
  let deliver!: (code: string) => void;
  let asked!: () => void;
  const askedOnce = new Promise<void>((resolve) => (asked = resolve));
  Object.defineProperty(container, 'get', {
    configurable: true,
    value: (options: CredentialRequestOptions & { otp?: unknown }) => {
      if (!options.otp) return Promise.resolve(null);
      asked();
      return new Promise((resolve) => (deliver = (code) => resolve({ code, type: 'otp' })));
    },
  });
  if (!hadOtp) Object.defineProperty(window, 'OTPCredential', { configurable: true, value: class {} });
  return {
    asked: askedOnce,
    deliver: (code) => deliver(code),
    restore() {
      delete (container as unknown as Record<string, unknown>).get;
      if (!hadOtp) delete (window as unknown as Record<string, unknown>).OTPCredential;
    },
  };
}
