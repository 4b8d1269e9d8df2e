/**
 * The events latch elements fire on their host element. All bubble and are composed, so a
 * storefront can listen on `document`. Details carry the user or what went wrong, never a secret.
 */
import type { SocialProvider } from './api/client.js';
import type { User } from './api/schemas.js';
import type { LatchErrorKind } from './api/errors.js';

const init = <T>(detail: T): CustomEventInit<T> => ({ detail, bubbles: true, composed: true });

export interface LatchLoginDetail {
  user: User;
  /** How the shopper signed in: `password`, `otp`, or the social provider. */
  method: 'password' | 'otp' | SocialProvider;
}

/** A shopper signed in. */
export class LatchLoginEvent extends CustomEvent<LatchLoginDetail> {
  constructor(detail: LatchLoginDetail) {
    super('latch-login', init(detail));
  }
}

/** The shopper signed out from this element. */
export class LatchLogoutEvent extends CustomEvent<{ user?: User }> {
  constructor(detail: { user?: User }) {
    super('latch-logout', init(detail));
  }
}

/** The shopper chose to continue as a guest (`skip_login`). */
export class LatchSkipEvent extends CustomEvent<Record<string, never>> {
  constructor() {
    super('latch-skip', init({}));
  }
}

export interface LatchErrorDetail {
  /** What the element was doing: loading config, checking the session, signing in, signing out. */
  action: 'config' | 'session' | 'login' | 'logout' | 'code' | 'reset' | 'social' | 'captcha' | 'contact';
  kind: LatchErrorKind;
  status: number;
  code?: string;
  message: string;
  requestId?: string;
}

/** Something failed; the shopper has already been told on screen. For host logging and routing. */
export class LatchErrorEvent extends CustomEvent<LatchErrorDetail> {
  constructor(detail: LatchErrorDetail) {
    super('latch-error', init(detail));
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'latch-login': LatchLoginEvent;
    'latch-logout': LatchLogoutEvent;
    'latch-error': LatchErrorEvent;
    'latch-skip': LatchSkipEvent;
  }
}
