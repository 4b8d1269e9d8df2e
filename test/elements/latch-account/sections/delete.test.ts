/**
 * The delete section of <latch-account> (src/elements/latch-account/sections/delete.ts), against the
 * reference service: the way into `<latch-delete-account>`, focus when it opens, and what the page
 * shows once the account is scheduled for deletion.
 */
import { expect, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { LatchAccountDeletedEvent } from '../../../../src/events.js';
import { button, input, sessionUser, setConfig, until } from '../../../support/service.js';
import { shopper, signIn, latestCode, mount, section, tabTo, loginRequired, useAccountService } from '../support.js';

// Inside the page the flow's steps sit under the section's h3.
const heading = (root: Element) => root.querySelector('h4')?.textContent?.trim();

describe('<latch-account> delete section', () => {
  useAccountService();
  // Two steps only: what deletion means, then proof (a code to the verified email), then yes.
  beforeEach(() => setConfig({ delete_account_reasons: [], delete_account_consent: { consent_text: '' }, delete_account_day: 7 }));

  it('reveals <latch-delete-account> inside the page, moves focus to its first step, and Cancel closes it again', async () => {
    await signIn(await shopper());
    const el = await mount();
    const box = section(el, 'Delete account');
    const opener = button(box, 'Delete my account')!;
    const region = document.getElementById(opener.getAttribute('aria-controls')!)!;
    expect(box.querySelector('latch-delete-account') === null, 'absent').to.equal(true);
    opener.click();
    const flow = await until(() => box.querySelector('latch-delete-account'), 'the deletion flow');
    expect(region.hidden).to.equal(false);
    await until(() => heading(flow) === 'Delete your account', 'the first step');
    // Focus leaves the opener for the step it opened, so the keyboard and screen reader are there.
    await until(() => document.activeElement === flow.querySelector('h4'), 'focus on the first step’s heading');
    // The opener steps aside: the only "Delete my account" on screen from now on is the flow's own.
    expect(opener.isConnected, 'the opener is gone while the flow is open').to.equal(false);
    expect([...box.querySelectorAll('button')].filter((b) => b.textContent!.trim() === 'Delete my account')).to.have.length(0);
    await expect(el).to.be.accessible();

    // Cancel closes the flow (nothing deleted) and puts focus back on a new opener.
    button(flow, 'Cancel')!.click();
    const again = await until(() => button(box, 'Delete my account'), 'the opener back');
    await until(() => document.activeElement === again, 'focus back on the opener');
    expect(box.querySelector('latch-delete-account') === null, 'the flow is closed').to.equal(true);
    expect(region.hidden).to.equal(true);
    expect(await sessionUser(), 'still signed in').to.not.equal(null);
    await expect(el).to.be.accessible();
  });

  it('deletes by keyboard alone, shows the date the account goes for good, and only then offers sign-in', async () => {
    const s = await shopper();
    await signIn(s);
    const el = await mount();
    const box = section(el, 'Delete account');
    await tabTo(button(box, 'Delete my account')!, 60);
    await sendKeys({ press: 'Enter' });
    const flow = await until(() => box.querySelector('latch-delete-account'), 'the deletion flow');
    await until(() => document.activeElement === flow.querySelector('h4'), 'focus on the first step’s heading');
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement === button(flow, 'Continue'), 'Continue next').to.equal(true);
    await sendKeys({ press: 'Enter' });
    await until(() => heading(flow) === 'Confirm it is you', 'the proof step');
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement === button(flow, 'Send code'), 'Send code next').to.equal(true);
    await sendKeys({ press: 'Enter' });
    await until(() => document.activeElement === input(flow, 'Code'), 'focus on the code field');
    await sendKeys({ type: await latestCode(s.email) });
    await sendKeys({ press: 'Enter' });
    await until(() => heading(flow) === 'Delete your account?', 'the last step');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement === button(flow, 'Delete my account'), 'the final button next').to.equal(true);
    const deleted = oneEvent(el, 'latch-account-deleted') as Promise<LatchAccountDeletedEvent>;
    await sendKeys({ press: 'Space' });
    const { detail } = await deleted;
    expect(await sessionUser(), 'signed out everywhere').to.equal(null);

    // The page says what happened and when, in the shopper's words, before anything else.
    const date = new Intl.DateTimeFormat('en', { dateStyle: 'long' }).format(new Date(detail.deleteOn));
    await until(() => el.textContent!.includes('Your account is scheduled for deletion'), 'the confirmation');
    expect(el.textContent).to.contain(`Your account will be deleted for good on ${date}.`);
    expect(el.querySelector('latch-auth') === null, 'no sign-in form yet').to.equal(true);
    const done = [...el.querySelectorAll('h2,h3')].find((h) => h.textContent?.trim() === 'Your account is scheduled for deletion') as HTMLElement;
    await until(() => document.activeElement === done, 'focus on the confirmation’s heading');
    expect(loginRequired(), 'a deletion here is no reason to ask the host for a sign-in').to.equal(0);
    await expect(el).to.be.accessible();

    // Then, and only when asked, the sign-in form.
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement === button(el, 'Sign in'), 'the way to sign in next').to.equal(true);
    await sendKeys({ press: 'Enter' });
    await until(() => input(el, 'Email'), 'the sign-in form');
    expect(el.textContent).to.not.contain('Your account is scheduled for deletion');
    await expect(el).to.be.accessible();
  });
});
