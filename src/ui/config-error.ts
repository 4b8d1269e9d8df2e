/**
 * The one view for a config that could not be loaded: what went wrong, read out at once, and a
 * "Try again" button that stays (disabled while it runs) so focus is not lost.
 */
import { html, type TemplateResult } from 'lit/html.js';

export function configError(message: string, retryLabel: string, retry: () => void, pending: boolean): TemplateResult {
  return html`<div class="latch-notice latch-notice--error" role="alert">
    <p>${message}</p>
    <button type="button" class="latch-button" aria-disabled=${pending ? 'true' : 'false'} @click=${retry}>${retryLabel}</button>
  </div>`;
}
