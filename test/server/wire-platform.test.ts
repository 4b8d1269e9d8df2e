// The platform answers a strict client of the published API accepts (issue 13, item 2): the seed's
// own example bodies sent verbatim, and every answer checked field by field against the seed's
// schema tables (read from the seed itself by seed-schema.ts). A field with no value is left out,
// never null; `success` has the seed's type; errors carry every APIError field.
import assert from 'node:assert/strict';
import http from 'node:http';
import { afterEach, describe, test } from 'node:test';
import { requestDeletion } from '../../src/server/services/deletion';
import { ADMIN_BASE, APP, deletionContext, DEMO, jsonRequest, LOGIN, startServer, type TestServer } from './helpers';
import { assertFits, checkAnswer, seedExample } from './seed-schema';

/** Extensions the README documents, per seed schema (paths with [] for list items). */
const USER_EXTRA = ['rr_id', 'dob'];
const SEARCH_EXTRA = [...USER_EXTRA, 'deleted_on', 'delete_on', 'user_groups'];
const DEFINITION_EXTRA = ['default_value', 'updated_at', '__v', 'is_multi_value', 'icon', 'ordering_channels', 'masking', 'registration'];
const VALUE_EXTRA = ['definition_id', 'slug', 'created_at', 'modified_at'];
const PAGE = 'PaginationSchema';

async function json(res: Response, status = 200): Promise<Record<string, unknown>> {
  const text = await res.text();
  assert.equal(res.status, status, text);
  return JSON.parse(text) as Record<string, unknown>;
}

async function shopper(s: TestServer, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  return (await json(await s.createShopper(body)))['user'] as Record<string, unknown>;
}

