/**
 * Entry of the one-file bundle a storefront loads with a script tag (`dist/cdn/latch.js`): defines
 * every latch element and exports what a page without a bundler needs to plug things in (social
 * sign-in adapters, a captcha provider, translations, a client of its own). Everything else (event
 * classes, schemas, the step calls) comes from the npm package; exporting it here would only make
 * every storefront download the names.
 */
import './define.js';

export { registerSocialAdapter } from './providers/social.js';
export { registerCaptchaProvider } from './providers/captcha.js';
export { registerMessages } from './i18n/localize.js';
export { LatchClient } from './api/client.js';
