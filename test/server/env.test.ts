// optionsFromEnv: defaults, production mode, a generated admin token, and the printed summary.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { optionsFromEnv } from '../../src/server/env';

describe('optionsFromEnv', () => {
  test('defaults for a developer laptop', () => {
    const { options, port, printed } = optionsFromEnv({});
    assert.equal(port, 8787);
    assert.equal(options.database, resolve(process.cwd(), 'latch.db'));
    assert.equal(options.companyId, '1');
    assert.equal(options.applicationId, '000000000000000000000001');
    assert.equal(options.dev, true);
    assert.deepEqual(options.demoUser, { email: 'shopper@example.com', password: 'latch-demo-password' });
    assert.deepEqual(options.allowedOrigins, []);
    assert.ok(options.adminToken.length >= 32, 'a generated token');
    assert.notEqual(optionsFromEnv({}).options.adminToken, options.adminToken, 'generated fresh each run');
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
      ADMIN_TOKEN: 'my-admin-token',
      DEMO_EMAIL: 'demo@shop.test',
      DEMO_PASSWORD: 'another-demo-pass',
      ALLOWED_ORIGINS: 'https://a.example, https://b.example/',
      COOKIE_SECURE: 'false',
    });
    assert.equal(port, 9000);
    assert.equal(options.database, ':memory:');
    assert.equal(options.companyId, '7');
    assert.equal(options.applicationId, 'aaaaaaaaaaaaaaaaaaaaaaaa');
    assert.equal(options.adminToken, 'my-admin-token');
    assert.deepEqual(options.demoUser, { email: 'demo@shop.test', password: 'another-demo-pass' });
    assert.deepEqual(options.allowedOrigins, ['https://a.example', 'https://b.example']);
    assert.equal(options.cookieSecure, false);
    assert.match(printed.join('\n'), /from ADMIN_TOKEN/);
  });

  test('NODE_ENV=production turns dev mode and the demo shopper off', () => {
    const { options, printed } = optionsFromEnv({ NODE_ENV: 'production' });
    assert.equal(options.dev, false);
    assert.equal(options.demoUser, undefined);
    assert.ok(!printed.join('\n').includes('latch-demo-password'));
  });

  test('a bad PORT is an error, not a silent default', () => {
    assert.throws(() => optionsFromEnv({ PORT: 'eighty' }), /PORT/);
  });
});
