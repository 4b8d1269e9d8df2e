/**
 * The events latch elements fire on their host element. All bubble and are composed, so a
 * storefront can listen on `document`. Details carry the user or what went wrong, never a secret.
 * One class per event, each in the DOM's event maps, so `addEventListener('latch-login', e => e.detail.user)`
 * is typed in a host's TypeScript. `detail` keeps the shape `CustomEvent` hosts already read.
 */
import type { SocialProvider } from './api/client.js';
import type { User } from './api/schemas.js';
import type { LatchErrorKind } from './api/errors.js';

/** Every latch event bubbles and is composed, so a host can listen on `document`, across shadow roots. */
const OUT = { bubbles: true, composed: true } as const;

export interface LatchLoginDetail {
  user: User;
  /** How the shopper signed in: `password`, `otp`, or the social provider. */
  method: 'password' | 'otp' | SocialProvider;
}

/** A shopper signed in. */
export class LatchLoginEvent extends Event {
  static readonly eventName = 'latch-login';
  constructor(readonly detail: LatchLoginDetail) {
    super(LatchLoginEvent.eventName, OUT);
  }
}

/** A shopper created an account (and is signed in); `detail.user` is the new user. */
export class LatchRegisterEvent extends Event {
  static readonly eventName = 'latch-register';
  constructor(readonly detail: { user: User }) {
    super(LatchRegisterEvent.eventName, OUT);
  }
}

/** The shopper signed out from this element. */
export class LatchLogoutEvent extends Event {
  static readonly eventName = 'latch-logout';
  constructor(readonly detail: { user?: User }) {
    super(LatchLogoutEvent.eventName, OUT);
  }
}

/** The shopper chose to continue as a guest (`skip_login`). */
export class LatchSkipEvent extends Event {
  static readonly eventName = 'latch-skip';
  readonly detail: Record<string, never> = {};
  constructor() {
    super(LatchSkipEvent.eventName, OUT);
  }
}

/** A latch element needs a signed-in shopper and has none; the host may route to its sign-in page. */
export class LatchLoginRequiredEvent extends Event {
  static readonly eventName = 'latch-login-required';
  readonly detail: Record<string, never> = {};
  constructor() {
    super(LatchLoginRequiredEvent.eventName, OUT);
  }
}

/** The shopper saved profile changes; `detail.user` is the updated user. */
export class LatchProfileUpdatedEvent extends Event {
  static readonly eventName = 'latch-profile-updated';
  constructor(readonly detail: { user: User }) {
    super(LatchProfileUpdatedEvent.eventName, OUT);
  }
}

/** The shopper signed out another session (or all others); `detail.sessionIds` lists them. */
export class LatchSessionRevokedEvent extends Event {
  static readonly eventName = 'latch-session-revoked';
  constructor(readonly detail: { sessionIds: string[] }) {
    super(LatchSessionRevokedEvent.eventName, OUT);
  }
}

/** The shopper's account is scheduled for deletion; `detail.deleteOn` is when it is purged (ISO). */
export class LatchAccountDeletedEvent extends Event {
  static readonly eventName = 'latch-account-deleted';
  constructor(readonly detail: { user?: User; deleteOn: string }) {
    super(LatchAccountDeletedEvent.eventName, OUT);
  }
}

/** The shopper cancelled the deletion flow; nothing was deleted. A host that opened the flow (a dialog, `<latch-account>`) may close it. */
export class LatchDeleteCancelEvent extends Event {
  static readonly eventName = 'latch-delete-cancel';
  constructor() {
    super(LatchDeleteCancelEvent.eventName, OUT);
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
export class LatchErrorEvent extends Event {
  static readonly eventName = 'latch-error';
  constructor(readonly detail: LatchErrorDetail) {
    super(LatchErrorEvent.eventName, OUT);
  }
}

/** The latch events by type, for the DOM's event maps. */
export interface LatchEventMap {
  'latch-login': LatchLoginEvent;
  'latch-logout': LatchLogoutEvent;
  'latch-error': LatchErrorEvent;
  'latch-skip': LatchSkipEvent;
  'latch-register': LatchRegisterEvent;
  'latch-login-required': LatchLoginRequiredEvent;
  'latch-profile-updated': LatchProfileUpdatedEvent;
  'latch-session-revoked': LatchSessionRevokedEvent;
  'latch-account-deleted': LatchAccountDeletedEvent;
  'latch-delete-cancel': LatchDeleteCancelEvent;
}

declare global {
  // Elements (where latch fires them) and, through the global handlers map, document and window.
  interface HTMLElementEventMap extends LatchEventMap {}
  interface GlobalEventHandlersEventMap extends LatchEventMap {}
}
