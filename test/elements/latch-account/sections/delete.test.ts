/** The delete section of <latch-account> (src/elements/latch-account/sections/delete.ts), against the reference service. */
import { expect } from '@open-wc/testing';
import { button, until } from '../../../support/service.js';
import { shopper, signIn, mount, section, useAccountService } from '../support.js';

describe('<latch-account> delete section', () => {
  useAccountService();

  describe('delete account', () => {
    it('reveals <latch-delete-account> inside the page', async () => {
      await signIn(await shopper());
      const el = await mount();
      const box = section(el, 'Delete account');
      const toggle = button(box, 'Delete my account')!;
      expect(toggle.getAttribute('aria-expanded')).to.equal('false');
      expect(box.querySelector('latch-delete-account') === null, 'absent').to.equal(true);
      toggle.click();
      await until(() => box.querySelector('latch-delete-account'), 'the deletion flow');
      expect(toggle.getAttribute('aria-expanded')).to.equal('true');
      expect(document.getElementById(toggle.getAttribute('aria-controls')!)!.hidden).to.equal(false);
    });
  });
});
