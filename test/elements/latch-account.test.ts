/**
 * <latch-account> end to end: the element in Chromium, the reference service over HTTP, codes read
 * from its dev outbox, sessions made and checked through the admin API. Each part of the page is
 * driven like a shopper would (labels, buttons, the keyboard), and checked with axe in each state.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/define.js';
import '../../src/dev.js';
import { LatchClient } from '../../src/api/client.js';
import type { LatchAccount } from '../../src/elements/latch-account/latch-account.js';
import type { LatchProfileUpdatedEvent, LatchSessionRevokedEvent } from '../../src/events.js';
import {
  APP_BASE,
  BASELINE_CONFIG,
  admin,
  alertText,
  button,
  fill,
  input,
  resetState,
  sessionUser,
  setConfig,
  until,
} from '../support/service.js';

interface Shopper {
  id: string;
  email: string;
  password: string;
}

let counter = 0;
/** A fresh shopper (verified email, password) through the admin API, so tests never share one. */
async function shopper(): Promise<Shopper> {
  const email = `account-${++counter}-${Date.now()}@example.com`;
  const password = 'account-shopper-password';
  const response = await admin('/customers?verified=true', {
    method: 'POST',
    body: JSON.stringify({ email, first_name: 'Ada', last_name: 'Lovelace', password }),
  });
  expect(response.status, await response.clone().text()).to.equal(200);
  const { user } = (await response.json()) as { user: { _id: string } };
  return { id: user._id, email, password };
}

