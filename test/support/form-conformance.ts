/**
 * The checks every form of the sign-in widget passes, run by each step's test file: labelled
 * controls with the autocomplete tokens browsers fill, focus on the first problem, a problem's
 * message gone once it is fixed, input kept after a refusal, submit disabled while a request runs
 * (one request for two submits, counted at the service), and axe clean with errors on screen.
 */
import { expect } from '@open-wc/testing';
import type { LatchAuth } from '../../src/elements/latch-auth/latch-auth.js';
import { alertText, fill, input, served, until } from './service.js';

export interface FormSpec {
  /** Opens a fresh widget on this form. */
  open(): Promise<LatchAuth>;
  /** Each field's label and its autocomplete token, the first field first. */
  fields: Array<[label: string, autocomplete: string]>;
  /** Types values the form accepts (the service may still refuse them). */
  fillValid(el: LatchAuth): void | Promise<void>;
  /** The service path the form posts to, for counting requests. */
  path: string;
}

const SECRET = /password|otp|captcha/;

function formOf(el: LatchAuth, spec: FormSpec): HTMLFormElement {
  const first = input(el, spec.fields[0][0]);
  expect(Boolean(first), `the "${spec.fields[0][0]}" field`).to.equal(true);
  return first!.form!;
}

const submitButton = (form: HTMLFormElement) => form.querySelector<HTMLButtonElement>('button[type="submit"]')!;

/** The form's text controls the shopper can type in. */
const typed = (form: HTMLFormElement) =>
  [...form.querySelectorAll<HTMLInputElement>('input:not([type=hidden]):not([type=checkbox])')];

export function formConformance(name: string, spec: FormSpec): void {
  describe(`${name}: form conformance`, () => {
    it('labels every control, with the autocomplete tokens browsers fill', async () => {
      const el = await spec.open();
      const form = formOf(el, spec);
      for (const [label, token] of spec.fields) {
        const control = input(el, label);
        expect(Boolean(control), `a control labelled "${label}"`).to.equal(true);
        expect(control!.autocomplete, `autocomplete of "${label}"`).to.equal(token);
        expect(control!.form === form, `"${label}" in the same form`).to.equal(true);
      }
      for (const control of form.querySelectorAll<HTMLInputElement>('input:not([type=hidden]),select,textarea')) {
        expect(control.labels?.length, `a label for ${control.name}`).to.be.greaterThan(0);
      }
    });

    it('focuses the first problem, clears each message once fixed, and keeps what was typed', async () => {
      const el = await spec.open();
      const form = formOf(el, spec);
      for (const control of typed(form)) fill(control, '');
      const before = await served(spec.path);
      form.requestSubmit();
      await until(() => form.querySelector('[aria-invalid="true"]'), 'the problems marked');
      const first = form.querySelector<HTMLElement>('[aria-invalid="true"]')!;
      // By id: a combobox (the country picker) sends its value through a hidden input and has no name.
      expect(document.activeElement?.id, 'focus on the first problem').to.equal(first.id);
      expect(document.getElementById(first.getAttribute('aria-describedby')!)?.textContent, 'its message').to.not.equal('');
      await expect(el).to.be.accessible();

      await spec.fillValid(el);
      await el.updateComplete;
      // Names and texts, not elements: a failure message must not have to carry a DOM node.
      const marked = [...form.querySelectorAll('[aria-invalid="true"]')].map((control) => control.getAttribute('name'));
      expect(marked, 'no field still marked').to.deep.equal([]);
      const left = [...form.querySelectorAll('.latch-field__error')].map((message) => message.textContent);
      expect(left, 'no message left at a field').to.deep.equal([]);
      expect(alertText(el), 'no summary left').to.equal('');
      const kept = typed(form).filter((control) => !SECRET.test(control.name) && control.value);
      const values = kept.map((control) => control.value);
      // Refused again (the first field emptied): everything else typed stays.
      fill(input(el, spec.fields[0][0])!, '');
      form.requestSubmit();
      await until(() => form.querySelector('[aria-invalid="true"]'), 'the problem marked again');
      expect(kept.slice(1).map((control) => control.value)).to.deep.equal(values.slice(1));
      expect(await served(spec.path), 'a refused form sends nothing').to.equal(before);
    });

    it('disables submitting while its request runs: one request for two submits', async () => {
      const el = await spec.open();
      const form = formOf(el, spec);
      await spec.fillValid(el);
      const before = await served(spec.path);
      form.requestSubmit();
      await el.updateComplete;
      const submit = submitButton(form);
      if (form.isConnected) {
        expect(submit.getAttribute('aria-disabled'), 'disabled while pending').to.equal('true');
        expect(submit.getAttribute('aria-busy')).to.equal('true');
      }
      form.requestSubmit();
      await until(() => !el.querySelector('[aria-busy="true"]'), 'the request to end');
      expect(await served(spec.path)).to.equal(before + 1);
    });
  });
}
