/** The attributes section of <latch-account> (src/elements/latch-account/sections/attributes.ts), against the reference service. */
import { expect, html } from '@open-wc/testing';
import { APP_BASE, admin, alertText, button, fill, input, until } from '../../../support/service.js';
import { catalogsSettled } from '../../../../src/i18n/localize.js';
import mr from '../../../../src/i18n/catalogs/mr.js';
import { shopper, signIn, mount, section, statusText, choose, useAccountService } from '../support.js';

describe('<latch-account> attributes section', () => {
  useAccountService();

  describe('custom attributes', () => {
    it('edits attributes by type; the values persist across a re-mount', async () => {
      await signIn(await shopper());
      let el = await mount();
      const prefs = section(el, 'Preferences');
      const size = input(prefs, 'Shoe size')!;
      expect(size.type).to.equal('number');
      expect([size.min, size.max]).to.deep.equal(['1', '60']);
      const frequency = input(prefs, 'Newsletter frequency') as unknown as HTMLSelectElement;
      expect([...frequency.options].map((o) => o.value)).to.deep.equal(['', 'weekly', 'monthly', 'never']);
      const reminders = input(prefs, 'Birthday reminders')!;
      expect(reminders.type).to.equal('checkbox');
      // The definition's description is the field's hint.
      expect(document.getElementById(size.getAttribute('aria-describedby')!)!.textContent).to.equal('Your usual shoe size (EU)');

      fill(size, '42');
      choose(frequency, 'monthly');
      reminders.click();
      button(prefs, 'Save preferences')!.click();
      await until(() => statusText(prefs).includes('Your changes are saved.'), 'the saved notice');
      await expect(el).to.be.accessible();

      el.remove();
      el = await mount();
      const again = section(el, 'Preferences');
      expect(input(again, 'Shoe size')!.value).to.equal('42');
      expect((input(again, 'Newsletter frequency') as unknown as HTMLSelectElement).value).to.equal('monthly');
      expect(input(again, 'Birthday reminders')!.checked).to.equal(true);
      const values = (await (await fetch(`${APP_BASE}/profile/v1.0/user-attributes`)).json()) as { attributes: Record<string, unknown> };
      expect(values.attributes).to.deep.equal({ shoe_size: 42, newsletter_frequency: 'monthly', birthday_reminders: true });
    });

    it('refuses an out-of-range number and an option the store no longer offers, at the field', async () => {
      await signIn(await shopper());
      const el = await mount();
      const prefs = section(el, 'Preferences');
      fill(input(prefs, 'Shoe size')!, '99');
      button(prefs, 'Save preferences')!.click();
      // The service names the field (`meta.fields["attributes.shoe_size"]: "must be at most 60"`);
      // the rule that failed shows there in latch's words, with the service's limit.
      const size = () => input(section(el, 'Preferences'), 'Shoe size')!;
      await until(() => size().getAttribute('aria-invalid') === 'true', 'the number error');
      expect(document.getElementById(size().getAttribute('aria-describedby')!.split(' ').pop()!)!.textContent).to.equal('Enter a number no higher than 60.');
      expect(size().value, 'what was typed stays').to.equal('99');
      expect(document.activeElement === size(), 'focus on the field').to.equal(true);
      expect(alertText(prefs)).to.equal('Please fix the highlighted fields.');

      // The store drops "weekly" after the page was drawn: the service refuses it, the field says so.
      const list = (await (await admin('/user_attribute/definition?slug=newsletter_frequency')).json()) as { items: { _id: string }[] };
      const definition = `/user_attribute/definition/${list.items[0]._id}`;
      fill(size(), '41');
      choose(input(prefs, 'Newsletter frequency') as unknown as HTMLSelectElement, 'weekly');
      const put = (options: string[]) =>
        admin(definition, { method: 'PUT', body: JSON.stringify({ validations: [{ type: 'enum', value: options }] }) });
      expect((await put(['monthly', 'never'])).status).to.equal(200);
      try {
        button(prefs, 'Save preferences')!.click();
        const select = () => input(section(el, 'Preferences'), 'Newsletter frequency') as unknown as HTMLSelectElement;
        await until(() => select().getAttribute('aria-invalid') === 'true', 'the option error');
        expect(document.getElementById(`${select().id}-error`)!.textContent).to.equal('Choose one of the options offered.');
        expect([...select().options].map((o) => o.value), 'the current options').to.deep.equal(['', 'monthly', 'never']);
        const values = (await (await fetch(`${APP_BASE}/profile/v1.0/user-attributes`)).json()) as { attributes: Record<string, unknown> };
        expect(values.attributes, 'all or nothing: the valid size was not written either').to.deep.equal({});
        await expect(el).to.be.accessible();
      } finally {
        await put(['weekly', 'monthly', 'never']);
      }
    });

    it('tells a date before the earliest the store allows with that date in the page\'s language', async () => {
      const made = await admin('/user_attribute/definition', {
        method: 'POST',
        body: JSON.stringify({ name: 'Member since', slug: 'member_since', type: 'date', customer_editable: true, validations: [{ type: 'min', value: '2000-01-01' }] }),
      });
      expect(made.status).to.equal(200);
      const { _id } = (await made.json()) as { _id: string };
      try {
        await signIn(await shopper());
        const el = await mount(html`<latch-account lang="mr"></latch-account>`);
        await catalogsSettled();
        const since = () => el.querySelector<HTMLInputElement>('[name="attributes.member_since"]')!;
        fill(await until(() => el.querySelector<HTMLInputElement>('[name="attributes.member_since"]'), 'the date attribute'), '1999-12-31');
        since().form!.requestSubmit();
        await until(() => since().getAttribute('aria-invalid') === 'true', 'the date error');
        const shown = document.getElementById(`${since().id}-error`)!.textContent;
        const date = new Intl.DateTimeFormat('mr', { dateStyle: 'long', timeZone: 'UTC' }).format(Date.UTC(2000, 0, 1));
        expect(shown).to.equal(mr['field.notBefore'].replace('{date}', date));
        expect(shown).to.not.contain('2000');
        expect(since().value, 'what was typed stays').to.equal('1999-12-31');
        await expect(el).to.be.accessible();
      } finally {
        await admin(`/user_attribute/definition/${_id}`, { method: 'DELETE' });
      }
    });
  });
});
