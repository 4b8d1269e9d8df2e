/** The profile section of `<latch-account>`: name, gender, date of birth and picture, with a preview. */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import { saveProfile } from '../../../api/account.js';
import type { User } from '../../../api/schemas.js';
import { safeUrl } from '../../../config/url.js';
import { genderField } from '../../../ui/gender.js';
import { profileSchema } from '../latch-account.schema.js';
import { primaryEmail, type AccountSection, type SectionHost } from './host.js';

export class ProfileSection implements AccountSection {
  readonly name = 'profile' as const;
  constructor(private readonly host: SectionHost) {}

  reset(): void {}

  render(user: User): TemplateResult {
    const host = this.host;
    const draft = host.drafts;
    const name = [draft.first_name ?? user.first_name, draft.last_name ?? user.last_name].filter(Boolean).join(' ');
    const picture = safeUrl(draft.profile_pic_url ?? user.profile_pic_url, location.origin);
    const save = host.submit('profile', profileSchema, async (data, signal) => {
      const saved = await saveProfile(host.store.client, data, { signal });
      host.say(host.t('account.saved'));
      host.saved('profile', saved);
    });
    return host.section('profile', 'account.profile', html`
      ${picture ? html`<img class="latch-avatar" src=${picture} alt=${host.t('account.pictureAlt', { name: name || primaryEmail(user) })} />` : nothing}
      ${host.form('profile', html`
        ${host.field('first_name', 'field.firstName', user.first_name, { autocomplete: 'given-name', required: true })}
        ${host.field('last_name', 'field.lastName', user.last_name, { autocomplete: 'family-name' })}
        ${genderField(host.fid('gender'), draft.gender ?? user.gender ?? '', (key) => host.t(key))}
        ${host.field('dob', 'account.dob', user.dob?.slice(0, 10), { type: 'date', autocomplete: 'bday' })}
        ${host.field('profile_pic_url', 'account.picture', user.profile_pic_url, { type: 'url', autocomplete: 'photo', inputmode: 'url' })}
      `, 'account.saveProfile', save)}`);
  }
}
