/**
 * `<latch-provider>`: optional wrapper that gives every latch element inside it one client, one
 * config fetch and one session, so a header sign-in and an account page never disagree.
 */
import { ContextProvider } from '@lit/context';
import { nothing, type PropertyValues } from 'lit';
import type { LatchStore } from '../../context/store.js';
import { storeContext } from '../../context/store-context.js';
import { LatchErrorEvent } from '../../events.js';
import { ConnectedElement, connectionChanged, connectionKey, storeFor } from '../latch-element.js';

/**
 * Shares one user-service connection among the latch elements under it. Without it, each element
 * works on its own from its own attributes. Renders nothing of its own.
 *
 * @tagname latch-provider
 * @summary Shares one client, config and session with the latch elements inside it.
 *
 * @slot - Any content, including latch elements.
 *
 * @fires latch-error - Loading the config or checking the session failed.
 *
 * @attr theme - `light`, `dark` or `auto`: the theme of the latch elements inside that set none.
 *   The `--latch-*` tokens set on the provider reach every element inside it.
 */
export class LatchProvider extends ConnectedElement {
  #store?: LatchStore;
  /** Answers the store requests of the latch elements under it, and tells them when it changes. */
  readonly #provider = new ContextProvider(this, { context: storeContext });

  #storeKey?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    // Lay out as if the wrapper were not there. Set through the CSSOM, so no CSP `style-src-attr` issue.
    this.style.display = 'contents';
    // Made now, not at the first render, so elements inside that connect next find it at once.
    this.#rebuild();
  }

  #rebuild(): void {
    const key = connectionKey(this);
    if (this.#store && key === this.#storeKey) return;
    this.#store?.dispose();
    this.#storeKey = key;
    this.#store = storeFor(this, (detail) => this.dispatchEvent(new LatchErrorEvent(detail)));
    this.#provider.setValue(this.#store);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (connectionChanged(changed)) this.#rebuild();
    if (changed.has('config') && this.config !== undefined) this.#store?.useConfig(this.config);
  }

  /** Children stay where the page put them; the provider renders nothing of its own. */
  protected override render(): unknown {
    return nothing;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'latch-provider': LatchProvider;
  }
}
