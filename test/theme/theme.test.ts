/**
 * Theming as a store meets it: the `theme` attribute (light, dark, auto) on the elements and on
 * `<latch-provider>`, a store's tokens and class rules winning over latch's own, latch surviving a
 * page's global resets, the config's primary colour, and the states' marks (error sign, spinner,
 * no gap for empty live regions). Contrast in both themes is checked by every `accessible()` call
 * (test/support/themes.ts).
 */
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../src/define.js';
import type { LatchAuth } from '../../src/elements/latch-auth/latch-auth.js';
import { BASELINE_CONFIG, button, fill, input, resetState, until } from '../support/service.js';
import { HOLD, release } from '../support/hold.js';

const DARK_SURFACE = 'rgb(22, 27, 34)';
const LIGHT_SURFACE = 'rgb(255, 255, 255)';

const surfaceOf = (el: Element) => getComputedStyle(el.querySelector('.latch-card')!).backgroundColor;

async function signIn(template = html`<latch-auth></latch-auth>`): Promise<LatchAuth> {
  const host = await fixture<HTMLElement>(template);
  const el = (host.matches('latch-auth') ? host : host.querySelector('latch-auth')!) as LatchAuth;
  await until(() => input(el, 'Email'), 'the sign-in form');
  await el.updateComplete;
  return el;
}

/** A stylesheet of the page's own, removed after the test. */
function pageStyle(css: string): HTMLStyleElement {
  const style = document.createElement('style');
  style.textContent = css;
  document.head.append(style);
  return style;
}

describe('theme attribute', () => {
  beforeEach(resetState);
  afterEach(() => emulateMedia({ colorScheme: 'light' }));

  it('is light by default, even on a dark system, and dark when asked', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const el = await signIn();
    expect(surfaceOf(el)).to.equal(LIGHT_SURFACE);
    el.theme = 'dark';
    await el.updateComplete;
    expect(el.getAttribute('theme')).to.equal('dark');
    expect(surfaceOf(el)).to.equal(DARK_SURFACE);
    expect(getComputedStyle(el.querySelector('.latch-root')!).colorScheme).to.equal('dark');
    await expect(el).to.be.accessible();
  });

  it("follows the page's own color-scheme when no theme is set", async () => {
    const style = pageStyle('.dark-page { color-scheme: dark; }');
    try {
      const el = await signIn(html`<div class="dark-page"><latch-auth></latch-auth></div>`);
      expect(surfaceOf(el)).to.equal(DARK_SURFACE);
    } finally {
      style.remove();
    }
  });

  it('auto follows prefers-color-scheme', async () => {
    const el = await signIn(html`<latch-auth theme="auto"></latch-auth>`);
    expect(surfaceOf(el)).to.equal(LIGHT_SURFACE);
    await emulateMedia({ colorScheme: 'dark' });
    expect(surfaceOf(el)).to.equal(DARK_SURFACE);
  });

  it('comes from <latch-provider>, and an element of its own theme keeps it', async () => {
    const host = await fixture<HTMLElement>(html`<div>
      <latch-provider theme="dark"><latch-auth></latch-auth><latch-auth theme="light"></latch-auth></latch-provider>
    </div>`);
    const [inherits, own] = host.querySelectorAll('latch-auth');
    await until(() => input(inherits, 'Email') && input(own, 'Email'), 'both forms');
    expect(surfaceOf(inherits)).to.equal(DARK_SURFACE);
    expect(surfaceOf(own)).to.equal(LIGHT_SURFACE);
    // Changing the provider's theme later re-themes what it holds.
    host.querySelector('latch-provider')!.theme = 'light';
    await until(() => surfaceOf(inherits) === LIGHT_SURFACE, 'the provider theme to change');
  });

  it("lets a store's own tokens win over the dark palette", async () => {
    const style = pageStyle('.store latch-auth { --latch-color-surface: rgb(40, 0, 60); --latch-color-text: rgb(250, 250, 250); }');
    try {
      const el = await signIn(html`<div class="store"><latch-auth theme="dark"></latch-auth></div>`);
      expect(surfaceOf(el)).to.equal('rgb(40, 0, 60)');
      expect(getComputedStyle(el.querySelector('.latch-card__title')!).color).to.equal('rgb(250, 250, 250)');
    } finally {
      style.remove();
    }
  });
});

