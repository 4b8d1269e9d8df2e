/**
 * The shared element base: after a render throws once, the element is not stuck; the next change
 * renders again (a storefront's bad data for one render must not freeze the widget for good). And
 * `<latch-provider>` answers by the string key, as another copy of latch on the page would ask.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { html as template } from 'lit';
import '../../src/define.js';
import { LatchStore } from '../../src/context/store.js';
import { LatchElement } from '../../src/elements/latch-element.js';
import { resetState, until } from '../support/service.js';

/** A minimal latch element whose render throws for one value of `label`. */
class RenderRecovery extends LatchElement {
  static override properties = { label: {} };
  label = 'first';

  protected override render(): unknown {
    if (this.label === 'broken') throw new Error('render failed on purpose');
    return template`<p>${this.label}</p>`;
  }
}
customElements.define('test-render-recovery', RenderRecovery);

describe('LatchElement', () => {
  beforeEach(resetState);

  it('renders the next change after one render threw', async () => {
    const el = await fixture<RenderRecovery>(html`<test-render-recovery></test-render-recovery>`);
    await until(() => el.querySelector('p')?.textContent === 'first', 'the first render');
    // Lit reports a failed render through updateComplete, and once more to the page as an
    // unhandled rejection when the next update starts (the runner logs that one): both are
    // expected here, so both are awaited.
    let onError!: (event: PromiseRejectionEvent) => void;
    const reported = new Promise<void>((resolve) => {
      onError = (event) => {
        if ((event.reason as Error)?.message !== 'render failed on purpose') return;
        event.preventDefault();
        resolve();
      };
    });
    window.addEventListener('unhandledrejection', onError, { capture: true });
    try {
      el.label = 'broken';
      const failed = await el.updateComplete.then(
        () => false,
        () => true,
      );
      expect(failed, 'the broken render rejected updateComplete').to.equal(true);
      el.label = 'second';
      await until(() => el.querySelector('p')?.textContent === 'second', 'the render after the failure');
      await reported;
    } finally {
      window.removeEventListener('unhandledrejection', onError, { capture: true });
    }
  });

  it('answers a context request by the string key, as a second copy of latch on the page would send it', async () => {
    const wrapper = await fixture(html`<latch-provider><div></div></latch-provider>`);
    const received: unknown[] = [];
    // Written as any other implementation of the community protocol would, not with @lit/context.
    const request = Object.assign(new Event('context-request', { bubbles: true, composed: true }), {
      context: 'latch-store',
      callback: (value: unknown) => received.push(value),
      subscribe: false,
    });
    wrapper.querySelector('div')!.dispatchEvent(request);
    expect(received).to.have.length(1);
    expect(received[0]).to.be.instanceOf(LatchStore);
  });
});
