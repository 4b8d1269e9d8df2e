/**
 * SubmitController on a bare element of the test's own, talking to the real reference service
 * mounted in the test server: validation to fields, pending, a run aborted by the next one,
 * failures told at the right place, the 429 wait on a clock the test moves, and `latch-error`.
 */
import { expect, fixture, html as fixtureHtml, oneEvent } from '@open-wc/testing';
import { LitElement, html, nothing, type TemplateResult } from 'lit';
import * as z from 'zod/mini';
import { LatchClient } from '../../src/api/client.js';
import type { LatchApiError } from '../../src/api/errors.js';
import { CountdownController } from '../../src/controllers/countdown.js';
import { SubmitController, type SubmitHandler } from '../../src/controllers/submit.js';
import type { LatchErrorEvent } from '../../src/events.js';
import { useFieldRules } from '../../src/i18n/errors.js';
import { readFieldProblem } from '../../src/i18n/field-errors.js';
import { translate } from '../../src/i18n/localize.js';
import { field } from '../../src/ui/form.js';
import { email } from '../../src/ui/rules.js';
import { ManualClock } from '../support/clock.js';
import { HOLD, release } from '../support/hold.js';
import { DEMO, alertText, button, fill, input, resetState, served, sessionUser, setConfig, until } from '../support/service.js';

const strict = z.object({ username: email, password: z.string().check(z.regex(/^[^]/, 'password.required')) });
/** Lets anything through, so the service's own verdict on the fields is what the shopper sees. */
const lenient = z.object({ username: z.string(), password: z.string() });

/** The smallest element with a form on the controller: a sign-in form against `api-base`. */
let hosts = 0;

class SubmitHost extends LitElement {
  static override properties = { base: {} };
  base = '';
  /** Ids unique to this element: a label finds its field by id in the whole document. */
  readonly uid = `host-${++hosts}`;
  clock = new ManualClock();
  countdown = new CountdownController(this, this.clock);
  limitedBy: LatchApiError[] = [];
  handled: LatchApiError[] = [];
  /** A code that `handleFailure` takes over (told nowhere by the controller). */
  takeOver = '';
  submission = new SubmitController(this, this.countdown, {
    t: (key, params) => translate('en', key, params),
    duration: (seconds) => `${seconds}s`,
    date: (value) => value.toISOString().slice(0, 10),
    handleFailure: (error) => {
      this.handled.push(error);
      return error.code === this.takeOver;
    },
    limited: (error) => this.limitedBy.push(error),
  });
  schema: z.ZodMiniType<{ username: string; password: string }> = strict;
  signedIn = 0;