describe('platform answers against the seed', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('customers: createUser, getCustomers, searchUsers and updateUser fit UserSchema; a live shopper has no deleted_on', async () => {
    s = await startServer({ dev: false });
    // The seed's createUser example user, sent as a CreateUserRequestSchema body.
    const example = seedExample('createUser')['user'] as Record<string, unknown>;
    const phones = example['phone_numbers'] as { phone: string }[];
    const emails = example['emails'] as { email: string }[];
    const created = await s.createShopper({
      phone_number: phones[0]!.phone,
      email: emails[0]!.email,
      first_name: example['first_name'],
      last_name: example['last_name'],
      gender: example['gender'],
      username: 'akash',
      meta: example['meta'],
      external_id: example['external_id'],
    });
    const createdBody = await json(created);
    assertFits('CreateUserResponseSchema', createdBody, USER_EXTRA.map((k) => `user.${k}`));
    assertFits('UserSchema', createdBody['user'], USER_EXTRA);
    const user = createdBody['user'] as Record<string, unknown>;
    for (const key of ['first_name', 'last_name', 'gender', 'external_id', 'meta'] as const) assert.deepEqual(user[key], example[key], key);

    const list = await json(await s.admin('/customers/list'));
    // getCustomers lists UserSearchSchema items (archive, status), a superset of UserSchema.
    assertFits('CustomerListResponseSchema', list, [...SEARCH_EXTRA, 'archive', 'status'].map((k) => `items[].${k}`));
    const item = (list['items'] as Record<string, unknown>[])[0]!;
    assert.equal('deleted_on' in item, false, 'deleted_on of a live shopper is left out, not null');
    assert.equal('delete_on' in item, false);
    assertFits(PAGE, list['page']);

    const search = await json(await s.admin(`/customers/search?q=${encodeURIComponent(emails[0]!.email)}`));
    assertFits('UserSearchResponseSchema', search, SEARCH_EXTRA.map((k) => `users[].${k}`));
    assert.equal((search['users'] as unknown[]).length, 1);

    const updated = await json(await s.admin(`/customers/${user['_id']}`, jsonRequest('PUT', { first_name: 'Akash', last_name: null, gender: null, external_id: null, meta: null })));
    assertFits('CreateUserResponseSchema', updated, USER_EXTRA.map((k) => `user.${k}`));
    assertFits('UserSchema', updated['user'], USER_EXTRA);
  });

  test('customers: block, archive and undelete answer BlockUserSuccess-style { success: Bool }; the timeline leaves out delete_on', async () => {
    s = await startServer({ dev: false });
    const user = await shopper(s, { email: 'block@example.com' });
    const id = user['_id'] as string;
    const blocked = await json(await s.admin('/customers/activation', jsonRequest('PUT', { user_id: [id], status: false, reason: 'fraud' })));
    assertFits('BlockUserSuccess', blocked);
    assert.equal(blocked['success'], true);
    const archived = await json(await s.admin('/customers/archive', jsonRequest('PUT', { user_id: id })));
    assertFits('ArchiveUserSuccess', archived);
    assert.equal(archived['success'], true);
    const timeline = await json(await s.admin(`/customers/${id}/timeline`));
    assert.equal('delete_on' in timeline, false, 'no deletion pending: delete_on left out');
    for (const [key, value] of Object.entries(timeline)) assert.notEqual(value, null, key);

    const leaving = await shopper(s, { email: 'leaving@example.com' });
    await requestDeletion(deletionContext(s), { userId: leaving['_id'] as string });
    const listed = ((await json(await s.admin('/customers/search?q=leaving@example.com')))['users'] as Record<string, unknown>[])[0]!;
    assert.equal(typeof listed['deleted_on'], 'string', 'a deleted shopper has deleted_on');
    assert.equal(typeof listed['delete_on'], 'string');
    assert.equal(typeof (await json(await s.admin(`/customers/${leaving['_id']}/timeline`)))['delete_on'], 'string');
    const restored = await json(await s.admin('/customers/undelete', jsonRequest('PUT', { user_id: leaving['_id'], reason: 'asked', reason_id: '123' })));
    assertFits('UnDeleteUserSuccess', restored);
    assert.equal(restored['success'], true);
    const back = ((await json(await s.admin('/customers/search?q=leaving@example.com')))['users'] as Record<string, unknown>[])[0]!;
    assert.equal('deleted_on' in back, false, 'restored: deleted_on left out again');
  });

  test('sessions: createUserSession, getActiveSessions, deleteSession and deleteActiveSessions fit their schemas', async () => {
    s = await startServer({ dev: false });
    const user = await shopper(s, { email: 'sessions@example.com' });
    const id = user['_id'] as string;
    const created = await json(await s.admin('/customers/session', jsonRequest('POST', { user_id: id, domain: 'vinit.com', max_age: 4555555 })));
    assertFits('CreateUserSessionResponseSchema', created, ['session_id', 'cookie_name']);
    assert.equal(created['domain'], 'vinit.com');
    assert.equal(created['max_age'], 4555555);
    const listed = await json(await s.admin(`/customers/sessions?id=${id}`));
    assertFits('SessionListResponseSchema', listed, ['items[].created_at', 'items[].last_seen_at']);
    const sessionId = created['session_id'] as string;
    const one = await json(await s.admin(`/customers/session?id=${id}&session_id=${sessionId}&reason=test`, jsonRequest('DELETE')));
    assertFits('SessionDeleteResponseSchema', one);
    assert.deepEqual(one, { user_id: id, session_id: sessionId });
    const all = await json(await s.admin(`/customers/sessions?id=${id}&reason=test`, jsonRequest('DELETE')));
    assertFits('SessionsDeleteResponseSchema', all);
  });

  test('user groups: create, list, read, update and partial update answer UserGroupResponseSchema', async () => {
    s = await startServer({ dev: false });
    const def = await json(await s.admin('/user_attribute/definition', jsonRequest('POST', { name: 'Shoe size', type: 'number' })));
    const example = seedExample('createUserGroup');
    const body = { name: example['name'], description: example['description'], type: 'conditional', conditions: [{ user_attribute_definition_id: def['_id'], type: 'gte', value: '40' }] };
    const created = await json(await s.admin('/user_group', jsonRequest('POST', body)));
    const GROUP_EXTRA = ['conditions[].key'];
    assertFits('UserGroupResponseSchema', created, GROUP_EXTRA);
    assert.equal('file_url' in created, false, 'a conditional group has no file_url: left out, not null');
    const list = await json(await s.admin('/user_group'));
    assertFits('UserGroupListResponseSchema', list, GROUP_EXTRA.map((p) => `items[].${p}`));
    assertFits('UserGroupResponseSchema', await json(await s.admin(`/user_group/${created['uid']}`)), GROUP_EXTRA);
    assertFits('UserGroupResponseSchema', await json(await s.admin(`/user_group/${created['_id']}`, jsonRequest('PUT', { description: 'Big feet' }))), GROUP_EXTRA);
    const bulk = await json(await s.admin('/user_group', jsonRequest('POST', { name: 'Bulk', description: 'by hand', type: 'bulk' })));
    await shopper(s, { email: 'member@example.com' });
    const patched = await json(await s.admin(`/user_group/${bulk['uid']}`, jsonRequest('PATCH', { type: 'json', user_data: [{ email: 'member@example.com', action: 'add' }] })));
    assertFits('UserGroupResponseSchema', patched);
  });

  test('error bodies carry every APIError field, info included, with the seed\'s types', async () => {
    s = await startServer({ dev: false });
    const cases: [Promise<Response>, number][] = [
      [s.fetch(`${ADMIN_BASE}/platform/config`), 401],
      [s.admin('/customers/000000000000000000000000/timeline'), 404],
      [s.admin('/user_attribute/definition', jsonRequest('POST', { type: 'string' })), 400],
      [s.fetch(`${APP}/authentication/v1.0/session`), 401],
    ];
    for (const [pending, status] of cases) {
      const body = await json(await pending, status);
      assertFits('APIError', body);
      for (const key of ['code', 'message', 'info', 'request_id', 'error', 'meta', 'authenticated']) assert.ok(key in body, `${status}: ${key}`);
      assert.equal(body['info'], `urn:latch:error:${body['code']}`);
    }
  });
});

