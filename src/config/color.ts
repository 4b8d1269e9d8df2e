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
