/**
 * Sign-in through a provider (Google, Facebook, Apple): its adapter opens the provider's window and
 * gets a token, the service checks it. Only the clicked provider's button shows progress meanwhile.
 */
import type { SocialProvider } from '../../../api/client.js';
import { socialLogin } from '../../../api/steps.js';
import { socialAdapter } from '../../../providers/social.js';
import { signedIn } from './code-check.js';
import type { StepContext } from './context.js';

export async function providerSignIn(ctx: StepContext, provider: SocialProvider, appId: string): Promise<void> {
  const adapter = socialAdapter(provider);
  if (!adapter) return;
  await ctx.run(async (signal) => {
    let token: string;
    try {
      token = await adapter({ provider, appId, apiBase: ctx.client.apiBase, signal });
    } catch (error) {
      // The shopper closed the provider's window: nothing to say. A blocked window needs their help.
      const reason = (error as Error)?.message;
      if (reason === 'popup-blocked') ctx.formError = ctx.t('error.popup');
      else if (reason !== 'cancelled') throw error;
      return;
    }
    signedIn(ctx, await socialLogin(ctx.client, provider, token, { signal }), provider);
  }, 'social', provider);
}
