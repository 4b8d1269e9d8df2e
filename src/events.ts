/**
 * The events latch elements fire on their host element. All bubble and are composed, so a
 * storefront can listen on `document`. Details carry the user or what went wrong, never a secret.
 */
import type { User } from './api/schemas.js';
import type { LatchErrorKind } from './api/errors.js';

const init = <T>(detail: T): CustomEventInit<T> => ({ detail, bubbles: true, composed: true });

export interface LatchLoginDetail {
  user: User;
  method: 'password';
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

export interface LatchErrorDetail {
  /** What the element was doing: loading config, checking the session, signing in, signing out. */
  action: 'config' | 'session' | 'login' | 'logout';
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
  }
}
