/**
 * Side-effect entry `latch/dev`: development providers that talk to the reference user service, so
 * social sign-in and captcha work offline (demo, tests, a storefront developer's laptop). Never
 * part of the production bundle; a storefront imports it only against the reference service.
 */
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
    render: (id, label, error) =>
      field({
        id,
        name: 'captcha',
        label: `${label}: ${challenge?.question ?? '…'}`,
        type: 'text',
        autocomplete: 'off',
        inputmode: 'numeric',
        required: true,
        error,
      }),
    token: (values) => (challenge && values.captcha?.trim() ? `dev:${challenge.id}:${values.captcha.trim()}` : undefined),
  };
}

registerSocialAdapter('*', devSocialAdapter);
registerCaptchaProvider('dev', devCaptcha);
