/**
 * Side-effect entry: defines every latch element. Only the side-effect entries (this one and
 * define-auth.ts) call `customElements.define`.
 * The provider is defined first so elements inside it find it when they upgrade.
 */
import { LatchProvider } from './elements/latch-provider/latch-provider.js';
import { LatchAuth } from './elements/latch-auth/latch-auth.js';
// <latch-delete-account>
import { LatchDeleteAccount } from './elements/latch-delete-account/latch-delete-account.js';
// <latch-account>
import { LatchAccount } from './elements/latch-account/latch-account.js';

const elements: Array<[string, CustomElementConstructor]> = [
  ['latch-provider', LatchProvider],
  ['latch-auth', LatchAuth],
  // <latch-delete-account>
  ['latch-delete-account', LatchDeleteAccount],
  // <latch-account>
  ['latch-account', LatchAccount],
];

for (const [tag, ctor] of elements) {
  if (!customElements.get(tag)) customElements.define(tag, ctor);
}

export * from './index.js';
