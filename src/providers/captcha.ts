/**
 * Captcha providers. When the platform config sets `skip_captcha: false`, a password sign-in and
 * sending a code need a captcha token. A provider renders its challenge inside the form and turns
 * the form's values into that token. The development provider asks a plain-text question served by
 * the reference service, so it works offline, by keyboard and with a screen reader; adapters for
 * real providers are optional modules registered by name and chosen with the `captcha` attribute.
 */
import { html, type TemplateResult } from 'lit/html.js';

export interface CaptchaProvider {
  /** Fetches or refreshes a challenge; called before the form shows and after each use. */
  load(apiBase: string, signal: AbortSignal): Promise<void>;
  /** The challenge's controls, rendered inside the form. `label` is the localized field label. */
  render(id: string, label: string): TemplateResult;
  /** The token to send, from the submitted form's values; undefined when the challenge is unanswered. */
  token(values: Record<string, string>): string | undefined;
}

const providers = new Map<string, () => CaptchaProvider>();

export function registerCaptchaProvider(name: string, create: () => CaptchaProvider): void {
  providers.set(name, create);
}

export function createCaptchaProvider(name: string): CaptchaProvider | undefined {
  return providers.get(name)?.();
}

/** The reference service's question challenge: `GET /__dev/captcha` gives `{ id, question }`. */
export function devCaptcha(): CaptchaProvider {
  let challenge: { id: string; question: string } | undefined;
  return {
    async load(apiBase, signal) {
      const response = await fetch(`${apiBase}/__dev/captcha`, { signal, credentials: 'include', cache: 'no-store' });
      const body = (await response.json()) as { id?: unknown; question?: unknown };
      if (typeof body.id !== 'string' || typeof body.question !== 'string') throw new Error('bad captcha');
      challenge = { id: body.id, question: body.question };
    },
    render: (id, label) =>
      html`<div class="latch-field">
        <label class="latch-field__label" for=${id}>${label}: ${challenge?.question ?? '…'}</label>
        <input class="latch-field__input" id=${id} name="captcha" autocomplete="off" inputmode="numeric" required />
      </div>`,
    token: (values) => (challenge && values.captcha?.trim() ? `dev:${challenge.id}:${values.captcha.trim()}` : undefined),
  };
}

registerCaptchaProvider('dev', devCaptcha);
