// User groups over a real socket: the five seed operations answered field by field against the
// seed's examples and its UserGroupResponseSchema, conditional membership that follows attribute
// changes at once, bulk CSV files fetched from a local test server (applied rows, the bad-row
// report, and failed files that change nothing), user_data rows, filters and paging, the
// extensions (members, a shopper's groups, delete) and the admin token on every path.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import { purgeExpired, requestDeletion } from '../../src/server/services/deletion';
import { optionsFromEnv } from '../../src/server/env';
import { ADMIN_BASE, APPLICATION_ID, count, deletionContext, jsonRequest, startServer, type TestServer } from './helpers';

// The seed's response examples, verbatim (platform-user-api.md). The requests below send their
// writable fields (name, description, file_url) as they are written there.
const SEED_CREATE_EXAMPLE = {
  is_active: true,
  _id: '6345677535474fbb6944b7ce',
  name: 'Group 1',
  description: 'description',
  file_url: 'url',
  status: 'pending',
  uid: 1,
  application_id: '000000000000000000000001',
  created_at: '2022-10-11T12:54:13.539Z',
  modified_at: '2022-10-11T12:54:13.539Z',
  __v: 0,
};
const SEED_LIST_EXAMPLE = {
  items: [
    { ...SEED_CREATE_EXAMPLE },
    { ...SEED_CREATE_EXAMPLE, _id: '6345677535474fbb6944b7ced', name: 'Group 2', file_url: 'url2' },
  ],
  page: { type: 'number', current: 1, size: 10, item_total: 0, has_next: false },
};

// UserGroupResponseSchema (seed), wire names. `message` in error is our documented extension.
const GROUP_SCHEMA: Record<string, 'string' | 'boolean' | 'int' | 'array' | 'object'> = {
  conditions: 'array',
  error: 'object',
  name: 'string',
  description: 'string',
  file_url: 'string',
  _id: 'string',
  status: 'string',
  is_active: 'boolean',
  type: 'string',
  uid: 'int',
  application_id: 'string',
  created_at: 'string',
  modified_at: 'string',
  __v: 'int',
};

function assertType(value: unknown, type: string, where: string): void {
  if (type === 'int') assert.ok(Number.isInteger(value), `${where} is an integer (${JSON.stringify(value)})`);
  else if (type === 'array') assert.ok(Array.isArray(value), `${where} is an array`);
  else if (type === 'object') assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `${where} is an object`);
  else assert.equal(typeof value, type, `${where} is a ${type}`);
}

/** Every field is one the seed's schema has, of the type it gives; nothing is null. */
function assertGroupSchema(g: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(g)) {
    assert.ok(key in GROUP_SCHEMA, `unexpected field ${key}`);
    assertType(value, GROUP_SCHEMA[key]!, key);
  }
  for (const key of ['_id', 'name', 'description', 'status', 'is_active', 'type', 'uid', 'application_id', 'created_at', 'modified_at', '__v', 'error']) {
    assert.ok(key in g, `${key} is present`);
  }
  assert.match(g['_id'] as string, /^[0-9a-f]{24}$/);
  assert.ok(['pending', 'completed', 'failed'].includes(g['status'] as string));
  assert.ok(['conditional', 'bulk'].includes(g['type'] as string));
  for (const key of ['created_at', 'modified_at']) assert.equal(new Date(g[key] as string).toISOString(), g[key]);
  const error = g['error'] as Record<string, unknown>;
  for (const [key, value] of Object.entries(error)) {
    assert.ok(['count', 'file_url', 'message'].includes(key), `unexpected error.${key}`);
    assertType(value, key === 'count' ? 'int' : 'string', `error.${key}`);
  }
  for (const [i, c] of ((g['conditions'] as Record<string, unknown>[] | undefined) ?? []).entries()) {
    for (const [key, value] of Object.entries(c)) {
      assert.ok(['user_attribute_definition_id', 'type', 'value', 'key', 'ignore_year'].includes(key), `unexpected conditions[${i}].${key}`);
      assertType(value, key === 'ignore_year' ? 'boolean' : 'string', `conditions[${i}].${key}`);
    }
  }
}

