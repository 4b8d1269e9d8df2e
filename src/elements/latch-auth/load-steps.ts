/**
 * How `<latch-auth>` gets its on-demand steps (steps/registry.ts): a chunk of their own, fetched
 * the first time a shopper leaves the first screen. The one-file package build swaps in
 * load-steps.bundled.ts instead.
 */
export const loadSteps = () => import('./steps/registry.js');
