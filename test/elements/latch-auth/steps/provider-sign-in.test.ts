/**
 * Sign-in through a provider's window (the dev provider of the reference service).
 */
import { expect, oneEvent } from '@open-wc/testing';
import '../../../../src/define.js';
import '../../../../src/dev.js';
import type { LatchAuth } from '../../../../src/elements/latch-auth/latch-auth.js';
import type { LatchLoginEvent } from '../../../../src/events.js';
import { alertText, button, resetState, sessionUser, setConfig, until } from '../../../support/service.js';
import { PATHS_CONFIG, mount } from '../../../support/auth.js';

/** Opens the provider popup for real and chooses an identity on its consent page. */
async function consent(el: LatchAuth, name: string, choice: string): Promise<void> {
  const open = window.open;
  let popup: Window | null = null;
  window.open = (...args) => (popup = open.apply(window, args));
  try {
    button(el, name)!.click();
    // Loaded, not just parsed: the page's script must have wired its buttons.
    await until(() => popup?.document.readyState === 'complete' && popup.document.querySelector('button'), 'the consent page');
  } finally {
    window.open = open;
  }
  const pick = await until(
    () => [...popup!.document.querySelectorAll('button')].find((b) => b.textContent?.includes(choice)),
    `the "${choice}" choice`,
  );
  pick.click();
}

describe('<latch-auth> step: provider-sign-in', () => {
  const home = location.href;
  // A test that opens a reset link changes the address; the next one starts from the test page.
  afterEach(() => history.replaceState(null, '', home));
  beforeEach(async () => {
    await resetState();
    await setConfig(PATHS_CONFIG);
  });

    it('shows only the enabled providers', async () => {
      await setConfig({ social: { google: true, facebook: false, apple: true }, social_tokens: { google: { app_id: 'g-app' } } });
      const el = await mount();
      expect(button(el, 'Continue with Google')).to.not.equal(null);
      expect(button(el, 'Continue with Apple')).to.not.equal(null);
      expect(button(el, 'Continue with Facebook')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('signs in through the provider and the service', async () => {
      await setConfig({ social: { google: true }, social_tokens: { google: { app_id: 'g-app' } } });
      const el = await mount();
      const login = oneEvent(el, 'latch-login') as Promise<LatchLoginEvent>;
      await consent(el, 'Continue with Google', 'Priya');
      const event = await login;
      expect(event.detail.method).to.equal('google');
      expect(event.detail.user.emails?.[0]?.email).to.equal('priya@example.com');
      await until(() => button(el, 'Sign out'), 'the signed-in state');
    });

    it('goes back quietly when the shopper cancels', async () => {
      await setConfig({ social: { facebook: true } });
      const el = await mount();
      await consent(el, 'Continue with Facebook', 'Cancel');
      await until(() => button(el, 'Continue with Facebook')?.getAttribute('aria-disabled') === 'false', 'the button again');
      expect(alertText(el)).to.equal('');
      expect(await sessionUser()).to.equal(null);
    });

  it('puts the providers first, with their marks, above an "or" and the form; guest apart at the bottom', async () => {
    await setConfig({ social: { google: true, apple: true, facebook: true }, skip_login: true, social_tokens: { google: { app_id: 'g-app' } } });
    const el = await mount();
    const names = [...el.querySelectorAll<HTMLButtonElement>('.latch-social')].map((b) => b.textContent!.trim());
    expect(names).to.deep.equal(['Continue with Google', 'Continue with Facebook', 'Continue with Apple'].filter((n) => names.includes(n)));
    expect(names).to.have.members(['Continue with Google', 'Continue with Apple', 'Continue with Facebook']);
    const first = button(el, names[0])!;
    const form = el.querySelector('form')!;
    const divider = el.querySelector('.latch-divider')!;
    expect(divider.textContent!.trim()).to.equal('or');
    const before = (a: Node, b: Node) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    expect(before(first, divider) && before(divider, form), 'providers, then "or", then the form').to.equal(true);
    expect(first.getBoundingClientRect().top).to.be.below(form.getBoundingClientRect().top);
    for (const provider of ['google', 'apple', 'facebook']) {
      const mark = el.querySelector(`.latch-social--${provider} svg`)!;
      expect(mark, `${provider} mark`).to.not.equal(null);
      expect(mark.getAttribute('aria-hidden')).to.equal('true');
    }
    // Each in its own colours: Google light, Facebook blue, Apple black (in the light theme).
    const bg = (provider: string) => getComputedStyle(el.querySelector(`.latch-social--${provider}`)!).backgroundColor;
    expect(bg('google')).to.equal('rgb(255, 255, 255)');
    expect(bg('facebook')).to.equal('rgb(8, 102, 255)');
    expect(bg('apple')).to.equal('rgb(0, 0, 0)');
    // Guest is not one of them: a quiet button after the form.
    const guest = button(el, 'Continue as guest')!;
    expect(guest.classList.contains('latch-social')).to.equal(false);
    expect(before(form, guest)).to.equal(true);
    expect(getComputedStyle(guest).borderTopColor).to.equal('rgba(0, 0, 0, 0)');
    await expect(el).to.be.accessible();
    el.setAttribute('theme', 'dark');
    await el.updateComplete;
    expect(bg('apple')).to.equal('rgb(255, 255, 255)');
    await expect(el).to.be.accessible();
  });

  it('shows progress on the clicked provider only, while its window is open', async () => {
    await setConfig({ social: { google: true, facebook: true }, social_tokens: { google: { app_id: 'g-app' } } });
    const el = await mount();
    const open = window.open;
    let popup: Window | null = null;
    window.open = (...args) => (popup = open.apply(window, args));
    try {
      button(el, 'Continue with Google')!.click();
      await until(() => popup, 'the provider window');
    } finally {
      window.open = open;
    }
    await el.updateComplete;
    const signInButton = el.querySelector<HTMLButtonElement>('form button[type="submit"]')!;
    expect(signInButton.textContent!.trim(), 'the password form is not what is waiting').to.equal('Sign in');
    expect(signInButton.getAttribute('aria-busy')).to.equal('false');
    const google = el.querySelector<HTMLButtonElement>('.latch-social--google')!;
    expect(google.getAttribute('aria-busy'), 'the clicked provider shows progress').to.equal('true');
    expect(google.textContent!.trim()).to.equal('Please wait…');
    expect(button(el, 'Continue with Facebook')!.getAttribute('aria-busy')).to.equal('false');
    await expect(el).to.be.accessible();
    (popup as Window | null)?.close();
  });
});
