/**
 * The sessions section of `<latch-account>`: where the shopper is signed in, signing out one other
 * device or all of them (with the password again when the service asks for it), and signing out here.
 * The password section borrows `end()` and the password prompt to offer the same after a change.
 */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import { endSessions, listSessions, type SessionInfo } from '../../../api/account.js';
import { toApiError } from '../../../api/errors.js';
import type { User } from '../../../api/schemas.js';
import { LatchSessionRevokedEvent } from '../../../events.js';
import type { MessageKey } from '../../../i18n/en.js';
import { reauthSchema } from '../latch-account.schema.js';
import type { AccountSection, Section, SectionHost } from './host.js';

const DEVICES: Record<string, MessageKey> = { desktop: 'account.desktop', mobile: 'account.phone', tablet: 'account.tablet' };

export class SessionsSection implements AccountSection {
  readonly name = 'sessions' as const;
  sessions?: SessionInfo[];
  /** Ending sessions waits for the password again: which one (all others when `id` is undefined), asked where. */
  #reauth?: { id?: string; section: Section };

  constructor(
    private readonly host: SectionHost,
    /** Whether the shopper has a password to confirm with (else the service's refusal is told as is). */
    private readonly hasPassword: () => boolean,
    /** Signs out here, as the element does it. */
    private readonly signOut: () => void,
    /** Called once other sessions are ended from `section`. */
    private readonly ended: (section: Section) => void,
  ) {}

  reset(): void {
    this.sessions = this.#reauth = undefined;
  }

  async load(signal: AbortSignal): Promise<void> {
    this.sessions = await listSessions(this.host.store.client, { signal });
  }

  /** Work that ends one other session or all others, asking for the password when the service wants it. */
  end(section: Section, id?: string, password?: string) {
    return async (signal: AbortSignal) => {
      const host = this.host;
      const client = host.store.client;
      const ended = id ? [id] : (this.sessions ?? []).filter((s) => !s.current).map((s) => s.session_id);
      try {
        await endSessions(client, id, password, { signal });
      } catch (error) {
        // 401 REAUTH_REQUIRED is not a sign-out: the session is fine, it only needs the password again.
        if (toApiError(error).code !== 'REAUTH_REQUIRED' || !this.hasPassword()) throw error;
        this.#reauth = { id, section };
        host.say(host.t('account.reauth'));
        host.focusAfterRender('reauth');
        return;
      }
      this.#reauth = undefined;
      this.ended(section);
      host.say(host.t(id ? 'account.revokedOne' : 'account.revokedAll'));
      host.focusAfterRender(`${section}-heading`);
      host.dispatchEvent(new LatchSessionRevokedEvent({ sessionIds: ended }));
      this.sessions = await listSessions(client, { signal });
    };
  }

  /** The password prompt shows in `section`: its Confirm is that section's primary action. */
  asking(section: Section): boolean {
    return this.#reauth?.section === section;
  }

  /** The password prompt, in the section that asked to end sessions. */
  renderReauth(section: Section, user: User): TemplateResult | typeof nothing {
    if (this.#reauth?.section !== section) return nothing;
    const host = this.host;
    const { id } = this.#reauth;
    const confirm = host.submit(section, reauthSchema, ({ current_password }, signal) => this.end(section, id, current_password)(signal));
    return html`<div id=${host.fid('reauth')} tabindex="-1">${host.form('reauth', html`
      ${host.username(user)}
      ${host.passwordField('current_password', 'field.password', 'current-password')}
    `, 'account.confirm', confirm, host.cancel(() => (this.#reauth = undefined), `${section}-heading`))}</div>`;
  }

  #ago(iso: string): string {
    const seconds = (Date.parse(iso) - Date.now()) / 1000;
    const abs = Math.abs(seconds);
    const [size, unit]: [number, Intl.RelativeTimeFormatUnit] =
      abs < 60 ? [1, 'second'] : abs < 3600 ? [60, 'minute'] : abs < 86400 ? [3600, 'hour'] : [86400, 'day'];
    return new Intl.RelativeTimeFormat(this.host.lang, { numeric: 'auto' }).format(Math.round(seconds / size), unit);
  }

  render(user: User): TemplateResult {
    const host = this.host;
    const sessions = this.sessions;
    if (!sessions) return host.section('sessions', 'account.sessions', host.loadingOr('sessions'));
    const dates = new Intl.DateTimeFormat(host.lang, { dateStyle: 'medium', timeStyle: 'short' });
    const valid = (iso?: string): iso is string => !!iso && !Number.isNaN(Date.parse(iso));
    const item = (s: SessionInfo, n: number) => {
      const id = host.fid(`session-${n}`);
      const device = DEVICES[s.device ?? ''];
      const name = host.t('account.device', { browser: s.browser || host.t('account.unknownBrowser'), os: s.os || host.t('account.unknownOs') });
      const details = [
        s.ip && host.t('account.ip', { ip: s.ip }),
        s.location,
        valid(s.last_active_at) && host.t('account.lastActive', { time: this.#ago(s.last_active_at) }),
        valid(s.expires_at) && host.t('account.expires', { time: dates.format(new Date(s.expires_at)) }),
      ].filter(Boolean);
      return html`<li class="latch-entry">
        <span class="latch-entry__name" id=${id}>${s.browser || s.os || device
          ? device ? host.t('account.deviceKind', { name, kind: host.t(device) }) : name
          : host.t('account.session', { id: s.session_id.slice(0, 8) })}</span>
        ${s.current ? host.badge('account.thisDevice') : nothing}
        ${details.length ? html`<span class="latch-entry__details">${details.map((d) => html`<span>${d}</span>`)}</span>` : nothing}
        ${s.current
          ? nothing
          : html`<span class="latch-actions">${host.button('account.signOutSession', `revoke-${n}`, () => void host.run('sessions', `revoke-${n}`, this.end('sessions', s.session_id)), '', id)}</span>`}
      </li>`;
    };
    return host.section('sessions', 'account.sessions', html`<ul class="latch-entries">${sessions.map(item)}</ul>
      ${this.renderReauth('sessions', user)}
      <div class="latch-actions">
        ${host.button('account.signOutHere', 'logout', () => this.signOut(), this.asking('sessions') ? '' : 'latch-button--primary')}
        ${sessions.some((s) => !s.current) ? host.button('account.signOutAll', 'others', () => void host.run('sessions', 'others', this.end('sessions')), 'latch-link') : nothing}
      </div>`);
  }
}
