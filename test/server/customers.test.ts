// The admin createUser endpoint (POST /customers): validation, phone parsing, duplicates, the
// password extension with its length and common-password rules.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from './helpers';

describe('admin createUser', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  test('creates a user with every documented field and returns the UserSchema', async () => {
    const res = await s.createShopper({
      phone_number: '9876543210',
      email: 'grace@example.com',
      first_name: 'Grace',
      last_name: 'Hopper',
      gender: 'female',
      username: 'grace',
      meta: { tier: 'gold' },
      external_id: 'ext-1',
      rr_id: 'rr-1',
      dob: '1906-12-09',
    }, '');
    assert.equal(res.status, 200);
    const { user } = await res.json();
    assert.equal(user.first_name, 'Grace');
    assert.equal(user.last_name, 'Hopper');
    assert.equal(user.gender, 'female');
    assert.equal(user.username, 'grace');
    assert.deepEqual(user.meta, { tier: 'gold' });
    assert.equal(user.external_id, 'ext-1');
    assert.equal(user.rr_id, 'rr-1');
    assert.equal(user.dob, '1906-12-09');
    assert.equal(user.active, true);
    assert.equal(user.application_id, '000000000000000000000001');
    assert.deepEqual(user.phone_numbers, [{ phone: '9876543210', country_code: 91, active: true, primary: true, verified: false }], 'digits without + default to +91; unverified unless ?verified=true');
    assert.equal(user.emails[0].verified, false);
  });

  test('phone numbers: "+<code> ..." is split, an explicit country_code is honoured', async () => {
    const us = await (await s.createShopper({ phone_number: '+1 (415) 555-0100' })).json();
    assert.deepEqual([us.user.phone_numbers[0].country_code, us.user.phone_numbers[0].phone], [1, '4155550100']);
    const ae = await (await s.createShopper({ phone_number: '+971 50 123 4567' })).json();
    assert.deepEqual([ae.user.phone_numbers[0].country_code, ae.user.phone_numbers[0].phone], [971, '501234567']);
    const de = await (await s.createShopper({ phone_number: '1512 3456789', country_code: '+49' })).json();
    assert.deepEqual([de.user.phone_numbers[0].country_code, de.user.phone_numbers[0].phone], [49, '15123456789']);
  });

  test('invalid fields are named', async () => {
    const res = await s.createShopper({ email: 'not-an-email', phone_number: 'call me', dob: 'yesterday', meta: 'x', password: 'short' });
    assert.equal(res.status, 400);
    const { message, code } = await res.json();
    assert.equal(code, 'VALIDATION_ERROR');
    for (const field of ['email', 'phone_number', 'dob', 'meta', 'password']) assert.match(message, new RegExp(`${field}:`), field);
    const none = await s.createShopper({ first_name: 'Nobody' });
    assert.equal(none.status, 400);
    assert.match((await none.json()).message, /email or phone_number is required/);
  });

  test('common passwords are refused', async () => {
    const res = await s.createShopper({ email: 'weak@example.com', password: 'Password123' });
    assert.equal(res.status, 400);
    assert.match((await res.json()).message, /password: is too common/);
  });

  test('a duplicate email or phone is a clear 409', async () => {
    await s.createShopper({ email: 'dup@example.com', phone_number: '+91 90000 00001' });
    const email = await s.createShopper({ email: 'DUP@example.com' });
    assert.equal(email.status, 409);
    assert.equal((await email.json()).code, 'EMAIL_EXISTS');
    const phone = await s.createShopper({ phone_number: '9000000001' });
    assert.equal(phone.status, 409);
    assert.equal((await phone.json()).code, 'PHONE_EXISTS');
  });

  test('?verified=true marks the contacts verified; the created password signs in', async () => {
    const res = await s.createShopper({ email: 'verified@example.com', password: 'a-long-enough-one' }, '?verified=true');
    const { user } = await res.json();
    assert.equal(user.emails[0].verified, true);
    assert.equal((await s.login('verified@example.com', 'a-long-enough-one')).status, 200);
  });
});