describe('updatePlatformConfig takes a whole PlatformSchema or a patch, and refuses unknown keys', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test("the seed's updatePlatformConfig and getPlatformConfig examples are accepted verbatim and answered as PlatformSchema", async () => {
    s = await startServer({ dev: false });
    assertFits('PlatformSchema', await json(await s.admin('/platform/config')), ['social.account_kit', 'social.apple']);
    for (const operation of ['updatePlatformConfig', 'getPlatformConfig']) {
      const example = seedExample(operation);
      const answer = await json(await s.setConfig(example));
      // accountkit is the spelling one published client uses for the token; both are kept.
      assertFits('PlatformSchema', answer, ['social.account_kit', 'social_tokens.accountkit', 'social_tokens.account_kit', 'social.apple']);
      for (const [key, value] of Object.entries(example)) {
        if (['_id', 'created_at', 'updated_at', '__v'].includes(key)) continue;
        if (key === 'social_tokens' || key === 'social') {
          for (const [k, v] of Object.entries(value as object)) assert.deepEqual((answer[key] as Record<string, unknown>)[k], v, `${operation} ${key}.${k}`);
          continue;
        }
        assert.deepEqual(answer[key], value, `${operation} ${key}`);
      }
      assert.notEqual(answer['_id'], example['_id'], 'the server owns _id');
    }
  });

  test('a whole PlatformSchema with nulls where the seed marks fields nullable is accepted; the nulls change nothing', async () => {
    s = await startServer({ dev: false });
    const before = await json(await s.admin('/platform/config'));
    const whole = structuredClone(before);
    Object.assign(whole, { display: null, look_and_feel: null, skip_login: null, delete_account_day: null, meta: null, subtext: 'Sign in to Fynd' });
    (whole['login'] as Record<string, unknown>)['otp'] = null;
    (whole['session_config'] as Record<string, unknown>)['duration'] = null;
    const after = await json(await s.setConfig(whole));
    assertFits('PlatformSchema', after, ['social.account_kit', 'social.apple']);
    assert.equal(after['subtext'], 'Sign in to Fynd');
    for (const key of ['display', 'look_and_feel', 'skip_login', 'delete_account_day', 'meta', 'login', 'session_config', 'social', 'required_fields']) {
      assert.deepEqual(after[key], before[key], key);
    }
    assert.equal(after['_id'], before['_id']);
    assert.ok(Date.parse(after['updated_at'] as string) > Date.parse(before['updated_at'] as string) || after['__v'] === (before['__v'] as number) + 1);
  });

  test('unknown keys, top-level and nested, are refused with a 400 naming each; nothing is stored', async () => {
    s = await startServer({ dev: false });
    const before = await json(await s.admin('/platform/config'));
    const body = await json(
      await s.setConfig({ display: 'Not stored', forgot_pasword: true, login: { otp: true, sms: true }, social_tokens: { google: { app_id: 'x', appSecret: 'y' } } }),
      400,
    );
    assert.equal(body['code'], 'VALIDATION_ERROR');
    assert.deepEqual(body['meta'], {
      fields: {
        forgot_pasword: 'is not a PlatformSchema field',
        'login.sms': 'is not a PlatformSchema field',
        'social_tokens.google.appSecret': 'is not a PlatformSchema field',
      },
    });
    assert.match(body['message'] as string, /forgot_pasword: is not a PlatformSchema field/);
    assert.deepEqual(await json(await s.admin('/platform/config')), before);
  });
});

