/**
 * Entry of the sign-in-only bundle (`dist/cdn-auth/latch.js`): defines `<latch-provider>` and
 * `<latch-auth>` (its later steps load on demand) and exports the same plug-in points as the whole
 * bundle (src/cdn.ts).
 */
import './define-auth.js';

export { registerSocialAdapter } from './providers/social.js';
export { registerCaptchaProvider } from './providers/captcha.js';
export { registerMessages } from './i18n/localize.js';
export { LatchClient } from './api/client.js';
