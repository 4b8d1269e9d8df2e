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

/** A shopper created an account (and is signed in); `detail.user` is the new user. */
export class LatchRegisterEvent extends CustomEvent<{ user: User }> {
  constructor(detail: { user: User }) {
    super('latch-register', init(detail));
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

/** A latch element needs a signed-in shopper and has none; the host may route to its sign-in page. */
export class LatchLoginRequiredEvent extends CustomEvent<Record<string, never>> {
  constructor() {
    super('latch-login-required', init({}));
  }
}

/** The shopper saved profile changes; `detail.user` is the updated user. */
export class LatchProfileUpdatedEvent extends CustomEvent<{ user: User }> {
  constructor(detail: { user: User }) {
    super('latch-profile-updated', init(detail));
  }
}

/** The shopper signed out another session (or all others); `detail.sessionIds` lists them. */
export class LatchSessionRevokedEvent extends CustomEvent<{ sessionIds: string[] }> {
  constructor(detail: { sessionIds: string[] }) {
    super('latch-session-revoked', init(detail));
  }
}

/** The shopper's account is scheduled for deletion; `detail.deleteOn` is when it is purged (ISO). */
export class LatchAccountDeletedEvent extends CustomEvent<{ user?: User; deleteOn: string }> {
  constructor(detail: { user?: User; deleteOn: string }) {
    super('latch-account-deleted', init(detail));
  }
}

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
    'latch-register': LatchRegisterEvent;
    'latch-login-required': LatchLoginRequiredEvent;
    'latch-profile-updated': LatchProfileUpdatedEvent;
    'latch-session-revoked': LatchSessionRevokedEvent;
    'latch-account-deleted': LatchAccountDeletedEvent;
  }
}
