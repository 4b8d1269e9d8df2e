/**
 * Captcha providers. When the platform config sets `skip_captcha: false`, a password sign-in and
 * sending a code need a captcha token. A provider renders its challenge inside the form and turns
 * the form's values into that token. Providers are modules registered by name and chosen with the
 * `captcha` attribute; `latch/dev` registers the reference service's question challenge.
 */
import type { TemplateResult } from 'lit/html.js';

export interface CaptchaProvider {
  /** Fetches or refreshes a challenge; called before the form shows and after each use. */
  load(apiBase: string, signal: AbortSignal): Promise<void>;
  /**
   * The challenge's controls, rendered inside the form, with the control named `captcha`. `label` is
   * the localized field label; `error` a localized message to attach to the control, if any.
   */
  render(id: string, label: string, error?: string): TemplateResult;
  /** The token to send, from the submitted form's values; undefined when the challenge is unanswered. */
  token(values: Record<string, string>): string | undefined;
}

const providers = new Map<string, () => CaptchaProvider>();

export function registerCaptchaProvider(name: string, create: () => CaptchaProvider): void {
  providers.set(name, create);
}

/** The named provider, or the only one registered when no name is given. */
export function createCaptchaProvider(name: string): CaptchaProvider | undefined {
  return (providers.get(name) ?? (!name && providers.size === 1 ? [...providers.values()][0] : undefined))?.();
}
