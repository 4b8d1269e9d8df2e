/** The pure config -> view model mapping: every config field of this slice and its edge cases. */
import { expect } from '@open-wc/testing';
import { authViewModel } from '../../src/config/view-model.js';
import { contrastRatio, parseHexColor, readableText } from '../../src/config/color.js';
import { safeUrl } from '../../src/config/url.js';

const ORIGIN = 'https://shop.example.com';

describe('authViewModel', () => {
  it('has working defaults for an empty config', () => {
    const vm = authViewModel({}, ORIGIN);
    expect(vm).to.include({ active: true, heading: '', subtext: '', password: true, align: 'center', valign: 'center' });
    expect(vm.flash).to.equal(undefined);
    expect(vm.desktopImage).to.equal(undefined);
  });

  it('takes the heading from display, then name', () => {
    expect(authViewModel({ display: 'D', name: 'N' }, ORIGIN).heading).to.equal('D');
    expect(authViewModel({ display: '', name: 'N' }, ORIGIN).heading).to.equal('N');
  });

  it('turns sign-in off only for an explicit active: false', () => {
    expect(authViewModel({ active: false }, ORIGIN).active).to.equal(false);
    expect(authViewModel({ active: undefined }, ORIGIN).active).to.equal(true);
  });

  it('follows login.password', () => {
    expect(authViewModel({ login: { password: false } }, ORIGIN).password).to.equal(false);
    expect(authViewModel({ login: { otp: true } }, ORIGIN).password).to.equal(true);
  });

  it('falls back from the mobile image to the desktop one', () => {
    const vm = authViewModel({ desktop_image: 'https://cdn.example.com/d.png' }, ORIGIN);
    expect(vm.mobileImage).to.equal('https://cdn.example.com/d.png');
    expect(authViewModel({ desktop_image: '/logo.png' }, ORIGIN).desktopImage).to.equal(`${ORIGIN}/logo.png`);
  });

  it('maps card positions to logical alignment', () => {
    expect(authViewModel({ look_and_feel: { card_position: 'left' } }, ORIGIN)).to.include({ align: 'start', valign: 'center' });
    expect(authViewModel({ look_and_feel: { card_position: 'top-right' } }, ORIGIN)).to.include({ align: 'end', valign: 'start' });
    expect(authViewModel({ look_and_feel: { card_position: 'bottom' } }, ORIGIN)).to.include({ align: 'center', valign: 'end' });
  });

  it('accepts only hex colours for the backdrop and flash card', () => {
    expect(authViewModel({ look_and_feel: { background_color: '#ABC' } }, ORIGIN).backdrop).to.equal('#aabbcc');
    expect(authViewModel({ look_and_feel: { background_color: 'red;} body{display:none' } }, ORIGIN).backdrop).to.equal(undefined);
    const vm = authViewModel({ flash_card: { text: ' Sale ', text_color: 'url(x)', background_color: '#ffffff' } }, ORIGIN);
    expect(vm.flash).to.deep.equal({ text: 'Sale', background: '#ffffff', color: '#000000' });
  });

  it('hides the flash card when its text is blank', () => {
    expect(authViewModel({ flash_card: { text: '   ' } }, ORIGIN).flash).to.equal(undefined);
  });
});

describe('colour and URL checks', () => {
  it('parses hex colours and drops alpha', () => {
    expect(parseHexColor('#1F2937')).to.equal('#1f2937');
    expect(parseHexColor('#fff8')).to.equal('#ffffff');
    expect(parseHexColor('rgb(0,0,0)')).to.equal(undefined);
    expect(parseHexColor(42)).to.equal(undefined);
  });

  it('computes WCAG contrast and corrects unreadable text', () => {
    expect(Math.round(contrastRatio('#000000', '#ffffff'))).to.equal(21);
    expect(readableText('#777777', '#ffffff')).to.equal('#000000');
    expect(readableText('#ffffff', '#1f2937')).to.equal('#ffffff');
    expect(readableText(undefined, '#000000')).to.equal('#ffffff');
  });

  it('allows https and same-origin URLs only', () => {
    expect(safeUrl('https://cdn.example.com/a.png', ORIGIN)).to.equal('https://cdn.example.com/a.png');
    expect(safeUrl('/a.png', ORIGIN)).to.equal(`${ORIGIN}/a.png`);
    expect(safeUrl('javascript:alert(1)', ORIGIN)).to.equal(undefined);
    expect(safeUrl('data:image/png;base64,AAAA', ORIGIN)).to.equal(undefined);
    expect(safeUrl('http://cdn.example.com/a.png', ORIGIN)).to.equal(undefined);
    expect(safeUrl('', ORIGIN)).to.equal(undefined);
  });
});
