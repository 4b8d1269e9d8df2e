/**
 * How `<latch-auth>` gets its on-demand steps (flows.ts): a chunk of their own, fetched the first
 * time a shopper opens one. The one-file package build swaps in load-flows.bundled.ts instead.
 */
export const loadFlows = () => import('./flows.js');
