// The admin customer operations over a real socket: list with search and pagination, search by
// email or phone, block/unblock and archive (sessions end at once), updateUser, and session
// administration (create a session cookie, list without secrets, end one or all).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO, Jar, SESSION, startServer, type TestServer } from './helpers';

function send(s: TestServer, method: string, path: string, body?: unknown): Promise<Response> {
  return s.admin(path, body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function create(s: TestServer, body: Record<string, unknown>): Promise<string> {
  const res = await s.createShopper(body, '?verified=true');
  assert.equal(res.status, 200, JSON.stringify(body));
  return (await res.json()).user._id;
}

describe('admin customer list and search', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
    // 12 more shoppers, a second apart, so the newest-first order is predictable.
    for (let i = 1; i <= 12; i++) {
      s.clock.advance(1000);
      await create(s, { email: `list${i}@example.com`, first_name: `Lister${i}`, last_name: 'Person', phone_number: `+91 90000 100${String(i).padStart(2, '0')}` });
    }
    s.clock.advance(1000);
    await create(s, { email: 'grace@navy.example', first_name: 'Grace', last_name: 'Hopper', phone_number: '+1 415 555 0100' });
  });
  after(() => s.close());

  test('pages default to 10 newest first, with the page block', async () => {
    const res = await s.admin('/customers/list');
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.items.length, 10);
    assert.deepEqual(body.page, { type: 'number', current: 1, size: 10, item_total: 14, has_next: true });
    assert.equal(body.items[0].first_name, 'Grace');
    const item = body.items[0];
    for (const key of ['_id', 'user_id', 'emails', 'phone_numbers', 'archive', 'status']) assert.ok(key in item, key);
    assert.equal(item.status, 'active');
    assert.equal(item.archive, false);
    // A live shopper has no deleted_on: left out, not null (published clients type it as a string).
    assert.equal('deleted_on' in item, false);

    const last = await (await s.admin('/customers/list?page_no=2&page_size=10')).json();
    assert.equal(last.items.length, 4);
    assert.deepEqual(last.page, { type: 'number', current: 2, size: 10, item_total: 14, has_next: false });
    assert.equal(last.items.at(-1).emails[0].email, DEMO.email, 'the demo shopper was first');
    const ids = new Set([...body.items, ...last.items].map((u: { _id: string }) => u._id));
    assert.equal(ids.size, 14, 'no one twice, no one missing');
  });

  test('q matches names, emails and phones by substring', async () => {
    const byName = await (await s.admin('/customers/list?q=GRAC')).json();
    assert.deepEqual(byName.items.map((u: { first_name: string }) => u.first_name), ['Grace']);
    const byFullName = await (await s.admin(`/customers/list?q=${encodeURIComponent('grace h')}`)).json();
    assert.equal(byFullName.page.item_total, 1);
    const byEmail = await (await s.admin('/customers/list?q=NAVY.example')).json();
    assert.equal(byEmail.page.item_total, 1);
    const byPhone = await (await s.admin(`/customers/list?q=${encodeURIComponent('555 0100')}`)).json();
    assert.equal(byPhone.page.item_total, 1);
    const many = await (await s.admin('/customers/list?q=lister1&page_size=2')).json();
    assert.deepEqual(many.page, { type: 'number', current: 1, size: 2, item_total: 4, has_next: true }, 'Lister1, 10, 11, 12');
    const wildcard = await (await s.admin('/customers/list?q=%25')).json();
    assert.equal(wildcard.page.item_total, 0, '"%" is a character to find, not a wildcard');
  });

  test('bad paging parameters are named', async () => {
    const res = await s.admin('/customers/list?page_size=0&page_no=abc');
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.match(body.message, /page_size/);
    assert.match(body.message, /page_no/);
    assert.equal((await s.admin('/customers/list?page_size=101')).status, 400);
  });

  test('search finds exact emails and phones, written any usual way', async () => {
    const email = await (await s.admin('/customers/search?q=GRACE@navy.example')).json();
    assert.equal(email.users.length, 1);
    assert.equal(email.users[0].status, 'active');
    for (const q of ['9000010003', '919000010003', '+91 90000 10003']) {
      const res = await (await s.admin(`/customers/search?q=${encodeURIComponent(q)}`)).json();
      assert.deepEqual(res.users.map((u: { emails: { email: string }[] }) => u.emails[0]!.email), ['list3@example.com'], q);
    }
    const several = await (await s.admin('/customers/search?query=list1@example.com&query=list2@example.com')).json();
    assert.equal(several.users.length, 2);
    assert.deepEqual((await (await s.admin('/customers/search?q=nobody@example.com')).json()).users, []);
    assert.deepEqual((await (await s.admin('/customers/search?q=navy')).json()).users, [], 'search is exact, list is for substrings');
    const missing = await s.admin('/customers/search');
    assert.equal(missing.status, 400);
    assert.match((await missing.json()).message, /^q: is required/);
  });

  test('every customer route needs the admin token', async () => {
    for (const [method, path] of [
      ['GET', '/customers/list'],
      ['GET', '/customers/search?q=a@b.co'],
      ['PUT', '/customers/activation'],
      ['GET', '/customers/sessions?id=x'],
      ['DELETE', '/customers/sessions?id=x&reason=y'],
    ] as const) {
      const res = await s.fetch(`/service/platform/user/v1.0/company/1/application/000000000000000000000001${path}`, { method });
      assert.equal(res.status, 401, `${method} ${path}`);
    }
  });
});

