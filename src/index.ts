/** Side-effect-free entry: classes, client, events and types. Import `latch/define` to register the tags. */
export { LatchAuth } from './elements/latch-auth/latch-auth.js';
export { LatchProvider } from './elements/latch-provider/latch-provider.js';
export { LatchElement } from './elements/latch-element.js';
export { LatchClient, type LatchClientOptions, type RequestOptions, type Method } from './api/client.js';
export { LatchApiError, parseRetryAfter, type LatchErrorKind } from './api/errors.js';
export * from './api/steps.js';
export { platformConfigSchema, userSchema, type PlatformConfig, type User, type LoginSuccess } from './api/schemas.js';
export { authViewModel, type AuthViewModel } from './config/view-model.js';
export { LatchStore, type ConfigState, type SessionState } from './context/store.js';
export { storeContext } from './context/store-context.js';
export {
  LatchLoginEvent,
  LatchLogoutEvent,
  LatchErrorEvent,
  LatchSkipEvent,
  LatchRegisterEvent,
  LatchLoginRequiredEvent,
  LatchProfileUpdatedEvent,
  LatchSessionRevokedEvent,
  LatchAccountDeletedEvent,
  LatchDeleteCancelEvent,
  type LatchErrorDetail,
  type LatchLoginDetail,
  type LatchEventMap,
} from './events.js';
export { registerMessages, type Catalog, type MessageKey } from './i18n/localize.js';
// ---- <latch-delete-account> ----
export { LatchDeleteAccount } from './elements/latch-delete-account/latch-delete-account.js';
// ---- <latch-account> ----
export { LatchAccount } from './elements/latch-account/latch-account.js';
export type { AttributeDefinition, AttributeValues, Contact, SessionInfo } from './api/account.js';
export { registerSocialAdapter, type SocialAdapter, type SocialSignInRequest } from './providers/social.js';
export { registerCaptchaProvider, type CaptchaProvider } from './providers/captcha.js';