/** The example's fields, one by one: same value where the value is ours to match, same type otherwise. */
function assertLikeExample(actual: Record<string, unknown>, example: Record<string, unknown>, same: string[]): void {
  for (const [key, value] of Object.entries(example)) {
    assert.ok(key in actual, `${key} is in the answer`);
    assert.equal(typeof actual[key], typeof value, `${key} has the example's type`);
    if (same.includes(key)) assert.deepEqual(actual[key], value, key);
  }
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function ok(res: Response, status = 200): Promise<Json> {
  const body = await res.json();
  assert.equal(res.status, status, JSON.stringify(body));
  return body;
}

const post = (s: TestServer, path: string, body: unknown) => s.admin(path, jsonRequest('POST', body));
const put = (s: TestServer, path: string, body: unknown) => s.admin(path, jsonRequest('PUT', body));
const patch = (s: TestServer, path: string, body: unknown) => s.admin(path, jsonRequest('PATCH', body));

/** A local file server on 127.0.0.1: routes by path, and every request it saw. */
interface FileServer {
  url(path: string): string;
  hits: string[];
  close(): Promise<void>;
}

async function fileServer(routes: Record<string, (res: http.ServerResponse) => void>): Promise<FileServer> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    const route = routes[req.url ?? ''];
    if (route) route(res);
    else res.writeHead(404).end('missing');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const csv = (text: string) => (res: http.ServerResponse) => res.writeHead(200, { 'content-type': 'text/csv' }).end(text);

async function shopper(s: TestServer, body: Record<string, unknown>): Promise<string> {
  return (await ok(await s.createShopper(body))).user._id;
}

async function define(s: TestServer, body: Record<string, unknown>): Promise<string> {
  return (await ok(await post(s, '/user_attribute/definition', body)))._id;
}

async function setValue(s: TestServer, definitionId: string, userId: string, value: unknown): Promise<void> {
  await ok(await put(s, `/user_attribute/definition/${definitionId}/user/${userId}`, { value }));
}

async function memberEmails(s: TestServer, ref: string | number): Promise<string[]> {
  const body = await ok(await s.admin(`/user_group/${ref}/users?page_size=100`));
  return body.items.map((u: Json) => u.emails[0]?.email ?? u.phone_numbers[0]?.phone).sort();
}

async function groupsOfCustomer(s: TestServer, email: string): Promise<number[]> {
  const { users } = await ok(await s.admin(`/customers/search?q=${encodeURIComponent(email)}`));
  return users[0].user_groups;
}

describe('user groups: the seed operations', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('createUserGroup with the example fields answers the example, then the unusable file_url fails in the background', async () => {
    s = await startServer();
    const res = await post(s, '/user_group', { name: 'Group 1', description: 'description', file_url: 'url' });
    const group = await ok(res);
    assertGroupSchema(group);
    assertLikeExample(group, SEED_CREATE_EXAMPLE, ['is_active', 'name', 'description', 'file_url', 'status', 'uid', 'application_id', '__v']);
    assert.equal(group.application_id, APPLICATION_ID);
    assert.equal(group.type, 'bulk');
    assert.equal(group.created_at, new Date(s.clock.t).toISOString());
    assert.deepEqual(group.error, { count: 0 });

    await s.service.idle();
    const after = await ok(await s.admin('/user_group/1'));
    assertGroupSchema(after);
    assert.equal(after.status, 'failed');
    assert.deepEqual(after.error, { count: 0, message: 'file_url is not an absolute URL' });
    assert.equal(after._id, group._id);
  });

  test('getUserGroups answers the example shape: items in uid order and the page', async () => {
    s = await startServer();
    for (const item of SEED_LIST_EXAMPLE.items) {
      await ok(await post(s, '/user_group', { name: item.name, description: item.description, file_url: item.file_url }));
    }
    const list = await ok(await s.admin('/user_group'));
    assert.deepEqual(Object.keys(list).sort(), ['items', 'page']);
    assert.equal(list.items.length, 2);
    list.items.forEach((g: Json, i: number) => {
      assertGroupSchema(g);
      assertLikeExample(g, SEED_LIST_EXAMPLE.items[i]!, ['is_active', 'name', 'description', 'file_url', 'application_id', '__v']);
    });
    // uid counts per application: the example's second item repeats 1, ours are 1 and 2.
    assert.deepEqual(list.items.map((g: Json) => g.uid), [1, 2]);
    assertLikeExample(list.page, SEED_LIST_EXAMPLE.page, ['type', 'current', 'size', 'has_next']);
    assert.equal(list.page.item_total, 2);
  });

  test('getUserGroupById takes the numeric uid or the _id; an unknown one is a 404 in the APIError shape', async () => {
    s = await startServer();
    const created = await ok(await post(s, '/user_group', { name: 'Group 1', description: 'description' }));
    const byUid = await ok(await s.admin('/user_group/1'));
    assertGroupSchema(byUid);
    const { file_url: _noFile, ...example } = SEED_CREATE_EXAMPLE;
    assertLikeExample(byUid, example, ['is_active', 'name', 'description', 'uid', 'application_id', '__v']);
    // No file: nothing to load, and no file_url to show.
    assert.equal(byUid.status, 'completed');
    assert.ok(!('file_url' in byUid));
    assert.deepEqual(await ok(await s.admin(`/user_group/${created._id}`)), byUid);

    for (const ref of ['2', 'ffffffffffffffffffffffff', 'not-an-id']) {
      const res = await s.admin(`/user_group/${ref}`);
      assert.equal(res.status, 404);
      const body = await res.json();
      assert.equal(body.code, 'USER_GROUP_NOT_FOUND');
      for (const key of ['message', 'code', 'request_id', 'error', 'meta', 'authenticated']) assert.ok(key in body, key);
    }
  });

  test('updateUserGroup with the example fields answers the example; __v and modified_at move', async () => {
    s = await startServer();
    await ok(await post(s, '/user_group', { name: 'Old name', description: 'old' }));
    s.clock.advance(60_000);
    const updated = await ok(await put(s, '/user_group/1', { name: 'Group 1', description: 'description', file_url: 'url' }));
    assertGroupSchema(updated);
    assertLikeExample(updated, SEED_CREATE_EXAMPLE, ['is_active', 'name', 'description', 'file_url', 'status', 'uid']);
    assert.equal(updated.__v, 1);
    assert.equal(updated.modified_at, new Date(s.clock.t).toISOString());
    assert.notEqual(updated.created_at, updated.modified_at);
    await s.service.idle();

    // The type is fixed, and conditions belong to conditional groups.
    const typeChange = await put(s, '/user_group/1', { type: 'conditional' });
    assert.equal(typeChange.status, 400);
    assert.match((await typeChange.json()).message, /^type: cannot change/);
    const conditions = await put(s, '/user_group/1', { conditions: [{ user_attribute_definition_id: 'x', type: 'eq', value: '1' }] });
    assert.equal(conditions.status, 400);
  });

  test('updateUserGroupPartially with the example fields answers the example', async () => {
    s = await startServer();
    await ok(await post(s, '/user_group', { name: 'Group 1', description: 'description' }));
    const patched = await ok(await patch(s, '/user_group/1', { type: 'file_url', name: 'Group 1', description: 'description', file_url: 'url' }));
    assertGroupSchema(patched);
    assertLikeExample(patched, SEED_CREATE_EXAMPLE, ['is_active', 'name', 'description', 'file_url', 'status', 'uid', 'application_id']);
    await s.service.idle();
    // Only the details: nothing else changes, and no load starts.
    const renamed = await ok(await patch(s, '/user_group/1', { name: 'Renamed' }));
    assert.equal(renamed.name, 'Renamed');
    assert.equal(renamed.status, 'failed');
  });

  test('bodies are checked: required fields, types, nulls as "not given", unknown keys named', async () => {
    s = await startServer();
    const missing = await post(s, '/user_group', {});
    assert.equal(missing.status, 400);
    const body = await missing.json();
    assert.equal(body.code, 'VALIDATION_ERROR');
    assert.deepEqual(Object.keys(body.meta.fields).sort(), ['description', 'name']);

    // The seed marks type, conditions and file_url nullable.
    const nulls = await ok(await post(s, '/user_group', { name: 'N', description: 'd', type: null, conditions: null, file_url: null }));
    assert.equal(nulls.type, 'bulk');
    assert.equal(nulls.status, 'completed');

    const unknown = await post(s, '/user_group', { name: 'N', description: 'd', colour: 'red' });
    assert.equal(unknown.status, 400);
    assert.match((await unknown.json()).message, /colour/);

    const badType = await post(s, '/user_group', { name: 'N', description: 'd', type: 'smart' });
    assert.equal(badType.status, 400);
    assert.deepEqual(Object.keys((await badType.json()).meta.fields), ['type']);

    const conditionalWithoutConditions = await post(s, '/user_group', { name: 'N', description: 'd', type: 'conditional' });
    assert.equal(conditionalWithoutConditions.status, 400);
    assert.ok('conditions' in (await conditionalWithoutConditions.json()).meta.fields);
  });
});

