/**
 * One primary action per group on the account page: every section (and every step of the deletion
 * flow inside it) shows exactly one filled button, the `latch-button--primary` hook the styles fill;
 * everything else is outlined or a text button, and "Delete my account" is outlined in the danger
 * colour, never filled. Counted by what is painted (a button's background), not only by class.
 */
import { expect } from '@open-wc/testing';
import { button, input, fill, setConfig, until } from '../../support/service.js';
import { shopper, signIn, otherSession, mount, section, useAccountService } from './support.js';

/** Buttons with a background of their own: the filled ones a shopper reads as "the" action. */
const filled = (root: Element) =>
  [...root.querySelectorAll<HTMLButtonElement>('button')].filter((b) => {
    const paint = getComputedStyle(b).backgroundColor;
    return paint !== 'rgba(0, 0, 0, 0)' && paint !== 'transparent';
  });
const primaries = (root: Element) => [...root.querySelectorAll('.latch-button--primary')];

const SECTIONS = ['Profile', 'Email addresses and phone numbers', 'Password', 'Where you are signed in', 'Preferences'];

/** Each section's filled buttons are exactly its primary ones, and there is one (none in "Delete account" while closed). */
function expectOnePrimaryEach(el: Element, deleteOpen: boolean): void {
  for (const name of [...SECTIONS, 'Delete account']) {
    const box = section(el, name);
    const want = name === 'Delete account' && !deleteOpen ? 0 : 1;
    expect(primaries(box), `${name}: primary buttons`).to.have.length(want);
    expect(filled(box), `${name}: filled buttons`).to.deep.equal(primaries(box));
  }
}

describe('<latch-account> one primary action per section', () => {
  useAccountService();
  // Deletion in two steps: what it means, then proof (a code to the verified email).
  beforeEach(() => setConfig({ delete_account_reasons: [], delete_account_consent: { consent_text: '' }, delete_account_day: 7 }));

  it('fills one button per section, outlines the rest, and keeps deletion outlined in the danger colour', async () => {
    const s = await shopper();
    await signIn(s);
    await otherSession(s);
    const el = await mount();
    await until(() => section(el, 'Where you are signed in').querySelectorAll('.latch-entry').length === 2, 'both devices');
    await until(() => input(section(el, 'Preferences'), 'Shoe size'), 'the preferences');
    expectOnePrimaryEach(el, false);
    expect(filled(section(el, 'Where you are signed in')).map((b) => b.textContent!.trim())).to.deep.equal(['Sign out here']);
    const remove = button(section(el, 'Delete account'), 'Delete my account')!;
    expect(remove.classList.contains('latch-button--danger')).to.equal(true);
    const danger = getComputedStyle(remove);
    expect(danger.color, 'the danger colour').to.equal('rgb(179, 38, 30)');
    expect(danger.borderTopColor).to.equal('rgb(179, 38, 30)');
    await expect(el).to.be.accessible();

    // Messages and a new contact's code keep one filled button in their section.
    button(section(el, 'Password'), 'Change password')!.click();
    await until(() => section(el, 'Password').querySelector('.latch-field__error'), 'the password errors');
    fill(input(section(el, 'Email addresses and phone numbers'), 'Email')!, `new-${s.email}`);
    button(section(el, 'Email addresses and phone numbers'), 'Send code')!.click();
    await until(() => input(section(el, 'Email addresses and phone numbers'), 'Code'), 'the code form');
    expectOnePrimaryEach(el, false);
    await expect(el).to.be.accessible();

    // The deletion flow, opened: its step's one primary is the panel's one.
    remove.click();
    const flow = await until(() => section(el, 'Delete account').querySelector('latch-delete-account'), 'the deletion flow');
    await until(() => flow.querySelector('h4')?.textContent?.trim() === 'Delete your account', 'its first step');
    expectOnePrimaryEach(el, true);
    button(flow, 'Continue')!.click();
    await until(() => button(flow, 'Send code'), 'the next step');
    expectOnePrimaryEach(el, true);
    await expect(el).to.be.accessible();
  });
});
