/** The sessions section of <latch-account> (src/elements/latch-account/sections/sessions.ts), against the reference service. */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { LatchClient } from '../../../../src/api/client.js';
import type { LatchSessionRevokedEvent } from '../../../../src/events.js';
import type { LatchAccount } from '../../../../src/elements/latch-account/latch-account.js';
import { APP_BASE, BASELINE_CONFIG, alertText, button, input, sessionUser, until } from '../../../support/service.js';
import { ManualClock, retryPause } from '../../../support/clock.js';
import { shopper, signIn, sessionIds, otherSession, mount, section, statusText, entries, tabTo, loginRequired, useAccountService, title } from '../support.js';

describe('<latch-account> sessions section', () => {
  useAccountService();

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
      await until(() => input(el, 'Email'), 'the signed-out state, with the sign-in form');
      // Focus does not fall to the page: it goes to where the shopper can sign in again.
      await until(() => document.activeElement === input(el, 'Email'), 'focus on the sign-in form');
      expect(await sessionUser()).to.equal(null);
      expect(loginRequired(), 'signing out on purpose is not "login required"').to.equal(0);
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

    it('keeps loading while it retries a failed load, then tells it in the section, and loads again on “Try again”', async () => {
      const s = await shopper();
      await signIn(s);
      // Down until the test says so; the client retries a failed read on its own first, after
      // pauses on a clock the test moves.
      let down = true;
      let loads = 0;
      const clock = new ManualClock();
      const client = new LatchClient({
        clock,
        fetch: (request, init) => {
          if (!String(request).endsWith('/sessions')) return fetch(request, init);
          loads++;
          return down ? Promise.resolve(new Response(JSON.stringify({ message: 'Internal', code: 'INTERNAL' }), { status: 500 })) : fetch(request, init);
        },
      });
      // Not `mount()`: the page is not settled while a section still loads.
      const el = await fixture<LatchAccount>(html`<latch-account .client=${client}></latch-account>`);
      await until(() => title(el) && input(el, 'First name'), 'the account page');
      const box = section(el, 'Where you are signed in');
      const loading = (attempts: number) => async () => {
        await el.updateComplete;
        expect(loads, 'no new attempt before the pause ends').to.equal(attempts);
        expect(box.textContent, 'the section still loading').to.contain('Loading your account');
        expect(alertText(box), 'no error yet').to.equal('');
      };
      await retryPause(clock, 400, loading(1));
      await retryPause(clock, 800, loading(2));
      await until(() => button(box, 'Try again'), 'the failure and a retry');
      expect(loads).to.equal(3);
      expect(alertText(box)).to.contain('Something went wrong on our side.');
      expect(input(section(el, 'Profile'), 'First name')!.value, 'the rest of the page works').to.equal('Ada');
      await expect(el).to.be.accessible();
      down = false;
      button(box, 'Try again')!.click();
      await until(() => entries(box).length === 1, 'the list');
      expect(button(box, 'Try again')).to.equal(null);
      // The other sections load again too: their timeouts go once they have their answers.
      await until(() => clock.pending === 0, 'no timer left behind');
    });
  });
});
