/**
 * A storefront with an aggressive global stylesheet (demo/hostile.css: resets on every input,
 * button, form and label) must not break the widget's layout.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import type { LatchAuth } from '../../src/elements/latch-auth/latch-auth.js';
import { button, input, resetState, until } from '../support/service.js';

describe('<latch-auth> under a hostile page stylesheet', () => {
  let link: HTMLLinkElement;

  before(async () => {
    link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = new URL('../../demo/hostile.css', import.meta.url).href;
    const loaded = new Promise((resolve) => link.addEventListener('load', resolve));
    document.head.append(link);
    await loaded;
  });
  after(() => link.remove());
  beforeEach(resetState);

  it('keeps labels visible, fields full width, the form stacked and buttons readable', async () => {
    // The page really is hostile: a plain label and input outside the widget are wrecked.
    const probe = await fixture(html`<form><label for="p">Probe</label><input id="p" /></form>`);
    expect(getComputedStyle(probe.querySelector('label')!).display).to.equal('none');

    const el = await fixture<LatchAuth>(html`<latch-auth></latch-auth>`);
    await until(() => input(el, 'Email'), 'the form');
    const email = input(el, 'Email')!;
    const label = el.querySelector('label')!;
    const form = el.querySelector('form')!;
    const submit = button(el, 'Sign in')!;
    const card = el.querySelector('.latch-card')!.getBoundingClientRect();

    expect(getComputedStyle(label).display).to.equal('block');
    expect(getComputedStyle(form).flexDirection).to.equal('column');
    expect(getComputedStyle(email).borderTopStyle).to.equal('solid');
    expect(email.getBoundingClientRect().width).to.be.greaterThan(card.width * 0.7);
    expect(getComputedStyle(submit).textTransform).to.equal('none');
    expect(getComputedStyle(submit).letterSpacing).to.equal('normal');
    expect(submit.getBoundingClientRect().width).to.be.greaterThan(card.width * 0.7);
    expect(getComputedStyle(el.querySelector('h2')!).textDecorationLine).to.equal('none');
    expect(email.getBoundingClientRect().top).to.be.greaterThan(label.getBoundingClientRect().bottom - 1);
    await expect(el).to.be.accessible();
  });
});