describe('attribute definitions and values against the seed', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test("the seed's attribute definition example (a string with a min validation) is accepted as written and answered as UserAttributeDefinitionResponse", async () => {
    s = await startServer({ dev: false });
    const example = seedExample('createUserAttributeDefinition');
    const created = await json(await s.admin('/user_attribute/definition', jsonRequest('POST', example)));
    assertFits('UserAttributeDefinitionResponse', created, DEFINITION_EXTRA);
    for (const key of ['name', 'slug', 'description', 'type', 'multi_value', 'customer_editable', 'encrypted', 'pinned', 'pin_order', 'validations', 'is_locked']) {
      assert.deepEqual(created[key], example[key], key);
    }
    // Server-owned fields of the example are not taken over.
    assert.notEqual(created['_id'], example['_id']);
    assert.equal(created['created_by'], 'admin');
    const id = created['_id'] as string;
    const read = await json(await s.admin(`/user_attribute/definition/${id}`));
    assertFits('UserAttributeDefinition', read, [...DEFINITION_EXTRA, 'created_by', 'updated_by']);
    const list = await json(await s.admin('/user_attribute/definition'));
    assertFits(PAGE, list['page']);
    for (const item of list['items'] as unknown[]) assertFits('UserAttributeDefinition', item, [...DEFINITION_EXTRA, 'created_by', 'updated_by']);

    // min on a string bounds its length: "" is refused as empty, and with min 3 "ab" is too short.
    const user = await shopper(s, { email: 'attr@example.com' });
    const put = (defId: string, value: unknown) => s!.admin(`/user_attribute/definition/${defId}/user/${user['_id']}`, jsonRequest('PUT', { attribute: { value } }));
    await json(await put(id, 'a'));
    const longer = await json(await s.admin('/user_attribute/definition', jsonRequest('POST', { ...example, slug: 'code3', validations: [{ type: 'min', value: 3 }, { type: 'max', value: 4 }] })));
    const short = await json(await put(longer['_id'] as string, 'ab'), 400);
    assert.deepEqual(short['meta'], { fields: { 'attribute.value': 'must be at least 3 characters' } });
    const long = await json(await put(longer['_id'] as string, 'abcde'), 400);
    assert.deepEqual(long['meta'], { fields: { 'attribute.value': 'must be at most 4 characters' } });
    await json(await put(longer['_id'] as string, 'abc'));
  });

  test('a definition with no pin_order, creator or default leaves them out; updates answer UserAttributeDefinition', async () => {
    s = await startServer();
    // The dev-seeded "Birthday reminders" has no pin_order and no creator (seeded, not by an admin).
    const list = await json(await s.admin('/user_attribute/definition?slug=birthday_reminders'));
    const birthday = (list['items'] as Record<string, unknown>[])[0]!;
    for (const key of ['pin_order', 'created_by', 'updated_by', 'default_value']) assert.equal(key in birthday, false, `${key} left out, not null`);
    assertFits('UserAttributeDefinition', birthday, DEFINITION_EXTRA);
    const unpinned = await json(await s.admin(`/user_attribute/definition/${birthday['_id']}`, jsonRequest('PUT', { pinned: true, pin_order: 4 })));
    assert.equal(unpinned['pin_order'], 4);
    const cleared = await json(await s.admin(`/user_attribute/definition/${birthday['_id']}`, jsonRequest('PUT', { pin_order: null })));
    assert.equal('pin_order' in cleared, false);
    assertFits('UserAttributeDefinition', cleared, [...DEFINITION_EXTRA, 'updated_by']);
  });

  test("newer clients' fields (is_multi_value, icon, ordering_channels, masking, registration) are stored and returned, not dropped", async () => {
    s = await startServer({ dev: false });
    const sent = {
      name: 'Favourite colours',
      type: 'string',
      is_multi_value: true,
      icon: 'https://cdn.example.com/icons/palette.svg',
      ordering_channels: ['storefront', 'pos'],
      masking: { enabled: true, type: 'partial' },
      registration: { enabled: true, type: 'optional' },
    };
    const created = await json(await s.admin('/user_attribute/definition', jsonRequest('POST', sent)));
    assertFits('UserAttributeDefinitionResponse', created, DEFINITION_EXTRA);
    assert.equal(created['multi_value'], true, 'is_multi_value is multi_value');
    assert.equal(created['is_multi_value'], true);
    for (const key of ['icon', 'ordering_channels', 'masking', 'registration'] as const) assert.deepEqual(created[key], sent[key], key);
    const id = created['_id'] as string;
    // Kept in the database: a fresh read returns them, and an update that does not name them keeps them.
    const renamed = await json(await s.admin(`/user_attribute/definition/${id}`, jsonRequest('PUT', { name: 'Colours' })));
    for (const key of ['icon', 'ordering_channels', 'masking', 'registration'] as const) assert.deepEqual(renamed[key], sent[key], key);
    const dropped = await json(await s.admin(`/user_attribute/definition/${id}`, jsonRequest('PUT', { icon: null, masking: false })));
    assert.equal('icon' in dropped, false, 'null removes the icon');
    assert.equal(dropped['masking'], false);
    assert.deepEqual((await json(await s.admin(`/user_attribute/definition/${id}`)))['ordering_channels'], ['storefront', 'pos']);
    // A multi-value attribute takes a list, as is_multi_value said.
    const user = await shopper(s, { email: 'colours@example.com' });
    const value = await json(await s.admin(`/user_attribute/definition/${id}/user/${user['_id']}`, jsonRequest('PUT', { attribute: { value: ['red', 'teal'] } })));
    assert.deepEqual(value['attribute'], { value: ['red', 'teal'] });
  });

  test('customer_overriden (the seed) and customer_overridden (some clients) both work; values answer UserAttributeResponse; deletes answer success as a String', async () => {
    s = await startServer({ dev: false });
    const def = await json(await s.admin('/user_attribute/definition', jsonRequest('POST', { name: 'Nickname', type: 'string' })));
    const user = await shopper(s, { email: 'nick@example.com' });
    const path = `/user_attribute/definition/${def['_id']}/user/${user['_id']}`;
    for (const key of ['customer_overriden', 'customer_overridden']) {
      for (const flag of [true, false]) {
        const answer = await json(await s.admin(path, jsonRequest('PUT', { [key]: flag, attribute: { value: 'ada' } })));
        assertFits('UserAttributeResponse', answer, VALUE_EXTRA);
        assert.equal(answer['customer_overriden'], flag, `${key}: ${flag}`);
      }
    }
    const disagree = await json(await s.admin(path, jsonRequest('PUT', { customer_overriden: true, customer_overridden: false, attribute: { value: 'x' } })), 400);
    assert.deepEqual(disagree['meta'], { fields: { customer_overridden: 'disagrees with customer_overriden' } });
    const got = await json(await s.admin(path));
    assert.deepEqual(got['attribute'], { value: 'ada' }, 'the refused write changed nothing');
    assertFits('UserAttributeResponse', got, VALUE_EXTRA);
    const byId = await json(await s.admin(`/user_attribute/attribute/${got['_id']}`));
    assertFits('UserAttributeResponse', byId, VALUE_EXTRA);
    const forUser = await json(await s.admin(`/user_attribute/user/${user['_id']}`));
    for (const item of forUser['items'] as unknown[]) assertFits('UserAttributeResponse', item, VALUE_EXTRA);
    assertFits(PAGE, forUser['page']);

    const removed = await json(await s.admin(path, jsonRequest('DELETE')));
    assertFits('SuccessMessageResponse', removed);
    assert.deepEqual(removed, { success: 'true' });
    const deleted = await json(await s.admin(`/user_attribute/definition/${def['_id']}`, jsonRequest('DELETE')));
    assertFits('SuccessMessageResponse', deleted);
    assert.deepEqual(deleted, { success: 'true' });
  });

  test('the checker itself catches a null, a wrong type and a missing required field', () => {
    // Guards the guard: these shapes must be reported, or every test above could pass vacuously.
    assert.deepEqual(checkAnswer('UserAttributeDefinition', { pin_order: null }).problems, ['pin_order: null (leave a field with no value out)']);
    assert.deepEqual(checkAnswer('SuccessMessageResponse', { success: true }).problems, ['success: expected a string, got true']);
    assert.deepEqual(checkAnswer('CreateUserGroup', { name: 'x' }).problems, ['description: required by CreateUserGroup but missing']);
    assert.deepEqual(checkAnswer('UserSearchResponseSchema', { users: [{ deleted_on: null, active: 'yes' }] }).extra, ['users[0].deleted_on']);
  });
});

