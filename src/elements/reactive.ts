/**
 * A minimal reactive base for latch's light-DOM elements, built on lit-html's `render`.
 *
 * Why not LitElement: every latch element renders into light DOM (password managers, label and
 * ARIA links) and adopts one shared stylesheet, so LitElement's shadow-root and style machinery is
 * dead weight, and the size budget (20 kB brotli for the whole sign-in widget, Lit and zod/mini
 * included) cannot afford it. This keeps LitElement's contract where latch uses it: `static
 * properties` (attribute, type, state), batched async updates, `willUpdate` / `render` / `updated`,
 * `updateComplete`, `addController` (the store context is the community protocol written out in
 * context/context.ts).
 */
import { render } from 'lit/html.js';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface PropertyOptions {
  /** Attribute name, or false for a property only. Default: the property name in lower case. */
  attribute?: string | false;
  type?: typeof Number | typeof Boolean | typeof String;
  /** Internal reactive state: no attribute. */
  state?: boolean;
}
export type PropertyDeclarations = Record<string, PropertyOptions>;
export type PropertyValues = Map<PropertyKey, unknown>;

const finalized = new WeakSet<typeof ReactiveLight>();

export abstract class ReactiveLight extends HTMLElement implements ReactiveControllerHost {
  static properties: PropertyDeclarations = {};
  /** attribute name -> property name, and every declaration including inherited ones, per class */
  private static attributeMap?: Map<string, string>;
  private static declarations: PropertyDeclarations = {};

  static get observedAttributes(): string[] {
    this.finalize();
    return [...this.attributeMap!.keys()];
  }

  /** Defines an accessor per declared property (and the attribute map) once per class. */
  protected static finalize(): void {
    if (finalized.has(this)) return;
    finalized.add(this);
    const parent = Object.getPrototypeOf(this) as typeof ReactiveLight;
    if (parent.finalize) parent.finalize();
    this.attributeMap = new Map(parent.attributeMap);
    this.declarations = { ...parent.declarations, ...this.properties };
    for (const [name, options] of Object.entries(this.properties)) {
      if (!options.state && options.attribute !== false) this.attributeMap.set(options.attribute ?? name.toLowerCase(), name);
      if (Object.prototype.hasOwnProperty.call(this.prototype, name)) continue;
      Object.defineProperty(this.prototype, name, {
        get(this: ReactiveLight) {
          return this.#values.get(name);
        },
        set(this: ReactiveLight, value: unknown) {
          const old = this.#values.get(name);
          if (Object.is(old, value)) return;
          this.#values.set(name, value);
          this.requestUpdate(name, old);
        },
        configurable: true,
      });
    }
  }

  readonly #values = new Map<string, unknown>();
  #changed: PropertyValues = new Map();
  #scheduled?: Promise<boolean>;
  #connectedOnce = false;
  /** Reactive controllers (LitElement's contract): told when the host connects, updates and leaves. */
  readonly #controllers = new Set<ReactiveController>();

  constructor() {
    super();
    (this.constructor as typeof ReactiveLight).finalize();
  }

  connectedCallback(): void {
    this.#connectedOnce = true;
    for (const controller of this.#controllers) controller.hostConnected?.();
    this.requestUpdate();
  }

  disconnectedCallback(): void {
    for (const controller of this.#controllers) controller.hostDisconnected?.();
  }

  addController(controller: ReactiveController): void {
    this.#controllers.add(controller);
    // Like LitElement: only once connectedCallback has run. An element upgraded in place is already
    // connected while its constructor adds controllers; connectedCallback tells them right after.
    if (this.#connectedOnce && this.isConnected) controller.hostConnected?.();
  }

  removeController(controller: ReactiveController): void {
    this.#controllers.delete(controller);
  }

  attributeChangedCallback(attribute: string, _old: string | null, value: string | null): void {
    const ctor = this.constructor as typeof ReactiveLight;
    const name = ctor.attributeMap!.get(attribute)!;
    const type = ctor.declarations[name].type;
    (this as unknown as Record<string, unknown>)[name] =
      type === Boolean ? value !== null : type === Number ? (value === null ? null : Number(value)) : value;
  }

  /** Schedules one render for everything changed in this task. */
  requestUpdate(name?: PropertyKey, old?: unknown): void {
    if (name !== undefined && !this.#changed.has(name)) this.#changed.set(name, old);
    this.#scheduled ??= Promise.resolve().then(() => this.#performUpdate());
  }

  /** Resolves after the pending render (and any it caused) has happened. */
  get updateComplete(): Promise<boolean> {
    return (this.#scheduled ?? Promise.resolve(true)).then(() => (this.#scheduled ? this.updateComplete : true));
  }

  #performUpdate(): boolean {
    // Like LitElement, nothing renders before the element has been on a page.
    if (!this.#connectedOnce) {
      this.#scheduled = undefined;
      return false;
    }
    const changed = this.#changed;
    this.#changed = new Map();
    for (const controller of this.#controllers) controller.hostUpdate?.();
    this.willUpdate(changed);
    render(this.render(), this);
    this.#scheduled = undefined;
    for (const controller of this.#controllers) controller.hostUpdated?.();
    this.updated(changed);
    return true;
  }

  protected willUpdate(_changed: PropertyValues): void {}
  protected updated(_changed: PropertyValues): void {}
  protected abstract render(): unknown;
}
