/**
 * The attributes section of `<latch-account>` ("Preferences"): the store's custom attributes the
 * shopper may edit, one control per type, checked by the service against their definitions.
 */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import { attributeDefinitions, userAttributes, type AttributeDefinition, type AttributeValues } from '../../../api/account.js';
import { toApiError } from '../../../api/errors.js';
import { keyed } from 'lit/directives/keyed.js';
import { formValues } from '../../../ui/form.js';
import type { AccountSection, SectionHost } from './host.js';

/** Attribute controls are named as the service names their problems (`meta.fields`), so those land at them. */
const ATTRIBUTE = 'attributes.';
const INPUT_TYPES: Record<string, string> = { string: 'text', number: 'number', date: 'date' };

const rule = (d: AttributeDefinition, type: string) => d.validations?.find((v) => v.type === type)?.value;
/** An attribute's value as its control holds it: a checkbox `'true'` or `''`, a date `YYYY-MM-DD`. */
const shown = (d: AttributeDefinition, value: unknown): string =>
  d.type === 'boolean' ? (value === true ? 'true' : '') : value == null ? '' : String(value).slice(0, d.type === 'date' ? 10 : undefined);

export class AttributesSection implements AccountSection {
  readonly name = 'attributes' as const;
  #definitions?: AttributeDefinition[];
  #values: AttributeValues = {};
  /** New attribute controls when the definitions change. */

  constructor(private readonly host: SectionHost) {}

  reset(): void {
    this.#definitions = undefined;
    this.#values = {};
  }

  async load(signal: AbortSignal): Promise<void> {
    const client = this.host.store.client;
    [this.#definitions, this.#values] = await Promise.all([attributeDefinitions(client, { signal }), userAttributes(client, undefined, { signal })]);
  }

  /** The attributes this page can edit: one value each, of a known type (lists are left to the service). */
  #editable(): AttributeDefinition[] {
    return (this.#definitions ?? []).filter((d) => !d.multi_value && (d.type in INPUT_TYPES || d.type === 'boolean' || d.type === 'enum'));
  }

  /**
   * The attributes whose controls changed, as the service takes them (`null` removes one). The
   * service checks them against their definitions and names any problem per field.
   */
  #changed(values: Record<string, string>): AttributeValues {
    const data: AttributeValues = {};
    for (const d of this.#editable()) {
      const raw = values[ATTRIBUTE + d.slug] ?? '';
      if (raw !== shown(d, this.#values[d.slug])) data[d.slug] = d.type === 'boolean' ? raw === 'true' : raw === '' ? null : d.type === 'number' ? Number(raw) : raw;
    }
    return data;
  }

  #renderAttribute(d: AttributeDefinition): TemplateResult {
    const host = this.host;
    const name = ATTRIBUTE + d.slug;
    const value = host.drafts[name] ?? shown(d, this.#values[d.slug]);
    if (d.type === 'boolean') {
      const id = host.fid(name);
      // formValues() gives '' for an unticked box, so an untick is a change like any other.
      return html`<div class="latch-field">
        <div class="latch-choice">
          <input type="checkbox" id=${id} name=${name} value="true" ?checked=${value === 'true'} aria-describedby=${d.description ? `${id}-hint` : nothing} />
          <label for=${id}>${d.name}</label>
        </div>
        ${d.description ? html`<p class="latch-field__hint" id="${id}-hint">${d.description}</p>` : nothing}
      </div>`;
    }
    if (d.type === 'enum') {
      const options = ((rule(d, 'enum') as unknown[] | undefined) ?? []).map((o): [string, string] => [String(o), String(o)]);
      return host.control(name, d.name, value, [['', host.t('account.notSet')], ...options], d.description);
    }
    // Limits as the browser's own controls take them: numbers, or dates as YYYY-MM-DD.
    const limit = (type: string) => (d.type === 'string' ? undefined : (rule(d, type) as string | undefined)?.toString().slice(0, 10));
    const limits = { type: INPUT_TYPES[d.type], step: d.type === 'number' ? 'any' : undefined, min: limit('min'), max: limit('max') };
    return host.control(name, d.name, value, limits, d.description);
  }

  render(): TemplateResult | typeof nothing {
    const host = this.host;
    const editable = this.#editable();
    if (this.#definitions && !editable.length) return nothing;
    const save = (event: SubmitEvent) => {
      event.preventDefault();
      const form = event.currentTarget as HTMLFormElement;
      void host.run('attributes', 'attributes', async (signal) => {
        const client = host.store.client;
        try {
          this.#values = await userAttributes(client, this.#changed(formValues(form)), { signal });
        } catch (error) {
          // The rules may have changed since the form was drawn: show the current ones. The failure
          // itself (the service's words at the fields it names) is told as for any form.
          if (/^(VALIDATION_ERROR|ATTRIBUTE_NOT_EDITABLE)$/.test(toApiError(error).code ?? '')) {
            this.#definitions = await attributeDefinitions(client, { signal });
          }
          throw error;
        }
        host.say(host.t('account.saved'));
        host.saved('attributes');
      }, form);
    };
    return host.section('attributes', 'account.attributes', this.#definitions
      ? // New definitions get new controls: an option that is gone must not live on in a reused <option>.
        host.form('attributes', keyed(this.#definitions, editable.map((d) => this.#renderAttribute(d))), 'account.savePreferences', save)
      : host.loadingOr('attributes'));
  }
}
