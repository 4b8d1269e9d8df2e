/**
 * <latch-auth> end to end: the element in real Chromium, the reference user service over HTTP,
 * its database behind it. Faults come from a misbehaving server (test/support/faults.mjs), not stubs.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../../src/define.js';
import type { LatchAuth } from '../../../src/elements/latch-auth/latch-auth.js';
import type { LatchErrorEvent } from '../../../src/events.js';
import { useClock } from '../../../src/controllers/countdown.js';
import { ManualClock, retryPause } from '../../support/clock.js';
import { HOLD, held } from '../../support/hold.js';
import {
  DEMO,
  alertText,
  button,
  fill,
  input,
  requestsTo,
  resetState,
  setConfig,
  until,
} from '../../support/service.js';

async function mount(template = html`<latch-auth></latch-auth>`): Promise<LatchAuth> {
  const el = await fixture<LatchAuth>(template);
  const loading = () => el.textContent?.includes('Loading sign-in');
  await until(() => input(el, 'Email') || (el.querySelector('.latch-notice') && !loading()), 'the widget to settle');
  return el;
}

async function mountForm(): Promise<LatchAuth> {
  const el = await fixture<LatchAuth>(html`<latch-auth></latch-auth>`);
  await until(() => input(el, 'Email'), 'the password form');
  return el;
}

async function signIn(el: LatchAuth, email = DEMO.email, password = DEMO.password): Promise<void> {
  fill(input(el, 'Email')!, email);
  fill(input(el, 'Password')!, password);
  button(el, 'Sign in')!.click();
}

const heading = (el: Element) => el.querySelector('h2')?.textContent?.trim();

describe('<latch-auth> with the reference service', () => {
  beforeEach(resetState);

  describe('config drives what renders', () => {
    it('shows the configured title and subtext above a labelled password form', async () => {
      await setConfig({ display: 'Harbor & Thread', subtext: 'Welcome back' });
      const el = await mountForm();
      expect(heading(el)).to.equal('Harbor & Thread');
      expect(el.querySelector('.latch-card__subtitle')?.textContent?.trim()).to.equal('Welcome back');
      const email = input(el, 'Email')!;
      const password = input(el, 'Password')!;
      expect(email.autocomplete).to.equal('username');
      expect(email.type).to.equal('email');
      expect(password.autocomplete).to.equal('current-password');
      expect(password.type).to.equal('password');
      expect(email.form === password.form, 'one form').to.equal(true);
      expect(button(el, 'Sign in')!.type).to.equal('submit');
      await expect(el).to.be.accessible();
    });

    it('falls back to the store name when display is empty', async () => {
      await setConfig({ display: '', name: 'Name Only Store' });
      const el = await mountForm();
      expect(heading(el)).to.equal('Name Only Store');
    });

    it('renders markup in config strings as text and runs none of it', async () => {
      // The image's address cannot be parsed, so its error comes without any network (see below).
      const payload = '<img src="http://[" onerror="window.__pwned=1">';
      await setConfig({ display: payload, subtext: `<b>${payload}</b>`, flash_card: { text: `<script>window.__pwned=2</script>${payload}` } });
      const el = await mountForm();
      expect(heading(el)).to.equal(payload);
      expect(el.querySelector('.latch-flash')!.textContent).to.contain('<script>');
      expect(el.querySelector('img, script, b')).to.equal(null);
      // An image of the test's own at the same unparseable address, made after the render: an image
      // failing that way queues its error as a task in the order the images were made, so once this
      // one has failed, one the markup had made (anywhere, even off the page) has run its handler.
      const probe = new Image();
      const failed = new Promise((resolve) => probe.addEventListener('error', resolve, { once: true }));
      probe.src = 'http://[';
      await failed;
      expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
    });

    it('shows the flash card in its colours, and fixes text that would be unreadable', async () => {
      await setConfig({ flash_card: { text: 'Free shipping this week', text_color: '#FFFF00', background_color: '#000080' } });
      let el = await mountForm();
      let flash = el.querySelector<HTMLElement>('.latch-flash')!;
      expect(flash.textContent).to.equal('Free shipping this week');
      expect(getComputedStyle(flash).backgroundColor).to.equal('rgb(0, 0, 128)');
      expect(getComputedStyle(flash).color).to.equal('rgb(255, 255, 0)');
      await expect(el).to.be.accessible();

      el.remove();
      localStorage.clear();
      await setConfig({ flash_card: { text: 'Pale on pale', text_color: '#FFFFFF', background_color: '#FAFAFA' } });
      el = await mountForm();
      flash = el.querySelector<HTMLElement>('.latch-flash')!;
      expect(getComputedStyle(flash).color).to.equal('rgb(0, 0, 0)');
    });

    it('shows no flash card when its text is empty', async () => {
      const el = await mountForm();
      expect(el.querySelector('.latch-flash')).to.equal(null);
    });

    it('applies the backdrop colour and card position from look_and_feel', async () => {
      await setConfig({ look_and_feel: { background_color: '#123456', card_position: 'right' } });
      const el = await mountForm();
      const root = el.querySelector<HTMLElement>('.latch-root')!;
      expect(getComputedStyle(root).backgroundColor).to.equal('rgb(18, 52, 86)');
      expect(getComputedStyle(root).justifyContent).to.equal('flex-end');
      const card = el.querySelector('.latch-card')!.getBoundingClientRect();
      expect(root.getBoundingClientRect().right - card.right).to.be.lessThan(40);
    });

    it('lets the host page override config colours with --latch-backdrop', async () => {
      await setConfig({ look_and_feel: { background_color: '#123456', card_position: 'left' } });
      const el = await fixture<LatchAuth>(html`<div style="--latch-backdrop: rgb(1, 2, 3)"><latch-auth></latch-auth></div>`);
      const auth = el.querySelector('latch-auth')!;
      await until(() => input(auth, 'Email'), 'the form');
      const root = auth.querySelector<HTMLElement>('.latch-root')!;
      expect(getComputedStyle(root).backgroundColor).to.equal('rgb(1, 2, 3)');
      expect(getComputedStyle(root).justifyContent).to.equal('flex-start');
    });

    it('shows the desktop image, a mobile source, and refuses unsafe image URLs', async () => {
      await setConfig({ desktop_image: 'https://cdn.example.com/logo.png', mobile_image: 'https://cdn.example.com/m.png' });
      let el = await mountForm();
      const img = el.querySelector('img')!;
      expect(img.getAttribute('src')).to.equal('https://cdn.example.com/logo.png');
      // The heading names the store already, so the logo is not announced a second time.
      expect(img.getAttribute('alt')).to.equal('');
      expect(el.querySelector('source')!.getAttribute('srcset')).to.equal('https://cdn.example.com/m.png');

      el.remove();
      localStorage.clear();
      await setConfig({ desktop_image: 'javascript:alert(1)', mobile_image: 'http://evil.example.com/x.png' });
      el = await mountForm();
      expect(el.querySelector('img, source')).to.equal(null);
    });

    it('says sign-in is unavailable when the application is not active, and offers no form', async () => {
      await setConfig({ active: false });
      const el = await mount();
      expect(el.querySelector('[role="status"]')!.textContent).to.contain('Sign-in is unavailable');
      expect(input(el, 'Email')).to.equal(null);
      expect(el.querySelector('form')).to.equal(null);
      expect(requestsTo('/authentication/v1.0/session')).to.equal(0);
      await expect(el).to.be.accessible();
    });

    it('offers no password form when password login is switched off', async () => {
      await setConfig({ login: { password: false, otp: false } });
      const el = await mount();
      expect(input(el, 'Password')).to.equal(null);
      expect(el.textContent).to.contain('No sign-in method');
    });

    it('renders a returning visit from the cached config at once, then revalidates', async () => {
      await setConfig({ display: 'First name of the store' });
      (await mountForm()).remove();
      await setConfig({ display: 'Renamed store' });
      const el = await fixture<LatchAuth>(html`<latch-auth></latch-auth>`);
      expect(heading(el)).to.equal('First name of the store');
      await until(() => heading(el) === 'Renamed store', 'the revalidated config');
    });
  });

  describe('continue as guest', () => {
      it('appears with skip_login and tells the host', async () => {
        let el = await mount();
        expect(button(el, 'Continue as guest')).to.equal(null);
        el.remove();
        localStorage.clear();
        await setConfig({ skip_login: true });
        el = await mount();
        const skip = oneEvent(el, 'latch-skip');
        button(el, 'Continue as guest')!.click();
        expect((await skip).bubbles).to.equal(true);
      });
  });

  describe('when the service misbehaves', () => {
    const config = { display: 'Inline store', login: { password: true } };

    /**
     * Signs in against a failing service (20 s timeout, not the default) with the element on a clock
     * moved by hand (its request timeouts and retry pauses); `whilePending` runs while the sign-in
     * waits for its answer.
     */
    async function failingLogin(apiBase: string, whilePending?: (el: LatchAuth, clock: ManualClock) => Promise<void>) {
      const clock = new ManualClock();
      useClock(clock);
      try {
        const el = await fixture<LatchAuth>(html`<latch-auth api-base=${apiBase} .config=${config} timeout="20000"></latch-auth>`);
        await until(() => input(el, 'Email'), 'the form');
        const error = oneEvent(el, 'latch-error') as Promise<LatchErrorEvent>;
        await signIn(el);
        await whilePending?.(el, clock);
        const event = await error;
        await until(() => alertText(el), 'the error message');
        expect(input(el, 'Email')!.value, 'the email is kept').to.equal(DEMO.email);
        expect(button(el, 'Sign in')!.getAttribute('aria-disabled')).to.equal('false');
        await expect(el).to.be.accessible();
        return { el, event, clock };
      } finally {
        useClock();
      }
    }

    /**
     * The session check of a failing service retries on its own, after pauses on the element's
     * clock: until its last attempt the host has heard of the sign-in only; then it hears of the
     * session once, and the shopper's message and typing stay as they were.
     */
    async function sessionGivesUp(el: LatchAuth, clock: ManualClock, kind: string) {
      const errors: LatchErrorEvent[] = [];
      el.addEventListener('latch-error', (e) => errors.push(e as LatchErrorEvent));
      const shown = alertText(el);
      const unchanged = () => expect(errors, 'nothing more for the host while the check retries').to.have.length(0);
      await retryPause(clock, 400, unchanged);
      await retryPause(clock, 800, unchanged);
      await until(() => errors.length, 'the session error');
      expect(errors).to.have.length(1);
      expect(errors[0].detail).to.include({ action: 'session', kind });
      expect(alertText(el), 'the sign-in message stays').to.equal(shown);
      expect(input(el, 'Email')!.value, 'the email is kept').to.equal(DEMO.email);
      expect(clock.pending, 'no timer left behind').to.equal(0);
    }

    it('explains a service that cannot be reached', async () => {
      const { el, event, clock } = await failingLogin('http://127.0.0.1:9');
      expect(event.detail).to.include({ action: 'login', kind: 'network' });
      expect(alertText(el)).to.contain('could not reach the sign-in service');
      await sessionGivesUp(el, clock, 'network');
    });

    it('explains a service that does not answer in time, once the timeout has passed', async () => {
      // The sign-in is held at the test server, unanswered; the element's timeout runs on a clock
      // moved here by hand, not on real time.
      const { el, event, clock } = await failingLogin(HOLD, async (el, clock) => {
        let errors = 0;
        el.addEventListener('latch-error', () => errors++);
        await until(async () => (await held()).held === 1, 'the sign-in to reach the service');
        // The timeout attribute (not the 15 s default) sets it; on real time the test would time out.
        expect(clock.pending, "the sign-in's timeout runs on the element's clock").to.equal(1);
        clock.advance(19_999);
        // A round trip to the test server: an abort would have been handled and shown by its end.
        expect(await held(), 'the browser still waits for the answer').to.deep.equal({ held: 1, abandoned: 0 });
        await el.updateComplete;
        expect(errors, 'no error a millisecond before the timeout').to.equal(0);
        expect(alertText(el), 'no message yet').to.equal('');
        expect(button(el, 'Please wait…')?.getAttribute('aria-busy'), 'still signing in').to.equal('true');
        clock.advance(1);
      });
      expect(event.detail.kind).to.equal('timeout');
      expect(alertText(el)).to.contain('took too long');
      await until(async () => (await held()).abandoned === 1, 'the browser to give the sign-in up at the service');
      expect(clock.pending, 'no timer left behind').to.equal(0);
    });

    it('explains a server error', async () => {
      const { el, event, clock } = await failingLogin('/__fault/500');
      expect(event.detail).to.include({ action: 'login', kind: 'http', status: 500 });
      expect(alertText(el)).to.contain('Something went wrong on our side');
      await sessionGivesUp(el, clock, 'http');
    });

    it('explains an answer it cannot read', async () => {
      const { el, event } = await failingLogin('/__fault/garbage');
      expect(event.detail.kind).to.equal('malformed');
      expect(alertText(el)).to.contain('could not read');
    });

    /**
     * Mounts the element against a port nothing listens on, its clock moved by hand: the config is
     * tried three times, the shopper sees it loading (and the host hears nothing) until a
     * millisecond before each retry pause ends, and the config error shows after the last attempt.
     */
    async function unreachableConfig(clock: ManualClock): Promise<{ el: LatchAuth; errors: LatchErrorEvent[] }> {
      const errors: LatchErrorEvent[] = [];
      const el = await fixture<LatchAuth>(html`<latch-auth api-base="http://127.0.0.1:9" @latch-error=${(e: LatchErrorEvent) => errors.push(e)}></latch-auth>`);
      const loading = async () => {
        await el.updateComplete;
        expect(el.textContent, 'still loading').to.contain('Loading sign-in');
        expect(alertText(el), 'no error shown yet').to.equal('');
        expect(errors, 'no error for the host yet').to.have.length(0);
      };
      await retryPause(clock, 400, async () => {
        await loading();
        await expect(el).to.be.accessible();
      });
      await retryPause(clock, 800, loading);
      await until(() => alertText(el), 'the config error');
      return { el, errors };
    }

    it('keeps loading while it retries the config, then shows a config problem with a retry', async () => {
      const clock = new ManualClock();
      useClock(clock);
      try {
        const { el, errors } = await unreachableConfig(clock);
        expect(errors).to.have.length(1);
        expect(errors[0].detail).to.include({ action: 'config', kind: 'network' });
        expect(alertText(el)).to.contain('could not reach the sign-in service');
        expect(button(el, 'Try again')).to.not.equal(null);
        expect(clock.pending, 'no timer left behind').to.equal(0);
        await expect(el).to.be.accessible();
      } finally {
        useClock();
      }
    });

    it('recovers when the host points it at a reachable service', async () => {
      const clock = new ManualClock();
      useClock(clock);
      try {
        const { el } = await unreachableConfig(clock);
        expect(button(el, 'Try again')).to.not.equal(null);
        el.apiBase = '';
        await until(() => input(el, 'Email'), 'the form from the reachable service');
      } finally {
        useClock();
      }
    });

    it('shows a clear error for a malformed config from the service', async () => {
      const el = await fixture<LatchAuth>(html`<latch-auth api-base="/__fault/badconfig"></latch-auth>`);
      const event = (await oneEvent(el, 'latch-error')) as LatchErrorEvent;
      expect(event.detail).to.include({ action: 'config', kind: 'config' });
      await until(() => alertText(el), 'the config error');
      expect(alertText(el)).to.contain('not set up correctly');
      expect(input(el, 'Email')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('shows a clear error for a malformed inline config', async () => {
      const el = document.createElement('latch-auth');
      const error = oneEvent(el, 'latch-error') as Promise<LatchErrorEvent>;
      el.config = { login: { password: 'yes' } };
      document.body.append(el);
      expect((await error).detail.kind).to.equal('config');
      await el.updateComplete;
      expect(alertText(el)).to.contain('not set up correctly');
      el.remove();
    });
  });

  describe('inside <latch-provider>', () => {
    it('shares one config and one session among the elements', async () => {
      const wrapper = await fixture(html`<latch-provider><latch-auth></latch-auth><latch-auth></latch-auth></latch-provider>`);
      const [first, second] = [...wrapper.querySelectorAll('latch-auth')];
      await until(() => input(first, 'Email') && input(second, 'Email'), 'both forms');
      expect(requestsTo('/platform/v1.0/config')).to.equal(1);
      expect(input(first, 'Email')!.id).to.not.equal(input(second, 'Email')!.id);
      await signIn(first);
      await until(() => button(second, 'Sign out'), 'the second element to see the session');
      await expect(wrapper).to.be.accessible();
    });
  });
});
