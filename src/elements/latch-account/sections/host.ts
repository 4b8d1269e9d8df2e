/**
 * The typed context every section of `<latch-account>` works through. A section is a small class
 * (one module in this folder) that holds its own state and renders its part of the page; what all
 * sections share (one request at a time across the page, the messages of the section that acted,
 * drafts kept through a lost session, the building blocks of fields and buttons, focus after a
 * render) stays in the element, which hands it over as a `SectionHost`.
 *
 * Why classes behind a context rather than one element per section: the page is ONE form surface
 * for the shopper (one pending action, one 429 wait, one store and shopper); separate elements would
 * each need their own copy of that and a way to keep it in step. A section only sees this interface,
 * never the element's private members, so a section can be read, tested and changed on its own.
 */
import type { nothing, TemplateResult } from 'lit/html.js';
import type * as z from 'zod/mini';
import type { LatchApiError } from '../../../api/errors.js';
import type { User } from '../../../api/schemas.js';
import type { LatchStore } from '../../../context/store.js';
import type { MessageKey } from '../../../i18n/en.js';
import type { FieldSpec } from '../../../ui/form.js';

/** A part of the page where an action's messages show; also the `action` of the `latch-error` it fires. */
export type Section = 'profile' | 'contact' | 'password' | 'sessions' | 'attributes';

/** An input's type and the limits the browser itself checks (numbers, or dates as YYYY-MM-DD). */
export interface InputLimits {
  type: string;
  step?: string;
  min?: string;
  max?: string;
}

export interface SectionHost {
  readonly store: LatchStore;
  /** The language the messages are shown in (an `Intl` locale), for dates and numbers. */
  readonly lang: string;
  /** A request is running, or a 429 wait is on: every action waits. */
  readonly waiting: boolean;
  readonly fieldErrors: Record<string, string>;
  /** Unsaved values of the drafted forms, by control name. */
  readonly drafts: Record<string, string>;

  t(key: MessageKey, params?: Record<string, string | number>): string;
  fid(name: string): string;
  duration(seconds: number): string;
  requestUpdate(): void;
  dispatchEvent(event: Event): boolean;

  /** Says what happened in the section that acted (its status region). */
  say(notice: string): void;
  /** Moves focus after the next render to the element of this id (without the uid prefix). */
  focusAfterRender(id: string): void;
  /** Clears what the last action said. */
  clearMessages(): void;
  /** Runs one request, one at a time; a failure is told in `section` (at the fields of `form`, if any). */
  run(section: Section, name: string, work: (signal: AbortSignal) => Promise<unknown>, form?: HTMLFormElement): Promise<void>;
  /** The shared submit path (validation, pending, failures at fields), its messages shown in `section`. */
  submit<T>(section: Section, schema: z.ZodMiniType<T>, action: (data: T, signal: AbortSignal) => Promise<unknown>): (event: SubmitEvent) => void;
  /** Drops the drafts of a saved form, and shares a saved user with the page and the host. */
  saved(form?: string, user?: User): void;
  /** This element's form of that name. */
  formNamed(name: string): HTMLFormElement | null;

  // Building blocks, the same in every section.
  section(section: Section | 'delete', title: MessageKey, body: unknown): TemplateResult;
  loadingOr(section: Section): TemplateResult;
  field(name: string, label: MessageKey, stored?: string, spec?: Partial<FieldSpec>): TemplateResult;
  passwordField(name: string, label: MessageKey, autocomplete: string): TemplateResult;
  /** A select of `[value, text]` options, or an input with these limits; `hint` is linked to it. */
  control(name: string, label: string, value: string, kind: [string, string][] | InputLimits, hint?: string): TemplateResult;
  button(label: MessageKey, name: string, onClick?: () => void, modifier?: string, describedBy?: string): TemplateResult;
  cancel(leave: () => void, focus: string): TemplateResult;
  /**
   * A form whose submit button is the section's one primary (filled) button; `secondary` draws it
   * outlined instead, when another form of the section (a password prompt) holds the primary action.
   */
  form(name: string, fields: unknown, submit: MessageKey, onSubmit: (event: SubmitEvent) => void, extra?: unknown, secondary?: boolean): TemplateResult;
  username(user: User): TemplateResult;
  badge(key: MessageKey): TemplateResult;
}

/** What every section is to the element: it renders, forgets on a change of shopper, and may load and take failures. */
export interface AccountSection {
  /** Where its messages and load failures show. */
  readonly name: Section | 'delete';
  render(user: User): TemplateResult | typeof nothing;
  /** A different (or no) shopper: forget everything. */
  reset(): void;
  /** What the section needs from the service beyond the user. */
  load?(signal: AbortSignal): Promise<void>;
  /** Handles a failure first (a dead code, a wrong password); true when dealt with. */
  handleFailure?(error: LatchApiError, form?: HTMLFormElement): boolean;
}

export function primaryEmail(user: User): string {
  return user.emails?.find((e) => e.primary)?.email ?? user.emails?.[0]?.email ?? user.username ?? '';
}
