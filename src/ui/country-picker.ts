/**
 * `<latch-country-picker>`: the country of a phone number, as an ARIA combobox (an input with a
 * listbox: type to filter by name or calling code, arrows move, Enter picks, Escape closes). Its
 * value goes to the form in a hidden `country_code` input (`+91`). Country names come from
 * `Intl.DisplayNames` in the page's language; only calling codes and region codes are stored here.
 * Calling codes show in the digits of the language shown, left to right; the shopper may type
 * them in those digits or in Latin ones.
 * Part of the on-demand steps chunk: the first screen never asks for a phone.
 */
import { LitElement, html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { formatCallingCode } from '../i18n/contact.js';
import { nativeDigits } from '../i18n/figures.js';
import { catalogChanges, langOf, localizer } from '../i18n/localize.js';

/**
 * Calling code, then the regions that share it (the first one is the default for that code), for
 * the countries shops most often ship to. A region the browser cannot name is left out.
 */
const CODES =
  '1 US CA PR|7 RU KZ|20 EG|27 ZA|30 GR|31 NL|32 BE|33 FR|34 ES|36 HU|39 IT|40 RO|41 CH|43 AT|44 GB|45 DK|46 SE|47 NO|48 PL|49 DE|' +
  '51 PE|52 MX|54 AR|55 BR|56 CL|57 CO|58 VE|60 MY|61 AU|62 ID|63 PH|64 NZ|65 SG|66 TH|81 JP|82 KR|84 VN|86 CN|90 TR|91 IN|92 PK|' +
  '93 AF|94 LK|95 MM|98 IR|212 MA|213 DZ|216 TN|234 NG|233 GH|254 KE|255 TZ|256 UG|251 ET|351 PT|352 LU|353 IE|354 IS|356 MT|' +
  '357 CY|358 FI|359 BG|370 LT|371 LV|372 EE|380 UA|381 RS|385 HR|386 SI|420 CZ|421 SK|852 HK|853 MO|855 KH|880 BD|886 TW|960 MV|' +
  '961 LB|962 JO|965 KW|966 SA|968 OM|971 AE|972 IL|973 BH|974 QA|977 NP';

interface Country {
  region: string;
  code: string;
  name: string;
}

let countries: { lang: string; list: Country[] } | undefined;

/** Every country with its name in `lang`, sorted by name (computed once per language). */
function countriesIn(lang: string): Country[] {
  if (countries?.lang === lang) return countries.list;
  let names: Intl.DisplayNames | undefined;
  try {
    names = new Intl.DisplayNames([lang, 'en'], { type: 'region' });
  } catch {
    names = undefined;
  }
  const list: Country[] = [];
  for (const entry of CODES.split('|')) {
    const [code, ...regions] = entry.split(' ');
    for (const region of regions) list.push({ region, code, name: names?.of(region) ?? region });
  }
  list.sort((a, b) => a.name.localeCompare(b.name, lang));
  countries = { lang, list };
  return list;
}


/**
 * A searchable country picker for phone numbers. Light DOM, so the form sees its hidden input and
 * latch's stylesheet styles it.
 *
 * @tagname latch-country-picker
 */
export class CountryPicker extends LitElement {
  static override properties: PropertyDeclarations = {
    code: {},
    label: {},
    fieldId: { attribute: 'field-id' },
    error: {},
    required: { type: Boolean },
    open: { state: true },
    query: { state: true },
    active: { state: true },
  };

  /** The calling code, digits only (`91`); the first region with it is shown. */
  code = '';
  label = '';
  fieldId = '';
  /** Localized error text for the field. */
  error = '';
  required = false;
  private open = false;
  /** What the shopper typed to filter, or undefined while the chosen country shows. */
  private query?: string;
  private active = 0;
  #region?: string;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /** The shown language's catalog may arrive after the picker: its digits follow. */
  readonly #relocalize = () => this.requestUpdate();

  override connectedCallback(): void {
    super.connectedCallback();
    catalogChanges.addEventListener('change', this.#relocalize);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    catalogChanges.removeEventListener('change', this.#relocalize);
  }

  /** The `Intl` locale of the language the widget's messages are shown in. */
  get #locale(): string {
    return localizer(langOf(this)).locale;
  }

  /** A country as the field shows it once chosen (`+91 India`; the field itself is left to right). */
  #shown(country: Country): string {
    return `${nativeDigits(this.#locale, `+${country.code}`)} ${country.name}`;
  }

  /** Typed text with the shown language's digits read as Latin ones (`+٩١` is `+91`). */
  #latin(text: string): string {
    const digits = nativeDigits(this.#locale, '0123456789');
    return text.replace(/\p{Nd}/gu, (digit) => (digits.includes(digit) ? String(digits.indexOf(digit)) : digit));
  }

  get #countries(): Country[] {
    return countriesIn(langOf(this));
  }

  get #selected(): Country | undefined {
    const list = this.#countries;
    return list.find((c) => c.region === this.#region && c.code === this.code) ?? first(list, this.code);
  }

  get #matches(): Country[] {
    const query = this.#latin(this.query ?? '').trim().toLowerCase();
    if (!query) return this.#countries;
    const digits = query.replace(/^\+/, '');
    // A code by its first digits; a name by the start of any of its words ("king" finds United Kingdom).
    return this.#countries.filter((c) => (/^\d+$/.test(digits) ? c.code.startsWith(digits) : ` ${c.name.toLowerCase()}`.includes(` ${query}`)));
  }

  #pick(country: Country | undefined): void {
    if (country) {
      this.code = country.code;
      this.#region = country.region;
    }
    this.open = false;
    this.query = undefined;
    this.#changed();
  }

  /** Puts the new code in the hidden input now and tells the form, as typing would. */
  #changed(): void {
    const hidden = this.querySelector<HTMLInputElement>('input[type="hidden"]');
    if (!hidden) return;
    hidden.value = this.code ? `+${this.code}` : '';
    hidden.dispatchEvent(new Event('input', { bubbles: true }));
  }

  #onInput(event: Event): void {
    const text = (event.target as HTMLInputElement).value;
    // The hidden input speaks for the form; this text only filters.
    event.stopPropagation();
    this.query = text;
    this.open = true;
    this.active = 0;
    // An emptied field is no country (the form then asks for one).
    if (!text.trim()) {
      this.code = '';
      this.#region = undefined;
      this.#changed();
      return;
    }
    // A calling code typed (or filled in by the browser) chooses its country at once.
    const exact = /^\+?(\d{1,4})$/.exec(this.#latin(text).trim());
    const found = exact ? first(this.#countries, exact[1]) : undefined;
    if (found) {
      this.code = found.code;
      this.#region = found.region;
      this.active = Math.max(0, this.#matches.indexOf(found));
      this.#changed();
    }
  }

  #onKeydown(event: KeyboardEvent): void {
    const matches = this.#matches;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        if (!this.open) {
          this.open = true;
          const at = matches.indexOf(this.#selected!);
          this.active = Math.max(0, at);
          return;
        }
        this.active = (this.active + step + matches.length) % Math.max(1, matches.length);
        return;
      }
      case 'Home':
      case 'End':
        if (!this.open) return;
        event.preventDefault();
        this.active = event.key === 'Home' ? 0 : matches.length - 1;
        return;
      case 'Enter':
        // Enter picks while the list is open; closed, it submits the form as in any field.
        if (!this.open) return;
        event.preventDefault();
        this.#pick(matches[this.active]);
        return;
      case 'Escape':
        if (!this.open && this.query === undefined) return;
        // Closes the list and puts back the chosen country; the page's own Escape handler (a dialog) waits for the next one.
        event.preventDefault();
        event.stopPropagation();
        this.open = false;
        this.query = undefined;
        return;
      case 'Tab':
        if (this.open && this.query !== undefined && matches[this.active]) this.#pick(matches[this.active]);
        else this.open = false;
        return;
    }
  }

  protected override updated(): void {
    if (this.open) this.querySelector('[aria-selected="true"]')?.scrollIntoView?.({ block: 'nearest' });
  }

  protected override render(): TemplateResult {
    const selected = this.#selected;
    const matches = this.open ? this.#matches : [];
    const id = this.fieldId;
    const errorId = `${id}-error`;
    const activeId = this.open && matches[this.active] ? `${id}-${matches[this.active].region}` : undefined;
    return html`<div class="latch-field">
      <label class="latch-field__label" for=${id}>${this.label}</label>
      <div class="latch-field__row latch-combo">
        <input
          class="latch-field__input"
          id=${id}
          type="text"
          dir="ltr"
          role="combobox"
          autocomplete="tel-country-code"
          aria-autocomplete="list"
          aria-expanded=${this.open ? 'true' : 'false'}
          aria-controls=${`${id}-list`}
          aria-activedescendant=${activeId ?? nothing}
          aria-invalid=${this.error ? 'true' : nothing}
          aria-describedby=${this.error ? errorId : nothing}
          ?required=${this.required}
          .value=${this.query ?? (selected ? this.#shown(selected) : this.code ? nativeDigits(this.#locale, `+${this.code}`) : '')}
          @input=${this.#onInput}
          @keydown=${this.#onKeydown}
          @click=${() => (this.open = !this.open)}
          @focus=${(event: FocusEvent) => (event.target as HTMLInputElement).select()}
          @blur=${() => {
            this.open = false;
            this.query = undefined;
          }}
        />
        <input type="hidden" name="country_code" .value=${this.code ? `+${this.code}` : ''} />
        <ul class="latch-combo__list" id=${`${id}-list`} role="listbox" aria-label=${this.label} ?hidden=${!this.open}>
          ${matches.map(
            (country, index) =>
              html`<li
                class="latch-combo__option"
                id=${`${id}-${country.region}`}
                role="option"
                aria-selected=${index === this.active ? 'true' : 'false'}
                @mousedown=${(event: Event) => event.preventDefault()}
                @click=${() => this.#pick(country)}
              ><span>${country.name}</span> <span class="latch-combo__code">${formatCallingCode(this.#locale, country.code)}</span></li>`,
          )}
        </ul>
      </div>
      ${this.error ? html`<p class="latch-field__error" id=${errorId}>${this.error}</p>` : nothing}
    </div>`;
  }
}

/** The first region with a calling code (the one the list above names first). */
function first(list: Country[], code: string): Country | undefined {
  const region = CODES.split('|').find((entry) => entry.split(' ')[0] === code)?.split(' ')[1];
  return list.find((c) => c.region === region);
}

/** Defines the element once; called by the phone template that uses it (no import side effect). */
export function defineCountryPicker(): void {
  if (!customElements.get('latch-country-picker')) customElements.define('latch-country-picker', CountryPicker);
}

declare global {
  interface HTMLElementTagNameMap {
    'latch-country-picker': CountryPicker;
  }
}