describe('user groups: conditions over custom attributes', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  async function setup(server: TestServer) {
    const defs = (await ok(await server.admin('/user_attribute/definition?page_size=100'))).items as Json[];
    const shoe = defs.find((d) => d.slug === 'shoe_size')!._id as string;
    const news = defs.find((d) => d.slug === 'newsletter_frequency')!._id as string;
    const reminders = defs.find((d) => d.slug === 'birthday_reminders')!._id as string;
    const city = await define(server, { name: 'City', type: 'string' });
    const birthday = await define(server, { name: 'Birthday', type: 'date' });
    const interests = await define(server, { name: 'Interests', type: 'string', multi_value: true });
    const asha = await shopper(server, { email: 'asha@example.com' });
    const ben = await shopper(server, { email: 'ben@example.com' });
    const chen = await shopper(server, { email: 'chen@example.com' });
    return { shoe, news, reminders, city, birthday, interests, asha, ben, chen };
  }

  test('members follow every condition (AND) and change as soon as an attribute does', async () => {
    s = await startServer();
    const a = await setup(s);
    await setValue(s, a.shoe, a.asha, 42);
    await setValue(s, a.city, a.asha, 'Pune');
    await setValue(s, a.shoe, a.ben, 44);
    await setValue(s, a.city, a.ben, 'Mumbai');
    await setValue(s, a.shoe, a.chen, 38);
    await setValue(s, a.city, a.chen, 'pune cantonment');

    const group = await ok(
      await post(s, '/user_group', {
        name: 'Big feet in Pune',
        description: 'offers',
        conditions: [
          { user_attribute_definition_id: a.shoe, type: 'gt', value: '40' },
          { user_attribute_definition_id: a.city, type: 'contains', value: 'PUNE' },
        ],
      }),
    );
    assertGroupSchema(group);
    assert.equal(group.type, 'conditional');
    assert.equal(group.status, 'completed');
    assert.ok(!('file_url' in group));
    assert.deepEqual(group.conditions, [
      { user_attribute_definition_id: a.shoe, type: 'gt', value: '40', key: 'shoe_size' },
      { user_attribute_definition_id: a.city, type: 'contains', value: 'PUNE', key: 'city' },
    ]);
    assert.deepEqual(await memberEmails(s, group.uid), ['asha@example.com']);
    assert.deepEqual(await groupsOfCustomer(s, 'asha@example.com'), [group.uid]);
    assert.deepEqual(await groupsOfCustomer(s, 'ben@example.com'), []);

    // Ben moves to Pune, Asha's size is now exactly 40 (not greater): at once, no reload.
    await setValue(s, a.city, a.ben, 'Pune');
    await setValue(s, a.shoe, a.asha, 40);
    assert.deepEqual(await memberEmails(s, group.uid), ['ben@example.com']);
    assert.deepEqual(await groupsOfCustomer(s, 'asha@example.com'), []);
    // A removed value meets no condition.
    assert.equal((await s.admin(`/user_attribute/definition/${a.city}/user/${a.ben}`, { method: 'DELETE' })).status, 200);
    assert.deepEqual(await memberEmails(s, group.uid), []);

    // New conditions through updateUserGroup.
    const updated = await ok(await put(s, `/user_group/${group.uid}`, { conditions: [{ user_attribute_definition_id: a.shoe, type: 'lte', value: 40 }] }));
    assert.deepEqual(updated.conditions, [{ user_attribute_definition_id: a.shoe, type: 'lte', value: '40', key: 'shoe_size' }]);
    assert.deepEqual(await memberEmails(s, group.uid), ['asha@example.com', 'chen@example.com']);

    // An inactive group (our extension) counts for nobody's user_groups.
    await ok(await put(s, `/user_group/${group.uid}`, { is_active: false }));
    assert.deepEqual(await groupsOfCustomer(s, 'asha@example.com'), []);
  });

  test('each attribute type takes its comparisons: enum, boolean, date (also ignoring the year), multi-value contains, not equal', async () => {
    s = await startServer();
    const a = await setup(s);
    await setValue(s, a.news, a.asha, 'weekly');
    await setValue(s, a.news, a.ben, 'never');
    await setValue(s, a.reminders, a.asha, true);
    await setValue(s, a.reminders, a.chen, false);
    await setValue(s, a.birthday, a.asha, '1990-03-14');
    await setValue(s, a.birthday, a.ben, '2001-03-14');
    await setValue(s, a.birthday, a.chen, '1985-12-01');
    await setValue(s, a.interests, a.ben, ['running', 'tea']);
    await setValue(s, a.interests, a.chen, ['chess']);

    const make = async (conditions: unknown[]) =>
      (await ok(await post(s!, '/user_group', { name: 'G', description: 'd', conditions }))).uid as number;
    assert.deepEqual(await memberEmails(s, await make([{ user_attribute_definition_id: a.news, type: 'neq', value: 'never' }])), ['asha@example.com']);
    assert.deepEqual(await memberEmails(s, await make([{ user_attribute_definition_id: a.reminders, type: 'eq', value: false }])), ['chen@example.com']);
    assert.deepEqual(await memberEmails(s, await make([{ user_attribute_definition_id: a.birthday, type: 'lt', value: '1991-01-01' }])), [
      'asha@example.com',
      'chen@example.com',
    ]);
    const birthdays = await make([{ user_attribute_definition_id: a.birthday, type: 'eq', value: '2024-03-14', ignore_year: true }]);
    assert.deepEqual(await memberEmails(s, birthdays), ['asha@example.com', 'ben@example.com']);
    assert.equal((await ok(await s.admin(`/user_group/${birthdays}`))).conditions[0].ignore_year, true);
    assert.deepEqual(await memberEmails(s, await make([{ user_attribute_definition_id: a.interests, type: 'contains', value: 'tea' }])), ['ben@example.com']);
  });

  test('a condition its attribute type cannot take is a 400 naming it', async () => {
    s = await startServer();
    const a = await setup(s);
    const cases: [unknown, string][] = [
      [{ user_attribute_definition_id: a.shoe, type: 'contains', value: '4' }, 'conditions[0].type'],
      [{ user_attribute_definition_id: a.reminders, type: 'gt', value: 'true' }, 'conditions[0].type'],
      [{ user_attribute_definition_id: a.interests, type: 'eq', value: 'tea' }, 'conditions[0].type'],
      [{ user_attribute_definition_id: a.shoe, type: 'eq', value: 'forty' }, 'conditions[0].value'],
      [{ user_attribute_definition_id: a.news, type: 'eq', value: 'daily' }, 'conditions[0].value'],
      [{ user_attribute_definition_id: a.birthday, type: 'gt', value: '2021-02-30' }, 'conditions[0].value'],
      [{ user_attribute_definition_id: a.shoe, type: 'eq', value: '40', ignore_year: true }, 'conditions[0].ignore_year'],
      [{ user_attribute_definition_id: 'ffffffffffffffffffffffff', type: 'eq', value: '1' }, 'conditions[0].user_attribute_definition_id'],
      [{ user_attribute_definition_id: a.shoe, type: 'like', value: '1' }, 'conditions[0].type'],
    ];
    for (const [condition, path] of cases) {
      const res = await post(s, '/user_group', { name: 'G', description: 'd', conditions: [condition] });
      assert.equal(res.status, 400, JSON.stringify(condition));
      const body = await res.json();
      assert.equal(body.code, 'VALIDATION_ERROR');
      assert.deepEqual(Object.keys(body.meta.fields), [path], JSON.stringify(condition));
    }
    assert.equal((await ok(await s.admin('/user_group'))).page.item_total, 0);
  });
});

