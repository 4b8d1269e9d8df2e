/**
 * Following a contact verification link (`?verify_email=` on the page, sent when a contact is added
 * through the profile API): the widget proves the address, says so, and never takes the link for a
 * password reset link.
 */
import { expect, html } from '@open-wc/testing';
import '../../../../src/define.js';
import type { LatchErrorEvent } from '../../../../src/events.js';
import { APP_BASE, alertText, button, input, resetState, sessionUser, setConfig, until } from '../../../support/service.js';
import { PATHS_CONFIG, field, latest, mount, shopperWithEmail, unique } from '../../../support/auth.js';
import { HOLD, held, release } from '../../../support/hold.js';

const json = { 'content-type': 'application/json' };

/** A shopper signed in (cookie on this page) who asked for `added` to join their account by link. */
async function linkFor(added: string): Promise<string> {
  const shopper = await shopperWithEmail();
  const login = await fetch(`${APP_BASE}/authentication/v1.0/login/password`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ username: shopper.email, password: shopper.password }),
  });
  expect(login.status).to.equal(200);
  const add = await fetch(`${APP_BASE}/profile/v1.0/email`, { method: 'PUT', headers: json, body: JSON.stringify({ email: added }) });
  expect(add.status, await add.clone().text()).to.equal(200);
  return (await latest(added)).link!;
}

describe('<latch-auth>: a contact verification link', () => {
  const home = location.href;
  afterEach(() => history.replaceState(null, '', home));
  beforeEach(async () => {
    await resetState();
    // Password reset on: a `?code=` would open "Choose a new password"; this link must not.
    await setConfig(PATHS_CONFIG);
  });

  it('proves the address, says so, and the signed-in account shows it', async () => {
    const added = `added-${unique()}@example.com`;
    const link = await linkFor(added);
    expect(new URL(link).searchParams.has('code'), 'not a reset link').to.equal(false);
    history.replaceState(null, '', link);

    const el = await mount();
    await until(() => el.textContent?.includes('Your email address is confirmed and added to your account.'), 'the confirmation');
    expect(location.search, 'the token leaves the address bar').to.not.contain('verify_email');
    expect(input(el, 'New password'), 'not the reset step').to.equal(null);
    expect(el.querySelector('[role="status"]')?.textContent).to.contain('is confirmed');
    const user = (await sessionUser()) as { emails: { email: string; verified: boolean }[] };
    expect(user.emails.find((e) => e.email === added)?.verified).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('a used link says it is dead and what to do, in the alert, and tells the page', async () => {
    const added = `twice-${unique()}@example.com`;
    const link = await linkFor(added);
    const token = new URL(link).searchParams.get('verify_email')!;
    const first = await fetch(`${APP_BASE}/authentication/v1.0/verify/email`, { method: 'POST', headers: json, body: JSON.stringify({ code: token }) });
    expect(first.status).to.equal(200);
    await fetch(`${APP_BASE}/authentication/v1.0/logout`);
    history.replaceState(null, '', link);

    const errors: LatchErrorEvent[] = [];
    const collect = (e: LatchErrorEvent) => errors.push(e);
    document.addEventListener('latch-error', collect);
    const el = await mount();
    await until(() => alertText(el).includes('This confirmation link has expired or was already used. Ask for a new one.'), 'the dead-link message');
    document.removeEventListener('latch-error', collect);
    expect(errors.find((e) => e.detail.action === 'contact')?.detail).to.include({ code: 'VERIFY_LINK_INVALID', status: 400 });
    expect(input(el, 'Email'), 'the sign-in form is still there').to.not.equal(null);
    await expect(el).to.be.accessible();
  });

  it('goes on when the shopper opens another step before the answer comes, and says so there', async () => {
    const added = `later-${unique()}@example.com`;
    const link = await linkFor(added);
    await fetch(`${APP_BASE}/authentication/v1.0/logout`);
    history.replaceState(null, '', link);
    const el = await mount(html`<latch-auth api-base=${HOLD}></latch-auth>`);
    // The verification is on its way (held at the test server) when the shopper picks a code instead.
    await until(async () => (await held()).held === 1, 'the verification request');
    button(el, 'Sign in with a one-time code')!.click();
    await field(el, 'Mobile number');
    const { released, abandoned } = await release();
    expect({ released, abandoned }, 'the request was not given up').to.deep.equal({ released: 1, abandoned: 0 });
    await until(() => el.textContent?.includes('Your email address is confirmed and added to your account.'), 'the confirmation on the new step');
    expect(input(el, 'Mobile number'), 'still on the step the shopper chose').to.not.equal(null);
    await expect(el).to.be.accessible();
  });
});
