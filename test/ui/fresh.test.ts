/**
 * freshByKey: the same key keeps the controls a shopper is typing in; a new key gives new ones, so
 * nothing typed (or autofilled) in one step lives on in the next.
 */
import { expect } from '@open-wc/testing';
import { html, render } from 'lit/html.js';
import { freshByKey } from '../../src/ui/fresh.js';

describe('freshByKey', () => {
  it('keeps the input while the key stays, and makes a new one when the key changes', () => {
    const place = document.createElement('div');
    const fresh = freshByKey();
    const view = (key: string) => render(html`<form>${fresh(key, html`<input name="email" />`)}</form>`, place);

    view('password');
    const first = place.querySelector('input')!;
    first.value = 'typed@example.com';
    view('password');
    expect(place.querySelector('input') === first).to.equal(true);
    expect(place.querySelector('input')!.value).to.equal('typed@example.com');

    view('otp');
    const second = place.querySelector('input')!;
    expect(second === first).to.equal(false);
    expect(second.value).to.equal('');

    view('password');
    expect(place.querySelector('input') === second).to.equal(false);
    expect(place.querySelectorAll('input').length).to.equal(1);
  });
});