describe('user groups: bulk files and rows', () => {
  let s: TestServer | undefined;
  let files: FileServer | undefined;
  afterEach(async () => {
    await files?.close();
    await s?.close();
    files = undefined;
  });

  const GOOD = [
    'email,phone_number,user_id,action',
    'asha@example.com,,,add',
    ',+91 98765 43210,,add',
    '"ben@example.com",,,add',
    'ben@example.com,,,remove',
    'nobody@example.com,,,add',
    'chen@example.com,,,promote',
    '"=HYPERLINK(""http://x.test"")",,,add',
    ',,,add',
    '',
  ].join('\n');

  test('a CSV from a local server is applied in the background; rows it cannot apply are reported', async () => {
    s = await startServer();
    const asha = await shopper(s, { email: 'asha@example.com' });
    await shopper(s, { phone_number: '+919876543210' });
    await shopper(s, { email: 'ben@example.com' });
    await shopper(s, { email: 'chen@example.com' });
    files = await fileServer({ '/members.csv': csv(GOOD), '/more.csv': csv(`user_id,action\n${asha},remove\n`) });

    const created = await ok(await post(s, '/user_group', { name: 'VIP', description: 'from a file', file_url: files.url('/members.csv') }));
    assert.equal(created.status, 'pending');
    await s.service.idle();
    assert.deepEqual(files.hits, ['/members.csv']);

    const group = await ok(await s.admin(`/user_group/${created.uid}`));
    assertGroupSchema(group);
    assert.equal(group.status, 'completed');
    assert.equal(group.error.count, 4);
    assert.equal(group.error.file_url, `${ADMIN_BASE}/user_group/${created.uid}/errors.csv`);
    assert.deepEqual(await memberEmails(s, created.uid), ['9876543210', 'asha@example.com']);
    assert.deepEqual(await groupsOfCustomer(s, 'asha@example.com'), [created.uid]);
    assert.deepEqual(await groupsOfCustomer(s, 'ben@example.com'), []);

    // The report: admin only, CSV, one line per row with its line number and reason, formulas defused.
    assert.equal((await s.fetch(group.error.file_url)).status, 401);
    const report = await s.fetch(group.error.file_url, { headers: { authorization: 'Bearer test-admin-token' } });
    assert.equal(report.status, 200);
    assert.match(report.headers.get('content-type')!, /^text\/csv/);
    assert.match(report.headers.get('content-disposition')!, /^attachment/);
    assert.deepEqual((await report.text()).trim().split('\r\n'), [
      'row,user_id,email,phone_number,action,error',
      '"6","","nobody@example.com","","add","no account has this email"',
      '"7","","chen@example.com","","promote","action must be add or remove"',
      '"8","","\'=HYPERLINK(""http://x.test"")","","add","no account has this email"',
      '"9","","","","add","needs a phone_number, email or user_id"',
    ]);

    // A second file applies on top (here: removes Asha) and replaces the report.
    const second = await ok(await patch(s, `/user_group/${created.uid}`, { file_url: files.url('/more.csv') }));
    assert.equal(second.status, 'pending');
    await s.service.idle();
    const after = await ok(await s.admin(`/user_group/${created.uid}`));
    assert.deepEqual(after.error, { count: 0 });
    assert.deepEqual(await memberEmails(s, created.uid), ['9876543210']);
    assert.equal((await s.admin(`/user_group/${created.uid}/errors.csv`)).status, 404);
  });

  test('a CSV row naming an address in its decomposed spelling adds the account stored composed', async () => {
    s = await startServer();
    await shopper(s, { email: 'jos\u00e9@caf\u00e9.example' });
    files = await fileServer({ '/accents.csv': csv('email,action\njose\u0301@cafe\u0301.example,add\n') });
    const created = await ok(await post(s, '/user_group', { name: 'Accents', description: 'one spelling', file_url: files.url('/accents.csv') }));
    await s.service.idle();
    const group = await ok(await s.admin(`/user_group/${created.uid}`));
    assert.deepEqual(group.error, { count: 0 });
    assert.deepEqual(await memberEmails(s, created.uid), ['jos\u00e9@caf\u00e9.example']);
  });

  test('a failed file (bad header, too big, missing, redirected inside, not https) changes no membership', async () => {
    s = await startServer();
    await shopper(s, { email: 'asha@example.com' });
    await shopper(s, { email: 'ben@example.com' });
    const big = 'email,action\n' + 'ben@example.com,remove\n'.repeat(Math.ceil((5 * 1024 * 1024) / 22) + 10);
    files = await fileServer({
      '/start.csv': csv('email,action\nasha@example.com,add\nben@example.com,add\n'),
      '/bad-header.csv': csv('mail,what\nben@example.com,remove\n'),
      '/half-good.csv': csv('email,action\nasha@example.com,remove\n"ben@example.com,remove\n'),
      '/big.csv': csv(big),
      '/inside': (res) => res.writeHead(302, { location: 'http://0.0.0.0:1/secret.csv' }).end(),
    });
    const { uid } = await ok(await post(s, '/user_group', { name: 'G', description: 'd', file_url: files.url('/start.csv') }));
    await s.service.idle();
    assert.deepEqual(await memberEmails(s, uid), ['asha@example.com', 'ben@example.com']);

    const cases: [string, RegExp][] = [
      [files.url('/bad-header.csv'), /first line must name an action column/],
      [files.url('/half-good.csv'), /not valid CSV/],
      [files.url('/big.csv'), /larger than 5242880 bytes/],
      [files.url('/gone.csv'), /answered 404/],
      [files.url('/inside'), /redirected to a URL that is not allowed/],
      ['http://files.example.test/members.csv', /must be an https URL/],
      ['https://files.example.test/members.csv', /host that is not allowed \(files\.example\.test\)/],
    ];
    for (const [url, message] of cases) {
      await ok(await patch(s, `/user_group/${uid}`, { file_url: url }));
      await s.service.idle();
      const group = await ok(await s.admin(`/user_group/${uid}`));
      assert.equal(group.status, 'failed', url);
      assert.match(group.error.message, message);
      assert.equal(group.error.count, 0);
      assert.deepEqual(await memberEmails(s, uid), ['asha@example.com', 'ben@example.com'], url);
      assert.deepEqual(await ok(await s.admin('/user_group?status=failed')).then((l) => l.items.map((g: Json) => g.uid)), [uid]);
    }
    // Nothing but the local server was asked, and it only for its own paths.
    assert.deepEqual(files.hits, ['/start.csv', '/bad-header.csv', '/half-good.csv', '/big.csv', '/gone.csv', '/inside']);
  });

  test('a group loading a file refuses member changes until the load ends', async () => {
    s = await startServer();
    await shopper(s, { email: 'asha@example.com' });
    let seen: () => void = () => {};
    const requested = new Promise<void>((resolve) => (seen = resolve));
    let held: http.ServerResponse | undefined;
    files = await fileServer({
      '/slow.csv': (res) => {
        held = res;
        seen();
      },
    });
    const { uid } = await ok(await post(s, '/user_group', { name: 'G', description: 'd', file_url: files.url('/slow.csv') }));
    await requested;
    const busy = await patch(s, `/user_group/${uid}`, { type: 'json', user_data: [{ email: 'asha@example.com', action: 'remove' }] });
    assert.equal(busy.status, 409);
    assert.equal((await busy.json()).code, 'USER_GROUP_BUSY');
    assert.equal((await put(s, `/user_group/${uid}`, { file_url: files.url('/slow.csv') })).status, 409);
    // Details may still change.
    assert.equal((await ok(await patch(s, `/user_group/${uid}`, { name: 'Renamed' }))).status, 'pending');
    csv('email,action\nasha@example.com,add\n')(held!);
    await s.service.idle();
    assert.deepEqual(await memberEmails(s, uid), ['asha@example.com']);
  });

  test('updateUserGroupPartially with type json adds and removes user_data rows and reports the unknown ones', async () => {
    s = await startServer();
    const asha = await shopper(s, { email: 'asha@example.com' });
    await shopper(s, { email: 'ben@example.com', phone_number: '+14155550100' });
    const { uid } = await ok(await post(s, '/user_group', { name: 'G', description: 'd' }));
    const group = await ok(
      await patch(s, `/user_group/${uid}`, {
        type: 'json',
        user_data: [
          { user_id: asha, action: 'add' },
          { phone_number: '+1 415 555 0100', action: 'add' },
          { email: 'ghost@example.com', action: 'add' },
          { user_id: asha, email: 'ben@example.com', action: 'add' },
        ],
      }),
    );
    assertGroupSchema(group);
    assert.equal(group.status, 'completed');
    assert.equal(group.error.count, 2);
    assert.deepEqual(await memberEmails(s, uid), ['asha@example.com', 'ben@example.com']);
    const report = await (await s.admin(`/user_group/${uid}/errors.csv`)).text();
    assert.match(report, /"user_data\[2\]","","ghost@example.com","","add","no account has this email"/);
    assert.match(report, /"user_data\[3\]",.*"its user_id, email and phone_number name different accounts"/);

    // user_data alone means type json; remove works the same way.
    await ok(await patch(s, `/user_group/${uid}`, { user_data: [{ email: 'ASHA@example.com', action: 'remove' }] }));
    assert.deepEqual(await memberEmails(s, uid), ['ben@example.com']);

    // Rows without an identifier or action are refused whole, naming the row.
    const bad = await patch(s, `/user_group/${uid}`, { type: 'json', user_data: [{ action: 'add' }, { email: 'ben@example.com', action: 'drop' }] });
    assert.equal(bad.status, 400);
    assert.deepEqual(Object.keys((await bad.json()).meta.fields).sort(), ['user_data[0]', 'user_data[1].action']);
    assert.equal((await patch(s, `/user_group/${uid}`, { type: 'json' })).status, 400);
    assert.deepEqual(await memberEmails(s, uid), ['ben@example.com']);

    // A conditional group has no listed members.
    const defs = (await ok(await s.admin('/user_attribute/definition'))).items as Json[];
    const conditional = await ok(
      await post(s, '/user_group', { name: 'C', description: 'd', conditions: [{ user_attribute_definition_id: defs[0]!._id, type: 'eq', value: '1' }] }),
    );
    const refused = await patch(s, `/user_group/${conditional.uid}`, { type: 'json', user_data: [{ email: 'ben@example.com', action: 'add' }] });
    assert.equal(refused.status, 400);
    assert.equal((await refused.json()).code, 'USER_GROUP_NOT_BULK');
  });
});

