/**
 * The demo's "Store admin" panel (development only): shows the live platform config and changes it
 * through the service's admin API, as a store admin's console would. The admin token comes from the
 * dev server (virtual:latch-studio); nothing here is part of the package. Every change is posted,
 * then the widgets of this tab and of every other open demo tab fetch the config again.
 */
import { html, nothing, render, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import studio from 'virtual:latch-studio';
import {
  DEFAULT_PAGE,
  applyPageSettings,
  channel,
  localListeners,
  readPageSettings,
  refreshWidgets,
  savePageSettings,
  type PageSettings,
  type StudioMessage,
} from './studio-sync.js';

type Json = Record<string, unknown>;
type Level = 'hard' | 'soft' | 'off';

interface Reason {
  reason_id: string;
  reason_text: string;
  show_text_area: boolean;
}

interface Config {
  display?: string;
  subtext?: string;
  login?: { password?: boolean; otp?: boolean };
  register?: boolean;
  forgot_password?: boolean;
  social?: { google?: boolean; facebook?: boolean; apple?: boolean };
  skip_captcha?: boolean;
  skip_login?: boolean;
  flash_card?: { text?: string; text_color?: string; background_color?: string };
  look_and_feel?: { background_color?: string; card_position?: string };
  desktop_image?: string;
  mobile_image?: string;
  required_fields?: Record<'email' | 'mobile', { is_required?: boolean; level?: 'hard' | 'soft' } | undefined>;
  register_required_fields?: Record<'email' | 'mobile', { is_required?: boolean; level?: 'hard' | 'soft' } | undefined>;
  delete_account_reasons?: Reason[];
  delete_account_day?: number;
  delete_account_consent?: { consent_text?: string };
  __v?: number;
}

const level = (rule?: { is_required?: boolean; level?: string }): Level => (!rule?.is_required ? 'off' : rule.level === 'soft' ? 'soft' : 'hard');
const rule = (value: Level) => (value === 'off' ? { is_required: false, level: 'soft' } : { is_required: true, level: value });
const color = (value: string | undefined, fallback: string) => (/^#[0-9a-f]{6}$/i.test(value ?? '') ? value!.toLowerCase() : fallback);

/** Whole states, so a preset looks the same whatever was set before. */
const PRESETS: Record<string, Json> = {
  'Password only': {
    login: { password: true, otp: false },
    register: false,
    forgot_password: false,
    social: { google: false, facebook: false, apple: false },
    skip_login: false,
    skip_captcha: true,
    flash_card: { text: '' },
    required_fields: { email: rule('hard'), mobile: rule('off') },
  },
  'Everything on': {
    login: { password: true, otp: true },
    register: true,
    forgot_password: true,
    social: { google: true, facebook: true, apple: true },
    skip_login: true,
    skip_captcha: false,
    flash_card: { text: 'Members get early access to the winter sale' },
    required_fields: { email: rule('hard'), mobile: rule('soft') },
    register_required_fields: { email: rule('hard'), mobile: rule('soft') },
  },
  'Phone first': {
    login: { password: false, otp: true },
    register: true,
    forgot_password: false,
    social: { google: false, facebook: false, apple: false },
    skip_login: false,
    skip_captcha: true,
    flash_card: { text: 'Sign in with your mobile number, no password needed' },
    required_fields: { email: rule('soft'), mobile: rule('hard') },
    register_required_fields: { email: rule('soft'), mobile: rule('hard') },
  },
  'Guest checkout': {
    login: { password: true, otp: false },
    register: true,
    forgot_password: true,
    social: { google: true, facebook: false, apple: false },
    skip_login: true,
    skip_captcha: true,
    flash_card: { text: 'No account needed: continue as a guest to check out' },
    required_fields: { email: rule('hard'), mobile: rule('off') },
  },
};

/** The ten languages latch ships (each named in itself), and a store's own catalog as an example. */
const LANGUAGES: Array<[string, string]> = [
  ['en', 'English'],
  ['hi', 'हिन्दी (Hindi)'],
  ['ar', 'العربية (Arabic, right to left)'],
  ['bn', 'বাংলা (Bengali)'],
  ['ta', 'தமிழ் (Tamil)'],
  ['te', 'తెలుగు (Telugu)'],
  ['mr', 'मराठी (Marathi)'],
  ['gu', 'ગુજરાતી (Gujarati)'],
  ['kn', 'ಕನ್ನಡ (Kannada)'],
  ['ml', 'മലയാളം (Malayalam)'],
  ['de', 'Deutsch (a store-registered catalog, partial)'],
];

let config: Config | undefined;
let status = '';
let failed = false;
let busy = false;
let page: PageSettings = readPageSettings();

async function admin(method: 'GET' | 'POST', body?: Json): Promise<Config> {
  if (!studio) throw new Error('no admin token');
  const response = await fetch(`${studio.adminBase}/platform/config`, {
    method,
    headers: { authorization: `Bearer ${studio.adminToken}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await response.json()) as Config & { message?: string };
  if (!response.ok) throw new Error(json.message ?? `HTTP ${response.status}`);
  return json;
}

async function load(): Promise<void> {
  try {
    config = await admin('GET');
  } catch (error) {
    failed = true;
    status = `Could not read the config: ${(error as Error).message}`;
  }
  draw();
}

/** Posts a change, then tells this tab's widgets and every other tab. */
async function save(patch: Json, what: string): Promise<void> {
  busy = true;
  draw();
  try {
    config = await admin('POST', patch);
    failed = false;
    status = `Saved: ${what} (config version ${config.__v}).`;
    refreshWidgets();
    channel?.postMessage({ type: 'config', version: config.__v ?? 0 } satisfies StudioMessage);
  } catch (error) {
    failed = true;
    status = `Not saved: ${(error as Error).message}`;
  }
  busy = false;
  draw();
}

function setPage(next: Partial<PageSettings>): void {
  page = { ...page, ...next };
  savePageSettings(page);
  applyPageSettings(page);
  channel?.postMessage({ type: 'page', settings: page } satisfies StudioMessage);
  draw();
}

const id = (name: string) => `studio-${name}`;

function toggle(name: string, label: string, checked: boolean, patch: (on: boolean) => Json, hint?: string): TemplateResult {
  return html`<div class="studio-switch">
    <input type="checkbox" role="switch" id=${id(name)} .checked=${live(checked)} ?disabled=${busy}
      aria-describedby=${hint ? id(`${name}-hint`) : nothing}
      @change=${(e: Event) => save(patch((e.target as HTMLInputElement).checked), `${label} ${(e.target as HTMLInputElement).checked ? 'on' : 'off'}`)} />
    <label for=${id(name)}>${label}</label>
    ${hint ? html`<small id=${id(`${name}-hint`)}>${hint}</small>` : nothing}
  </div>`;
}

function text(name: string, label: string, value: string, patch: (v: string) => Json, type = 'text', list?: string): TemplateResult {
  return html`<div class="studio-field">
    <label for=${id(name)}>${label}</label>
    <input type=${type} id=${id(name)} list=${list ?? nothing} .value=${live(value)} ?disabled=${busy}
      @change=${(e: Event) => save(patch((e.target as HTMLInputElement).value), label)} />
  </div>`;
}

function colour(name: string, label: string, value: string, patch: (v: string) => Json): TemplateResult {
  return html`<div class="studio-field studio-field--colour">
    <input type="color" id=${id(name)} .value=${live(value)} ?disabled=${busy}
      @change=${(e: Event) => save(patch((e.target as HTMLInputElement).value), label)} />
    <label for=${id(name)}>${label}</label>
  </div>`;
}

/** `hidden`: words only a screen reader hears after the label, so two same-looking labels differ by name. */
function choice(name: string, label: string, value: string, options: Array<[string, string]>, onChange: (v: string) => void, hidden = ''): TemplateResult {
  return html`<div class="studio-field">
    <label for=${id(name)}>${label}${hidden ? html`<span class="studio-visually-hidden"> ${hidden}</span>` : nothing}</label>
    <select id=${id(name)} ?disabled=${busy} @change=${(e: Event) => onChange((e.target as HTMLSelectElement).value)}>
      ${options.map(([v, l]) => html`<option value=${v} ?selected=${v === value}>${l}</option>`)}
    </select>
  </div>`;
}

const LEVELS: Array<[string, string]> = [
  ['hard', 'Required'],
  ['soft', 'Asked, can be skipped'],
  ['off', 'Not asked'],
];

function requiredFields(key: 'required_fields' | 'register_required_fields', legend: string, c: Config): TemplateResult {
  // Both groups have an "Email address" and a "Mobile number": the name says which group it is.
  const when = key === 'required_fields' ? 'after sign-in' : 'at registration';
  return html`<fieldset class="studio-grid">
    <legend>${legend}</legend>
    ${(['email', 'mobile'] as const).map((field) =>
      choice(`${key}-${field}`, field === 'email' ? 'Email address' : 'Mobile number', level(c[key]?.[field]), LEVELS, (v) =>
        save({ [key]: { [field]: rule(v as Level) } }, `${legend}: ${field} ${v}`),
        when,
      ),
    )}
  </fieldset>`;
}

function reasons(c: Config): TemplateResult {
  const list = c.delete_account_reasons ?? [];
  const replace = (next: Reason[], what: string) => save({ delete_account_reasons: next }, what);
  return html`<fieldset>
    <legend>Reasons a shopper can give</legend>
    <ol class="studio-reasons">
      ${list.map(
        (reason, i) => html`<li>
          <label class="studio-visually-hidden" for=${id(`reason-${i}`)}>Reason ${i + 1}</label>
          <input id=${id(`reason-${i}`)} .value=${live(reason.reason_text)} ?disabled=${busy}
            @change=${(e: Event) => replace(list.map((r, j) => (j === i ? { ...r, reason_text: (e.target as HTMLInputElement).value } : r)), `reason ${i + 1}`)} />
          <span class="studio-switch">
            <input type="checkbox" id=${id(`reason-${i}-details`)} .checked=${live(reason.show_text_area)} ?disabled=${busy}
              @change=${(e: Event) => replace(list.map((r, j) => (j === i ? { ...r, show_text_area: (e.target as HTMLInputElement).checked } : r)), `reason ${i + 1} details`)} />
            <label for=${id(`reason-${i}-details`)}>Asks for details<span class="studio-visually-hidden"> (reason ${i + 1})</span></label>
          </span>
          <button type="button" ?disabled=${busy} @click=${() => replace(list.filter((_, j) => j !== i), `reason ${i + 1} removed`)}>
            Remove<span class="studio-visually-hidden"> reason ${i + 1}</span>
          </button>
        </li>`,
      )}
    </ol>
    <button type="button" ?disabled=${busy}
      @click=${() => replace([...list, { reason_id: `reason_${Date.now().toString(36)}`, reason_text: 'Another reason', show_text_area: false }], 'reason added')}>
      Add a reason
    </button>
  </fieldset>`;
}

function panel(c: Config): TemplateResult {
  return html`
    <fieldset class="studio-presets">
      <legend>Presets</legend>
      ${Object.entries(PRESETS).map(([name, patch]) => html`<button type="button" ?disabled=${busy} @click=${() => save(patch, `preset "${name}"`)}>${name}</button>`)}
    </fieldset>

    <fieldset class="studio-grid studio-grid--3">
      <legend>This storefront page</legend>
      ${choice('theme', 'Theme', page.theme, [['light', 'Light'], ['dark', 'Dark'], ['auto', 'Follow the device']], (v) => setPage({ theme: v as PageSettings['theme'] }))}
      ${choice('lang', 'Language', page.lang, LANGUAGES, (v) => setPage({ lang: v }))}
      ${choice('dir', 'Text direction', page.dir, [['auto', 'As the page'], ['ltr', 'Left to right'], ['rtl', 'Right to left']], (v) => setPage({ dir: v as PageSettings['dir'] }))}
      <button type="button" class="studio-wide" @click=${() => setPage(DEFAULT_PAGE)}>Reset page settings</button>
    </fieldset>

    <fieldset class="studio-grid">
      <legend>Sign-in methods</legend>
      ${toggle('password', 'Password', c.login?.password !== false, (on) => ({ login: { password: on } }))}
      ${toggle('otp', 'One-time code', c.login?.otp === true, (on) => ({ login: { otp: on } }), 'Sent by SMS or email (see the dev outbox).')}
      ${toggle('register', 'Account registration', c.register === true, (on) => ({ register: on }))}
      ${toggle('reset', 'Password reset', c.forgot_password === true, (on) => ({ forgot_password: on }))}
      ${toggle('guest', 'Guest checkout', c.skip_login === true, (on) => ({ skip_login: on }), 'Shows "Continue as guest" (skip_login).')}
      ${toggle('captcha', 'Security check (captcha)', c.skip_captcha === false, (on) => ({ skip_captcha: !on }))}
    </fieldset>

    <fieldset class="studio-grid studio-grid--3">
      <legend>Social sign-in</legend>
      ${toggle('google', 'Google', c.social?.google === true, (on) => ({ social: { google: on } }))}
      ${toggle('facebook', 'Facebook', c.social?.facebook === true, (on) => ({ social: { facebook: on } }))}
      ${toggle('apple', 'Apple', c.social?.apple === true, (on) => ({ social: { apple: on } }))}
    </fieldset>

    <fieldset>
      <legend>Heading and announcement</legend>
      ${text('display', 'Heading', c.display ?? '', (v) => ({ display: v }))}
      ${text('subtext', 'Subheading', c.subtext ?? '', (v) => ({ subtext: v }))}
      ${text('flash', 'Announcement text', c.flash_card?.text ?? '', (v) => ({ flash_card: { text: v } }))}
      <div class="studio-row">
        ${colour('flash-color', 'Announcement text colour', color(c.flash_card?.text_color, '#ffffff'), (v) => ({ flash_card: { text_color: v } }))}
        ${colour('flash-background', 'Announcement background', color(c.flash_card?.background_color, '#1f2937'), (v) => ({ flash_card: { background_color: v } }))}
      </div>
    </fieldset>

    <fieldset>
      <legend>Look and images</legend>
      ${colour('background', 'Page background behind the card', color(c.look_and_feel?.background_color, '#f5f5f5'), (v) => ({ look_and_feel: { background_color: v } }))}
      ${choice('position', 'Card position', c.look_and_feel?.card_position ?? 'center', [['left', 'Left'], ['center', 'Centre'], ['right', 'Right']], (v) =>
        save({ look_and_feel: { card_position: v } }, `card position ${v}`),
      )}
      ${text('desktop-image', 'Image on wide screens (URL)', c.desktop_image ?? '', (v) => ({ desktop_image: v }), 'text', id('images'))}
      ${text('mobile-image', 'Image on phones (URL)', c.mobile_image ?? '', (v) => ({ mobile_image: v }), 'text', id('images'))}
      <datalist id=${id('images')}>
        <option value="/harbor-logo.svg">The demo store's mark (same origin)</option>
        <option value="">No image</option>
      </datalist>
      <small class="studio-note">https: or this page's own origin; anything else is ignored by the widget.</small>
    </fieldset>

    ${requiredFields('required_fields', 'Contacts every signed-in shopper must have', c)}
    ${requiredFields('register_required_fields', 'Contacts asked at registration', c)}

    <fieldset>
      <legend>Account deletion</legend>
      ${text('days', 'Days before a deleted account is erased', String(c.delete_account_day ?? 0), (v) => ({ delete_account_day: Math.max(0, Math.floor(Number(v) || 0)) }), 'number')}
      <div class="studio-field">
        <label for=${id('consent')}>Consent text shown before deletion</label>
        <textarea id=${id('consent')} rows="2" .value=${live(c.delete_account_consent?.consent_text ?? '')} ?disabled=${busy}
          @change=${(e: Event) => save({ delete_account_consent: { consent_text: (e.target as HTMLTextAreaElement).value } }, 'consent text')}></textarea>
      </div>
      ${reasons(c)}
    </fieldset>

    <details class="studio-json">
      <summary>Live config (JSON, version ${c.__v})</summary>
      <pre>${JSON.stringify(c, null, 2)}</pre>
    </details>`;
}

function draw(): void {
  const root = document.getElementById('studio');
  if (!root) return;
  render(
    html`<div class="studio-head"><h2 id="studio-title">Store admin</h2><span class="studio-badge">dev only</span></div>
      <p class="studio-intro">
        Development only. These controls change the store's live platform config through the admin API; the widget on this page and
        in every other open tab follows at once.
      </p>
      <p class=${failed ? 'studio-status studio-status--error' : 'studio-status'} role="status">${status}</p>
      ${studio ? (config ? panel(config) : html`<p>Loading the config…</p>`) : html`<p>The reference service is not in development mode, so there is no admin token for the studio.</p>`}`,
    root,
  );
}

// Another tab changed the config or the page settings: show the same here.
localListeners.add((message) => {
  if (message.type === 'config') {
    status = `Changed in another tab (config version ${message.version}).`;
    failed = false;
    void load();
  }
  if (message.type === 'page') {
    page = message.settings;
    draw();
  }
});

draw();
if (studio) void load();