describe('createUserSession reports secure as the cookie really is', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  /** A raw request, so the Host header is what the test says (fetch would put the socket's address). */
  function rawRequest(base: string, path: string, host: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; cookies: string[] }> {
    const url = new URL(base);
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: url.hostname, port: url.port, path, method: 'POST', headers: { host, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown>, cookies: [res.headers['set-cookie'] ?? []].flat() }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  for (const [label, cookieSecure, host, expected] of [
    ['auto, on 127.0.0.1 (a secure context)', 'auto', undefined, true],
    ['auto, on plain http to a store host', 'auto', 'shop.example', false],
    ['forced off', false, undefined, false],
    ['forced on', true, 'shop.example', true],
  ] as const) {
    test(`${label}: secure is ${expected}, as on the shopper's own session cookie`, async () => {
      // A store host is answered only when it is the public origin's (other Hosts get 421), so the
      // service is told its shoppers reach it at plain http://shop.example.
      s = await startServer({ cookieSecure, ...(host ? { publicUrl: `http://${host}` } : {}) });
      const hostHeader = host ?? new URL(s.base).host;
      const login = await rawRequest(s.base, LOGIN, hostHeader, { username: DEMO.email, password: DEMO.password });
      assert.equal(login.status, 200);
      const cookie = login.cookies.find((c) => /f\.session=/.test(c));
      assert.ok(cookie, 'the login set the session cookie');
      assert.equal(/;\s*Secure/i.test(cookie), expected, cookie);
      const userId = ((login.body['user'] as Record<string, unknown>)['_id']) as string;
      const session = await rawRequest(s.base, `${ADMIN_BASE}/customers/session`, hostHeader, { user_id: userId }, { authorization: 'Bearer test-admin-token' });
      assert.equal(session.status, 200, JSON.stringify(session.body));
      assert.equal(session.body['secure'], expected);
      assert.equal(session.body['http_only'], true);
      assertFits('CreateUserSessionResponseSchema', session.body, ['session_id', 'cookie_name']);
    });
  }
});
