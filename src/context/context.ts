/** The context key through which `<latch-provider>` shares its store with the elements under it. */
import { createContext } from '@lit/context';
import type { LatchStore } from './store.js';

export const storeContext = createContext<LatchStore | undefined>(Symbol('latch-store'));
