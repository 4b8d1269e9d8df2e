/**
 * Side-effect entry for a page that only needs sign-in: defines `<latch-provider>` and
 * `<latch-auth>`, nothing else. `npm run size` measures `<latch-auth>` through this entry.
 */
import { LatchAuth } from './elements/latch-auth/latch-auth.js';
import { LatchProvider } from './elements/latch-provider/latch-provider.js';

for (const [tag, ctor] of [
  ['latch-provider', LatchProvider],
  ['latch-auth', LatchAuth],
] as const) {
  if (!customElements.get(tag)) customElements.define(tag, ctor);
}
