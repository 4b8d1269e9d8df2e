/**
 * CaptchaController, one layer alone: a provider registered by name (a stand-in that counts its
 * challenges), loaded only when the config asks, a new challenge after each use, and its token.
 */
import { expect } from '@open-wc/testing';
import { html, render } from 'lit';
import { TestHost as Host } from '../support/controller-host.js';
import { CaptchaController } from '../../src/controllers/captcha.js';
import { registerCaptchaProvider } from '../../src/providers/captcha.js';

let challenges = 0;
registerCaptchaProvider('counting', () => ({
  load: async () => void challenges++,
  render: (id, label, error) => html`<label for=${id}>${label}</label><input id=${id} name="captcha" aria-invalid=${error ? 'true' : 'false'} />`,
  token: (values) => (values.captcha ? `counting:${values.captcha}` : undefined),
}));

function setup(required: boolean) {
  const settings = { required: () => required, name: () => 'counting', base: () => '', timeout: () => 1000, failed: () => {} };
  return new CaptchaController(new Host(), settings);
}

describe('CaptchaController', () => {
  it('does nothing while the config does not ask for a captcha', async () => {
    challenges = 0;
    const captcha = setup(false);
    await captcha.load();
    expect(challenges).to.equal(0);
    expect(captcha.active).to.equal(false);
    expect(captcha.token({ captcha: '4' }), 'no token to send').to.equal(undefined);
  });

  it('loads a challenge once, a new one after each use, and reads the answer as a token', async () => {
    challenges = 0;
    const captcha = setup(true);
    await captcha.load();
    await captcha.load();
    expect(challenges, 'one challenge until it is used').to.equal(1);
    await captcha.load(true);
    expect(challenges).to.equal(2);
    expect(captcha.token({ captcha: '' }), 'unanswered').to.equal(null);
    expect(captcha.token({ captcha: '7' })).to.equal('counting:7');
    const root = document.createElement('div');
    render(captcha.field('c1', 'Security check', 'Answer the security check.', 'not set up'), root);
    expect(root.querySelector('input')!.getAttribute('aria-invalid')).to.equal('true');
  });

  it('says the store is not set up when the named provider is not registered', async () => {
    const settings = { required: () => true, name: () => 'missing', base: () => '', timeout: () => 1000, failed: () => {} };
    const captcha = new CaptchaController(new Host(), settings);
    await captcha.load();
    const root = document.createElement('div');
    render(captcha.field('c1', 'Security check', undefined, 'Sign-in is not set up correctly.'), root);
    expect(root.textContent).to.contain('Sign-in is not set up correctly.');
  });
});