describe('user groups: filters, paging, extensions, the admin token', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  test('getUserGroups filters by name, type, status and group_uid, and pages', async () => {
    s = await startServer();
    const defs = (await ok(await s.admin('/user_attribute/definition'))).items as Json[];
    const condition = { user_attribute_definition_id: defs[0]!._id, type: 'eq', value: '1' };
    for (let i = 1; i <= 12; i++) {
      const body = i % 3 === 0 ? { conditions: [condition] } : i % 3 === 1 ? { file_url: 'url' } : {};
      await ok(await post(s, '/user_group', { name: i % 2 ? `Summer sale ${i}` : `Winter_${i}`, description: 'd', ...body }));
    }
    await s.service.idle();
    const uids = async (query: string) => (await ok(await s!.admin(`/user_group?${query}`))).items.map((g: Json) => g.uid);
    assert.deepEqual(await uids('name=summer&page_size=100'), [1, 3, 5, 7, 9, 11]);
    // "_" is a character here, not a LIKE wildcard.
    assert.deepEqual(await uids('name=_'), [2, 4, 6, 8, 10, 12]);
    assert.deepEqual(await uids('type=conditional'), [3, 6, 9, 12]);
    assert.deepEqual(await uids('type=bulk&status=failed'), [1, 4, 7, 10]);
    assert.deepEqual(await uids('type=bulk&status=completed'), [2, 5, 8, 11]);
    assert.deepEqual(await uids('group_uid=7'), [7]);
    assert.deepEqual(await uids('group_uid=99'), []);

    const page = await ok(await s.admin('/user_group?page_size=5&page_no=2'));
    assert.deepEqual(page.items.map((g: Json) => g.uid), [6, 7, 8, 9, 10]);
    assert.deepEqual(page.page, { type: 'number', current: 2, size: 5, item_total: 12, has_next: true });
    const last = await ok(await s.admin('/user_group?page_size=5&page_no=3'));
    assert.deepEqual(last.page, { type: 'number', current: 3, size: 5, item_total: 12, has_next: false });

    for (const query of ['page_size=0', 'page_size=101', 'page_no=x', 'type=smart', 'status=done', 'group_uid=one']) {
      assert.equal((await s.admin(`/user_group?${query}`)).status, 400, query);
    }
  });

  test('deleting a group (extension) removes it and its members; uids are not reused', async () => {
    s = await startServer();
    await shopper(s, { email: 'asha@example.com' });
    await ok(await post(s, '/user_group', { name: 'A', description: 'd' }));
    const { uid, _id } = await ok(await post(s, '/user_group', { name: 'B', description: 'd' }));
    await ok(await patch(s, `/user_group/${uid}`, { user_data: [{ email: 'asha@example.com', action: 'add' }] }));
    assert.deepEqual(await groupsOfCustomer(s, 'asha@example.com'), [uid]);
    assert.deepEqual(await ok(await s.admin(`/user_group/${uid}`, { method: 'DELETE' })), { id: _id, success: true });
    assert.equal((await s.admin(`/user_group/${uid}`)).status, 404);
    assert.deepEqual(await groupsOfCustomer(s, 'asha@example.com'), []);
    assert.equal((await ok(await post(s, '/user_group', { name: 'C', description: 'd' }))).uid, 3);
  });

  test('an account being deleted leaves every member list at once, and its purge removes its rows', async () => {
    s = await startServer();
    const asha = await shopper(s, { email: 'asha@example.com' });
    await shopper(s, { email: 'ben@example.com' });
    const { uid } = await ok(await post(s, '/user_group', { name: 'G', description: 'd' }));
    await ok(await patch(s, `/user_group/${uid}`, { user_data: [{ email: 'asha@example.com', action: 'add' }, { email: 'ben@example.com', action: 'add' }] }));
    const ctx = deletionContext(s);
    await requestDeletion(ctx, { userId: asha });
    assert.deepEqual(await memberEmails(s, uid), ['ben@example.com']);
    assert.equal((await ok(await s.admin(`/user_group/${uid}/users`))).page.item_total, 1);
    s.clock.advance(8 * 86_400_000);
    assert.equal(await purgeExpired(ctx), 1);
    assert.equal(await count(s, 'SELECT COUNT(*) AS n FROM user_group_members WHERE user_id = ?', asha), 0);
    assert.deepEqual(await memberEmails(s, uid), ['ben@example.com']);
  });

  test('GROUP_FILE_HOSTS is read as a comma list of host names', () => {
    assert.deepEqual(optionsFromEnv({ GROUP_FILE_HOSTS: ' files.example.com, *.CDN.example.net ,' }).options.groupFileHosts, [
      'files.example.com',
      '*.cdn.example.net',
    ]);
    assert.deepEqual(optionsFromEnv({}).options.groupFileHosts, []);
  });

  test('every user-group path needs the admin token, and another application is a 404', async () => {
    s = await startServer();
    await ok(await post(s, '/user_group', { name: 'A', description: 'd' }));
    const paths: [string, string][] = [
      ['POST', '/user_group'],
      ['GET', '/user_group'],
      ['GET', '/user_group/1'],
      ['PUT', '/user_group/1'],
      ['PATCH', '/user_group/1'],
      ['DELETE', '/user_group/1'],
      ['GET', '/user_group/1/users'],
      ['GET', '/user_group/1/errors.csv'],
    ];
    for (const [method, path] of paths) {
      const init = method === 'GET' || method === 'DELETE' ? { method } : jsonRequest(method, { name: 'X', description: 'd' });
      for (const headers of [{}, { authorization: 'Bearer wrong-token' }] as Record<string, string>[]) {
        const res = await s.fetch(ADMIN_BASE + path, { ...init, headers: { ...(init.headers as Record<string, string>), ...headers } });
        assert.equal(res.status, 401, `${method} ${path}`);
        assert.equal((await res.json()).authenticated, false);
      }
      const other = ADMIN_BASE.replace(APPLICATION_ID, '000000000000000000000002');
      const res = await s.fetch(other + path, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: 'Bearer test-admin-token' } });
      assert.equal(res.status, 404, `${method} ${path} elsewhere`);
    }
    // Nothing was changed by the refused requests.
    const list = await ok(await s.admin('/user_group'));
    assert.deepEqual(list.items.map((g: Json) => [g.uid, g.name, g.__v]), [[1, 'A', 0]]);
  });
});
