/**
 * The on-demand steps when they are in the same file anyway (the one-file package, dist/cdn/latch.js,
 * which every page of a store with account pages loads): a static import, so the build adds no
 * module-loading wrappers. vite.config.ts puts this in place of load-steps.ts for that build only.
 */
import * as registry from './steps/registry.js';

export const loadSteps = () => Promise.resolve(registry);
