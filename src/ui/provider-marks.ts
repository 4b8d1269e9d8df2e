/**
 * The social providers' marks, drawn inline (nothing from the config becomes markup): Google's
 * four-colour G, Apple's apple, Facebook's f. Their buttons follow each provider's branding rules
 * (colours in styles.css, `.latch-social--*`); the marks are decorative, the button's text names it.
 */
import { svg, type SVGTemplateResult } from 'lit/html.js';
import type { SocialProvider } from '../api/client.js';

const mark = (body: SVGTemplateResult) =>
  svg`<svg class="latch-mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${body}</svg>`;

export const providerMarks: Record<SocialProvider, SVGTemplateResult> = {
  // Four arcs of one ring and the bar, in Google's colours (the same on light and dark buttons).
  google: mark(svg`<g fill="none" stroke-width="3.6"><path stroke="#EA4335" d="M16.95 7.05A7 7 0 0 0 5.42 9.61"/><path stroke="#FBBC05" d="M5.42 9.61A7 7 0 0 0 6.27 16.02"/><path stroke="#34A853" d="M6.27 16.02A7 7 0 0 0 17.36 16.5"/><path stroke="#4285F4" d="M17.36 16.5A7 7 0 0 0 19 12H12"/></g>`),
  // The apple and its leaf in the button's text colour (white on black, black on white in dark).
  apple: mark(svg`<path fill="currentColor" d="M12 7.6c-1.2 0-2.2-.8-3.6-.8C6 6.8 4 8.8 4 12.1c0 3.8 2.7 8.5 4.6 8.5 1.2 0 1.8-.7 3.4-.7s2.2.7 3.4.7c1.6 0 3.2-2.6 4-4.8-1.8-.8-2.8-2.4-2.8-4.2 0-1.6.8-2.9 2.1-3.7-.9-1.1-2.1-1.6-3.3-1.6-1.4 0-2.2.8-3.4.8zM12.2 6.6c-.1-1.9 1.4-3.6 3.2-3.8.2 1.9-1.4 3.7-3.2 3.8z"/>`),
  // The white f on Facebook's blue.
  facebook: mark(svg`<path fill="currentColor" d="M13.5 21v-7.2h2.4l.4-2.8h-2.8V9.3c0-.8.3-1.4 1.4-1.4h1.5V5.4c-.3 0-1.2-.1-2.2-.1-2.2 0-3.7 1.3-3.7 3.8V11H8v2.8h2.5V21z"/>`),
};
