/**
 * The benchmark's floor (scripts/bench.mjs): a bare Lit form with the fields <latch-auth> shows
 * first (email, password, sign in), in light DOM, with no config, no styles and no logic. Nothing a
 * store could ship should be faster to its first usable input than this.
 */
import { LitElement, html } from 'lit';

class BareForm extends LitElement {
  createRenderRoot() {
    return this;
  }

  render() {
    return html`<form @submit=${(e) => e.preventDefault()}>
      <label for="bare-email">Email</label>
      <input id="bare-email" name="username" type="email" autocomplete="username" required />
      <label for="bare-password">Password</label>
      <input id="bare-password" name="password" type="password" autocomplete="current-password" required />
      <button>Sign in</button>
    </form>`;
  }
}

customElements.define('bare-form', BareForm);
