/**
 * What every latch element shares: light-DOM rendering (password managers and label/ARIA links
 * need the inputs in the page's own tree), the shared stylesheet, the common attributes, the store
 * from `<latch-provider>` or one of its own, localized messages and `latch-error`.
 * The elements are `LitElement`s rendering into light DOM (no shadow root); properties are declared
 * with `static properties`, and the store arrives through `@lit/context`.
 */
import { ContextConsumer } from '@lit/context';
import { LitElement, type PropertyDeclarations, type PropertyValues } from 'lit';
import { LatchClient } from '../api/client.js';
import { toApiError } from '../api/errors.js';
import { storeContext } from '../context/store-context.js';
import { LatchStore, toErrorDetail } from '../context/store.js';
import { LatchErrorEvent, type LatchErrorDetail } from '../events.js';
import { langOf, translate, type MessageKey } from '../i18n/localize.js';
import { adoptLatchStyles } from '../ui/styles.js';
import { PRIMARY_PROPERTIES, primaryProperties } from '../config/color.js';

let idCounter = 0;

const CONNECTION = ['apiBase', 'applicationId', 'applicationToken', 'timeout', 'client', 'configScript'];

export interface Connection {
  apiBase: string;
  applicationId: string;
  applicationToken: string;
  timeout: number;
  config?: unknown;
  configScript?: string;
  client?: LatchClient;
}

/** A store for these connection settings, with the inline config when there is one. */
export function storeFor(c: Connection, onError: (detail: LatchErrorDetail) => void): LatchStore {
  const store = new LatchStore(
    c.client ??
      new LatchClient({
        apiBase: c.apiBase,
        applicationId: c.applicationId,
        applicationToken: c.applicationToken || undefined,
        timeoutMs: c.timeout > 0 ? c.timeout : undefined,
      }),
  );
  store.onError = onError;
  if (c.config !== undefined) store.useConfig(c.config);
  else if (c.configScript) store.useEmbeddedConfig(c.configScript);
  else store.start();
  return store;
}

const clientIds = new WeakMap<LatchClient, number>();
let clientCount = 0;
/** Identifies a connection's settings, so a store is rebuilt only when they really changed. */
export function connectionKey(c: Connection): string {
  if (c.client && !clientIds.has(c.client)) clientIds.set(c.client, ++clientCount);
  return [c.apiBase, c.applicationId, c.applicationToken, c.timeout, c.configScript ?? '', c.client ? clientIds.get(c.client) : ''].join('|');
}

/** True when a connection setting may have changed. */
export const connectionChanged = (changed: PropertyValues): boolean => CONNECTION.some((key) => changed.has(key));

/** The connection attributes, shared by the elements and `<latch-provider>`. */
export abstract class ConnectedElement extends LitElement implements Connection {
  // Written out here (not a shared constant) so the manifest analyzer documents the attributes.
  static override properties: PropertyDeclarations = {
    apiBase: { attribute: 'api-base' },
    applicationId: { attribute: 'application-id' },
    applicationToken: { attribute: 'application-token' },
    timeout: { type: Number },
    config: { attribute: false },
    configScript: { attribute: 'config-script' },
    client: { attribute: false },
    theme: { reflect: true },
  };

  /** Origin (and optional path) of the user service. Default: the page's own origin. */
  apiBase = '';
  /** The application id; sent as `?platform=` where the contract takes it. */
  applicationId = '';
  /** Sent as the service expects (`Authorization: Bearer base64(id:token)`); optional. */
  applicationToken = '';
  /** Per-request timeout in milliseconds. */
  timeout = 15_000;
  /** Platform config to use instead of fetching it from the service. */
  config?: unknown;
  /**
   * Id of a `<script type="application/json">` in the page holding the platform config, used
   * (after the same checks as a fetched one) instead of fetching it: no request before first input.
   */
  configScript = '';
  /** A client to use instead of one built from the attributes (tests, custom transports). */
  client?: LatchClient;
  /**
   * `light`, `dark` or `auto` (follows `prefers-color-scheme`); the stylesheet turns it into the
   * element's `color-scheme`, which its content inherits. Unset: inherited from the nearest themed
   * ancestor (such as `<latch-provider theme>`) or the page's own `color-scheme`, else light, so a
   * widget never turns dark on a light store page by itself. A store's `--latch-*` tokens win over either palette.
   */
  theme?: 'light' | 'dark' | 'auto';