async function signIn(s: Shopper): Promise<void> {
  const response = await fetch(`${APP_BASE}/authentication/v1.0/login/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: s.email, password: s.password }),
  });
  expect(response.status, await response.clone().text()).to.equal(200);
}

/** Public ids of the shopper's live sessions, as the admin sees them. */
async function sessionIds(s: Shopper): Promise<string[]> {
  const response = await admin(`/customers/sessions?id=${s.id}`);
  return ((await response.json()) as { items: { session_id: string }[] }).items.map((i) => i.session_id);
}

/** A session made by the admin API for the shopper (another device, as far as the page knows). */
async function otherSession(s: Shopper): Promise<string> {
  const response = await admin('/customers/session', { method: 'POST', body: JSON.stringify({ user_id: s.id }) });
  return ((await response.json()) as { session_id: string }).session_id;
}

async function latestCode(to: string): Promise<string> {
  let code: string | undefined;
  await until(async () => {
    const response = await fetch(`/__dev/outbox?to=${encodeURIComponent(to)}`);
    code = ((await response.json()) as { items: { code?: string }[] }).items[0]?.code;
    return code;
  }, `a code to ${to}`);
  return code!;
}

const title = (el: Element) => el.querySelector('h2')?.textContent?.trim();
const loading = (el: Element) => el.textContent!.includes('Loading your account');

async function mount(template = html`<latch-account></latch-account>`): Promise<LatchAccount> {
  const el = await fixture<LatchAccount>(template);
  await until(() => title(el) && !loading(el), 'the account page to settle');
  return el;
}

/** The section a heading names. */
function section(el: Element, name: string): HTMLElement {
  const heading = [...el.querySelectorAll('h3')].find((h) => h.textContent?.trim() === name);
  expect(Boolean(heading), `section "${name}"`).to.equal(true);
  return heading!.closest('section')!;
}

const statusText = (root: ParentNode) => [...root.querySelectorAll('[role="status"]')].map((s) => s.textContent?.trim()).join(' ').trim();
const entries = (root: ParentNode) => [...root.querySelectorAll<HTMLElement>('.latch-entry')];

function choose(select: HTMLSelectElement, value: string): void {
  select.focus();
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Presses Tab until `target` has focus, as a keyboard user would reach it. */
async function tabTo(target: HTMLElement, most = 30): Promise<void> {
  for (let i = 0; i < most && document.activeElement !== target; i++) await sendKeys({ press: 'Tab' });
  expect(document.activeElement === target, 'reached by Tab').to.equal(true);
}

describe('<latch-account> with the reference service', () => {
  let requiredEvents = 0;
  const countRequired = () => requiredEvents++;
  before(() => document.addEventListener('latch-login-required', countRequired));
  after(() => document.removeEventListener('latch-login-required', countRequired));
  beforeEach(async () => {
    await resetState();
    await setConfig({ ...BASELINE_CONFIG, skip_captcha: true, required_fields: { email: { is_required: false, level: 'soft' }, mobile: { is_required: false, level: 'soft' } } });
    requiredEvents = 0;
  });

  describe('signed out', () => {
    it('asks for sign-in, fires latch-login-required, and shows the account once signed in there', async () => {
      const s = await shopper();
      const el = await mount();
      expect(title(el)).to.equal('Sign in to your account');
      expect(requiredEvents).to.equal(1);
      const auth = el.querySelector('latch-auth')!;
      expect(auth !== null, 'an embedded sign-in form').to.equal(true);
      await until(() => input(auth, 'Email'), 'the embedded form');
      await expect(el).to.be.accessible();

      fill(input(el, 'Email')!, s.email);
      fill(input(el, 'Password')!, s.password);
      button(el, 'Sign in')!.click();
      await until(() => title(el) === 'Your account', 'the account');
      expect(el.querySelector('latch-auth') === null, 'the sign-in form is gone').to.equal(true);
      await until(() => !loading(el), 'the account to load');
      expect(input(el, 'First name')!.value).to.equal('Ada');
      expect(document.activeElement === el.querySelector('h2'), 'focus on the account heading').to.equal(true);
      expect(requiredEvents, 'not fired again').to.equal(1);
      await expect(el).to.be.accessible();
    });

    it('leaves sign-in to the host with sign-in="event"', async () => {
      const el = await mount(html`<latch-account sign-in="event"></latch-account>`);
      expect(title(el)).to.equal('Sign in to your account');
      expect(el.querySelector('latch-auth') === null, 'absent').to.equal(true);
      expect(requiredEvents).to.equal(1);
      await expect(el).to.be.accessible();
    });
  });

  describe('profile', () => {
    it('saves the profile, which persists across a re-mount', async () => {
      const s = await shopper();
      await signIn(s);
      let el = await mount();
      const profile = section(el, 'Profile');
      expect(input(profile, 'First name')!.autocomplete).to.equal('given-name');
      expect(input(profile, 'Date of birth')!.type).to.equal('date');
      const gender = input(profile, 'Gender') as unknown as HTMLSelectElement;
      expect([...gender.options].map((o) => o.textContent)).to.deep.equal(['Prefer not to say', 'Female', 'Male', 'Other']);
      expect(profile.querySelector('img') === null, 'no picture yet').to.equal(true);

      fill(input(profile, 'First name')!, 'Grace');
      fill(input(profile, 'Last name (optional)')!, 'Hopper');
      choose(gender, 'female');
      fill(input(profile, 'Date of birth')!, '1906-12-09');
      fill(input(profile, 'Profile picture address (URL)')!, 'https://example.com/grace.png');
      const updated = oneEvent(el, 'latch-profile-updated') as Promise<LatchProfileUpdatedEvent>;
      button(profile, 'Save changes')!.click();
      expect((await updated).detail.user.first_name).to.equal('Grace');
      await until(() => statusText(profile).includes('Your changes are saved.'), 'the saved notice');
      const img = profile.querySelector('img')!;
      expect(img.getAttribute('src')).to.equal('https://example.com/grace.png');
      expect(img.alt).to.equal('Profile picture of Grace Hopper');
      await expect(el).to.be.accessible();

      el.remove();
      el = await mount();
      const again = section(el, 'Profile');
      expect(input(again, 'First name')!.value).to.equal('Grace');
      expect(input(again, 'Last name (optional)')!.value).to.equal('Hopper');
      expect((input(again, 'Gender') as unknown as HTMLSelectElement).value).to.equal('female');
      expect(input(again, 'Date of birth')!.value).to.equal('1906-12-09');
    });

    it('refuses bad values at their fields and shows no preview of an unsafe picture address', async () => {
      await signIn(await shopper());
      const el = await mount();
      const profile = section(el, 'Profile');
      fill(input(profile, 'First name')!, ' ');
      fill(input(profile, 'Profile picture address (URL)')!, 'javascript:alert(1)');
      input(profile, 'Profile picture address (URL)')!.dispatchEvent(new Event('change', { bubbles: true }));
      button(profile, 'Save changes')!.click();
      const first = input(profile, 'First name')!;
      await until(() => first.getAttribute('aria-invalid') === 'true', 'the first-name error');
      expect(document.activeElement === first, 'focus on the first problem').to.equal(true);
      const picture = input(profile, 'Profile picture address (URL)')!;
      expect(picture.getAttribute('aria-invalid')).to.equal('true');
      expect(document.getElementById(picture.getAttribute('aria-describedby')!)!.textContent).to.equal('Enter a web address that starts with https://.');
      expect(alertText(profile)).to.equal('Please fix the highlighted fields.');
      expect(profile.querySelector('img') === null, 'no preview for a javascript: address').to.equal(true);
      await expect(el).to.be.accessible();
    });

    it('saves by keyboard alone', async () => {
      await signIn(await shopper());
      const el = await mount();
      const profile = section(el, 'Profile');
      const first = input(profile, 'First name')!;
      (profile.querySelector('h3') as HTMLElement).focus();
      await tabTo(first);
      await sendKeys({ down: 'Control' });
      await sendKeys({ press: 'KeyA' });
      await sendKeys({ up: 'Control' });
      await sendKeys({ type: 'Katherine' });
      const updated = oneEvent(el, 'latch-profile-updated') as Promise<LatchProfileUpdatedEvent>;
      await sendKeys({ press: 'Enter' });
      expect((await updated).detail.user.first_name).to.equal('Katherine');
      expect(((await sessionUser()) as { first_name: string }).first_name).to.equal('Katherine');
    });
  });

  describe('custom attributes', () => {
    it('edits attributes by type; the values persist across a re-mount', async () => {
      await signIn(await shopper());
      let el = await mount();
      const prefs = section(el, 'Preferences');
      const size = input(prefs, 'Shoe size')!;
      expect(size.type).to.equal('number');
      expect([size.min, size.max]).to.deep.equal(['1', '60']);
      const frequency = input(prefs, 'Newsletter frequency') as unknown as HTMLSelectElement;
      expect([...frequency.options].map((o) => o.value)).to.deep.equal(['', 'weekly', 'monthly', 'never']);
      const reminders = input(prefs, 'Birthday reminders')!;
      expect(reminders.type).to.equal('checkbox');
      // The definition's description is the field's hint.
      expect(document.getElementById(size.getAttribute('aria-describedby')!)!.textContent).to.equal('Your usual shoe size (EU)');

      fill(size, '42');
      choose(frequency, 'monthly');
      reminders.click();
      button(prefs, 'Save changes')!.click();
      await until(() => statusText(prefs).includes('Your changes are saved.'), 'the saved notice');
      await expect(el).to.be.accessible();

      el.remove();
      el = await mount();
      const again = section(el, 'Preferences');
      expect(input(again, 'Shoe size')!.value).to.equal('42');
      expect((input(again, 'Newsletter frequency') as unknown as HTMLSelectElement).value).to.equal('monthly');
      expect(input(again, 'Birthday reminders')!.checked).to.equal(true);
      const values = (await (await fetch(`${APP_BASE}/profile/v1.0/user-attributes`)).json()) as { attributes: Record<string, unknown> };
      expect(values.attributes).to.deep.equal({ shoe_size: 42, newsletter_frequency: 'monthly', birthday_reminders: true });
    });

    it('refuses an out-of-range number and an option the store no longer offers, at the field', async () => {
      await signIn(await shopper());
      const el = await mount();
      const prefs = section(el, 'Preferences');
      fill(input(prefs, 'Shoe size')!, '99');
      button(prefs, 'Save changes')!.click();
      // The service names the field (`meta.fields["attributes.shoe_size"]`); its words show there.
      const size = () => input(section(el, 'Preferences'), 'Shoe size')!;
      await until(() => size().getAttribute('aria-invalid') === 'true', 'the number error');
      expect(document.getElementById(size().getAttribute('aria-describedby')!.split(' ').pop()!)!.textContent).to.equal('must be at most 60');
      expect(size().value, 'what was typed stays').to.equal('99');
      expect(document.activeElement === size(), 'focus on the field').to.equal(true);
      expect(alertText(prefs)).to.equal('Please fix the highlighted fields.');

      // The store drops "weekly" after the page was drawn: the service refuses it, the field says so.
      const list = (await (await admin('/user_attribute/definition?slug=newsletter_frequency')).json()) as { items: { _id: string }[] };
      const definition = `/user_attribute/definition/${list.items[0]._id}`;
      fill(size(), '41');
      choose(input(prefs, 'Newsletter frequency') as unknown as HTMLSelectElement, 'weekly');
      const put = (options: string[]) =>
        admin(definition, { method: 'PUT', body: JSON.stringify({ validations: [{ type: 'enum', value: options }] }) });
      expect((await put(['monthly', 'never'])).status).to.equal(200);
      try {
        button(prefs, 'Save changes')!.click();
        const select = () => input(section(el, 'Preferences'), 'Newsletter frequency') as unknown as HTMLSelectElement;
        await until(() => select().getAttribute('aria-invalid') === 'true', 'the option error');
        expect(document.getElementById(`${select().id}-error`)!.textContent).to.equal('expected one of monthly, never');
        expect([...select().options].map((o) => o.value), 'the current options').to.deep.equal(['', 'monthly', 'never']);
        const values = (await (await fetch(`${APP_BASE}/profile/v1.0/user-attributes`)).json()) as { attributes: Record<string, unknown> };
        expect(values.attributes, 'all or nothing: the valid size was not written either').to.deep.equal({});
        await expect(el).to.be.accessible();
      } finally {
        await put(['weekly', 'monthly', 'never']);
      }
    });
  });

  describe('emails and phones', () => {
    it('adds an email with a code, makes it primary, and keeps the last verified one', async () => {
      const s = await shopper();
      await signIn(s);
      const el = await mount();
      let contacts = section(el, 'Email addresses and phone numbers');
      let [only] = entries(contacts);
      expect(only.textContent).to.contain(s.email).and.contain('Primary').and.contain('Verified');
      expect(button(only, 'Remove') === null, 'the only verified contact cannot be removed').to.equal(true);
      expect(only.textContent).to.contain('Cannot be removed: it is your only verified way to sign in.');

      const second = `second-${Date.now()}@example.com`;
      fill(input(contacts, 'Email')!, second);
      button(contacts, 'Send code')!.click();
      const code = await until(() => input(contacts, 'Code'), 'the code field');
      expect(code.autocomplete).to.equal('one-time-code');
      expect(document.activeElement === code, 'focus on the code').to.equal(true);
      fill(code, '000000');
      button(contacts, 'Verify')!.click();
      await until(() => alertText(contacts) === 'That code is not right. Check it and try again.', 'the wrong-code error');
      expect(code.value, 'a wrong code is cleared').to.equal('');
      expect(document.activeElement === code, 'focus back on the code').to.equal(true);
      await expect(el).to.be.accessible();
      const updated = oneEvent(el, 'latch-profile-updated') as Promise<LatchProfileUpdatedEvent>;
      fill(code, await latestCode(second));
      button(contacts, 'Verify')!.click();
      expect((await updated).detail.user.emails?.map((e) => e.email)).to.include(second);
      await until(() => entries(contacts).length === 2, 'two contacts');
      expect(statusText(contacts)).to.contain(`${second} is added and verified.`);

      const added = entries(contacts).find((e) => e.textContent!.includes(second))!;
      expect(added.textContent).to.contain('Verified').and.not.contain('Primary');
      button(added, 'Make primary')!.click();
      await until(() => entries(contacts).find((e) => e.textContent!.includes(second))!.textContent!.includes('Primary'), 'the new primary');
      expect(entries(contacts).find((e) => e.textContent!.includes(s.email))!.textContent).to.not.contain('Primary');
      await expect(el).to.be.accessible();

      // Behind the page's back the first address loses its verification: the page still offers to
      // remove the second, and the service refuses to leave the account without a verified contact.
      const put = await admin(`/customers/${s.id}`, {
        method: 'PUT',
        body: JSON.stringify({
          emails: [
            { email: s.email, verified: false, primary: false, active: true },
            { email: second, verified: true, primary: true, active: true },
          ],
        }),
      });
      expect(put.status, await put.clone().text()).to.equal(200);
      contacts = section(el, 'Email addresses and phone numbers');
      button(entries(contacts).find((e) => e.textContent!.includes(second))!, 'Remove')!.click();
      await until(() => alertText(contacts), 'the refusal');
      expect(alertText(contacts)).to.equal('This is your only verified contact, so it cannot be removed. Verify another one first.');
      expect(((await sessionUser()) as { emails: unknown[] }).emails).to.have.length(2);
      await expect(el).to.be.accessible();
    });

    it('removes a contact that is not needed, and hides removal of one the store requires', async () => {
      const s = await shopper();
      await signIn(s);
      const second = `removable-${Date.now()}@example.com`;
      await admin(`/customers/${s.id}`, {
        method: 'PUT',
        body: JSON.stringify({
          emails: [
            { email: s.email, verified: true, primary: true, active: true },
            { email: second, verified: true, primary: false, active: true },
          ],
        }),
      });
      const el = await mount();
      const contacts = section(el, 'Email addresses and phone numbers');
      expect(entries(contacts).map((e) => Boolean(button(e, 'Remove')))).to.deep.equal([true, true]);
      button(entries(contacts).find((e) => e.textContent!.includes(second))!, 'Remove')!.click();
      await until(() => entries(contacts).length === 1, 'one contact left');
      expect(statusText(contacts)).to.contain(`${second} is removed.`);
      expect(document.activeElement === contacts.querySelector('h3'), 'focus on the section heading').to.equal(true);
      el.remove();

      // With a phone as well, the only verified email could go, unless the store hard-requires one.
      await admin(`/customers/${s.id}`, { method: 'PUT', body: JSON.stringify({ phone_numbers: [{ phone: '9876501234', country_code: 91, verified: true, primary: true, active: true }] }) });
      await setConfig({ required_fields: { email: { is_required: true, level: 'hard' }, mobile: { is_required: false, level: 'soft' } } });
      localStorage.clear();
      const again = await mount();
      const list = entries(section(again, 'Email addresses and phone numbers'));
      const email = list.find((e) => e.textContent!.includes(s.email))!;
      const phone = list.find((e) => e.textContent!.includes('+91 9876501234'))!;
      expect(button(email, 'Remove') === null, 'no removal of the required email').to.equal(true);
      expect(email.textContent).to.contain('Cannot be removed: this store needs a verified email address.');
      expect(button(phone, 'Remove') !== null, 'the phone can go').to.equal(true);
    });
  });

  describe('password', () => {
    it('refuses a wrong current password and a weak new one at their fields, then offers to sign out elsewhere', async () => {
      const s = await shopper();
      await signIn(s);
      const other = await otherSession(s);
      const el = await mount();
      const box = section(el, 'Password');
      const current = input(box, 'Current password')!;
      const next = input(box, 'New password')!;
      expect([current.autocomplete, next.autocomplete]).to.deep.equal(['current-password', 'new-password']);
      expect(box.querySelector<HTMLInputElement>('input[autocomplete="username"]')!.value).to.equal(s.email);
      const show = box.querySelector<HTMLButtonElement>(`[aria-controls="${next.id}"]`)!;
      show.click();
      expect([next.type, show.getAttribute('aria-pressed')]).to.deep.equal(['text', 'true']);
      show.click();

      fill(current, 'not-the-password');
      fill(next, 'a-brand-new-password');
      button(box, 'Change password')!.click();
      await until(() => current.getAttribute('aria-invalid') === 'true', 'the wrong-password error');
      expect(el.querySelector(`#${current.id}-error`)!.textContent).to.equal('That is not your current password. Check it and try again.');
      expect(current.value, 'a wrong password is cleared').to.equal('');
      expect(document.activeElement === current, 'focus on it').to.equal(true);

      fill(current, s.password);
      fill(next, 'short');
      button(box, 'Change password')!.click();
      await until(() => el.querySelector(`#${next.id}-error`)?.textContent === 'Use at least 8 characters.', 'the length error');

      fill(next, 'password123');
      button(box, 'Change password')!.click();
      await until(() => el.querySelector(`#${next.id}-error`)?.textContent?.includes('most common'), 'the common-password error');
      expect(next.value, 'kept to be edited').to.equal('password123');
      await expect(el).to.be.accessible();

      fill(current, s.password);
      fill(next, 'a-brand-new-password');
      button(box, 'Change password')!.click();
      await until(() => statusText(box).includes('Your password has been changed.'), 'the changed notice');
      expect([current.value, next.value], 'the form is emptied').to.deep.equal(['', '']);
      const revoked = oneEvent(el, 'latch-session-revoked') as Promise<LatchSessionRevokedEvent>;
      button(box, 'Sign out of other devices')!.click();
      expect((await revoked).detail.sessionIds).to.deep.equal([other]);
      expect(await sessionIds(s)).to.not.include(other);
      await until(() => statusText(box).includes('All your other devices are signed out.'), 'the notice');
      expect(button(box, 'Sign out of other devices') === null, 'offered once').to.equal(true);
      await signIn({ ...s, password: 'a-brand-new-password' });
    });
  });

  describe('active sessions', () => {
    it('lists the devices, marks this one, and signs another out by keyboard', async () => {
      const s = await shopper();
      await signIn(s);
      const other = await otherSession(s);
      const el = await mount();
      const box = section(el, 'Where you are signed in');
      const [first, second] = entries(box);
      expect(entries(box)).to.have.length(2);
      const mine = [first, second].find((e) => e.textContent!.includes('This device'))!;
      const theirs = [first, second].find((e) => e !== mine)!;
      expect(mine.querySelector('.latch-entry__name')!.textContent).to.match(/^\S.* on \S.* · desktop$/);
      expect(mine.textContent).to.match(/Last active (now|\d+ seconds? ago)/).and.contain('Expires').and.contain('IP address');
      expect(button(mine, 'Sign out') === null, 'no revoke for this device').to.equal(true);
      // The admin-made session has no user agent: it is named honestly.
      expect(theirs.textContent).to.contain('Unknown browser on an unknown system');
      await expect(el).to.be.accessible();

      const revoked = oneEvent(el, 'latch-session-revoked') as Promise<LatchSessionRevokedEvent>;
      (box.querySelector('h3') as HTMLElement).focus();
      await tabTo(button(theirs, 'Sign out')!);
      await sendKeys({ press: 'Enter' });
      expect((await revoked).detail.sessionIds).to.deep.equal([other]);
      await until(() => entries(box).length === 1, 'one session left');
      expect(statusText(box)).to.contain('That device is signed out.');
      expect(document.activeElement === box.querySelector('h3'), 'focus on the section heading').to.equal(true);
      expect(await sessionIds(s)).to.not.include(other);
      expect(await sessionIds(s)).to.have.length(1);
      await expect(el).to.be.accessible();
    });

    it('signs out of every other device, then out here', async () => {
      const s = await shopper();
      await signIn(s);
      const others = [await otherSession(s), await otherSession(s)];
      const el = await mount();
      const box = section(el, 'Where you are signed in');
      expect(entries(box)).to.have.length(3);
      const revoked = oneEvent(el, 'latch-session-revoked') as Promise<LatchSessionRevokedEvent>;
      button(box, 'Sign out of all other devices')!.click();
      expect((await revoked).detail.sessionIds.sort()).to.deep.equal([...others].sort());
      await until(() => entries(box).length === 1, 'only this device');
      expect(button(box, 'Sign out of all other devices') === null, 'nothing else to sign out').to.equal(true);

      const logout = oneEvent(el, 'latch-logout');
      button(box, 'Sign out here')!.click();
      expect((await logout).detail.user._id).to.equal(s.id);
      await until(() => title(el) === 'Sign in to your account', 'the signed-out state');
      expect(await sessionUser()).to.equal(null);
      expect(requiredEvents, 'signing out on purpose is not "login required"').to.equal(0);
      expect(el.textContent, 'no account data left on the page').to.not.contain(s.email);
    });

    it('shows a bare list of session ids, as the published contract has it', async () => {
      // The reference service answers the rich list; another service may answer only ids. This
      // client answers as such a service would, for the calls the page makes.
      const user = { _id: 'u1', first_name: 'Ida', emails: [{ email: 'ida@example.com', primary: true, verified: true, active: true }] };
      const answers: Record<string, unknown> = {
        '/platform/v1.0/config': BASELINE_CONFIG,
        '/authentication/v1.0/session': { user },
        '/authentication/v1.0/sessions': { sessions: ['a1b2c3d4e5f6', '0f9e8d7c6b5a'] },
        '/authentication/v1.0/has-password': { result: 1 },
        '/profile/v1.0/attributes/definition': { items: [] },
        '/profile/v1.0/user-attributes': { attributes: {} },
      };
      const client = new LatchClient({
        fetch: async (url) => new Response(JSON.stringify(answers[String(url).replace(APP_BASE, '').split('?')[0]]), { status: 200 }),
      });
      const el = await mount(html`<latch-account .client=${client}></latch-account>`);
      const box = section(el, 'Where you are signed in');
      expect(entries(box).map((e) => e.querySelector('.latch-entry__name')!.textContent)).to.deep.equal(['Session a1b2c3d4', 'Session 0f9e8d7c']);
      expect(entries(box).every((e) => button(e, 'Sign out')), 'each can be signed out').to.equal(true);
      await expect(el).to.be.accessible();
    });
  });

  describe('a session that ends while the page is open', () => {
    it('drops to sign-in without losing what was typed, and puts it back after signing in again', async () => {
      const s = await shopper();
      await signIn(s);
      const el = await mount();
      fill(input(section(el, 'Profile'), 'First name')!, 'Edited');
      fill(input(section(el, 'Preferences'), 'Shoe size')!, '38');
      // '{}': the reference service answers a body-less DELETE with a 500 behind its Node adapter.
      const ended = await admin(`/customers/sessions?id=${s.id}&reason=test`, { method: 'DELETE', body: '{}' });
      expect(ended.status).to.equal(200);

      button(section(el, 'Profile'), 'Save changes')!.click();
      await until(() => title(el) === 'Sign in to your account', 'the signed-out state');
      expect(alertText(el)).to.contain('You have been signed out. Sign in again to carry on: what you typed is kept.');
      expect(requiredEvents).to.equal(1);
      expect(document.activeElement === el.querySelector('h2'), 'focus on the heading').to.equal(true);
      await until(() => input(el, 'Email'), 'the embedded sign-in form');
      await expect(el).to.be.accessible();

      fill(input(el, 'Email')!, s.email);
      fill(input(el, 'Password')!, s.password);
      button(el, 'Sign in')!.click();
      await until(() => title(el) === 'Your account' && !loading(el), 'the account again');
      expect(input(section(el, 'Profile'), 'First name')!.value).to.equal('Edited');
      expect(input(section(el, 'Preferences'), 'Shoe size')!.value).to.equal('38');
      expect(statusText(el)).to.contain('Welcome back.');
      await expect(el).to.be.accessible();

      button(section(el, 'Profile'), 'Save changes')!.click();
      await until(() => statusText(section(el, 'Profile')).includes('Your changes are saved.'), 'the save');
      expect(((await sessionUser()) as { first_name: string }).first_name).to.equal('Edited');
    });
  });

  describe('delete account', () => {
    it('reveals <latch-delete-account> inside the page', async () => {
      await signIn(await shopper());
      const el = await mount();
      const box = section(el, 'Delete account');
      const toggle = button(box, 'Delete my account')!;
      expect(toggle.getAttribute('aria-expanded')).to.equal('false');
      expect(box.querySelector('latch-delete-account') === null, 'absent').to.equal(true);
      toggle.click();
      await until(() => box.querySelector('latch-delete-account'), 'the deletion flow');
      expect(toggle.getAttribute('aria-expanded')).to.equal('true');
      expect(document.getElementById(toggle.getAttribute('aria-controls')!)!.hidden).to.equal(false);
    });
  });
});
