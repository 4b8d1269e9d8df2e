/**
 * Side-effect entry `latch/dev`: development providers that talk to the reference user service, so
 * social sign-in and captcha work offline (demo, tests, a storefront developer's laptop). Never
 * part of the production bundle; a storefront imports it only against the reference service.
 */
import { html } from 'lit/html.js';
import { Directive, directive, type ChildPart } from 'lit/directive.js';
import { langOf, localizer, type Params } from './i18n/localize.js';
import type { MessageKey } from './i18n/en.js';
import { field } from './ui/form.js';
import { registerCaptchaProvider, type CaptchaProvider } from './providers/captcha.js';
import { registerSocialAdapter, type SocialAdapter } from './providers/social.js';

/**
 * The reference service's development provider: a consent page in a popup that posts a token signed
 * by the service back to this window. Messages are accepted only from the service's origin and with
 * the state this request made.
 */
export const devSocialAdapter: SocialAdapter = ({ provider, appId, apiBase, signal }) =>
  new Promise((resolve, reject) => {
    const state = crypto.randomUUID();
    const service = new URL(apiBase || '/', location.href);
    const query = new URLSearchParams({ client_id: appId, origin: location.origin, state });
    const popup = open(`${apiBase}/__dev/social/${provider}?${query}`, 'latch-social', 'popup,width=480,height=640');
    if (!popup) return reject(new Error('popup-blocked'));
    const done = (error?: string, token?: string) => {
      removeEventListener('message', onMessage);
      clearInterval(watch);
      if (token) resolve(token);
      else {
        popup.close();
        reject(new Error(error ?? 'cancelled'));
      }
    };
    const onMessage = (event: MessageEvent) => {
      const data = event.data as { type?: string; state?: string; token?: string; error?: string } | null;
      if (event.origin !== service.origin || data?.type !== 'latch-social' || data.state !== state) return;
      done(data.error, data.token);
    };
    addEventListener('message', onMessage);
    // A popup closed without an answer is a cancel.
    const watch = setInterval(() => popup.closed && done(), 500);
    signal.addEventListener('abort', () => done(), { once: true });
  });

/**
 * A message in the language of the element it renders in (the provider is not told the element's
 * language; its part knows its host). Runs again on each render, so a language change follows.
 */
class InHostLanguage extends Directive {
  render(_key: MessageKey, _params: Params): string {
    return '';
  }
  override update(part: ChildPart, [key, params]: [MessageKey, Params]): string {
    const host = part.options?.host;
    return localizer(host instanceof Element ? langOf(host) : document.documentElement.lang || 'en').t(key, params);
  }
}
const inHostLanguage = directive(InHostLanguage);

/** First code points of the decimal digit runs shoppers of the shipped languages may type in. */
const DIGIT_ZEROS = [0x30, 0x660, 0x6f0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66];
/** An answer typed in any of those scripts, in the ASCII digits the service reads ("٧" is 7). */
const asciiDigits = (text: string) =>
  text.replace(/\p{Nd}/gu, (d) => {
    const zero = DIGIT_ZEROS.find((z) => d.codePointAt(0)! - z >= 0 && d.codePointAt(0)! - z <= 9);
    return zero === undefined ? d : String(d.codePointAt(0)! - zero);
  });

/**
 * The reference service's question challenge: `GET /__dev/captcha` gives `{ id, question, terms }`;
 * the question is asked in the shopper's language from `terms` (the English text only as a fallback).
 */
export function devCaptcha(): CaptchaProvider {
  let challenge: { id: string; question: string; terms?: [number, number] } | undefined;
  return {
    async load(apiBase, signal) {
      const response = await fetch(`${apiBase}/__dev/captcha`, { signal, credentials: 'include', cache: 'no-store' });
      const body = (await response.json()) as { id?: unknown; question?: unknown; terms?: unknown };
      if (typeof body.id !== 'string' || typeof body.question !== 'string') throw new Error('bad captcha');
      const terms = Array.isArray(body.terms) && body.terms.length === 2 && body.terms.every(Number.isInteger) ? (body.terms as [number, number]) : undefined;
      challenge = { id: body.id, question: body.question, terms };
    },
    render: (id, label, error) =>
      field({
        id,
        name: 'captcha',
        label: challenge?.terms
          ? html`${inHostLanguage('captcha.question', { label, a: challenge.terms[0], b: challenge.terms[1] })}`
          : `${label}: ${challenge?.question ?? '…'}`,
        type: 'text',
        autocomplete: 'off',
        inputmode: 'numeric',
        required: true,
        error,
      }),
    token: (values) => {
      const answer = asciiDigits(values.captcha?.trim() ?? '');
      return challenge && answer ? `dev:${challenge.id}:${answer}` : undefined;
    },
  };
}

registerSocialAdapter('*', devSocialAdapter);
registerCaptchaProvider('dev', devCaptcha);