  /**
   * Light DOM: password managers, `<label for>` and ARIA links need the inputs in the page's own
   * tree. Styles are adopted into the element's root node instead (see LatchElement).
   */
  protected override createRenderRoot(): HTMLElement {
    return this;
  }
}

export abstract class LatchElement extends ConnectedElement {
  /** Rules of this element alone, adopted beside the shared stylesheet. @internal */
  static ownStyles?: string;

  /** Unique per instance, so two widgets on one page never share element ids. */
  protected readonly uid = `latch-${++idCounter}`;
  protected store?: LatchStore;
  /** The store this element made itself because no provider answered; released only when replaced. */
  #ownStore?: LatchStore;
  #ownKey?: string;
  readonly #onStoreChange = () => this.requestUpdate();

  constructor() {
    super();
    // Asks the nearest provider for its store on every connect (answered at once when there is one,
    // before the first render, so no store of its own is made) and follows it until disconnected.
    new ContextConsumer(this, { context: storeContext, subscribe: true, callback: (store) => this.#attach(store) });
    // A controller rather than `updated()`, which subclasses override: runs after every render.
    this.addController({ hostUpdated: () => this.#applyColors() });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    adoptLatchStyles(this.getRootNode());
    const own = (this.constructor as typeof LatchElement).ownStyles;
    if (own) adoptLatchStyles(this.getRootNode(), own);
    // After a move (dialog, portal, teleport) the element must render and work again.
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    // The consumer has already let go of the provider (controllers disconnect first).
    super.disconnectedCallback();
    // A provided store stays the provider's; found again (or not) on the next connect.
    if (this.store !== this.#ownStore) this.#attach(undefined);
  }

  protected override willUpdate(changed: PropertyValues): void {
    // Off the page nothing is fetched; a store is made when the element is connected again.
    if (!this.isConnected) return;
    const provided = this.store && this.store !== this.#ownStore;
    if (provided) return;
    const key = connectionKey(this);
    if (!this.#ownStore || (connectionChanged(changed) && key !== this.#ownKey)) {
      this.#ownStore?.dispose();
      this.#ownKey = key;
      this.#ownStore = storeFor(this, (detail) => this.fireError(detail));
      this.#attach(this.#ownStore);
    } else if (changed.has('config') && this.config !== undefined) {
      this.#ownStore.useConfig(this.config);
    }
  }

  #attach(store: LatchStore | undefined): void {
    if (store === this.store) return;
    if (store && store !== this.#ownStore && this.#ownStore) {
      // A provider arrived after this element started on its own: share the provider's.
      this.#ownStore.dispose();
      this.#ownStore = undefined;
    }
    this.store?.removeEventListener('change', this.#onStoreChange);
    this.store = store;
    store?.addEventListener('change', this.#onStoreChange);
    this.requestUpdate();
  }

  /**
   * Fetches the platform config again, for a page that knows it changed (an admin tool, a message
   * from another tab). The form on screen stays until the new config arrives.
   */
  refreshConfig(): Promise<void> {
    return this.store?.refreshConfig() ?? Promise.resolve();
  }

  /** Puts the config's primary colour (made readable for both themes) on the rendered root. */
  #applyColors(): void {
    const root = this.querySelector<HTMLElement>(':scope > .latch-root');
    const config = this.store?.config;
    const colors = primaryProperties(config?.status === 'ready' ? config.config.look_and_feel : undefined);
    // Through the CSSOM, never a `style` attribute (CSP). Cleared too, for a config that drops its colour.
    for (const name of PRIMARY_PROPERTIES) root?.style.setProperty(name, colors[name] ?? '');
  }

  protected t(key: MessageKey, params?: Record<string, string | number>): string {
    return translate(langOf(this), key, params);
  }

  /** A wait in the element's language: "42 seconds", "15 minutes" (whole minutes from two minutes up). */
  protected duration(seconds: number): string {
    const minutes = seconds >= 120;
    return new Intl.NumberFormat(langOf(this), {
      style: 'unit',
      unit: minutes ? 'minute' : 'second',
      unitDisplay: 'long',
    }).format(minutes ? Math.ceil(seconds / 60) : seconds);
  }

  protected fireError(detail: LatchErrorDetail): void {
    this.dispatchEvent(new LatchErrorEvent(detail));
  }

  protected reportError(action: LatchErrorDetail['action'], error: unknown): void {
    this.fireError(toErrorDetail(action, toApiError(error)));
  }
}
