/**
 * What every latch element shares: light-DOM rendering (password managers and label/ARIA links
 * need the inputs in the page's own tree), the shared stylesheet, the common attributes, the store
 * from `<latch-provider>` or one of its own, localized messages and `latch-error`.
 */
import { LitElement, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { ContextConsumer } from '@lit/context';
import { LatchClient } from '../api/client.js';
import type { LatchApiError } from '../api/errors.js';
import { storeContext } from '../context/context.js';
import { LatchStore, toErrorDetail } from '../context/store.js';
import { LatchErrorEvent, type LatchErrorDetail } from '../events.js';
import { langOf, translate, type MessageKey } from '../i18n/localize.js';
import { adoptLatchStyles } from '../ui/styles.js';

let idCounter = 0;

export abstract class LatchElement extends LitElement {
  /** Origin (and optional path) of the user service. Default: the page's own origin. */
  @property({ attribute: 'api-base' }) apiBase = '';
  @property({ attribute: 'application-id' }) applicationId = '';
  /** Sent as the service expects (`Authorization: Bearer base64(id:token)`); optional. */
  @property({ attribute: 'application-token' }) applicationToken = '';
  /** Per-request timeout in milliseconds. */
  @property({ type: Number }) timeout = 15_000;
  /** Platform config to use instead of fetching it from the service. */
  @property({ attribute: false }) config?: unknown;
  /** A client to use instead of one built from the attributes (tests, custom transports). */
  @property({ attribute: false }) client?: LatchClient;

  /** Unique per instance, so two widgets on one page never share element ids. */
  protected readonly uid = `latch-${++idCounter}`;
  protected store?: LatchStore;
  private ownStore = false;
  private readonly onStoreChange = () => this.requestUpdate();

  constructor() {
    super();
    new ContextConsumer(this, {
      context: storeContext,
      subscribe: true,
      callback: (store) => this.attach(store),
    });
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    adoptLatchStyles(this.getRootNode());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.ownStore) {
      this.store?.dispose();
      this.store?.removeEventListener('change', this.onStoreChange);
      this.store = undefined;
      this.ownStore = false;
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const transport = ['apiBase', 'applicationId', 'applicationToken', 'timeout', 'client'] as const;
    if (this.ownStore && transport.some((key) => changed.has(key))) this.detachOwnStore();
    if (!this.store) {
      // No provider answered the context request: this element works on its own.
      this.ownStore = true;
      this.attach(new LatchStore(this.client ?? this.buildClient()));
      this.store!.onError = (detail) => this.fireError(detail);
    }
    if (this.ownStore) {
      if (changed.has('config') && this.config !== undefined) this.store!.useConfig(this.config);
      else this.store!.start();
    }
  }

  private detachOwnStore(): void {
    this.store?.dispose();
    this.store?.removeEventListener('change', this.onStoreChange);
    this.store = undefined;
  }

  private attach(store: LatchStore | undefined): void {
    if (store === this.store) return;
    this.store?.removeEventListener('change', this.onStoreChange);
    this.store = store;
    store?.addEventListener('change', this.onStoreChange);
    this.requestUpdate();
  }

  private buildClient(): LatchClient {
    return new LatchClient({
      apiBase: this.apiBase,
      applicationId: this.applicationId,
      applicationToken: this.applicationToken || undefined,
      timeoutMs: this.timeout,
    });
  }

  protected t(key: MessageKey, params?: Record<string, string | number>): string {
    return translate(langOf(this), key, params);
  }

  protected fireError(detail: LatchErrorDetail): void {
    this.dispatchEvent(new LatchErrorEvent(detail));
  }

  protected reportError(action: LatchErrorDetail['action'], error: LatchApiError): void {
    this.fireError(toErrorDetail(action, error));
  }
}
