/**
 * The context `<latch-provider>` (and `<latch-account>`, for the elements it renders) uses to hand
 * its store to the latch elements under it, through `@lit/context` (the web components community
 * context protocol: a bubbling, composed `context-request` event answered by the nearest provider).
 */
import { createContext } from '@lit/context';
import type { LatchStore } from './store.js';

/**
 * The key is a string, not a symbol, so a second copy of latch on the page (another bundle, another
 * version) still finds the same provider.
 */
export const storeContext = createContext<LatchStore | undefined>('latch-store');
