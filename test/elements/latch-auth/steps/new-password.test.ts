/**
 * Choosing a new password from an emailed reset link: the link's code never reaches an element
 * property, the rules, and a dead link.
 */
import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { axNodes } from '../../../support/a11y.js';
import '../../../../src/define.js';
import '../../../../src/dev.js';
import type { LatchAuth } from '../../../../src/elements/latch-auth/latch-auth.js';
import type { LatchErrorEvent } from '../../../../src/events.js';
import { admin, alertText, button, fill, input, resetState, sessionUser, setConfig, until } from '../../../support/service.js';
import { PATHS_CONFIG, field, latest, mount, shopperWithEmail } from '../../../support/auth.js';
import { formConformance } from '../../../support/form-conformance.js';

/** True when `value` or anything reachable from its own enumerable properties (a few levels deep) contains `secret`. */
function holds(value: unknown, secret: string, depth = 4, seen = new Set<unknown>()): boolean {
  if (typeof value === 'string') return value.includes(secret);
  if (!value || typeof value !== 'object' || depth === 0 || seen.has(value)) return false;
  seen.add(value);
  const entries = value instanceof Map ? [...value.values()] : Object.values(value);
  return entries.some((entry) => holds(entry, secret, depth - 1, seen));
}

describe('<latch-auth> step: new-password', () => {
  const home = location.href;
  // A test that opens a reset link changes the address; the next one starts from the test page.
  afterEach(() => history.replaceState(null, '', home));
  beforeEach(async () => {
    await resetState();
    await setConfig(PATHS_CONFIG);
  });

    it('resets by an emailed link, ends other sessions, and does not sign in by itself', async () => {
      // A session on another device, made through the admin API; the reset must end it.
      const shopper = await shopperWithEmail();
      await admin('/customers/session', { method: 'POST', body: JSON.stringify({ user_id: shopper._id }) });
      const liveSessions = async () =>
        ((await (await admin(`/customers/sessions?id=${shopper._id}`)).json()) as { items: unknown[] }).items.length;
      expect(await liveSessions()).to.equal(1);

      let el = await mount();
      button(el, 'Forgot password?')!.click();
      await until(() => button(el, 'Send reset link'), 'the forgot-password step');
      expect(document.activeElement?.textContent, 'focus moves to the new step').to.equal('Reset your password');
      fill(input(el, 'Email')!, shopper.email);
      await expect(el).to.be.accessible();
      button(el, 'Send reset link')!.click();
      await until(() => el.textContent?.includes('If an account exists for'), 'the sent notice');
      const mail = await latest(shopper.email);
      expect(mail.link).to.contain('code=');
      expect(await liveSessions(), 'asking for a link changes nothing yet').to.equal(1);
      el.remove();

      // The shopper opens the link on the store's page (the test page: the link keeps its address).
      expect(new URL(mail.link!).searchParams.get('wtr-session-id')).to.equal(new URL(home).searchParams.get('wtr-session-id'));
      history.replaceState(null, '', mail.link!);
      el = await fixture<LatchAuth>(html`<latch-auth></latch-auth>`);
      const password = await field(el, 'New password');
      expect(password.autocomplete).to.equal('new-password');
      expect(location.search, 'the code leaves the address bar').to.not.contain('code=');
      expect(location.search).to.contain('wtr-session-id');
      const code = new URL(mail.link!).searchParams.get('code')!;
      expect(holds(el, code), 'and no property of the element holds it for page scripts to read').to.equal(false);
      await expect(el).to.be.accessible();
      fill(password, 'short');
      button(el, 'Save new password')!.click();
      await until(() => el.textContent?.includes('Use at least 8 characters.'), 'the length rule');
      fill(input(el, 'New password')!, 'password123');
      button(el, 'Save new password')!.click();
      await until(() => el.textContent?.includes('one of the most common'), 'the common-password refusal');
      expect(input(el, 'New password')!.getAttribute('aria-invalid'), 'shown at the field').to.equal('true');
      fill(input(el, 'New password')!, 'a-brand-new-secret-42');
      button(el, 'Save new password')!.click();
      await until(() => el.textContent?.includes('Your password has been changed'), 'the success notice');
      expect(input(el, 'Password'), 'back on the sign-in form').to.not.equal(null);
      expect(await liveSessions(), 'every earlier session ended').to.equal(0);
      expect(await sessionUser(), 'and the reset signed nobody in').to.equal(null);

      fill(input(el, 'Email')!, shopper.email);
      fill(input(el, 'Password')!, shopper.password);
      button(el, 'Sign in')!.click();
      await until(() => alertText(el).includes('incorrect'), 'the old password refused');
      fill(input(el, 'Password')!, 'a-brand-new-secret-42');
      button(el, 'Sign in')!.click();
      await until(() => button(el, 'Sign out'), 'sign-in with the new password');
    });

  /** A fresh reset link for a new shopper, opened on this page. */
  async function openLink(): Promise<LatchAuth> {
    const shopper = await shopperWithEmail();
    await fetch('/service/application/user/authentication/v1.0/login/password/reset', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: shopper.email }),
    });
    history.replaceState(null, '', (await latest(shopper.email)).link!);
    const el = await fixture<LatchAuth>(html`<latch-auth></latch-auth>`);
    await until(() => button(el, 'Save new password'), 'the new-password step, once the link is checked');
    return el;
  }

  it('says the new password\'s rule at the field, before anything is typed, and the problem after it', async () => {
    // The tree read is the whole page's: earlier tests' forms go first.
    fixtureCleanup();
    const el = await openLink();
    const [field] = await axNodes('textbox', 'New password');
    expect(field.description, 'heard on reaching the field').to.equal('At least 8 characters. A long phrase you can remember is best.');
    expect(el.textContent).to.contain('At least 8 characters. A long phrase you can remember is best.');
    await expect(el).to.be.accessible();
    fill(input(el, 'New password')!, 'short');
    button(el, 'Save new password')!.click();
    await until(() => input(el, 'New password')!.getAttribute('aria-invalid') === 'true', 'the length rule');
    expect((await axNodes('textbox', 'New password'))[0].description).to.equal('At least 8 characters. A long phrase you can remember is best. Use at least 8 characters.');
    await expect(el).to.be.accessible();
  });

  it('says a dead link is dead, in words, with the way to a new one', async () => {
    history.replaceState(null, '', `${location.pathname}${location.search}&code=${'0'.repeat(40)}`);
    const errors: LatchErrorEvent[] = [];
    const el = await fixture<LatchAuth>(html`<latch-auth></latch-auth>`);
    el.addEventListener('latch-error', (e) => errors.push(e));
    await until(() => alertText(el), 'the dead-link message');
    expect(alertText(el)).to.equal('This reset link has expired or was already used. Enter your email to get a new one.');
    expect(el.querySelector('h3')!.textContent).to.equal('Reset your password');
    expect(button(el, 'Send reset link'), 'the way to a new link').to.not.equal(null);
    expect(input(el, 'Email')).to.not.equal(null);
    await expect(el).to.be.accessible();
  });

  formConformance('new password', {
    open: openLink,
    fields: [['New password', 'new-password']],
    fillValid: (el) => fill(input(el, 'New password')!, 'a-brand-new-secret-42'),
    path: '/login/password/reset/forgot',
  });
});