describe('admin block, unblock and archive', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  test('blocking ends every session at once and refuses sign-in; unblocking lets the shopper back', async () => {
    const id = await create(s, { email: 'blockme@example.com', password: 'block-me-please' });
    const phone = new Jar();
    const laptop = new Jar();
    await s.login('blockme@example.com', 'block-me-please', phone);
    await s.login('blockme@example.com', 'block-me-please', laptop);
    const block = await send(s, 'PUT', '/customers/activation', { status: false, user_id: [id], reason: 'chargebacks' });
    assert.equal(block.status, 200);
    assert.deepEqual(await block.json(), { success: true });
    assert.equal(Number((await s.service.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?', id))!.n), 0, 'the rows are gone, not just refused');
    assert.equal((await s.fetch(SESSION, { jar: phone })).status, 401);
    assert.equal((await s.fetch(SESSION, { jar: laptop })).status, 401);
    const refused = await s.login('blockme@example.com', 'block-me-please');
    assert.equal(refused.status, 400);
    assert.equal((await refused.json()).code, 'ACCOUNT_DISABLED');
    const listed = await (await s.admin('/customers/search?q=blockme@example.com')).json();
    assert.equal(listed.users[0].status, 'blocked');
    assert.equal(listed.users[0].active, false);

    assert.equal((await send(s, 'PUT', '/customers/activation', { status: true, user_id: [id], reason: 'resolved' })).status, 200);
    assert.equal((await s.login('blockme@example.com', 'block-me-please')).status, 200);
    const timeline = await (await s.admin(`/customers/${id}/timeline`)).json();
    assert.deepEqual(
      timeline.timeline.map((e: { type: string; sub_title: string }) => [e.type, e.sub_title]),
      [['account_created', ''], ['blocked', 'chargebacks'], ['unblocked', 'resolved']],
    );
  });

  test('activation is all or nothing: an unknown id changes no one', async () => {
    const id = await create(s, { email: 'bystander@example.com', password: 'bystander-pass' });
    const res = await send(s, 'PUT', '/customers/activation', { status: false, user_id: [id, '0123456789abcdef01234567'] });
    assert.equal(res.status, 404);
    const body = await res.json();
    assert.equal(body.code, 'USER_NOT_FOUND');
    assert.deepEqual(body.meta.user_ids, ['0123456789abcdef01234567']);
    assert.equal((await s.login('bystander@example.com', 'bystander-pass')).status, 200, 'not blocked');
  });

  test('activation and archive bodies are validated', async () => {
    const res = await send(s, 'PUT', '/customers/activation', { status: 'yes', user_id: 'abc' });
    assert.equal(res.status, 400);
    const { message } = await res.json();
    assert.match(message, /status/);
    assert.match(message, /user_id/);
    const empty = await send(s, 'PUT', '/customers/activation', { status: false, user_id: [] });
    assert.match((await empty.json()).message, /user_id: must name at least one user/);
    const archive = await send(s, 'PUT', '/customers/archive', {});
    assert.equal(archive.status, 400);
    assert.match((await archive.json()).message, /user_id/);
    assert.equal((await send(s, 'PUT', '/customers/archive', { user_id: 'ffffffffffffffffffffffff' })).status, 404);
  });

  test('archiving ends sessions and takes the account out of use until it is unblocked', async () => {
    const id = await create(s, { email: 'archive@example.com', password: 'archive-me-now' });
    const jar = new Jar();
    await s.login('archive@example.com', 'archive-me-now', jar);
    const res = await send(s, 'PUT', '/customers/archive', { user_id: id });
    assert.deepEqual(await res.json(), { success: true });
    assert.equal((await s.fetch(SESSION, { jar })).status, 401);
    assert.equal((await s.login('archive@example.com', 'archive-me-now')).status, 400);
    const [user] = (await (await s.admin('/customers/search?q=archive@example.com')).json()).users;
    assert.deepEqual([user.status, user.archive, user.active], ['archived', true, false]);
    await send(s, 'PUT', '/customers/activation', { status: true, user_id: [id] });
    const [back] = (await (await s.admin('/customers/search?q=archive@example.com')).json()).users;
    assert.deepEqual([back.status, back.archive], ['active', false]);
  });
});

describe('admin updateUser', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  test('changes the given fields, leaves the others, and replaces the contact lists', async () => {
    const id = await create(s, { email: 'old@example.com', first_name: 'Old', last_name: 'Name', gender: 'female', phone_number: '+91 98000 00001', password: 'update-me-please' });
    s.clock.advance(5000);
    const res = await send(s, 'PUT', `/customers/${id}`, {
      first_name: 'New',
      dob: '1990-04-30',
      meta: { tier: 'gold' },
      external_id: 'ext-9',
      emails: [
        { email: 'old@example.com', primary: false },
        { email: 'new@example.com', primary: true, verified: true, active: true },
      ],
      phone_numbers: [{ phone: '4155550111', country_code: '+1', primary: true, verified: false, active: true }],
    });
    assert.equal(res.status, 200);
    const { user } = await res.json();
    assert.equal(user.first_name, 'New');
    assert.equal(user.last_name, 'Name', 'not given, not changed');
    assert.equal(user.gender, 'female');
    assert.equal(user.dob, '1990-04-30');
    assert.deepEqual(user.meta, { tier: 'gold' });
    assert.equal(user.external_id, 'ext-9');
    assert.deepEqual(user.emails, [
      { email: 'new@example.com', active: true, primary: true, verified: true },
      { email: 'old@example.com', active: true, primary: false, verified: true },
    ]);
    assert.deepEqual(user.phone_numbers, [{ phone: '4155550111', country_code: 1, active: true, primary: true, verified: false }]);
    assert.equal(user.updated_at, new Date(s.clock.now()).toISOString());
    assert.equal((await s.login('new@example.com', 'update-me-please')).status, 200, 'the new email signs in');
    assert.equal((await s.login('919800000001', 'update-me-please')).status, 400, 'the removed phone does not');

    const cleared = await (await send(s, 'PUT', `/customers/${id}`, { gender: '', dob: '' })).json();
    assert.equal(cleared.user.gender, '');
    assert.ok(!('dob' in cleared.user));
  });

  test('bad fields are named; taken contacts are a 409; unknown users a 404', async () => {
    const id = await create(s, { email: 'valid@example.com' });
    await create(s, { email: 'taken@example.com', phone_number: '+91 98000 00002' });
    const bad = await send(s, 'PUT', `/customers/${id}`, {
      dob: 'someday',
      emails: [{ email: 'nope' }],
      phone_numbers: [{ phone: 'call me', country_code: '91' }],
      meta: 'x',
    });
    assert.equal(bad.status, 400);
    const { message } = await bad.json();
    for (const field of ['dob', 'emails[0].email', 'meta']) assert.ok(message.includes(`${field}:`), field);
    const badPhone = await send(s, 'PUT', `/customers/${id}`, { phone_numbers: [{ phone: 'call me' }, { phone: '9800000003', country_code: 'xx' }] });
    const phoneMessage = (await badPhone.json()).message;
    assert.match(phoneMessage, /phone_numbers\[0\]\.phone/);
    assert.match(phoneMessage, /phone_numbers\[1\]\.country_code/);
    const twoPrimary = await send(s, 'PUT', `/customers/${id}`, { emails: [{ email: 'a1@example.com', primary: true }, { email: 'a2@example.com', primary: true }] });
    assert.match((await twoPrimary.json()).message, /only one email can be primary/);

    const email = await send(s, 'PUT', `/customers/${id}`, { emails: [{ email: 'TAKEN@example.com' }] });
    assert.equal(email.status, 409);
    assert.equal((await email.json()).code, 'EMAIL_EXISTS');
    const phone = await send(s, 'PUT', `/customers/${id}`, { phone_numbers: [{ phone: '9800000002', country_code: 91 }] });
    assert.equal(phone.status, 409);
    assert.equal((await phone.json()).code, 'PHONE_EXISTS');
    const kept = (await (await s.admin('/customers/search?q=valid@example.com')).json()).users[0];
    assert.deepEqual(kept.emails.map((e: { email: string }) => e.email), ['valid@example.com'], 'a refused update changes nothing');

    assert.equal((await send(s, 'PUT', '/customers/ffffffffffffffffffffffff', { first_name: 'X' })).status, 404);
  });
});

describe('admin session administration', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  test('createUserSession gives a cookie that works against GET session', async () => {
    const id = await create(s, { email: 'sso@example.com' });
    const res = await send(s, 'POST', '/customers/session', { domain: 'shop.example.com', user_id: id });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.domain, 'shop.example.com');
    assert.equal(body.max_age, 30 * 86_400, 'seconds, from session_config');
    assert.equal(body.secure, true);
    assert.equal(body.http_only, true);
    assert.match(body.cookie['f.session'], /^[A-Za-z0-9_-]{43}$/);
    assert.match(body.session_id, /^[0-9a-f]{32}$/);
    // On localhost the service is in secure mode, where only the __Host- name is read.
    assert.equal(body.cookie_name, '__Host-f.session');
    assert.equal(body.cookie['__Host-f.session'], body.cookie['f.session']);
    const session = await s.fetch(SESSION, { headers: { cookie: `__Host-f.session=${body.cookie['f.session']}` } });
    assert.equal(session.status, 200);
    assert.equal((await session.json()).user._id, id);
  });

  test('createUserSession validates its body and refuses blocked accounts', async () => {
    const bad = await send(s, 'POST', '/customers/session', { domain: 'not a domain', max_age: -1 });
    assert.equal(bad.status, 400);
    const { message } = await bad.json();
    for (const field of ['user_id', 'domain', 'max_age']) assert.ok(message.includes(`${field}:`), field);
    assert.equal((await send(s, 'POST', '/customers/session', { user_id: 'ffffffffffffffffffffffff' })).status, 404);
    const id = await create(s, { email: 'nosso@example.com' });
    await send(s, 'PUT', '/customers/activation', { status: false, user_id: [id] });
    const refused = await send(s, 'POST', '/customers/session', { user_id: id });
    assert.equal(refused.status, 400);
    assert.equal((await refused.json()).code, 'ACCOUNT_DISABLED');
  });

  test('sessions are listed by public id, never by cookie value or its hash; one or all can be ended', async () => {
    const id = await create(s, { email: 'multi@example.com', password: 'many-devices-here' });
    const phone = new Jar();
    const laptop = new Jar();
    await s.fetch('/service/application/user/authentication/v1.0/login/password', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'PhoneBrowser/1.0' },
      body: JSON.stringify({ username: 'multi@example.com', password: 'many-devices-here' }),
      jar: phone,
    });
    s.clock.advance(1000);
    await s.login('multi@example.com', 'many-devices-here', laptop);
    const list = await s.admin(`/customers/sessions?id=${id}`);
    assert.equal(list.status, 200);
    const raw = await list.text();
    const { items } = JSON.parse(raw);
    assert.equal(items.length, 2);
    for (const item of items) {
      assert.deepEqual(Object.keys(item).sort(), ['created_at', 'domain', 'expire_in', 'ip', 'last_seen_at', 'location', 'session_id', 'user_agent']);
      assert.match(item.session_id, /^[0-9a-f]{32}$/);
      assert.equal(item.ip, '127.0.0.1');
      assert.ok(!Number.isNaN(Date.parse(item.expire_in)));
    }
    const secrets = [phone.cookies.get('__Host-f.session')!, laptop.cookies.get('__Host-f.session')!];
    const hashes = (await s.service.sql.all('SELECT id_hash FROM sessions WHERE user_id = ?', id) as { id_hash: string }[]).map((r) => r.id_hash);
    for (const secret of [...secrets, ...hashes]) assert.ok(!raw.includes(secret), 'no cookie value or hash in the list');
    const phoneItem = items.find((i: { user_agent: string }) => i.user_agent === 'PhoneBrowser/1.0');
    assert.ok(phoneItem, 'the user agent is recorded');

    const missing = await send(s, 'DELETE', `/customers/session?id=${id}`);
    assert.equal(missing.status, 400);
    const missingMessage = (await missing.json()).message;
    assert.match(missingMessage, /session_id: is required/);
    assert.match(missingMessage, /reason: is required/);

    const one = await send(s, 'DELETE', `/customers/session?id=${id}&session_id=${phoneItem.session_id}&reason=lost+phone`);
    assert.equal(one.status, 200);
    assert.deepEqual(await one.json(), { user_id: id, session_id: phoneItem.session_id });
    assert.equal((await s.fetch(SESSION, { jar: phone })).status, 401);
    assert.equal((await s.fetch(SESSION, { jar: laptop })).status, 200);
    const again = await send(s, 'DELETE', `/customers/session?id=${id}&session_id=${phoneItem.session_id}&reason=again`);
    assert.equal(again.status, 404);
    assert.equal((await again.json()).code, 'SESSION_NOT_FOUND');

    const other = await create(s, { email: 'other@example.com' });
    const laptopId = items.find((i: { user_agent: string }) => i.user_agent !== 'PhoneBrowser/1.0').session_id;
    const wrongUser = await send(s, 'DELETE', `/customers/session?id=${other}&session_id=${laptopId}&reason=x`);
    assert.equal(wrongUser.status, 404, "one user's session cannot be ended through another user's id");

    await s.login('multi@example.com', 'many-devices-here', phone);
    const all = await send(s, 'DELETE', `/customers/sessions?id=${id}&reason=security`);
    assert.equal(all.status, 200);
    const ended = await all.json();
    assert.equal(ended.user_id, id);
    assert.equal(ended.session_ids.length, 2);
    assert.ok(ended.session_ids.includes(laptopId));
    assert.equal((await s.fetch(SESSION, { jar: phone })).status, 401);
    assert.equal((await s.fetch(SESSION, { jar: laptop })).status, 401);
    assert.deepEqual((await (await s.admin(`/customers/sessions?id=${id}`)).json()).items, []);
    assert.equal((await s.admin('/customers/sessions')).status, 400);
    assert.equal((await s.admin('/customers/sessions?id=ffffffffffffffffffffffff')).status, 404);
    assert.equal((await send(s, 'DELETE', '/customers/sessions?id=ffffffffffffffffffffffff&reason=x')).status, 404);
  });

  test('expired sessions are not listed', async () => {
    const id = await create(s, { email: 'expiring@example.com', password: 'expiring-session' });
    await s.login('expiring@example.com', 'expiring-session');
    assert.equal((await (await s.admin(`/customers/sessions?id=${id}`)).json()).items.length, 1);
    s.clock.advance(31 * 86_400_000);
    assert.equal((await (await s.admin(`/customers/sessions?id=${id}`)).json()).items.length, 0);
  });
});
