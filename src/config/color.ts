/**
 * Colour helpers for config-supplied colours: only plain hex colours are accepted (anything else
 * could smuggle CSS through a custom property), and text colours are corrected when an admin's
 * choice would be unreadable (WCAG 1.4.3 needs 4.5:1 for body text).
 */

const HEX = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

/** A hex colour normalised to `#rrggbb`, or undefined when the value is not a hex colour. Alpha is dropped. */
export function parseHexColor(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (!HEX.test(trimmed)) return undefined;
  let hex = trimmed.slice(1);
  if (hex.length <= 4) hex = [...hex.slice(0, 3)].map((c) => c + c).join('');
  return `#${hex.slice(0, 6).toLowerCase()}`;
}

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG contrast ratio of two `#rrggbb` colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The wanted text colour when it is readable on `background`, otherwise black or white, whichever reads better. */
export function readableText(wanted: string | undefined, background: string): string {
  if (wanted && contrastRatio(wanted, background) >= 4.5) return wanted;
  return contrastRatio('#000000', background) >= contrastRatio('#ffffff', background) ? '#000000' : '#ffffff';
}

/** `#rrggbb` mixed with `toward` by `amount` (0 = unchanged, 1 = `toward`), channel by channel. */
export function mixHex(hex: string, toward: string, amount: number): string {
  const channel = (c: string, i: number) => parseInt(c.slice(i, i + 2), 16);
  return `#${[1, 3, 5]
    .map((i) => Math.round(channel(hex, i) + (channel(toward, i) - channel(hex, i)) * amount))
    .map((v) => v.toString(16).padStart(2, '0'))
    .join('')}`;
}

/**
 * `color` moved toward black (on a light `background`) or white (on a dark one) just far enough to
 * reach `ratio` against it; unchanged when it already does.
 */
export function withContrast(color: string, background: string, ratio: number): string {
  const toward = contrastRatio('#000000', background) >= contrastRatio('#ffffff', background) ? '#000000' : '#ffffff';
  for (let step = 0; step <= 20; step++) {
    const candidate = mixHex(color, toward, step / 20);
    if (contrastRatio(candidate, background) >= ratio) return candidate;
  }
  return toward;
}

/** The card surfaces of latch's two palettes (src/ui/styles.css); config colours are checked against them. */
export const SURFACES = { light: '#ffffff', dark: '#161b22' } as const;

export interface PrimaryColors {
  /** Button background: the wanted colour, moved only as far as 3:1 against the surface (WCAG 1.4.11). */
  primary: string;
  /** Text on that background, black or white, whichever reads better (always 4.5:1 or more). */
  onPrimary: string;
  /** Links and outlined buttons: the primary at 4.5:1 against the surface, like body text. */
  link: string;
}

/** A store's primary colour made usable on one surface: readable as text and as a button. */
export function primaryColors(wanted: string, surface: string): PrimaryColors {
  const primary = withContrast(wanted, surface, 3);
  return { primary, onPrimary: readableText(undefined, primary), link: withContrast(wanted, surface, 4.5) };
}

/**
 * The custom properties a config's primary colour sets on an element's root: each a
 * `light-dark(light, dark)` pair, so the stylesheet's theme picks the one made for its surface.
 * Empty when the config has no valid primary colour. The platform's `look_and_feel` defines only
 * `background_color` and `card_position`; a `primary_color` there (or an `accent_color`) is taken
 * when a platform sends one.
 */
export function primaryProperties(lookAndFeel: Record<string, unknown> | undefined): Record<string, string> {
  const wanted = parseHexColor(lookAndFeel?.primary_color) ?? parseHexColor(lookAndFeel?.accent_color);
  if (!wanted) return {};
  const light = primaryColors(wanted, SURFACES.light);
  const dark = primaryColors(wanted, SURFACES.dark);
  const pair = (key: keyof PrimaryColors) => `light-dark(${light[key]}, ${dark[key]})`;
  return { '--_config-primary': pair('primary'), '--_config-on-primary': pair('onPrimary'), '--_config-link': pair('link') };
}

/** Every custom property `primaryProperties` may set, so an element can clear them when the config drops its colour. */
export const PRIMARY_PROPERTIES = ['--_config-primary', '--_config-on-primary', '--_config-link'];
