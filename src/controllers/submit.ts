/**
 * The one submit path of every latch form, as a reactive controller: it keeps what was typed,
 * validates it with a zod/mini schema, runs the request (one form request at a time; a new run
 * aborts what is left of the previous one), tracks what is pending and which control is busy, and
 * turns a failure into a message where the shopper looks for it: at the fields, in the alert line,
 * or as the 429 wait on the element's CountdownController. Every failure fires `latch-error` on the
 * host. Elements reach it through FormElement's protected members, which delegate here.
 *
 * The running part is a `@lit/task` Task (`autoRun: false`): it gives each run its AbortSignal,
 * aborts the previous run when a new one starts, and asks the host to render when a run starts and
 * ends. Failures are told here, inside the task, because only the run knows its form and its
 * `latch-error` action; the Task itself never ends in its ERROR state.
 */
import { fieldMessageFor, messageKeyFor } from '../i18n/errors.js';
import { Task } from '@lit/task';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type * as z from 'zod/mini';
import { LatchApiError, isAbort, toApiError } from '../api/errors.js';
import { toErrorDetail } from '../context/store.js';
import { LatchErrorEvent, type LatchErrorDetail } from '../events.js';
import type { MessageKey } from '../i18n/en.js';
import { focusFirstInvalid, formValues, validate } from '../ui/form.js';
import type { CaptchaController } from './captcha.js';
import type { CountdownController } from './countdown.js';

/** What a failure is reported as in `latch-error`'s `detail.action`. */
export type ErrorAction = LatchErrorDetail['action'];
/** A form's action: the valid data (with the captcha's answer when the form has one) and the run's signal. */
export type SubmitAction<T> = (data: T & { captcha_code?: string }, signal: AbortSignal) => Promise<unknown>;
/** A submit handler from `handler()`; `fixed` tells whether a field's value now passes the form's rules. */
export type SubmitHandler = ((event: SubmitEvent) => Promise<void>) & { fixed?: (form: HTMLFormElement, name: string) => boolean };

/** Used when a 429 comes without a readable `Retry-After` (for example cross-origin without exposure). */
export const DEFAULT_RETRY_SECONDS = 30;
/** The countdown's name for the 429 wait. */
const RETRY = 'retry';

/** Never trimmed, never kept between steps. */
export const SECRET = /password|otp/;


/** What the controller asks its element: words, and the element's say in a failure. */
export interface SubmitSettings {
  /** A message in the element's language. */
  t(key: MessageKey, params?: Record<string, string | number>): string;
  /** Seconds as "2 minutes", in the element's language. */
  duration(seconds: number): string;
  /** A calendar date (a limit a field problem names), in the element's language. */
  date(value: Date): string;
  /** The captcha forms with `withCaptcha` read their answer from, and reload after each try. */
  captcha?: CaptchaController;
  /** Keeps a typed, non-secret value for later steps. */
  remember?(name: string, value: string): void;
  /** Handles a failure first (not a 429); true when it is dealt with. */
  handleFailure?(error: LatchApiError, form?: HTMLFormElement): boolean;
  /** Told after a 429 was turned into the wait, for what the element adds (another way in). */
  limited?(error: LatchApiError): void;
  /** The alert line for a failure that is not about the shopper's input (default: `describe`). */
  describe?(error: LatchApiError): string;
  /** While the rules that read the service's field problems are still loading: the promise of their arrival. */
  fieldRules?(): Promise<unknown> | undefined;
}

type Host = ReactiveControllerHost & HTMLElement;

/** One run: what to do, what it is reported as, where its failure is told, and which control shows it. */
interface Run {
  action: (signal: AbortSignal) => Promise<unknown>;
  errorAction: ErrorAction;
  form?: HTMLFormElement;
  /** A control's name: only that control shows progress, the forms stay usable. */
  busy?: string;
  /** Runs when the run is over, however it ended. */
  after?: () => void;
}

export class SubmitController implements ReactiveController {
  /** The request of the run in flight; aborted when a new run starts, on `abort()`, and when the host leaves the page. */
  request?: AbortController;

