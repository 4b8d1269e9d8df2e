/**
 * The password section of `<latch-account>`: change it (or set a first one), then offer to sign out
 * the other devices (ASVS 7.4.3), which goes through the sessions section's `end()`.
 */
import { nothing, html, type TemplateResult } from 'lit/html.js';
import { changePassword, hasPassword } from '../../../api/account.js';
import type { User } from '../../../api/schemas.js';
import { passwordSchema } from '../latch-account.schema.js';
import type { AccountSection, SectionHost } from './host.js';
import type { SessionsSection } from './sessions.js';

export class PasswordSection implements AccountSection {
  readonly name = 'password' as const;
  /** Accounts made by code or social sign-in have none until they set one. */
  hasPassword = true;
  #offerSignOutOthers = false;

  constructor(private readonly host: SectionHost, private readonly sessions: SessionsSection) {}

  reset(): void {
    this.#offerSignOutOthers = false;
  }

  /** Other sessions were ended: nothing left to offer. */
  othersEnded(): void {
    this.#offerSignOutOthers = false;
  }

  async load(signal: AbortSignal): Promise<void> {
    this.hasPassword = await hasPassword(this.host.store.client, { signal });
  }

  render(user: User): TemplateResult {
    const host = this.host;
    const has = this.hasPassword;
    const save = host.submit('password', passwordSchema(has), async ({ old_password, password }, signal) => {
      await changePassword(host.store.client, { old_password, new_password: password }, { signal });
      host.formNamed('password')?.reset();
      this.hasPassword = true;
      this.#offerSignOutOthers = true;
      host.say(host.t('account.passwordChanged'));
    });
    const others = this.sessions.sessions?.some((s) => !s.current) ?? true;
    return host.section('password', has ? 'account.password' : 'account.setPassword', html`
      ${host.form('password', html`
        ${host.username(user)}
        ${has ? host.passwordField('old_password', 'account.currentPassword', 'current-password') : nothing}
        ${host.passwordField('password', 'field.newPassword', 'new-password')}
      `, has ? 'account.changePassword' : 'account.setPassword', save, nothing, this.sessions.asking('password'))}
      ${this.sessions.renderReauth('password', user)}
      ${this.#offerSignOutOthers && others
        ? host.button('account.signOutOthers', 'others', () => void host.run('password', 'others', this.sessions.end('password')))
        : nothing}`);
  }
}
