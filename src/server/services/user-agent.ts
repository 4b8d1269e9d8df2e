// A small user-agent reader for the shopper's "active sessions" list: which browser, which
// operating system, and whether it is a phone, a tablet or a computer. Good enough to let a
// person recognise their own devices; never used for any security decision (the header is
// whatever the client chose to send). No dependency: the list only needs the common browsers.

export type DeviceKind = 'desktop' | 'mobile' | 'tablet';

export interface UserAgentInfo {
  /** "Chrome", "Edge", "Firefox", "Safari", "Opera", "Samsung Internet", or "" when unknown. */
  browser: string;
  /** "Windows", "macOS", "iOS", "iPadOS", "Android", "Linux", "ChromeOS", or "" when unknown. */
  os: string;
  device: DeviceKind;
}

// Order matters: Chromium-based browsers also say "Chrome" and "Safari", and Chrome on iOS says
// "Safari" too, so the more specific tokens are looked for first.
const BROWSERS: readonly [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\b(?:OPR|OPT|OPX|Opera)\b/, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(?:Firefox|FxiOS)\//, 'Firefox'],
  [/\b(?:Chrome|CriOS|Chromium)\//, 'Chrome'],
  [/\bSafari\//, 'Safari'],
];

function readOs(ua: string): string {
  // iPad before iPhone and Mac: iPad user agents mention "like Mac OS X" as well.
  if (/\biPad\b/.test(ua)) return 'iPadOS';
  if (/\b(?:iPhone|iPod)\b/.test(ua)) return 'iOS';
  // Android before Linux: every Android user agent also says "Linux".
  if (/\bAndroid\b/.test(ua)) return 'Android';
  if (/\bCrOS\b/.test(ua)) return 'ChromeOS';
  if (/\bWindows\b/.test(ua)) return 'Windows';
  if (/\b(?:Macintosh|Mac OS X)\b/.test(ua)) return 'macOS';
  if (/\bLinux\b/.test(ua)) return 'Linux';
  return '';
}

function readDevice(ua: string, os: string): DeviceKind {
  if (os === 'iPadOS' || /\bTablet\b/i.test(ua)) return 'tablet';
  // Android phones put "Mobile" in the user agent; Android tablets leave it out.
  if (os === 'Android') return /\bMobile\b/.test(ua) ? 'mobile' : 'tablet';
  if (os === 'iOS' || /\bMobile\b|\bWindows Phone\b/.test(ua)) return 'mobile';
  return 'desktop';
}

export function parseUserAgent(userAgent: string | undefined | null): UserAgentInfo {
  const ua = (userAgent ?? '').slice(0, 512);
  const os = readOs(ua);
  const browser = BROWSERS.find(([pattern]) => pattern.test(ua))?.[1] ?? '';
  return { browser, os, device: readDevice(ua, os) };
}
