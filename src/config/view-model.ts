/**
 * Platform config -> what `<latch-auth>` shows. Pure: no DOM, no fetch, so every config field's
 * effect is unit-testable and the element only renders the result.
 */
import type { SocialProvider } from '../api/client.js';
import type { PlatformConfig } from '../api/schemas.js';
import { parseHexColor, readableText } from './color.js';
import { safeUrl } from './url.js';

export type CardAlign = 'start' | 'center' | 'end';

export interface AuthViewModel {
  active: boolean;
  heading: string;
  subtext: string;
  /** Logo/banner for wide viewports, and for narrow ones when no mobile image is set. */
  desktopImage?: string;
  mobileImage?: string;
  imageAlt: string;
  flash?: { text: string; color: string; background: string };
  backdrop?: string;
  /** Card placement; `left`/`right` map to start/end so right-to-left pages mirror it. */
  align: CardAlign;
  valign: CardAlign;
  /** Sign-in paths that are switched on. */
  password: boolean;
  otp: boolean;
  forgotPassword: boolean;
  /** Enabled social providers, in display order, with the app id the provider's script needs. */
  social: Array<{ provider: SocialProvider; appId: string }>;
  /** A captcha must be solved before a password sign-in or a code is sent. */
  captcha: boolean;
  /** "Continue as guest". */
  guest: boolean;
  /** Contacts a signed-in shopper must have; `hard` ones cannot be skipped. */
  required: Array<{ field: 'email' | 'mobile'; hard: boolean }>;
  /** "Create account" exists. */
  register: boolean;
  /**
   * Registration contacts from `register_required_fields`: shown when `is_required`, `hard` mandatory,
   * `soft` optional. With neither shown, both are offered and one of them is needed (`either`).
   */
  registerFields: { email?: 'hard' | 'soft' | 'either'; mobile?: 'hard' | 'soft' | 'either' };
}

function registerFields(config: PlatformConfig): AuthViewModel['registerFields'] {
  const rule = (field: 'email' | 'mobile'): 'hard' | 'soft' | undefined => {
    const r = config.register_required_fields?.[field];
    return r?.is_required ? (r.level === 'soft' ? 'soft' : 'hard') : undefined;
  };
  const fields = { email: rule('email'), mobile: rule('mobile') };
  return fields.email || fields.mobile ? fields : { email: 'either', mobile: 'either' };
}

const PROVIDERS: SocialProvider[] = ['google', 'facebook', 'apple'];

/** `required_fields` as a list of what a signed-in shopper must have. */
export function requiredContacts(config: PlatformConfig): AuthViewModel['required'] {
  return (['email', 'mobile'] as const).flatMap((field) => {
    const rule = config.required_fields?.[field];
    return rule?.is_required ? [{ field, hard: rule.level !== 'soft' }] : [];
  });
}

function position(raw: string): { align: CardAlign; valign: CardAlign } {
  const p = raw.toLowerCase();
  return {
    align: p.includes('left') ? 'start' : p.includes('right') ? 'end' : 'center',
    valign: p.includes('top') ? 'start' : p.includes('bottom') ? 'end' : 'center',
  };
}

export function authViewModel(config: PlatformConfig, pageOrigin: string): AuthViewModel {
  const heading = config.display || config.name || '';
  const desktopImage = safeUrl(config.desktop_image, pageOrigin);
  const flashText = config.flash_card?.text?.trim();
  const flashBackground = parseHexColor(config.flash_card?.background_color) ?? '#1f2937';
  return {
    // Only an explicit `false` turns sign-in off: a config without the field is a working one.
    active: config.active !== false,
    heading,
    subtext: config.subtext ?? '',
    desktopImage,
    mobileImage: safeUrl(config.mobile_image, pageOrigin) ?? desktopImage,
    // The heading already names the store; a logo beside it would only repeat it to screen readers.
    imageAlt: heading ? '' : config.name || '',
    flash: flashText
      ? {
          text: flashText,
          background: flashBackground,
          color: readableText(parseHexColor(config.flash_card?.text_color), flashBackground),
        }
      : undefined,
    backdrop: parseHexColor(config.look_and_feel?.background_color),
    ...position(config.look_and_feel?.card_position ?? 'center'),
    password: config.login?.password !== false,
    otp: config.login?.otp === true,
    forgotPassword: config.forgot_password === true,
    social: PROVIDERS.filter((provider) => config.social?.[provider] === true).map((provider) => ({
      provider,
      appId: config.social_tokens?.[provider]?.app_id ?? '',
    })),
    captcha: config.skip_captcha === false,
    guest: config.skip_login === true,
    required: requiredContacts(config),
    register: config.register === true,
    registerFields: registerFields(config),
  };
}
