/**
 * The on-demand steps when they are in the same file anyway (the one-file package, dist/cdn/latch.js,
 * which every page of a store with account pages loads): a static import, so the build adds no
 * module-loading wrappers. vite.config.ts puts this in place of load-flows.ts for that build only.
 * The steps are listed by name (not `import * as`), so no module namespace object is built either.
 */
import { enCodes, enFlows, listenForSms, renderContact, social, steps } from './flows.js';

const flows: typeof import('./flows.js') = { enCodes, enFlows, listenForSms, renderContact, social, steps };

export const loadFlows = () => Promise.resolve(flows);
