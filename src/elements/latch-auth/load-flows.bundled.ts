/**
 * The on-demand steps when they are in the same file anyway (the one-file package, dist/cdn/latch.js,
 * which every page of a store with account pages loads): a static import, so the build adds no
 * module-loading wrappers. vite.config.ts puts this in place of load-flows.ts for that build only.
 */
import * as flows from './flows.js';

export const loadFlows = () => Promise.resolve(flows);
