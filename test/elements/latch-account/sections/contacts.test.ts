/** The contacts section of <latch-account> (src/elements/latch-account/sections/contacts.ts), against the reference service. */
import { expect, oneEvent } from '@open-wc/testing';
import type { LatchProfileUpdatedEvent } from '../../../../src/events.js';
import { useClock } from '../../../../src/controllers/countdown.js';
import { admin, alertText, APP_BASE, button, fill, input, ltr, served, sessionUser, setConfig, shownPhone, until } from '../../../support/service.js';
import { ManualClock } from '../../../support/clock.js';
import { smsInbox } from '../../../support/web-otp.js';
import { shopper, signIn, latestCode, mount, section, statusText, entries, useAccountService } from '../support.js';

/** Codes the service has sent to `to`, counted at the service (its dev outbox), not by waiting. */
async function sentTo(to: string): Promise<number> {
  return ((await (await fetch(`/__dev/outbox?to=${encodeURIComponent(to)}`)).json()) as { items: unknown[] }).items.length;
}

describe('<latch-account> contacts section', () => {
  useAccountService();

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
      // A code pasted as "123 456" is taken as its digits.
      const right = await latestCode(second);
      const paste = new ClipboardEvent('paste', { clipboardData: new DataTransfer(), cancelable: true, bubbles: true });
      paste.clipboardData!.setData('text/plain', `${right.slice(0, 3)} ${right.slice(3)}`);
      code.dispatchEvent(paste);
      expect(code.value).to.equal(right);
      button(contacts, 'Verify')!.click();
      expect((await updated).detail.user.emails?.map((e) => e.email)).to.include(second);
      await until(() => entries(contacts).length === 2, 'two contacts');
      expect(statusText(contacts)).to.contain(`${ltr(second)} is added and verified.`);

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
      expect(statusText(contacts)).to.contain(`${ltr(second)} is removed.`);
      expect(document.activeElement === contacts.querySelector('h3'), 'focus on the section heading').to.equal(true);
      el.remove();

      // With a phone as well, the only verified email could go, unless the store hard-requires one.
      await admin(`/customers/${s.id}`, { method: 'PUT', body: JSON.stringify({ phone_numbers: [{ phone: '9876501234', country_code: 91, verified: true, primary: true, active: true }] }) });
      await setConfig({ required_fields: { email: { is_required: true, level: 'hard' }, mobile: { is_required: false, level: 'soft' } } });
      localStorage.clear();
      const again = await mount();
      const list = entries(section(again, 'Email addresses and phone numbers'));
      const email = list.find((e) => e.textContent!.includes(s.email))!;
      const phone = list.find((e) => e.textContent!.includes(shownPhone('9876501234')))!;
      expect(button(email, 'Remove') === null, 'no removal of the required email').to.equal(true);
      expect(email.textContent).to.contain('Cannot be removed: this store needs a verified email address.');
      expect(button(phone, 'Remove') !== null, 'the phone can go').to.equal(true);
    });

    it('says which rule refused a removal when the page was out of date: the store’s, with the way out', async () => {
      const s = await shopper();
      await signIn(s);
      await admin(`/customers/${s.id}`, { method: 'PUT', body: JSON.stringify({ phone_numbers: [{ phone: '9876507777', country_code: 91, verified: true, primary: true, active: true }] }) });
      await setConfig({ required_fields: { email: { is_required: false, level: 'soft' }, mobile: { is_required: false, level: 'soft' } } });
      const el = await mount();
      const contacts = section(el, 'Email addresses and phone numbers');
      const email = () => entries(contacts).find((e) => e.textContent!.includes(s.email))!;
      // The store starts requiring a verified email while the page shows the old rules.
      await setConfig({ required_fields: { email: { is_required: true, level: 'hard' }, mobile: { is_required: false, level: 'soft' } } });
      button(email(), 'Remove')!.click();
      await until(() => alertText(contacts), 'the refusal');
      expect(alertText(contacts)).to.equal('The store needs a verified contact of this kind, so this one cannot be removed. Verify another one of the same kind first.');
      expect(email(), 'the email is still listed').to.not.equal(undefined);
      await expect(el).to.be.accessible();
    });

    it('adds a phone: the form switches to a phone, the resend waits on its countdown, and a dead code gets a fresh send', async () => {
      const s = await shopper();
      await signIn(s);
      // The resend countdown runs on the element's clock, moved by hand: no real seconds pass.
      const clock = new ManualClock();
      useClock(clock);
      const el = await mount();
      const contacts = section(el, 'Email addresses and phone numbers');
      button(contacts, 'Use mobile number')!.click();
      await until(() => input(contacts, 'Mobile number'), 'the phone form');
      expect(document.activeElement === contacts.querySelector('h4'), 'focus on the form’s heading').to.equal(true);
      // The country picker shows (and says) the code with its country; the form sends the code.
      expect(input(contacts, 'Country code')!.value).to.equal('+91 India');
      expect(input(contacts, 'Country code')!.getAttribute('role')).to.equal('combobox');
      expect(contacts.querySelector<HTMLInputElement>('input[name="country_code"]')!.value).to.equal('+91');
      expect(input(contacts, 'Mobile number')!.autocomplete).to.equal('tel-national');
      await expect(el).to.be.accessible();

      const mobile = `98765${String(Date.now()).slice(-5)}`;
      const to = `+91${mobile}`;
      fill(input(contacts, 'Mobile number')!, mobile);
      try {
        button(contacts, 'Send code')!.click();
        const code = await until(() => input(contacts, 'Code'), 'the code field');
        expect(document.activeElement === code, 'focus on the code').to.equal(true);
        const resend = () => contacts.querySelector<HTMLButtonElement>('form[name="verify"] button.latch-link')!;
        expect(resend().textContent!.trim()).to.equal('Resend code in 30 seconds');
        expect(resend().getAttribute('aria-disabled')).to.equal('true');
        resend().click();
        clock.advance(10_000);
        await until(() => resend().textContent!.trim() === 'Resend code in 20 seconds', 'the countdown');
        expect(await sentTo(to), 'a click during the countdown sends nothing').to.equal(1);
        await expect(el).to.be.accessible();

        // Five wrong answers kill the code: the way on is a fresh send, not a resend of it.
        const right = await latestCode(to);
        const wrong = right === '000000' ? '111111' : '000000';
        for (let i = 1; i <= 5; i++) {
          fill(input(contacts, 'Code')!, wrong);
          button(contacts, 'Verify')!.click();
          await until(() => alertText(contacts) !== '' && input(contacts, 'Code')!.value === '', `answer ${i}`);
          await until(() => contacts.querySelector('[aria-busy="true"]') === null, `answer ${i} done`);
        }
        expect(alertText(contacts)).to.equal('This code can no longer be used. Send a new code.');
        expect(resend().textContent!.trim()).to.equal('Send a new code');
        expect(resend().getAttribute('aria-disabled')).to.equal('false');
        await expect(el).to.be.accessible();
        resend().click();
        await until(() => statusText(contacts).startsWith('We sent a code'), 'the fresh code');
        expect(await sentTo(to)).to.equal(2);
        fill(input(contacts, 'Code')!, await latestCode(to));
        button(contacts, 'Verify')!.click();
        await until(() => statusText(contacts) === `${shownPhone(mobile)} is added and verified.`, 'the phone added');
        expect(entries(contacts).some((e) => e.textContent!.includes(shownPhone(mobile)))).to.equal(true);
        // The code is done with: its countdown is dropped and the ticker stops at its next beat.
        clock.advance(1000);
        expect(clock.running, 'no clock left ticking').to.equal(0);
      } finally {
        useClock();
      }
    });

    it('takes the code from the SMS itself where the browser offers WebOTP', async () => {
      const s = await shopper();
      await signIn(s);
      const sms = smsInbox();
      try {
        const el = await mount();
        const contacts = section(el, 'Email addresses and phone numbers');
        button(contacts, 'Use mobile number')!.click();
        const mobile = `98764${String(Date.now()).slice(-5)}`;
        fill(await until(() => input(contacts, 'Mobile number'), 'the phone form'), mobile);
        button(contacts, 'Send code')!.click();
        await until(() => input(contacts, 'Code'), 'the code field');
        await sms.asked;
        sms.deliver(await latestCode(`+91${mobile}`));
        await until(() => statusText(contacts) === `${shownPhone(mobile)} is added and verified.`, 'the phone added without typing');
      } finally {
        sms.restore();
      }
    });

    it('tells the service’s 429 once, counts it down on the element’s clock, and sends nothing while it lasts', async () => {
      const s = await shopper();
      await signIn(s);
      const to = `busy-${Date.now()}@example.com`;
      // The service takes five codes to one address in its window; the sixth is refused.
      for (let i = 0; i < 5; i++) {
        const sent = await fetch(`${APP_BASE}/profile/v2.0/email/otp/send`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: to, action: 'send' }),
        });
        expect(sent.status, await sent.clone().text()).to.equal(200);
      }
      const clock = new ManualClock();
      useClock(clock);
      try {
        const el = await mount();
        const contacts = section(el, 'Email addresses and phone numbers');
        fill(input(contacts, 'Email')!, to);
        button(contacts, 'Send code')!.click();
        await until(() => alertText(contacts).startsWith('Too many attempts.'), 'the 429');
        const wait = () => [...contacts.querySelectorAll('.latch-notice')].find((p) => p.textContent!.includes('You can try again in'));
        expect(wait(), 'the countdown in sight').to.not.equal(undefined);
        const send = button(contacts, 'Send code')!;
        expect(send.getAttribute('aria-disabled')).to.equal('true');
        expect(input(contacts, 'Email')!.value, 'what was typed stays').to.equal(to);
        await expect(el).to.be.accessible();

        // Counted at the service: a click during the wait sends nothing.
        const before = await served('/email/otp/send');
        send.click();
        await el.updateComplete;
        expect(await served('/email/otp/send'), 'nothing sent while waiting').to.equal(before);

        // The service's wait (its whole window at most) passes on the element's clock.
        clock.advance(15 * 60_000);
        await until(() => statusText(contacts) === 'You can try again now.', 'the end of the wait');
        expect(wait(), 'the countdown gone').to.equal(undefined);
        expect(button(contacts, 'Send code')!.getAttribute('aria-disabled')).to.equal('false');
        expect(clock.running, 'the ticker stops').to.equal(0);
      } finally {
        useClock();
      }
    });
  });
});
