/**
 * `<latch-provider>`: optional wrapper that gives every latch element inside it one client, one
 * config fetch and one session, so a header sign-in and an account page never disagree.
 */
import { LitElement, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { ContextProvider } from '@lit/context';
import { LatchClient } from '../../api/client.js';
import { storeContext } from '../../context/context.js';
import { LatchStore } from '../../context/store.js';
import { LatchErrorEvent } from '../../events.js';

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
 */
export class LatchProvider extends LitElement {
  @property({ attribute: 'api-base' }) apiBase = '';
  @property({ attribute: 'application-id' }) applicationId = '';
  @property({ attribute: 'application-token' }) applicationToken = '';
  /** Per-request timeout in milliseconds. */
  @property({ type: Number }) timeout = 15_000;
  /** Platform config to use instead of fetching it. */
  @property({ attribute: false }) config?: unknown;
  /** A client to use instead of one built from the attributes. */
  @property({ attribute: false }) client?: LatchClient;

  private readonly provider = new ContextProvider(this, { context: storeContext });

  protected override createRenderRoot(): HTMLElement {
    // Children stay where the page put them; nothing is rendered.
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Display as if the wrapper were not there, so it never changes the page's layout.
    this.style.display = 'contents';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.provider.value?.dispose();
    this.provider.setValue(undefined);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const transport = ['apiBase', 'applicationId', 'applicationToken', 'timeout', 'client'] as const;
    let store = this.provider.value;
    if (!store || transport.some((key) => changed.has(key))) {
      store?.dispose();
      store = new LatchStore(
        this.client ??
          new LatchClient({
            apiBase: this.apiBase,
            applicationId: this.applicationId,
            applicationToken: this.applicationToken || undefined,
            timeoutMs: this.timeout,
          }),
      );
      store.onError = (detail) => this.dispatchEvent(new LatchErrorEvent(detail));
      if (this.config !== undefined) store.useConfig(this.config);
      else store.start();
      this.provider.setValue(store);
    } else if (changed.has('config') && this.config !== undefined) {
      store.useConfig(this.config);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'latch-provider': LatchProvider;
  }
}
