// Platform config over HTTP: the default a fresh store gets, admin updates (merged, validated,
// visible to the storefront) and the admin API's token and id checks.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_BASE, APP, startServer, type TestServer } from './helpers';

const CONFIG = `${APP}/platform/v1.0/config`;

describe('platform config', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  test('a fresh store gets the documented default config', async () => {
    const res = await s.fetch(`${CONFIG}?platform=000000000000000000000001`);
    assert.equal(res.status, 200);
    const config = await res.json();
    assert.match(config._id, /^[0-9a-f]{24}$/);
    assert.ok(!Number.isNaN(Date.parse(config.created_at)) && !Number.isNaN(Date.parse(config.updated_at)));
    assert.equal(config.active, true);
    assert.equal(config.display, 'Latch demo store');
    assert.equal(config.subtext, 'Sign in to your account');
    assert.deepEqual(config.login, { password: true, otp: false });
    assert.equal(config.register, false);
    assert.equal(config.forgot_password, false);
    assert.deepEqual(config.social, { facebook: false, google: false, apple: false, account_kit: false });
    assert.deepEqual(config.social_tokens, {});
    assert.equal(config.skip_captcha, true);
    assert.equal(config.skip_login, false);
    assert.deepEqual(config.flash_card, { text: '', text_color: '#FFFFFF', background_color: '#1F2937' });
    assert.deepEqual(config.look_and_feel, { background_color: '#F5F5F5', card_position: 'center' });
    for (const key of ['required_fields', 'register_required_fields']) {
      assert.deepEqual(config[key], {
        email: { is_required: true, level: 'hard' },
        mobile: { is_required: false, level: 'soft' },
      });
    }
    assert.deepEqual(config.session_config, { duration: 30, type: 'Days', is_rolling: true });
    assert.ok(config.delete_account_reasons.length >= 2);
    for (const r of config.delete_account_reasons) {
      assert.equal(typeof r.reason_id, 'string');
      assert.equal(typeof r.reason_text, 'string');
      assert.equal(typeof r.show_text_area, 'boolean');
    }
    assert.equal(config.delete_account_day, 7);
    assert.deepEqual(config.delete_account_consent, { consent_text: '' });
    assert.deepEqual(config.meta, {});
  });

  test('an optional storefront Authorization header is accepted without being checked', async () => {
    const res = await s.fetch(CONFIG, { headers: { authorization: `Bearer ${Buffer.from('app:token').toString('base64')}` } });
    assert.equal(res.status, 200);
  });

  test('admin GET returns the same config', async () => {
    const [app, admin] = await Promise.all([s.fetch(CONFIG).then((r) => r.json()), s.admin('/platform/config').then((r) => r.json())]);
    assert.deepEqual(admin, app);
  });

  test('a valid admin update is deep-merged, bumps updated_at and is visible to the storefront', async () => {
    const before = await (await s.fetch(CONFIG)).json();
    s.clock.advance(5000);
    const res = await s.setConfig({
      login: { otp: true },
      flash_card: { text: 'Free shipping today' },
      delete_account_reasons: [{ reason_id: 'x', reason_text: 'Just because', show_text_area: false }],
      _id: 'ffffffffffffffffffffffff',
    });
    assert.equal(res.status, 200);
    const updated = await res.json();
    assert.deepEqual(updated.login, { password: true, otp: true }, 'objects merge key by key');
    assert.deepEqual(updated.flash_card, { text: 'Free shipping today', text_color: '#FFFFFF', background_color: '#1F2937' });
    assert.deepEqual(updated.delete_account_reasons, [{ reason_id: 'x', reason_text: 'Just because', show_text_area: false }], 'arrays are replaced');
    assert.equal(updated._id, before._id, 'the server owns _id');
    assert.ok(Date.parse(updated.updated_at) > Date.parse(before.updated_at));

    const seen = await (await s.fetch(CONFIG)).json();
    assert.deepEqual(seen.login, { password: true, otp: true });
    assert.equal(seen.flash_card.text, 'Free shipping today');
  });

  test('a malformed update names every bad field and stores nothing', async () => {
    const before = await (await s.admin('/platform/config')).json();
    const res = await s.setConfig({
      display: 'Should not be stored',
      login: { otp: 'yes' },
      look_and_feel: { card_position: 3 },
      required_fields: { email: { level: 'medium' } },
      delete_account_day: -1,
      delete_account_reasons: [{ reason_id: 1, reason_text: 'x' }],
    });
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.code, 'VALIDATION_ERROR');
    for (const field of ['login.otp', 'look_and_feel.card_position', 'required_fields.email.level', 'delete_account_day', 'delete_account_reasons[0].reason_id']) {
      assert.ok(body.message.includes(field), `message names ${field}: ${body.message}`);
    }
    assert.match(body.message, /login\.otp: expected boolean/);
    assert.equal(typeof body.request_id, 'string');
    assert.deepEqual(await (await s.admin('/platform/config')).json(), before);
  });

  test('non-object and non-JSON bodies are refused with 400', async () => {
    for (const body of ['[1,2]', '"text"', '{"login":']) {
      const res = await s.admin('/platform/config', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      assert.equal(res.status, 400, body);
      assert.equal((await res.json()).code, 'INVALID_JSON');
    }
  });

  test('both account-kit spellings are accepted; provider secrets stay on the admin side', async () => {
    const res = await s.setConfig({
      social: { google: true },
      social_tokens: { account_kit: { app_id: 'kit-1' }, google: { app_id: 'g-1', app_secret: 'g-secret' } },
    });
    assert.equal(res.status, 200);
    const admin = await res.json();
    assert.equal(admin.social_tokens.account_kit.app_id, 'kit-1');
    assert.equal(admin.social_tokens.accountkit.app_id, 'kit-1');
    assert.equal(admin.social_tokens.google.app_secret, 'g-secret');

    const res2 = await s.setConfig({ social_tokens: { accountkit: { app_id: 'kit-2' } } });
    const admin2 = await res2.json();
    assert.equal(admin2.social_tokens.accountkit.app_id, 'kit-2');
    assert.equal(admin2.social_tokens.account_kit.app_id, 'kit-2');

    const storefront = await (await s.fetch(CONFIG)).json();
    assert.equal(storefront.social_tokens.google.app_id, 'g-1');
    assert.equal('app_secret' in storefront.social_tokens.google, false);
  });

  test('session_config accepts the documented string duration and a unit in any case', async () => {
    const ok = await s.setConfig({ session_config: { duration: '12', type: 'hours' } });
    assert.equal(ok.status, 200);
    assert.deepEqual((await ok.json()).session_config, { duration: 12, type: 'hours', is_rolling: true });
    const bad = await s.setConfig({ session_config: { duration: 0, type: 'weeks' } });
    assert.equal(bad.status, 400);
    const message = (await bad.json()).message;
    assert.match(message, /session_config\.duration/);
    assert.match(message, /session_config\.type/);
    await s.setConfig({ session_config: { duration: 30, type: 'Days' } });
  });

  test('the admin API needs the bearer token', async () => {
    const none = await s.fetch(`${ADMIN_BASE}/platform/config`);
    assert.equal(none.status, 401);
    const body = await none.json();
    assert.equal(body.code, 'UNAUTHORIZED');
    assert.equal(body.authenticated, false);
    assert.equal(typeof body.message, 'string');

    const wrong = await s.fetch(`${ADMIN_BASE}/platform/config`, { headers: { authorization: 'Bearer not-the-token' } });
    assert.equal(wrong.status, 401);
    const post = await s.fetch(`${ADMIN_BASE}/platform/config`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-admin-tokenX', 'content-type': 'application/json' },
      body: JSON.stringify({ display: 'hacked' }),
    });
    assert.equal(post.status, 401);
    assert.notEqual((await (await s.fetch(CONFIG)).json()).display, 'hacked');
  });

  test('another company or application id is a 404', async () => {
    const auth = { authorization: 'Bearer test-admin-token' };
    const otherCompany = await s.fetch('/service/platform/user/v1.0/company/2/application/000000000000000000000001/platform/config', { headers: auth });
    assert.equal(otherCompany.status, 404);
    const otherApp = await s.fetch('/service/platform/user/v1.0/company/1/application/000000000000000000000002/platform/config', { headers: auth });
    assert.equal(otherApp.status, 404);
    assert.equal((await otherApp.json()).code, 'NOT_FOUND');
  });
});