  get client(): LatchClient {
    return new LatchClient({ apiBase: this.base });
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  protected override render(): TemplateResult {
    const s = this.submission;
    // Made on each render, as the elements do; the one submit path underneath is the same.
    const login: SubmitHandler = s.handler(this.schema, async (data, signal) => {
      await this.client.loginWithPassword(data, { signal });
      this.signedIn++;
    }, 'login');
    const wait = s.wait;
    return html`<div role="alert">${s.formError ? html`<p>${s.formError}</p>` : nothing}</div>
      <div role="status">${s.notice ?? nothing}</div>
      ${wait ? html`<p>Wait ${wait}s</p>` : nothing}
      <form novalidate @submit=${login} @input=${(event: Event) => s.clearFixed(event.target as HTMLInputElement, login)}>
        ${field({ id: `${this.uid}-username`, name: 'username', label: 'Email', type: 'email', autocomplete: 'username', error: s.fieldErrors.username })}
        ${field({ id: `${this.uid}-password`, name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', error: s.fieldErrors.password })}
        <button aria-disabled=${s.waiting ? 'true' : 'false'} aria-busy=${s.pending ? 'true' : 'false'}>${s.pending ? 'Please wait…' : 'Sign in'}</button>
      </form>
      ${s.busy ? html`<p>Busy: ${s.busy}</p>` : nothing}`;
  }
}
customElements.define('submit-host', SubmitHost);

async function mount(base = ''): Promise<SubmitHost> {
  const el = await fixture<SubmitHost>(fixtureHtml`<submit-host .base=${base}></submit-host>`);
  return el;
}

/** Every `latch-error` the element fires, in order. */
function errorsOf(el: HTMLElement): LatchErrorEvent['detail'][] {
  const seen: LatchErrorEvent['detail'][] = [];
  el.addEventListener('latch-error', (event) => seen.push(event.detail));
  return seen;
}

async function submitWith(el: SubmitHost, username: string, password: string): Promise<void> {
  fill(input(el, 'Email')!, username);
  fill(input(el, 'Password')!, password);
  el.querySelector('form')!.requestSubmit();
  await el.updateComplete;
}

describe('SubmitController', () => {
  // As the on-demand steps and the account elements do when they load.
  before(() => useFieldRules(readFieldProblem));

  beforeEach(async () => {
    await resetState();
    await setConfig({ skip_captcha: true });
  });

  it('puts validation problems at their fields, focuses the first, and sends nothing', async () => {
    const el = await mount();
    const errors = errorsOf(el);
    const sent = await served('/login/password');
    await submitWith(el, 'not-an-email', '');
    await until(() => el.querySelector('[aria-invalid="true"]'), 'the field errors');
    const username = input(el, 'Email')!;
    expect(username.getAttribute('aria-invalid')).to.equal('true');
    expect(el.querySelector(`#${username.getAttribute('aria-describedby')}`)!.textContent).to.contain('like name@example.com');
    expect(input(el, 'Password')!.getAttribute('aria-invalid')).to.equal('true');
    expect(document.activeElement === username, 'focus on the first problem').to.equal(true);
    expect(alertText(el)).to.equal('Please fix the highlighted fields.');
    expect(username.value, 'what was typed stays').to.equal('not-an-email');
    expect(await served('/login/password'), 'nothing sent').to.equal(sent);
    expect(errors, 'a problem the form caught is not an error for the host').to.deep.equal([]);

    // Fixed field by field: each message goes as soon as its field passes, the summary with the last.
    fill(username, DEMO.email);
    await el.updateComplete;
    expect(username.hasAttribute('aria-invalid')).to.equal(false);
    expect(alertText(el)).to.equal('Please fix the highlighted fields.');
    fill(input(el, 'Password')!, 'x');
    await el.updateComplete;
    expect(alertText(el)).to.equal('');
    await expect(el).to.be.accessible();
  });

  it('shows pending on the form while its request runs, and a second submit sends nothing', async () => {
    const el = await mount(HOLD);
    const sent = await served('/login/password');
    await submitWith(el, DEMO.email, DEMO.password);
    const busy = button(el, 'Please wait…')!;
    expect(busy.getAttribute('aria-busy')).to.equal('true');
    expect(busy.getAttribute('aria-disabled')).to.equal('true');
    expect(el.submission.pending).to.equal(true);
    el.querySelector('form')!.requestSubmit();
    await el.updateComplete;
    // Still held at the test server: still pending, what was typed is kept, nothing signed in yet.
    expect(button(el, 'Please wait…'), 'still pending after the second submit').to.equal(busy);
    expect(input(el, 'Email')!.value).to.equal(DEMO.email);
    expect(input(el, 'Password')!.value).to.equal(DEMO.password);
    expect(el.signedIn).to.equal(0);
    expect(await release(), 'one request for two submits').to.deep.equal({ released: 1, abandoned: 0 });
    await until(() => el.signedIn, 'the sign-in');
    await el.updateComplete;
    expect(button(el, 'Sign in')!.getAttribute('aria-disabled')).to.equal('false');
    expect(await served('/login/password') - sent, 'one request for two submits').to.equal(1);
    expect(el.signedIn).to.equal(1);
  });

  it('aborts the run in flight when a new one starts; the abandoned one says nothing', async () => {
    const el = await mount();
    const errors = errorsOf(el);
    let abandoned: unknown;
    // A control's run (a provider's window) against a service that never answers.
    const first = el.submission.run(async (signal) => {
      try {
        await fetch('/__fault/hang/service/application/user/authentication/v1.0/session', { signal });
      } catch (error) {
        abandoned = error;
        throw error;
      }
    }, 'social', 'google');
    await el.updateComplete;
    expect(el.textContent).to.contain('Busy: google');
    expect(el.submission.pending, 'the forms stay usable while a control runs').to.equal(false);

    // The shopper gives up on it and signs in with the form instead.
    await submitWith(el, DEMO.email, DEMO.password);
    await first;
    expect((abandoned as Error)?.name, 'the first request was aborted').to.equal('AbortError');
    await until(() => el.signedIn, 'the sign-in');
    expect(await sessionUser()).to.not.equal(null);
    await el.updateComplete;
    expect(el.textContent).to.not.contain('Busy:');
    expect(alertText(el)).to.equal('');
    expect(errors, 'nothing reported for the abandoned run').to.deep.equal([]);
  });

  it('abandons a run on abort(): the form is usable at once and its late end is ignored', async () => {
    const el = await mount();
    const errors = errorsOf(el);
    let finish!: (error: Error) => void;
    let seen: AbortSignal | undefined;
    // An action that does not listen to its signal, and fails late.
    const run = el.submission.run((signal) => {
      seen = signal;
      return new Promise((_resolve, reject) => (finish = reject));
    }, 'code');
    await el.updateComplete;
    expect(button(el, 'Please wait…')).to.not.equal(null);
    el.submission.abort();
    expect(seen!.aborted).to.equal(true);
    expect(el.submission.pending, 'pending ends with the abort').to.equal(false);
    await run;
    finish(new Error('too late'));
    await el.updateComplete;
    expect(button(el, 'Sign in')!.getAttribute('aria-disabled')).to.equal('false');
    expect(alertText(el)).to.equal('');
    expect(errors).to.deep.equal([]);
  });

  it('aborts the request in flight when the element leaves the page', async () => {
    const el = await mount();
    let abandoned: unknown;
    const run = el.submission.run(async (signal) => {
      try {
        await fetch('/__fault/hang/service/application/user/authentication/v1.0/session', { signal });
      } catch (error) {
        abandoned = error;
      }
    }, 'code');
    el.remove();
    await run;
    expect((abandoned as Error)?.name).to.equal('AbortError');
  });

  it('tells a wrong password in the alert, clears only the password and focuses it, and fires latch-error', async () => {
    const el = await mount();
    const error = oneEvent(el, 'latch-error') as Promise<LatchErrorEvent>;
    await submitWith(el, DEMO.email, 'wrong-password-123');
    const event = await error;
    expect(event.detail).to.include({ action: 'login', kind: 'http', status: 400, code: 'INVALID_CREDENTIALS' });
    expect(event.bubbles && event.composed).to.equal(true);
    await el.updateComplete;
    expect(alertText(el)).to.equal('The email or password is incorrect. Check them and try again.');
    expect(input(el, 'Email')!.value).to.equal(DEMO.email);
    expect(input(el, 'Password')!.value).to.equal('');
    expect(document.activeElement === input(el, 'Password'), 'focus').to.equal(true);
    expect(button(el, 'Sign in')!.getAttribute('aria-disabled'), 'usable again').to.equal('false');
  });

  it('puts the fields the service names at those fields', async () => {
    const el = await mount();
    el.schema = lenient;
    el.requestUpdate();
    await el.updateComplete;
    const errors = errorsOf(el);
    await submitWith(el, '   ', 'x');
    await until(() => el.querySelector('[aria-invalid="true"]'), 'the service\'s field problem');
    const username = input(el, 'Email')!;
    expect(username.getAttribute('aria-invalid')).to.equal('true');
    // In latch's words for the rule that failed (the value is missing), never the service's text…
    expect(el.querySelector(`#${username.getAttribute('aria-describedby')}`)!.textContent).to.equal(translate('en', 'email.required'));
    expect(el.textContent).to.not.contain('must not be empty');
    expect(alertText(el)).to.equal('Please fix the highlighted fields.');
    expect(document.activeElement === username).to.equal(true);
    // …which the host page still gets, for its developers.
    expect(errors[0]).to.include({ action: 'login', status: 400, code: 'VALIDATION_ERROR' });
    expect(errors[0]!.message).to.contain('must not be empty');
  });

  it('says "Check this field" at a field whose problem names a rule latch does not know', async () => {
    const el = await mount('/__fault/field');
    el.schema = lenient;
    el.requestUpdate();
    await el.updateComplete;
    const errors = errorsOf(el);
    await submitWith(el, DEMO.email, 'x');
    await until(() => el.querySelector('[aria-invalid="true"]'), 'the field problem');
    const username = input(el, 'Email')!;
    expect(el.querySelector(`#${username.getAttribute('aria-describedby')}`)!.textContent).to.equal('Check this field.');
    expect(el.textContent).to.not.contain('approved shoppers');
    expect(username.value, 'what was typed stays').to.equal(DEMO.email);
    expect(errors[0]!.message).to.equal('username: is not on the list of approved shoppers');
    await expect(el).to.be.accessible();
  });

  it('says what failed when it is not the shopper\'s input: a server error, an unreadable answer', async () => {
    const el = await mount('/__fault/500');
    const errors = errorsOf(el);
    await submitWith(el, DEMO.email, DEMO.password);
    await until(() => alertText(el), 'the message');
    expect(alertText(el)).to.equal(translate('en', 'error.server'));
    expect(errors[0]).to.include({ action: 'login', kind: 'http', status: 500 });
    expect(input(el, 'Password')!.value, 'nothing typed is lost').to.equal(DEMO.password);

    el.base = '/__fault/garbage';
    await el.updateComplete;
    el.querySelector('form')!.requestSubmit();
    await until(() => alertText(el) === translate('en', 'error.malformed'), 'the malformed message');
    expect(errors[1]).to.include({ action: 'login', kind: 'malformed' });
  });

  it('lets the element take a failure over first', async () => {
    const el = await mount();
    el.takeOver = 'INVALID_CREDENTIALS';
    await submitWith(el, DEMO.email, 'wrong-password-123');
    await until(() => el.handled.length, 'the hook');
    await el.updateComplete;
    expect(el.handled[0].code).to.equal('INVALID_CREDENTIALS');
    expect(alertText(el), 'the element said what it wanted instead').to.equal('');
    expect(input(el, 'Password')!.value).to.equal('wrong-password-123');
  });

  it('turns a 429 into a wait on the element\'s clock, refuses submits until it ends, then says so', async () => {
    const el = await mount('/__fault/429');
    const error = oneEvent(el, 'latch-error') as Promise<LatchErrorEvent>;
    await submitWith(el, DEMO.email, DEMO.password);
    expect((await error).detail).to.include({ action: 'login', status: 429, code: 'TOO_MANY_ATTEMPTS' });
    await el.updateComplete;
    expect(alertText(el)).to.equal('Too many attempts. Please wait 2s before trying again.');
    expect(el.textContent).to.contain('Wait 2s');
    expect(el.limitedBy.map((e) => e.retryAfter)).to.deep.equal([2]);
    expect(button(el, 'Sign in')!.getAttribute('aria-disabled')).to.equal('true');
    expect(el.handled, 'a 429 is the controller\'s').to.deep.equal([]);

    const sent = await served('/login/password');
    el.querySelector('form')!.requestSubmit();
    expect(await served('/login/password'), 'nothing sent while waiting').to.equal(sent);

    el.clock.advance(1000);
    await el.updateComplete;
    expect(el.textContent).to.contain('Wait 1s');
    el.clock.advance(1000);
    await el.updateComplete;
    expect(el.textContent).to.not.contain('Wait');
    expect(alertText(el)).to.equal('');
    expect(el.querySelector('[role="status"]')!.textContent).to.equal('You can try again now.');
    expect(button(el, 'Sign in')!.getAttribute('aria-disabled')).to.equal('false');
    expect(el.clock.running, 'the ticker stopped').to.equal(0);
  });

  it('reads whose budget a sign-in lock spent, and can end the wait for another way in', async () => {
    const el = await mount('/__fault/lock-account-otp');
    await submitWith(el, DEMO.email, DEMO.password);
    await until(() => el.limitedBy.length, 'the 429');
    expect(el.limitedBy[0]).to.include({ status: 429, locked: 'account', otpLogin: true, retryAfter: 900 });
    await el.updateComplete;
    expect(el.submission.wait).to.equal(900);
    el.submission.clearWait();
    await el.updateComplete;
    expect(el.submission.wait).to.equal(0);
    expect(button(el, 'Sign in')!.getAttribute('aria-disabled')).to.equal('false');
    el.clock.advance(1000);
    await el.updateComplete;
    expect(el.clock.running, 'no ticker for a wait that is gone').to.equal(0);
    expect(el.querySelector('[role="status"]')!.textContent, 'an ended wait is not announced as over').to.equal('');
  });
});
