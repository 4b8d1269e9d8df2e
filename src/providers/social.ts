/**
 * Social sign-in adapters. An adapter gets a provider's token in the browser (with the provider's
 * own script, or a popup); the widget then posts that token to the user service, which verifies it.
 * Real providers' adapters are optional modules a storefront imports (`latch/social/google` ...);
 * the development adapter talks to the reference service's built-in dev provider so the whole flow
 * works offline.
 */
import type { SocialProvider } from '../api/client.js';

export interface SocialSignInRequest {
  provider: SocialProvider;
  /** `social_tokens.<provider>.app_id` from the platform config. */
  appId: string;
  /** The user service's base, as the widget's client uses it. */
  apiBase: string;
  signal: AbortSignal;
}

/** Resolves with the token to send to the service; rejects with `Error('cancelled')` when the shopper backs out. */
export type SocialAdapter = (request: SocialSignInRequest) => Promise<string>;

const adapters = new Map<string, SocialAdapter>();

/** Registers the adapter for a provider (`'google'`, `'facebook'`, `'apple'`), or for every provider with `'*'`. */
export function registerSocialAdapter(provider: SocialProvider | '*', adapter: SocialAdapter): void {
  adapters.set(provider, adapter);
}

export function socialAdapter(provider: SocialProvider): SocialAdapter | undefined {
  return adapters.get(provider) ?? adapters.get('*');
}

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