describe('store rules and page resets', () => {
  beforeEach(resetState);

  it('a store rule on a documented class hook wins over latch at the same specificity', async () => {
    const style = pageStyle('.latch-button--primary { background: rgb(10, 120, 60); } .latch-card { border-radius: 0px; }');
    try {
      const el = await signIn();
      expect(getComputedStyle(button(el, 'Sign in')!).backgroundColor).to.equal('rgb(10, 120, 60)');
      expect(getComputedStyle(el.querySelector('.latch-card')!).borderTopLeftRadius).to.equal('0px');
    } finally {
      style.remove();
    }
  });

  it('a page reset of buttons and inputs does not break the widget', async () => {
    const style = pageStyle('button { all: unset; } input { border: none; } p { margin: 3em; } div { display: inline; }');
    try {
      const el = await signIn();
      const submit = button(el, 'Sign in')!;
      const email = input(el, 'Email')!;
      // The reset really applies to the page's own controls.
      const probe = await fixture(html`<button>Probe</button>`);
      expect(getComputedStyle(probe).paddingTop).to.equal('0px');
      expect(getComputedStyle(submit).display).to.equal('flex');
      expect(submit.getBoundingClientRect().height).to.be.at.least(44);
      expect(getComputedStyle(submit).backgroundColor).to.equal('rgb(31, 79, 214)');
      expect(getComputedStyle(email).borderTopStyle).to.equal('solid');
      expect(getComputedStyle(el.querySelector('.latch-root')!).display).to.equal('flex');
      await expect(el).to.be.accessible();
    } finally {
      style.remove();
    }
  });
});

describe('config primary colour', () => {
  beforeEach(resetState);

  it('colours the primary button and links, readable in both themes', async () => {
    // Too light for white text and for links on a white card: latch adjusts it.
    const config = { ...BASELINE_CONFIG, look_and_feel: { ...BASELINE_CONFIG.look_and_feel, primary_color: '#FFD54F' }, forgot_password: true };
    const el = await signIn(html`<latch-auth .config=${config}></latch-auth>`);
    const submit = button(el, 'Sign in')!;
    expect(getComputedStyle(submit).backgroundColor).to.not.equal('rgb(31, 79, 214)');
    await expect(el).to.be.accessible();
  });
});

describe('state marks', () => {
  beforeEach(resetState);

  it('marks field errors with a sign that survives forced colours, and empty live regions take no room', async () => {
    const el = await signIn();
    const alert = el.querySelector('.latch-alert')!;
    expect(getComputedStyle(alert).position).to.equal('absolute');
    button(el, 'Sign in')!.click();
    const error = await until(() => el.querySelector('.latch-field__error'), 'a field error');
    expect(getComputedStyle(error, '::before').content).to.contain('\u26A0');
    await expect(el).to.be.accessible();
  });

  it('shows a spinner in the pending button', async () => {
    const el = await signIn(html`<latch-auth api-base=${HOLD}></latch-auth>`);
    fill(input(el, 'Email')!, 'shopper@example.com');
    fill(input(el, 'Password')!, 'correct-horse-battery');
    const primary = el.querySelector<HTMLButtonElement>('.latch-button--primary')!;
    expect(getComputedStyle(primary, '::before').animationName, 'no spinner before sending').to.not.equal('latch-spin');
    primary.click();
    await el.updateComplete;
    // The sign-in is held at the test server until released: the spinner shows meanwhile.
    const busy = el.querySelector<HTMLElement>('.latch-button[aria-busy="true"]')!;
    expect(busy, 'the pending button').to.not.equal(null);
    expect(getComputedStyle(busy, '::before').animationName).to.equal('latch-spin');
    await expect(el).to.be.accessible();
    expect((await release()).released).to.equal(1);
    await until(() => button(el, 'Sign out'), 'the signed-in state');
    expect(el.querySelector('.latch-button[aria-busy="true"]'), 'no spinner once answered').to.equal(null);
  });
});
