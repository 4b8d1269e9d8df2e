/**
 * `<latch-delete-account>` in Arabic with the reference service: right to left, the grace period
 * and date written by Arabic `Intl`, and the character count through Arabic's plural categories as
 * the shopper types (two left, one left, none left, a few, many). The reasons are the store's own
 * words and stay as written.
 */
import { expect, html } from '@open-wc/testing';
import { catalogsSettled } from '../../src/i18n/localize.js';
import { button, fill, input, until } from '../support/service.js';
import { DAY, field, mount, shopper, signIn, useDeleteService } from '../elements/latch-delete-account/support.js';

const heading = (el: Element) => el.querySelector('h3')?.textContent?.trim();

describe('<latch-delete-account> in Arabic', () => {
  useDeleteService();

  it('reads right to left, writes the dates in Arabic and counts characters with the six plural forms', async () => {
    const s = await shopper(false);
    expect((await signIn(s.email, s.password)).status).to.equal(200);
    const el = await mount(html`<latch-delete-account lang="ar"></latch-delete-account>`);
    await catalogsSettled();
    await until(() => heading(el) === 'حذف حسابك', 'the Arabic first step');
    expect(getComputedStyle(el).direction).to.equal('rtl');
    const date = new Intl.DateTimeFormat('ar', { dateStyle: 'long' }).format(Date.now() + 7 * DAY);
    expect(el.textContent).to.contain(`بعد 7 أيام، في ${date}،`);
    await expect(el).to.be.accessible();

    button(el, 'متابعة')!.click();
    await until(() => heading(el) === 'لماذا تغادر؟', 'the reason step');
    input(el, 'Other')!.click();
    const details = await field(el, 'أخبرنا بالمزيد (اختياري)');
    // The count under the text box (its id is the box's id with `-count`).
    const left = () => el.querySelector(`[id="${details.id}-count"]`)?.textContent?.trim();
    for (const [length, words] of [
      [497, 'يتبقى 3 أحرف'],
      [498, 'يتبقى حرفان'],
      [499, 'يتبقى حرف واحد'],
      [500, 'لم يتبقَّ أي حرف'],
      [489, 'يتبقى 11 حرفًا'],
      [400, 'يتبقى 100 حرف'],
    ] as const) {
      fill(details, 'x'.repeat(length));
      await el.updateComplete;
      expect(left(), `${500 - length} left`).to.equal(words);
    }
    await expect(el).to.be.accessible();
  });
});
