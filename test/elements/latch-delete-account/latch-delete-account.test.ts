/**
 * `<latch-delete-account>` end to end: Chromium, the real reference service over HTTP, codes read
 * from its dev outbox. Every config switch of deletion (reasons, consent, grace period), each way of
 * proving who the shopper is (SMS code, email code, password), the failures a shopper can meet, the
 * locked sign-in afterwards and the admin restore, by keyboard alone, and axe at every step.
 */
import { expect, fixtureCleanup, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { LatchClient } from '../../../src/api/client.js';
import { deleteSettings } from '../../../src/api/delete-account.js';
import type { LatchAccountDeletedEvent, LatchErrorEvent } from '../../../src/events.js';
import { fakeClock } from '../../support/clock.js';
import { admin, alertText, BASELINE_CONFIG, button, DEMO, fill, input, ltr, sessionUser, setConfig, shownPhone, until } from '../../support/service.js';
import { axNodes } from '../../support/a11y.js';
import { DAY, latest, shopper, signIn, adminSession, mount, title, at, field, dateIn, status, toConfirm, useDeleteService } from './support.js';

describe('<latch-delete-account>', () => {
  const { deletes, deletesServed, codesOrDeletesServed } = useDeleteService();

  it('deletes by SMS code with a reason in the shopper’s own words; sign-in is then locked until an admin restores the account', async () => {
    const s = await shopper(true);
    expect((await signIn(s.email, s.password)).status).to.equal(200);
    const el = await mount();
    let askedToSignIn = 0;
    el.addEventListener('latch-login-required', () => askedToSignIn++);

    await at(el, 'Delete your account', false);
    expect(el.textContent).to.contain('Your account is locked straight away.');
    expect(el.textContent).to.contain('You are signed out on every device.');
    expect(el.textContent).to.contain(`After 7 days, on ${dateIn(7)}, your account and its data are deleted for good.`);
    expect(el.querySelector('[role="alert"]'), 'the alert region is there before anything goes wrong').to.not.equal(null);
    await expect(el).to.be.accessible();

    button(el, 'Continue')!.click();
    await at(el, 'Why are you leaving?');
    expect(el.querySelector('fieldset legend')!.textContent).to.equal('Choose the reason that fits best');
    expect(input(el, 'Tell us more (optional)'), 'no text box before a reason asks for one').to.equal(null);
    await expect(el).to.be.accessible();
    button(el, 'Continue')!.click();
    await until(() => el.textContent!.includes('Choose a reason.'), 'the missing reason');
    expect(alertText(el)).to.equal('Please fix the highlighted fields.');
    expect(document.activeElement === input(el, 'I no longer use this account'), 'focus on the first choice').to.equal(true);
    await expect(el).to.be.accessible();

    input(el, 'Other')!.click();
    const details = (await field(el, 'Tell us more (optional)')) as unknown as HTMLTextAreaElement;
    expect(details.localName).to.equal('textarea');
    expect(details.maxLength).to.equal(500);
    // The count is said once typing pauses for a second: on a hand-moved clock, not a real second.
    const clock = fakeClock({ timeouts: true });
    const spoken = el.querySelector('[aria-live="polite"]')!;
    try {
      fill(details as unknown as HTMLInputElement, 'Moving to another shop');
      await el.updateComplete;
      expect(el.textContent).to.contain('478 characters left');
      clock.advance(999);
      await el.updateComplete;
      expect(spoken.textContent!.trim(), 'not while typing').to.equal('');
      clock.advance(1);
      await el.updateComplete;
      expect(spoken.textContent!.trim()).to.equal('478 characters left');
    } finally {
      clock.restore();
    }
    await expect(el).to.be.accessible();

    button(el, 'Continue')!.click();
    await at(el, 'Confirm it is you');
    button(el, 'Back')!.click();
    await at(el, 'Why are you leaving?');
    expect(input(el, 'Other')!.checked, 'the reason is kept').to.equal(true);
    expect(input(el, 'Tell us more (optional)')!.value, 'and the words').to.equal('Moving to another shop');
    button(el, 'Continue')!.click();

    await at(el, 'Confirm it is you');
    expect(el.textContent).to.contain(`We will send a code to ${shownPhone(s.mobile)}.`);
    await expect(el).to.be.accessible();
    button(el, 'Send code')!.click();
    const code = await field(el, 'Code');
    expect(code.autocomplete).to.equal('one-time-code');
    expect(code.inputMode).to.equal('numeric');
    expect(document.activeElement === code, 'focus on the code').to.equal(true);
    expect(status(el)).to.contain(`We sent a code to ${shownPhone(s.mobile)}`);
    const resend = [...el.querySelectorAll('button')].find((b) => b.textContent!.includes('Resend code'))!;
    expect(resend.textContent).to.match(/Resend code in \d+ seconds/);
    expect(resend.getAttribute('aria-disabled')).to.equal('true');
    const sms = await latest(`+91${s.mobile}`);
    expect(sms.channel).to.equal('sms');
    await expect(el).to.be.accessible();
    fill(code, sms.code!);
    button(el, 'Continue')!.click();

    await at(el, 'Delete your account?');
    expect(el.textContent).to.contain(`signed out on every device. It will be deleted for good on ${dateIn(7)}.`);
    expect(await deletesServed(), 'nothing is sent before the final click').to.equal(0);
    expect(await sessionUser()).to.not.equal(null);
    const danger = button(el, 'Delete my account')!;
    expect(getComputedStyle(danger).backgroundColor, 'danger-styled').to.equal('rgb(179, 38, 30)');
    await expect(el).to.be.accessible();

    const deleted = oneEvent(el, 'latch-account-deleted') as Promise<LatchAccountDeletedEvent>;
    danger.click();
    const event = await deleted;
    expect(event.detail.user?._id).to.equal(s.id);
    expect(Math.abs(Date.parse(event.detail.deleteOn) - (Date.now() + 7 * DAY))).to.be.below(60_000);
    expect(deletes()[0].body).to.deep.equal({
      user_id: s.id,
      reason_id: 'other',
      reason: 'Moving to another shop',
      request_id: deletes()[0].body.request_id,
      otp: sms.code,
    });
    expect(deletes()[0].body.request_id).to.be.a('string');
    await at(el, 'Your account is scheduled for deletion');
    expect(el.textContent).to.contain(`Your account will be deleted for good on ${dateIn(7)}.`);
    await expect(el).to.be.accessible();
    expect(await sessionUser(), 'signed out').to.equal(null);
    expect(askedToSignIn, 'its own sign-out is not a request to sign in').to.equal(0);

    const timeline = (await (await admin(`/customers/${s.id}/timeline`)).json()) as { timeline: Array<{ type: string; sub_title: string }> };
    expect(timeline.timeline.some((t) => t.type === 'deletion_requested' && t.sub_title.includes('Reason: Other'))).to.equal(true);
    const locked = await signIn(s.email, s.password);
    expect(locked.status).to.equal(400);
    expect(((await locked.json()) as { meta: { is_deleted: boolean } }).meta.is_deleted).to.equal(true);
    const restored = await admin('/customers/undelete', { method: 'PUT', body: JSON.stringify({ user_id: s.id, reason: 'asked to stay' }) });
    expect(restored.status, await restored.clone().text()).to.equal(200);
    expect((await signIn(s.email, s.password)).status, 'sign-in works again after the restore').to.equal(200);
  });

  it('skips the reason step without reasons, shows no consent box without consent text, and works inside <latch-provider> by email code', async () => {
    await setConfig({ delete_account_reasons: [], delete_account_consent: { consent_text: '' } });
    const s = await shopper(false);
    await signIn(s.email, s.password);
    const el = await mount(html`<latch-provider><latch-auth></latch-auth><latch-delete-account></latch-delete-account></latch-provider>`);
    const auth = el.parentElement!.querySelector('latch-auth')!;
    await until(() => button(auth, 'Sign out'), 'the shared session in <latch-auth>');
    await at(el, 'Delete your account', false);

    button(el, 'Continue')!.click();
    await at(el, 'Confirm it is you');
    expect(el.querySelector('input[type="checkbox"]'), 'no consent box').to.equal(null);
    expect(el.textContent).to.contain(`We will send a code to ${ltr(s.email)}.`);
    button(el, 'Send code')!.click();
    const code = await field(el, 'Code');
    const mail = await latest(s.email);
    expect(mail.channel).to.equal('email');
    fill(code, mail.code!);
    button(el, 'Continue')!.click();
    await at(el, 'Delete your account?');
    button(el, 'Delete my account')!.click();
    await at(el, 'Your account is scheduled for deletion');
    const body = deletes()[0].body;
    expect(body).to.not.have.property('reason_id');
    expect(body).to.not.have.property('consent');
    expect(body.otp).to.equal(mail.code);
    await until(() => input(auth, 'Email'), 'every element under the provider follows the sign-out');
  });

  it('shows the grace period the config sets, reads an older service’s consent string, and cancels without sending anything', async () => {
    await signIn(DEMO.email, DEMO.password);
    await setConfig({ delete_account_day: 30 });
    let el = await mount();
    expect(el.textContent).to.contain(`After 30 days, on ${dateIn(30)},`);
    el.remove();

    localStorage.clear();
    await setConfig({ delete_account_day: 1 });
    el = await mount();
    expect(el.textContent).to.contain(`After 1 day, on ${dateIn(1)},`);
    el.remove();

    // An older service types the consent as a bare string; given inline, the config is not fetched.
    const legacy = { ...BASELINE_CONFIG, delete_account_reasons: [], delete_account_day: 14, delete_account_consent: 'I know this cannot be undone' };
    el = await mount(html`<latch-delete-account .config=${legacy}></latch-delete-account>`);
    expect(el.textContent).to.contain(`After 14 days, on ${dateIn(14)},`);
    button(el, 'Continue')!.click();
    await at(el, 'Confirm you understand');
    const box = input(el, 'I know this cannot be undone')!;
    expect(box.type).to.equal('checkbox');
    expect(box.checked, 'never ticked for the shopper').to.equal(false);
    box.click();
    button(el, 'Cancel')!.click();
    await at(el, 'Delete your account');
    expect(status(el)).to.equal('Nothing was changed. Your account is still active.');
    button(el, 'Continue')!.click();
    await at(el, 'Confirm you understand');
    expect(input(el, 'I know this cannot be undone')!.checked, 'cancel forgets the tick').to.equal(false);
    expect(await codesOrDeletesServed(), 'nothing sent').to.equal(0);
    expect(await sessionUser()).to.not.equal(null);
  });

  it('needs the consent box ticked before anything is sent, shows its text as text, and sends consent with the deletion', async () => {
    const text = '<img src=x onerror="window.__latchPwned=1"> I understand my orders and addresses go too';
    await setConfig({ delete_account_reasons: [], delete_account_consent: { consent_text: text } });
    const s = await shopper(true);
    await signIn(s.email, s.password);
    const el = await mount();
    button(el, 'Continue')!.click();
    await at(el, 'Confirm you understand');
    const box = input(el, text)!;
    expect(box.checked).to.equal(false);
    expect(el.querySelector('img'), 'config text is never markup').to.equal(null);
    await expect(el).to.be.accessible();

    button(el, 'Continue')!.click();
    await until(() => box.getAttribute('aria-invalid') === 'true', 'the consent error');
    expect(el.textContent).to.contain('Tick the box to confirm before you continue.');
    expect(alertText(el)).to.equal('Please fix the highlighted fields.');
    expect(document.activeElement === box, 'focus on the box').to.equal(true);
    expect(document.getElementById(box.getAttribute('aria-describedby')!)!.textContent).to.equal('Tick the box to confirm before you continue.');
    await expect(el).to.be.accessible();
    expect(await codesOrDeletesServed(), 'nothing sent').to.equal(0);

    box.click();
    button(el, 'Continue')!.click();
    await at(el, 'Confirm it is you');
    button(el, 'Back')!.click();
    await at(el, 'Confirm you understand');
    expect(input(el, text)!.checked, 'the tick is kept going back').to.equal(true);
    button(el, 'Continue')!.click();
    await at(el, 'Confirm it is you');
    button(el, 'Send code')!.click();
    fill(await field(el, 'Code'), (await latest(`+91${s.mobile}`)).code!);
    button(el, 'Continue')!.click();
    await at(el, 'Delete your account?');
    button(el, 'Delete my account')!.click();
    await at(el, 'Your account is scheduled for deletion');
    expect(deletes()[0].body.consent).to.equal(true);
    expect((window as unknown as { __latchPwned?: number }).__latchPwned).to.equal(undefined);
  });

  it('announces the reasons and the consent box as required, and as invalid only once Continue refused them', async () => {
    // The tree read is the whole page's: earlier tests' flows go first.
    fixtureCleanup();
    await setConfig({ delete_account_consent: { consent_text: 'I understand' } });
    const s = await shopper(true);
    await signIn(s.email, s.password);
    const el = await mount();
    button(el, 'Continue')!.click();
    await at(el, 'Why are you leaving?');
    const group = el.querySelector('fieldset')!;
    expect([group.getAttribute('role'), group.getAttribute('aria-required')], 'the group says the choice is required').to.deep.equal(['radiogroup', 'true']);
    const untouched = await axNodes('radio');
    expect(untouched.map((r) => r.name)).to.deep.equal(['I no longer use this account', 'I have privacy concerns', 'I have another account', 'Other']);
    expect(untouched.filter((r) => r.invalid), 'no "invalid entry" before Continue').to.deep.equal([]);
    button(el, 'Continue')!.click();
    await until(() => el.textContent!.includes('Choose a reason.'), 'the missing reason');
    expect((await axNodes('radio')).every((r) => r.invalid === 'true'), 'invalid once refused').to.equal(true);
    await expect(el).to.be.accessible();

    input(el, 'I have privacy concerns')!.click();
    button(el, 'Continue')!.click();
    await at(el, 'Confirm you understand');
    const [box] = await axNodes('checkbox', 'I understand');
    expect(input(el, 'I understand')!.getAttribute('aria-required'), 'said to be required').to.equal('true');
    expect(box.invalid, 'no "invalid entry" before Continue').to.equal(undefined);
    button(el, 'Continue')!.click();
    await until(() => el.textContent!.includes('Tick the box to confirm before you continue.'), 'the consent error');
    expect((await axNodes('checkbox', 'I understand'))[0].invalid).to.equal('true');
    await expect(el).to.be.accessible();
  });

  it('tells a consent the service asks for after the page loaded in words, not as a key', async () => {
    await setConfig({ delete_account_reasons: [], delete_account_consent: { consent_text: '' } });
    const s = await shopper(false);
    await signIn(s.email, s.password);
    const el = await mount();
    const errors: LatchErrorEvent['detail'][] = [];
    el.addEventListener('latch-error', (event) => errors.push((event as LatchErrorEvent).detail));
    button(el, 'Continue')!.click();
    await at(el, 'Confirm it is you');
    button(el, 'Send code')!.click();
    fill(await field(el, 'Code'), (await latest(s.email)).code!);
    button(el, 'Continue')!.click();
    await at(el, 'Delete your account?');
    // The store starts asking for consent while this page still shows the old settings.
    await setConfig({ delete_account_consent: { consent_text: 'I understand' } });
    button(el, 'Delete my account')!.click();
    await until(() => alertText(el), 'the refusal');
    expect(alertText(el)).to.equal('Tick the box to agree to the privacy policy.');
    expect(el.textContent).to.not.contain('consent.required');
    expect(errors[0]).to.include({ action: 'delete', code: 'CONSENT_REQUIRED' });
    expect(await sessionUser(), 'nothing was deleted').to.not.equal(null);
    await expect(el).to.be.accessible();
  });

  it('asks for the password when the shopper has no verified contact, and clears a wrong one', async () => {
    const s = await shopper(false, false);
    await adminSession(s.id);
    const el = await mount();
    button(el, 'Continue')!.click();
    await at(el, 'Why are you leaving?');
    input(el, 'I have another account')!.click();
    button(el, 'Continue')!.click();
    await at(el, 'Confirm it is you');
    expect(el.textContent).to.contain('Enter your password.');
    expect(button(el, 'Send code')).to.equal(null);
    const password = input(el, 'Password')!;
    expect(password.type).to.equal('password');
    expect(password.autocomplete).to.equal('current-password');
    const username = el.querySelector<HTMLInputElement>('input[name="username"]')!;
    expect(username.value).to.equal(s.email);
    await expect(el).to.be.accessible();

    button(el, 'Continue')!.click();
    await until(() => el.textContent!.includes('Enter your password.') && password.getAttribute('aria-invalid') === 'true', 'the empty password');
    fill(password, 'not-my-password');
    button(el, 'Continue')!.click();
    await at(el, 'Delete your account?');
    button(el, 'Delete my account')!.click();
    await until(() => alertText(el) === 'That password is not right. Check it and try again.', 'the wrong password');
    await at(el, 'Confirm it is you', false);
    expect(input(el, 'Password')!.value, 'cleared').to.equal('');
    expect(document.activeElement === input(el, 'Password'), 'focus on the password').to.equal(true);
    await expect(el).to.be.accessible();

    fill(input(el, 'Password')!, s.password);
    button(el, 'Continue')!.click();
    await at(el, 'Delete your account?');
    button(el, 'Delete my account')!.click();
    await at(el, 'Your account is scheduled for deletion');
    expect(deletes().at(-1)!.body).to.deep.equal({ user_id: s.id, reason_id: 'duplicate', reason: 'I have another account', password: s.password });
  });

  it('asks a signed-out visitor to sign in, once each time the session ends', async () => {
    let asked = 0;
    const count = () => asked++;
    document.addEventListener('latch-login-required', count);
    try {
      const el = await mount(html`<latch-provider><latch-auth></latch-auth><latch-delete-account></latch-delete-account></latch-provider>`);
      await at(el, 'Sign in to delete your account', false);
      expect(el.textContent).to.contain('You need to be signed in to delete your account.');
      await expect(el).to.be.accessible();
      el.requestUpdate();
      await el.updateComplete;
      expect(asked, 'once, not at every render').to.equal(1);

      const auth = el.parentElement!.querySelector('latch-auth')!;
      fill(input(auth, 'Email')!, DEMO.email);
      fill(input(auth, 'Password')!, DEMO.password);
      button(auth, 'Sign in')!.click();
      await at(el, 'Delete your account', false);
      button(auth, 'Sign out')!.click();
      await at(el, 'Sign in to delete your account', false);
      expect(asked, 'again after the next sign-out').to.equal(2);
      expect(await codesOrDeletesServed(), 'nothing sent').to.equal(0);
    } finally {
      document.removeEventListener('latch-login-required', count);
    }
  });

  it('works by keyboard alone', async () => {
    const s = await shopper(true);
    await signIn(s.email, s.password);
    const el = await mount();
    await at(el, 'Delete your account', false);
    button(el, 'Continue')!.focus();
    await sendKeys({ press: 'Enter' });
    await at(el, 'Why are you leaving?');
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement === input(el, 'I no longer use this account'), 'into the choices').to.equal(true);
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    expect(input(el, 'Other')!.checked, 'arrows choose').to.equal(true);
    await field(el, 'Tell us more (optional)');
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement === input(el, 'Tell us more (optional)'), 'on to the text box').to.equal(true);
    await sendKeys({ type: 'Too many emails' });
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement === button(el, 'Continue')).to.equal(true);
    await sendKeys({ press: 'Enter' });
    await at(el, 'Confirm it is you');
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement === button(el, 'Send code')).to.equal(true);
    await sendKeys({ press: 'Enter' });
    await until(() => document.activeElement === input(el, 'Code'), 'focus on the code field');
    await sendKeys({ type: (await latest(`+91${s.mobile}`)).code! });
    await sendKeys({ press: 'Enter' });
    await at(el, 'Delete your account?');
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement === button(el, 'Delete my account')).to.equal(true);
    await sendKeys({ press: 'Space' });
    await at(el, 'Your account is scheduled for deletion');
    expect(deletes()[0].body).to.include({ reason_id: 'other', reason: 'Too many emails' });
  });

  it('keeps the code through a server error and a network failure, so the next click deletes', async () => {
    await setConfig({ delete_account_reasons: [] });
    const s = await shopper(true);
    await signIn(s.email, s.password);
    const failures = ['500', 'network'];
    const client = new LatchClient({
      fetch: (request, init) => {
        if (String(request).includes('/authentication/v1.0/delete') && failures.length) {
          return failures.shift() === '500'
            ? Promise.resolve(new Response(JSON.stringify({ message: 'Internal', code: 'INTERNAL' }), { status: 500 }))
            : Promise.reject(new TypeError('Failed to fetch'));
        }
        return fetch(request, init);
      },
    });
    const el = await mount(html`<latch-delete-account .client=${client}></latch-delete-account>`);
    const errors: LatchErrorEvent[] = [];
    el.addEventListener('latch-error', (e) => errors.push(e));
    await at(el, 'Delete your account', false);
    await toConfirm(el, `+91${s.mobile}`);

    button(el, 'Delete my account')!.click();
    await until(() => alertText(el) === 'Something went wrong on our side. Please try again in a moment.', 'the server error');
    expect(errors[0].detail).to.include({ action: 'delete', kind: 'http', status: 500 });
    expect(title(el)).to.equal('Delete your account?');
    await expect(el).to.be.accessible();
    button(el, 'Delete my account')!.click();
    await until(() => alertText(el).startsWith('We could not reach'), 'the network failure');
    expect(errors[1].detail).to.include({ action: 'delete', kind: 'network' });
    expect(await sessionUser(), 'still signed in').to.not.equal(null);
    button(el, 'Delete my account')!.click();
    await at(el, 'Your account is scheduled for deletion', false);
    expect(await sessionUser()).to.equal(null);
  });

  it('reads the deletion settings leniently', () => {
    expect(deleteSettings({})).to.deep.equal({ reasons: [], consent: '', days: 7 });
    const settings = deleteSettings({
      delete_account_reasons: [
        { reason_id: 'a', reason_text: 'Fine' },
        { reason_id: 'b' },
        'nonsense',
        { reason_id: 'c', reason_text: '  ', show_text_area: true },
        { reason_id: 'd', reason_text: 'Words', show_text_area: true, extra: 1 },
      ],
      delete_account_consent: { consent_text: '  I agree  ' },
      delete_account_day: '30',
    });
    expect(settings).to.deep.equal({
      reasons: [
        { id: 'a', text: 'Fine', textArea: false },
        { id: 'd', text: 'Words', textArea: true },
      ],
      consent: 'I agree',
      days: 30,
    });
    expect(deleteSettings({ delete_account_consent: 'Old style', delete_account_day: -1 })).to.include({ consent: 'Old style', days: 7 });
    expect(deleteSettings({ delete_account_reasons: 'x', delete_account_consent: 5, delete_account_day: 2.5 }).days).to.equal(7);
  });
});
