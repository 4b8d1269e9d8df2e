/**
 * Social sign-in adapters. An adapter gets a provider's token in the browser (with the provider's
 * own script, or a popup); the widget then posts that token to the user service, which verifies it.
 * Adapters are modules a storefront imports and registers; `latch/dev` registers one that talks
 * to the reference service's built-in development provider, so the whole flow works offline.
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
