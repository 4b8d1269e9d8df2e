/**
 * Platform config -> what `<latch-auth>` shows. Pure: no DOM, no fetch, so every config field's
 * effect is unit-testable and the element only renders the result.
 */
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
  /** Sign-in paths that exist in this build and are switched on. */
  password: boolean;
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
    imageAlt: config.name || heading,
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
  };
}
