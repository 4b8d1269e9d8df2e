/**
 * The delete section of `<latch-account>`: the way into `<latch-delete-account>`, which does the
 * deletion itself. Opening it moves focus into its first step. Once the account is scheduled for
 * deletion the flow's own confirmation (with the date it goes for good) stays on the page, which
 * then shows it in place of the account and offers sign-in only after it.
 */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import type { LatchDeleteAccount } from '../../latch-delete-account/latch-delete-account.js';
import { focusInside } from '../../../ui/focus-inside.js';
import type { AccountSection, SectionHost } from './host.js';

export class DeleteSection implements AccountSection {
  readonly name = 'delete' as const;
  /** The flow, made when opened; kept after a deletion so that its confirmation stays on screen. */
  #flow?: LatchDeleteAccount;
  #open = false;
  /** The account was scheduled for deletion here; cleared when the shopper goes on to sign in. */
  #deleted = false;

  constructor(
    private readonly host: SectionHost,
    /** The shopper left on purpose: the element forgets their data and asks the host for nothing. */
    private readonly left: () => void,
  ) {}

  get deleted(): boolean {
    return this.#deleted;
  }

  /** A change of shopper closes the flow, except the one whose confirmation is on screen. */
  reset(): void {
    if (this.#deleted) return;
    this.#open = false;
    this.#flow = undefined;
  }

  /** Moves focus into the flow once it shows (after opening it, or to its confirmation). */
  focus(): void {
    // The flow's step heading, once it has rendered one.
    if (this.#flow) void focusInside(this.#flow, '.latch-step__title');
  }

  /** Opens the flow (its opener is only on screen while it is closed; Cancel closes it again). */
  #openFlow(): void {
    this.#open = true;
    this.#flow ??= document.createElement('latch-delete-account');
    this.focus();
    this.host.requestUpdate();
  }

  /** The flow was cancelled: it closes, and focus goes back to the button that opened it. */
  #close(): void {
    this.#open = false;
    this.#flow = undefined;
    this.host.focusAfterRender('delete-start');
    this.host.requestUpdate();
  }

  #deletedHere(): void {
    this.#deleted = true;
    this.left();
    this.focus();
  }

  render(): TemplateResult {
    const host = this.host;
    const open = this.#open;
    // While the flow is open its own steps hold the actions (its last one is also "Delete my
    // account"), so the opener steps aside; the flow's Cancel closes it and focus returns here.
    return host.section('delete', 'account.delete', html`<p>${host.t('account.deleteIntro')}</p>
      ${open
        ? nothing
        : html`<button type="button" id=${host.fid('delete-start')} class="latch-button latch-button--danger" aria-controls=${host.fid('deletion')} @click=${() => this.#openFlow()}>
            ${host.t('account.deleteStart')}
          </button>`}
      <div id=${host.fid('deletion')} ?hidden=${!open} @latch-account-deleted=${() => this.#deletedHere()} @latch-delete-cancel=${() => this.#close()}>${open ? this.#flow : nothing}</div>`);
  }

  /** What the page shows after a deletion here: the flow's confirmation, then the way to sign in. */
  renderDeleted(signIn: () => void): TemplateResult {
    const host = this.host;
    return html`${this.#flow}
      ${host.button('auth.signIn', 'sign-in', () => {
        this.#deleted = false;
        this.reset();
        signIn();
      }, 'latch-button--primary')}`;
  }
}
