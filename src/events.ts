/**
 * The events latch elements fire on their host element. All bubble and are composed, so a
 * storefront can listen on `document`. Details carry the user or what went wrong, never a secret.
 */
import type { SocialProvider } from './api/client.js';
import type { User } from './api/schemas.js';
import type { LatchErrorKind } from './api/errors.js';

/** A typed event class for `type`: bubbling and composed, with `detail` as given. */
const latchEvent = <T>(type: string) =>
  class extends CustomEvent<T> {
    constructor(detail: T) {
      super(type, { detail, bubbles: true, composed: true });
    }
  };

export interface LatchLoginDetail {
  user: User;
  /** How the shopper signed in: `password`, `otp`, or the social provider. */
  method: 'password' | 'otp' | SocialProvider;
}

/** A shopper signed in. */
export class LatchLoginEvent extends latchEvent<LatchLoginDetail>('latch-login') {}

/** A shopper created an account (and is signed in); `detail.user` is the new user. */
export class LatchRegisterEvent extends latchEvent<{ user: User }>('latch-register') {}

/** The shopper signed out from this element. */
export class LatchLogoutEvent extends latchEvent<{ user?: User }>('latch-logout') {}

/** The shopper chose to continue as a guest (`skip_login`). */
export class LatchSkipEvent extends latchEvent<Record<string, never>>('latch-skip') {
  constructor() {
    super({});
  }
}

/** A latch element needs a signed-in shopper and has none; the host may route to its sign-in page. */
export class LatchLoginRequiredEvent extends latchEvent<Record<string, never>>('latch-login-required') {
  constructor() {
    super({});
  }
}

/** The shopper saved profile changes; `detail.user` is the updated user. */
export class LatchProfileUpdatedEvent extends latchEvent<{ user: User }>('latch-profile-updated') {}

/** The shopper signed out another session (or all others); `detail.sessionIds` lists them. */
export class LatchSessionRevokedEvent extends latchEvent<{ sessionIds: string[] }>('latch-session-revoked') {}

/** The shopper's account is scheduled for deletion; `detail.deleteOn` is when it is purged (ISO). */
export class LatchAccountDeletedEvent extends latchEvent<{ user?: User; deleteOn: string }>('latch-account-deleted') {}

export interface LatchErrorDetail {
  /** What the element was doing: loading config, checking the session, signing in, signing out. */
  action:
    | 'config'
    | 'session'
    | 'login'
    | 'logout'
    | 'code'
    | 'reset'
    | 'social'
    | 'captcha'
    | 'contact'
    | 'register'
    | 'profile'
    | 'password'
    | 'sessions'
    | 'attributes'
    | 'delete';
  kind: LatchErrorKind;
  status: number;
  code?: string;
  message: string;
  requestId?: string;
}

/** Something failed; the shopper has already been told on screen. For host logging and routing. */
export class LatchErrorEvent extends latchEvent<LatchErrorDetail>('latch-error') {}

declare global {
  interface GlobalEventHandlersEventMap {
    'latch-login': LatchLoginEvent;
    'latch-logout': LatchLogoutEvent;
    'latch-error': LatchErrorEvent;
    'latch-skip': LatchSkipEvent;
    'latch-register': LatchRegisterEvent;
    'latch-login-required': LatchLoginRequiredEvent;
    'latch-profile-updated': LatchProfileUpdatedEvent;
    'latch-session-revoked': LatchSessionRevokedEvent;
    'latch-account-deleted': LatchAccountDeletedEvent;
  }
}