  readonly #host: Host;
  readonly #countdown: CountdownController;
  readonly #settings: SubmitSettings;
  readonly #task: Task<[Run], void>;
  #run?: Run;
  #pending = false;
  #busy?: string;
  #fieldErrors: Record<string, string> = {};
  #formError?: string;
  #notice?: string;
  #retryUntil = 0;

  constructor(host: Host, countdown: CountdownController, settings: SubmitSettings) {
    this.#host = host;
    this.#countdown = countdown;
    this.#settings = settings;
    host.addController(this);
    this.#task = new Task<[Run], void>(host, {
      autoRun: false,
      task: ([run], { signal }) => this.#perform(run, signal),
    });
  }

  // ---- state (each change renders the host) ---------------------------------------------

  /** A form's request is running (or the element said so itself, for work outside this controller). */
  get pending(): boolean {
    return this.#pending || (this.#running && !this.#run?.busy);
  }
  set pending(value: boolean) {
    this.#pending = value;
    this.#host.requestUpdate();
  }

  /** The control a run outside the forms was started from (a provider's name), while it runs. */
  get busy(): string | undefined {
    return this.#busy ?? (this.#running ? this.#run?.busy : undefined);
  }
  set busy(value: string | undefined) {
    this.#busy = value;
    this.#host.requestUpdate();
  }

  /** Localized messages shown at fields, by control name. */
  get fieldErrors(): Record<string, string> {
    return this.#fieldErrors;
  }
  set fieldErrors(value: Record<string, string>) {
    this.#fieldErrors = value;
    this.#host.requestUpdate();
  }

  /** The alert line: what went wrong. */
  get formError(): string | undefined {
    return this.#formError;
  }
  set formError(value: string | undefined) {
    this.#formError = value;
    this.#host.requestUpdate();
  }

  /** The status line: what happened ("We sent a code to ..."). */
  get notice(): string | undefined {
    return this.#notice;
  }
  set notice(value: string | undefined) {
    this.#notice = value;
    this.#host.requestUpdate();
  }

  /** When a 429 lifts (ms since epoch); form submits are refused until then. */
  get retryUntil(): number {
    return this.#retryUntil;
  }
  set retryUntil(value: number) {
    this.#retryUntil = value;
    this.#host.requestUpdate();
  }

  /** Whole seconds left of a 429 wait (0 when there is none). */
  get wait(): number {
    return this.#countdown.secondsUntil(this.#retryUntil);
  }

  /** True while a form may not be sent: its request runs, or a 429 wait is on. */
  get waiting(): boolean {
    return this.pending || this.wait > 0;
  }

  /**
   * True from a run's start until its failure is told; ends with the run's last synchronous step
   * (not when the Task settles a tick later), so whoever hears `latch-error` sees the form usable.
   */
  get #running(): boolean {
    return this.#run !== undefined;
  }

  // ---- running ---------------------------------------------------------------------------

  /**
   * A form's submit handler: keep values, validate (messages at the fields and focus on the first
   * problem, nothing sent), then run `action` with the valid data. Ignored while a form request runs
   * or a 429 wait is on; a run of a control (a provider's window) is aborted for it.
   */
  handler<T>(schema: z.ZodMiniType<T>, action: SubmitAction<T>, errorAction: ErrorAction, withCaptcha = false): SubmitHandler {
    const handler: SubmitHandler = async (event: SubmitEvent) => {
      event.preventDefault();
      const form = event.currentTarget as HTMLFormElement;
      if (this.waiting) return;
      // A revealed password is hidden again once it is sent (it would stay on screen after an error).
      for (const toggle of form.querySelectorAll<HTMLButtonElement>('[aria-pressed="true"]')) toggle.click();
      const values = formValues(form);
      for (const [name, value] of Object.entries(values)) {
        if (SECRET.test(name)) continue;
        values[name] = value.trim();
        this.#settings.remember?.(name, values[name]);
      }
      const result = validate(schema, values);
      const errors: Record<string, string> = {};
      for (const [name, key] of Object.entries(result.errors ?? {})) errors[name] = this.#settings.t(key!);
      const captcha = withCaptcha ? this.#settings.captcha?.token(values) : undefined;
      if (captcha === null) errors.captcha = this.#settings.t('captcha.required');
      if (!result.data || Object.keys(errors).length) {
        this.fieldErrors = errors;
        this.formError = this.#settings.t('form.summary');
        await this.#host.updateComplete;
        focusFirstInvalid(form);
        return;
      }
      this.fieldErrors = {};
      this.formError = undefined;
      this.notice = undefined;
      const data = { ...result.data, ...(captcha ? { captcha_code: captcha } : {}) };
      await this.#start({
        action: (signal) => action(data, signal),
        errorAction,
        form,
        // A captcha answer is single use, right or wrong: a new challenge after each try.
        after: withCaptcha ? () => void this.#settings.captcha?.load(true) : undefined,
      });
    };
    // A field's message goes as soon as what is typed there passes the same rules.
    handler.fixed = (form, name) => {
      const values = formValues(form);
      if (name === 'captcha') return Boolean(values.captcha?.trim());
      for (const key of Object.keys(values)) if (!SECRET.test(key)) values[key] = values[key].trim();
      return !validate(schema, values).errors?.[name];
    };
    return handler;
  }

  /**
   * Runs one request outside a form (resend, a provider): ignored while another runs. Pending shows
   * on the forms, or with `busy` only on the control that started it. A failure is told at the
   * host's first form.
   */
  run(action: (signal: AbortSignal) => Promise<unknown>, errorAction: ErrorAction, busy?: string): Promise<void> {
    if (this.pending || this.busy) return Promise.resolve();
    this.formError = undefined;
    return this.#start({ action, errorAction, busy });
  }

  /** Abandons the run in flight (the shopper left its step): its request is aborted and nothing is said about it. */
  abort(): void {
    this.request?.abort();
    this.#task.abort();
    if (this.#run) {
      this.#run = undefined;
      this.#host.requestUpdate();
    }
  }

  /** Ends a 429 wait early (another way in does not count against it). */
  clearWait(): void {
    this.#countdown.cancel(RETRY);
    this.retryUntil = 0;
  }

  async #start(run: Run): Promise<void> {
    this.#run = run;
    await this.#task.run([run]);
  }

  async #perform(run: Run, signal: AbortSignal): Promise<void> {
    const request = (this.request = new AbortController());
    // The Task aborts its signal when a newer run starts; `abort()` and the host leaving abort ours.
    const stop = () => request.abort();
    signal.addEventListener('abort', stop, { once: true });
    try {
      // Ends as soon as the run is aborted, even when the action does not listen to its signal.
      await untilAborted(run.action(request.signal), request.signal);
    } catch (error) {
      // Told before the run ends, in the same step as a rule (whoever hears latch-error sees the form
      // usable); only words that must load first keep the form pending meanwhile.
      const telling = request.signal.aborted ? undefined : this.fail(run.form ?? this.#host.querySelector('form') ?? undefined, error, run.errorAction);
      if (telling) await telling;
    } finally {
      signal.removeEventListener('abort', stop);
      if (this.#run === run) {
        this.#run = undefined;
        this.#host.requestUpdate();
      }
      run.after?.();
    }
  }

  // ---- failures --------------------------------------------------------------------------

  /**
   * Tells the shopper what went wrong, where it belongs; fires `latch-error`. Aborts stay silent.
   * Returns a promise only while the words for a field problem are still loading (see `fieldRules`).
   */
  fail(form: HTMLFormElement | undefined, error: unknown, action: ErrorAction): Promise<void> | undefined {
    if (isAbort(error)) return;
    const { t } = this.#settings;
    const apiError = toApiError(error);
    this.#host.dispatchEvent(new LatchErrorEvent(toErrorDetail(action, apiError)));
    if (apiError.kind === 'http' && apiError.status === 429) {
      const seconds = apiError.retryAfter ?? DEFAULT_RETRY_SECONDS;
      this.retryUntil = this.#countdown.refresh() + seconds * 1000;
      this.#countdown.until(RETRY, this.retryUntil, () => {
        this.retryUntil = 0;
        this.formError = undefined;
        this.notice = t('error.canRetry');
      });
      // Said once with the wait; the ticking countdown is not a live region.
      this.formError = t('error.rateLimited', { time: this.#settings.duration(seconds) });
      this.#settings.limited?.(apiError);
      return;
    }
    if (this.#settings.handleFailure?.(apiError, form)) return;
    const code = apiError.kind === 'http' ? (apiError.code ?? '') : '';
    // Field problems the service names (`meta.fields`: path -> text) go to the same fields, in
    // words by the rule that failed (`fieldMessage`); the service's text stays in latch-error.
    // The service's verdict on a password (PASSWORD_TOO_SHORT, ...) goes next to the password field, like a check made here;
    // its words come from the one error table (i18n/errors.ts).
    const key = messageKeyFor(apiError);
    const problems = Object.entries(apiError.fields ?? {}).map(([path, problem]) => [path.replace('phone.', ''), problem] as const);
    const names = problems.map(([name]) => name);
    if (code.startsWith('PASSWORD_')) names.push('password');
    const shown = names.filter((name) => form?.elements.namedItem(name));
    if (shown.length) {
      const tell = () => {
        // The shopper has left that form (another step) meanwhile: nothing to point at any more.
        if (!form!.isConnected) return;
        const named: Record<string, string> = {};
        for (const [name, problem] of problems) named[name] = this.fieldMessage(name, problem);
        if (code.startsWith('PASSWORD_')) named.password = t(key);
        this.fieldErrors = Object.fromEntries(shown.map((name) => [name, named[name]]));
        this.formError = t('form.summary');
        void this.#host.updateComplete.then(() => focusFirstInvalid(form!));
      };
      // The rules that word a field problem may still be on their way (a first screen loads them
      // on demand): told once they are here, never as "Check this field" for want of them.
      const rules = problems.length ? this.#settings.fieldRules?.() : undefined;
      if (rules) return rules.then(tell);
      tell();
      return;
    }
    // Only secrets are cleared after a wrong answer; everything else the shopper typed stays.
    const secret = key === 'error.credentials' ? 'password' : key?.startsWith('error.code') ? 'otp' : undefined;
    const input = secret ? (form?.elements.namedItem(secret) as HTMLInputElement | null) : null;
    if (input) {
      input.value = '';
      input.focus();
    }
    this.formError = (this.#settings.describe ?? ((e: LatchApiError) => this.describe(e)))(apiError);
  }

  /**
   * The words at field `name` for a problem the service named there (`problem`, its text): by the
   * rule that failed, its limit formatted in the element's language, or "Check this field" for a
   * rule latch does not know. Never the service's own text.
   */
  fieldMessage(name: string, problem: string): string {
    const { key, params } = fieldMessageFor(name, problem);
    const date = params?.date;
    return this.#settings.t(key, date instanceof Date ? { date: this.#settings.date(date) } : (params as Record<string, number>));
  }

  /** What a shopper is told for a failure that is not about their input. */
  describe(error: LatchApiError): string {
    // By kind, code and status (i18n/errors.ts); the service's own text stays in latch-error.
    return this.#settings.t(messageKeyFor(error));
  }

  /** Takes a field's message away once its value passes; the summary goes with the last one. */
  clearFixed(target: HTMLInputElement, onSubmit: SubmitHandler | ((event: SubmitEvent) => void)): void {
    const name = target.name;
    if (!this.fieldErrors[name] || !target.form || !('fixed' in onSubmit) || !onSubmit.fixed?.(target.form, name)) return;
    const { [name]: _fixed, ...rest } = this.fieldErrors;
    this.fieldErrors = rest;
    if (!Object.keys(rest).length && this.formError === this.#settings.t('form.summary')) this.formError = undefined;
  }

  hostDisconnected(): void {
    this.abort();
  }
}

/** `work`, or a rejection as soon as `signal` aborts (a late answer of an abandoned run is dropped). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const aborted = () => reject(new DOMException('The run was abandoned', 'AbortError'));
    if (signal.aborted) aborted();
    signal.addEventListener('abort', aborted, { once: true });
    work.then(resolve, reject);
  });
}
