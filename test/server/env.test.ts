// optionsFromEnv: defaults, production mode, a generated admin token, and the printed summary.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { optionsFromEnv } from '../../src/server/env';

describe('optionsFromEnv', () => {
  test('defaults for a developer laptop with LATCH_DEV=1', () => {
    const { options, port, host, printed } = optionsFromEnv({ LATCH_DEV: '1' });
    assert.equal(port, 8787);
    assert.equal(host, '127.0.0.1', 'dev mode listens on loopback only');
    assert.equal(options.database, resolve(process.cwd(), 'latch.db'));
    assert.equal(options.companyId, '1');
    assert.equal(options.applicationId, '000000000000000000000001');
    assert.equal(options.dev, true);
    assert.deepEqual(options.demoUser, { email: 'shopper@example.com', password: 'latch-demo-password' });
    assert.deepEqual(options.allowedOrigins, []);
    assert.ok(options.adminToken.length >= 32, 'a generated token');
    assert.notEqual(optionsFromEnv({ LATCH_DEV: '1' }).options.adminToken, options.adminToken, 'generated fresh each run');
    const text = printed.join('\n');
    assert.ok(text.includes(options.adminToken), 'the admin token is printed in full');
    assert.match(text, /generated/);
    assert.ok(text.includes('/service/platform/user/v1.0/company/1/application/000000000000000000000001'));
    assert.ok(text.includes('shopper@example.com') && text.includes('latch-demo-password'));
  });

  test('every variable is read', () => {
    const { options, port, printed } = optionsFromEnv({
      PORT: '9000',
      DATABASE: ':memory:',
      COMPANY_ID: '7',
      APPLICATION_ID: 'aaaaaaaaaaaaaaaaaaaaaaaa',
      ADMIN_TOKEN: 'my-admin-token-that-is-long-enough-32',
      LATCH_DEV: '1',
      PUBLIC_URL: 'https://shop.example/',
      TRUSTED_PROXIES: '10.0.0.0/8, 2001:db8::1',
      DEMO_EMAIL: 'demo@shop.test',
      DEMO_PASSWORD: 'another-demo-pass',
      ALLOWED_ORIGINS: 'https://a.example, https://b.example/',
      COOKIE_SECURE: 'false',
    });
    assert.equal(port, 9000);
    assert.equal(options.database, ':memory:');
    assert.equal(options.companyId, '7');
    assert.equal(options.applicationId, 'aaaaaaaaaaaaaaaaaaaaaaaa');
    assert.equal(options.adminToken, 'my-admin-token-that-is-long-enough-32');
    assert.equal(options.publicUrl, 'https://shop.example');
    assert.deepEqual(options.trustedProxies, ['10.0.0.0/8', '2001:db8::1']);
    assert.ok(!printed.join('\n').includes('my-admin-token-that-is-long-enough-32'), 'a chosen admin token is never printed');
    assert.deepEqual(options.demoUser, { email: 'demo@shop.test', password: 'another-demo-pass' });
    assert.deepEqual(options.allowedOrigins, ['https://a.example', 'https://b.example']);
    assert.equal(options.cookieSecure, false);
    assert.match(printed.join('\n'), /from ADMIN_TOKEN/);
  });

  test('without LATCH_DEV=1 there is no dev mode and no demo shopper, whatever NODE_ENV says', () => {
    for (const env of [{}, { NODE_ENV: 'development' }, { LATCH_DEV: '0' }]) {
      const { options, host, printed } = optionsFromEnv(env);
      assert.equal(options.dev, false);
      assert.equal(options.demoUser, undefined);
      assert.equal(host, '0.0.0.0');
      assert.ok(!printed.join('\n').includes('latch-demo-password'));
    }
  });

  test('dev mode is refused on an address other machines can reach', () => {
    assert.throws(() => optionsFromEnv({ LATCH_DEV: '1', HOST: '0.0.0.0' }), /loopback/);
    assert.throws(() => optionsFromEnv({ LATCH_DEV: '1', HOST: '192.168.1.20' }), /loopback/);
    assert.equal(optionsFromEnv({ LATCH_DEV: '1', HOST: '::1' }).host, '::1');
    assert.equal(optionsFromEnv({ HOST: '0.0.0.0' }).options.dev, false);
  });

  test('an ADMIN_TOKEN shorter than 32 characters is refused', () => {
    assert.throws(() => optionsFromEnv({ ADMIN_TOKEN: 'secret' }), /ADMIN_TOKEN must be at least 32/);
    assert.throws(() => optionsFromEnv({ ADMIN_TOKEN: 'x'.repeat(31) }), /ADMIN_TOKEN/);
    assert.equal(optionsFromEnv({ ADMIN_TOKEN: 'x'.repeat(32) }).options.adminToken, 'x'.repeat(32));
  });

  test('a malformed PUBLIC_URL or TRUSTED_PROXIES entry stops the start', () => {
    assert.throws(() => optionsFromEnv({ PUBLIC_URL: 'shop.example' }), /PUBLIC_URL/);
    assert.throws(() => optionsFromEnv({ PUBLIC_URL: 'https://shop.example/account' }), /PUBLIC_URL/);
    assert.throws(() => optionsFromEnv({ TRUSTED_PROXIES: '10.0.0.0/33' }), /TRUSTED_PROXIES/);
    assert.throws(() => optionsFromEnv({ TRUSTED_PROXIES: 'proxy.internal' }), /TRUSTED_PROXIES/);
  });

  test('a bad PORT is an error, not a silent default', () => {
    assert.throws(() => optionsFromEnv({ PORT: 'eighty' }), /PORT/);
  });
  test('a postgres:// DATABASE selects PostgreSQL, kept as given, and its password is never printed', () => {
    const url = 'postgres://latch:s3cret-pass@db.internal:5432/latch';
    const { options, printed } = optionsFromEnv({ DATABASE: url });
    assert.equal(options.database, url, 'not resolved as a file path');
    const text = printed.join('\n');
    assert.ok(!text.includes('s3cret-pass'), 'the password stays out of logs');
    assert.match(text, /database: +postgres:\/\/latch:\*\*\*@db\.internal:5432\/latch \(PostgreSQL\)/);
    assert.equal(optionsFromEnv({ DATABASE: 'postgresql://h/d' }).options.database, 'postgresql://h/d');
  });
});
