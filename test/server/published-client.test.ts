// The real published clients (@gofynd/fdk-client-javascript) pointed at a running service, set up
// the way the package's README tells a developer to: PlatformClient fetches a client-credentials
// token and calls every platform user operation of the seed with strictResponseCheck on (a response
// that fails the client's own Joi models rejects); ApplicationClient drives the storefront. Client
// warnings (request or response validation) are captured and must stay empty.
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { requestDeletion } from '../../src/server/services/deletion';
import { optionsFromEnv } from '../../src/server/env';
import { ADMIN_BASE, ADMIN_TOKEN, APPLICATION_ID, COMPANY_ID, DEMO, deletionContext, lastCode, messagesTo, postJson, startServer, type TestServer } from './helpers';

const require = createRequire(import.meta.url);
// The package is CommonJS with no types for these deep modules; the test reads only what it calls.
/* eslint-disable @typescript-eslint/no-explicit-any */
const fdk = require('@gofynd/fdk-client-javascript') as { PlatformClient: any; ApplicationClient: any };
const { log } = require('@gofynd/fdk-client-javascript/sdk/common/Logger') as {
  log: { methodFactory: (...a: unknown[]) => (...m: unknown[]) => void; setLevel(l: string): void; getLevel(): number };
};

const API_KEY = 'latch-admin-tool';
const API_SECRET = 'a-test-api-secret-of-more-than-32-characters';
const TOKEN_PATH = `/service/panel/authentication/v1.0/company/${COMPANY_ID}/oauth/token`;

/** Every WARN the client logs (request or response validation warnings), captured per test. */
const warnings: string[] = [];
const originalFactory = log.methodFactory;
log.methodFactory = (methodName: unknown, ...rest: unknown[]) => {
  const original = originalFactory(methodName, ...rest);
  return (...message: unknown[]) => {
    if (methodName === 'warn') warnings.push(message.map(String).join(' '));
    else if (methodName !== 'error') original(...message);
  };
};

/** A platform client as the README sets one up, with its token fetched by client credentials. */
async function platformClient(s: TestServer, creds = { apiKey: API_KEY, apiSecret: API_SECRET }): Promise<any> {
  const client = new fdk.PlatformClient(
    { companyId: COMPANY_ID, apiKey: creds.apiKey, apiSecret: creds.apiSecret, domain: s.base, useAutoRenewTimer: true, logLevel: 'WARN' },
    { strictResponseCheck: true },
  );
  const token = await client.getAccesstokenObj({ grant_type: 'client_credentials' });
  client.setToken(token);
  return client;
}

/** The shopper side: an ApplicationClient whose session cookie is whatever the last answer set. */
function storefrontClient(s: TestServer): any {
  return new fdk.ApplicationClient({ applicationID: APPLICATION_ID, applicationToken: 'storefront-token', domain: s.base, logLevel: 'WARN' });
}

/** Runs `call` asking for the response headers and hands the session cookie it set to `app`. */
async function keepCookie(app: any, call: (opts: { responseHeaders: true }) => Promise<[unknown, Record<string, unknown>]>): Promise<any> {
  const [body, headers] = await call({ responseHeaders: true });
  const set = ([] as string[]).concat((headers['set-cookie'] as string[] | string | undefined) ?? []);
  const cookie = set.map((line) => line.split(';')[0]!).filter((pair) => !pair.endsWith('='));
  if (cookie.length) app.setCookie(cookie.join('; '));
  return body;
}

async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail('expected the call to be refused');
}

function platformService(extra: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  return startServer({ dev: false, platformApi: { apiKey: API_KEY, apiSecret: API_SECRET }, ...extra });
}

describe('PlatformClient: the token exchange', () => {
  let s: TestServer | undefined;
  beforeEach(() => (warnings.length = 0));
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  test('the README setup gets a short-lived bearer token by client credentials, starts no renew timer, and calls work with it', async () => {
    s = await platformService();
    const client = await platformClient(s);
    const raw = client.config.oauthClient.raw_token;
    assert.equal(raw.token_type, 'Bearer');
    assert.equal(raw.expires_in, 600);
    assert.equal('refresh_token' in raw, false, 'client credentials get no refresh token (RFC 6749 4.4.3)');
    assert.equal(client.config.oauthClient.retryOAuthTokenTimer, null, 'no renew timer keeps the process alive');
    assert.notEqual(raw.access_token, ADMIN_TOKEN);
    const list = await client.application(APPLICATION_ID).user.getCustomers({});
    assert.deepEqual(list.items, []);
    assert.ok(s.logs.some((l) => l.startsWith('platform token issued')));
    assert.equal(s.logs.some((l) => l.includes(raw.access_token) || l.includes(API_SECRET)), false, 'neither token nor secret is logged');
    assert.deepEqual(warnings, []);
  });

  test('a wrong secret or key gets no token; a forged or altered token opens nothing', async () => {
    s = await platformService();
    const wrong = await rejection(platformClient(s, { apiKey: API_KEY, apiSecret: `${API_SECRET}x` }));
    assert.equal(wrong.name, 'FDKServerResponseError');
    assert.equal(wrong.code, 401);
    assert.equal(wrong.details.code, 'INVALID_CLIENT');
    assert.equal((await rejection(platformClient(s, { apiKey: 'someone-else', apiSecret: API_SECRET }))).code, 401);

    const client = await platformClient(s);
    const token: string = client.config.oauthClient.token;
    const [prefix, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const longer = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 86_400_000 })).toString('base64url');
    const forgeries = [
      `${prefix}.${longer}.${signature}`,
      `${prefix}.${payload}.${'A'.repeat(signature.length)}`,
      `${prefix}.${payload}`,
      `${prefix}.${payload}.${signature}=`,
      `${prefix}.${payload}.${signature}.${signature}`,
      `${prefix}.${Buffer.from(JSON.stringify({ ...claims, cid: '2' })).toString('base64url')}.${signature}`,
    ];
    for (const forged of forgeries) {
      const res = await s.fetch(`${ADMIN_BASE}/customers/list`, { headers: { authorization: `Bearer ${forged}` } });
      assert.equal(res.status, 401, forged);
    }
    // Another instance with the same settings accepts the token (nothing is stored); a changed secret does not.
    const other = await platformService();
    try {
      const foreign = await platformClient(other);
      const res = await s.fetch(`${ADMIN_BASE}/customers/list`, { headers: { authorization: `Bearer ${foreign.config.oauthClient.token}` } });
      assert.equal(res.status, 200, 'same secret, same company: accepted (instances share tokens)');
    } finally {
      await other.close();
    }
    // A service for another application of the company, with the same key and secret, does not take it.
    const otherApp = '0000000000000000000000a2';
    const neighbour = await startServer({ dev: false, applicationId: otherApp, platformApi: { apiKey: API_KEY, apiSecret: API_SECRET } });
    try {
      const path = `/service/platform/user/v1.0/company/${COMPANY_ID}/application/${otherApp}/customers/list`;
      assert.equal((await neighbour.fetch(path, { headers: { authorization: `Bearer ${(await platformClient(neighbour)).config.oauthClient.token}` } })).status, 200);
      assert.equal((await neighbour.fetch(path, { headers: { authorization: `Bearer ${token}` } })).status, 401, 'a token for another application is refused');
    } finally {
      await neighbour.close();
    }
    const rotated = await startServer({ dev: false, platformApi: { apiKey: API_KEY, apiSecret: `${API_SECRET}-rotated` } });
    try {
      const res = await rotated.fetch(`${ADMIN_BASE}/customers/list`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 401, 'a changed secret ends every token');
    } finally {
      await rotated.close();
    }
  });

  test('an expired token replayed is refused; a fresh one from the same credentials works', async () => {
    s = await platformService();
    const client = await platformClient(s);
    const user = client.application(APPLICATION_ID).user;
    await user.getCustomers({});
    s.clock.advance(599_000);
    await user.getCustomers({});
    s.clock.advance(1_000);
    const expired = await rejection(user.getCustomers({}));
    assert.equal(expired.code, 401);
    assert.equal(expired.details.code, 'UNAUTHORIZED');
    client.setToken(await client.getAccesstokenObj({ grant_type: 'client_credentials' }));
    assert.deepEqual((await user.getCustomers({})).items, []);
  });

  test('wrong secrets share the wrong-admin-token budget: 20 per address under concurrency, then 429 even for the right ones', async () => {
    s = await platformService();
    const basic = (secret: string) => `Basic ${Buffer.from(`${API_KEY}:${secret}`).toString('base64')}`;
    const ask = (secret: string) =>
      s!.fetch(TOKEN_PATH, { method: 'POST', headers: { authorization: basic(secret), 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    const answers = await Promise.all(Array.from({ length: 26 }, (_, i) => ask(`guess-${i}`)));
    const statuses = answers.map((r) => r.status).sort();
    assert.equal(statuses.filter((st) => st === 401).length, 20);
    assert.equal(statuses.filter((st) => st === 429).length, 6);
    const right = await ask(API_SECRET);
    assert.equal(right.status, 429, 'a right secret tells nothing once the address is limited');
    assert.ok(Number(right.headers.get('retry-after')) > 0);
    const admin = await s.admin('/customers/list');
    assert.equal(admin.status, 429, 'the admin token counts against the same budget');
    s.clock.advance(15 * 60 * 1000 + 1);
    assert.equal((await ask(API_SECRET)).status, 200);
  });

  test('off unless configured; other grants, bodies and companies are refused', async () => {
    s = await startServer({ dev: false });
    const off = await rejection(platformClient(s));
    assert.equal(off.code, 404);
    await s.close();
    s = await platformService();
    const basic = `Basic ${Buffer.from(`${API_KEY}:${API_SECRET}`).toString('base64')}`;
    const form = { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' };
    const password = await s.fetch(TOKEN_PATH, { method: 'POST', headers: form, body: 'grant_type=password&username=a&password=b' });
    assert.equal(password.status, 400);
    assert.equal((await password.json()).code, 'UNSUPPORTED_GRANT_TYPE');
    const json = await s.fetch(TOKEN_PATH, { method: 'POST', headers: { ...form, 'content-type': 'application/json' }, body: '{"grant_type":"client_credentials"}' });
    assert.equal(json.status, 415);
    const company = await s.fetch(TOKEN_PATH.replace(`/company/${COMPANY_ID}/`, '/company/2/'), { method: 'POST', headers: form, body: 'grant_type=client_credentials' });
    assert.equal(company.status, 404);
    // fetch cannot send another Host, so this one goes through node:http.
    const spoofed = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${s!.base}${TOKEN_PATH}`, { method: 'POST', headers: { ...form, host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('grant_type=client_credentials');
    });
    assert.equal(spoofed, 421, 'a foreign Host is not answered, token or not');
  });

  test('env: PLATFORM_API_KEY and PLATFORM_API_SECRET go together, the secret is long and never printed', () => {
    assert.throws(() => optionsFromEnv({ PLATFORM_API_KEY: 'k' }), /go together/);
    assert.throws(() => optionsFromEnv({ PLATFORM_API_KEY: 'k', PLATFORM_API_SECRET: 'short' }), /at least 32/);
    assert.throws(() => optionsFromEnv({ PLATFORM_API_KEY: 'k', PLATFORM_API_SECRET: API_SECRET, PLATFORM_TOKEN_TTL_SECONDS: '86400' }), /60 to 3600/);
    const { options, printed } = optionsFromEnv({ PLATFORM_API_KEY: 'k', PLATFORM_API_SECRET: API_SECRET, PLATFORM_TOKEN_TTL_SECONDS: '300' });
    assert.deepEqual(options.platformApi, { apiKey: 'k', apiSecret: API_SECRET, tokenTtlSeconds: 300 });
    assert.equal(printed.some((line) => line.includes(API_SECRET)), false);
    assert.ok(printed.some((line) => /platform tokens: .*oauth\/token/.test(line)));
    assert.equal(optionsFromEnv({}).options.platformApi, undefined);
  });
});

describe('PlatformClient: every platform user operation of the seed, strictResponseCheck on', () => {
  let s: TestServer | undefined;
  beforeEach(() => (warnings.length = 0));
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  test('customers: createUser, getCustomers, searchUsers, updateUser, blockOrUnblockUsers, archiveUser, unDeleteUser (and getUserTimeline)', async () => {
    s = await platformService();
    const user = (await platformClient(s)).application(APPLICATION_ID).user;
    const app = storefrontClient(s);
    const created = await user.createUser({
      body: { phone_number: '+919876543210', email: 'asha@example.com', first_name: 'Asha', last_name: 'Rao', gender: 'female', username: 'asha', meta: { tier: 'gold' }, external_id: 'crm-1' },
    });
    const id: string = created.user._id;
    const listed = await user.getCustomers({ pageNo: 1, pageSize: 10 });
    assert.deepEqual(listed.items.map((u: any) => u._id), [id]);
    assert.equal(listed.page.item_total, 1);
    assert.deepEqual((await user.getCustomers({ q: 'nobody-here' })).items, []);
    const found = await user.searchUsers({ q: 'asha@example.com' });
    assert.deepEqual(found.users.map((u: any) => u._id), [id]);
    const byPhone = await user.searchUsers({ q: '+919876543210' });
    assert.deepEqual(byPhone.users.map((u: any) => u.external_id), ['crm-1']);

    const updated = await user.updateUser({ userId: id, body: { first_name: 'Asha M', external_id: 'crm-2' } });
    assert.equal(updated.user.first_name, 'Asha M');
    assert.equal((await user.searchUsers({ q: 'asha@example.com' })).users[0].external_id, 'crm-2');

    // A session the admin made works in the storefront until the shopper is blocked.
    const session = await user.createUserSession({ body: { user_id: id, domain: 'shop.example' } });
    app.setCookie(`${session.cookie_name}=${session.cookie[session.cookie_name]}`);
    assert.equal((await app.user.getLoggedInUser()).user._id, id);
    assert.deepEqual(await user.blockOrUnblockUsers({ body: { user_id: [id], status: false, reason: 'chargeback' } }), { success: true });
    assert.equal((await rejection(app.user.getLoggedInUser())).code, 401, 'blocking ends the session at once');
    assert.equal((await user.searchUsers({ q: 'asha@example.com' })).users[0].status, 'blocked');
    assert.deepEqual(await user.blockOrUnblockUsers({ body: { user_id: [id], status: true, reason: 'resolved' } }), { success: true });
    assert.equal((await user.searchUsers({ q: 'asha@example.com' })).users[0].status, 'active');

    assert.deepEqual(await user.archiveUser({ body: { user_id: id } }), { success: true });
    assert.equal((await user.searchUsers({ q: 'asha@example.com' })).users[0].archive, true);

    const leaving = (await user.createUser({ body: { phone_number: '', email: 'leaving@example.com' } })).user._id as string;
    await requestDeletion(deletionContext(s), { userId: leaving });
    assert.equal(typeof (await user.searchUsers({ q: 'leaving@example.com' })).users[0].deleted_on, 'string');
    assert.deepEqual(await user.unDeleteUser({ body: { user_id: leaving, reason: 'asked to stay', reason_id: '1' } }), { success: true });
    assert.equal('deleted_on' in (await user.searchUsers({ q: 'leaving@example.com' })).users[0], false);
    const timeline = await user.getUserTimeline({ userId: id });
    assert.deepEqual(
      timeline.timeline.map((e: any) => e.type).filter((t: string) => t !== 'account_created'),
      ['blocked', 'unblocked', 'archived'],
    );
    assert.deepEqual(warnings, []);
  });

  test('sessions: createUserSession gives a cookie that works; getActiveSessions, deleteSession and deleteActiveSessions end them', async () => {
    s = await platformService();
    const user = (await platformClient(s)).application(APPLICATION_ID).user;
    const id = (await user.createUser({ body: { phone_number: '', email: 'sess@example.com' } })).user._id as string;
    const shoppers = [storefrontClient(s), storefrontClient(s), storefrontClient(s)];
    const sessions = [];
    for (const app of shoppers) {
      const made = await user.createUserSession({ body: { user_id: id, domain: 'shop.example' } });
      assert.ok(made.max_age > 0, 'max_age: the lifetime the service gave it, in seconds');
      app.setCookie(`${made.cookie_name}=${made.cookie[made.cookie_name]}`);
      assert.equal((await app.user.getLoggedInUser()).user._id, id);
      sessions.push(made.session_id as string);
    }
    const active = await user.getActiveSessions({ id });
    assert.deepEqual(active.items.map((i: any) => i.session_id).sort(), [...sessions].sort());
    const one = await user.deleteSession({ id, sessionId: sessions[0], reason: 'lost phone' });
    assert.deepEqual(one, { user_id: id, session_id: sessions[0] });
    assert.equal((await rejection(shoppers[0].user.getLoggedInUser())).code, 401);
    assert.equal((await shoppers[1].user.getLoggedInUser()).user._id, id);
    const all = await user.deleteActiveSessions({ id, reason: 'reset' });
    assert.deepEqual([...all.session_ids].sort(), sessions.slice(1).sort());
    for (const app of shoppers.slice(1)) assert.equal((await rejection(app.user.getLoggedInUser())).code, 401);
    assert.deepEqual((await user.getActiveSessions({ id })).items, []);
    assert.deepEqual(warnings, []);
  });

  test('platform config: getPlatformConfig, then updatePlatformConfig with it posted back changed; the storefront sees the change', async () => {
    s = await platformService();
    const user = (await platformClient(s)).application(APPLICATION_ID).user;
    const app = storefrontClient(s);
    const config = await user.getPlatformConfig();
    assert.equal((await app.user.getPlatformConfig()).register, config.register);
    const changed = await user.updatePlatformConfig({ body: { ...config, name: 'Asha Stores', register: true, login: { ...config.login, otp: true } } });
    assert.equal(changed.name, 'Asha Stores');
    const seen = await app.user.getPlatformConfig();
    assert.equal(seen.name, 'Asha Stores');
    assert.equal(seen.register, true);
    assert.equal(seen.login.otp, true);
    assert.equal((await user.getPlatformConfig()).register, true);
    assert.deepEqual(warnings, []);
  });

  test('attributes: definitions and values, every operation, and the shopper sees what the admin wrote', async () => {
    s = await platformService();
    const user = (await platformClient(s)).application(APPLICATION_ID).user;
    const id = (await user.createUser({ body: { phone_number: '', email: 'attr@example.com' } })).user._id as string;
    const def = await user.createUserAttributeDefinition({
      body: { name: 'Shoe size', slug: 'shoe_size', description: 'EU', type: 'number', is_multi_value: false, customer_editable: true, encrypted: false, pinned: true, pin_order: 1, validations: [{ type: 'min', value: 1 }, { type: 'max', value: 60 }] },
    });
    const other = await user.createUserAttributeDefinition({ body: { name: 'Loyalty tier', type: 'string', customer_editable: false } });
    assert.deepEqual((await user.getUserAttributeDefinitions({ pageNo: 1, pageSize: 10 })).items.map((d: any) => d.slug).sort(), ['loyalty_tier', 'shoe_size']);
    // Every filter the client has, under the query names it sends.
    const defs = async (filter: Record<string, unknown>) => (await user.getUserAttributeDefinitions(filter)).items.map((d: any) => d.slug);
    assert.deepEqual(await defs({ customerEditable: true }), ['shoe_size']);
    assert.deepEqual(await defs({ customerEditable: false }), ['loyalty_tier']);
    assert.deepEqual(await defs({ pinned: true, pinOrder: 1 }), ['shoe_size']);
    assert.deepEqual(await defs({ slug: 'loyalty_tier' }), ['loyalty_tier']);
    assert.deepEqual(await defs({ type: 'number' }), ['shoe_size']);
    assert.deepEqual(await defs({ name: 'LOYAL' }), ['loyalty_tier']);
    assert.deepEqual(await defs({ excludingIds: def._id }), ['loyalty_tier']);
    assert.deepEqual(await defs({ encrypted: true }), []);
    const second = await user.getUserAttributeDefinitions({ isLocked: false, pageNo: 2, pageSize: 1 });
    assert.equal(second.items.length, 1);
    assert.equal(second.page.item_total, 2);
    assert.equal(second.page.current, 2);
    assert.equal((await user.getUserAttributeDefinitionById({ attributeDefId: def._id })).name, 'Shoe size');
    const renamed = await user.updateUserAttributeDefinition({ attributeDefId: def._id, body: { name: 'Shoe size (EU)', type: 'number' } });
    assert.equal(renamed.name, 'Shoe size (EU)');

    const value = await user.updateUserAttribute({ attributeDefId: def._id, userId: id, body: { customer_overridden: false, attribute: { value: 42 } } });
    assert.equal(value.attribute.value, 42);
    assert.equal((await user.getUserAttribute({ attributeDefId: def._id, userId: id })).attribute.value, 42);
    assert.equal((await user.getUserAttributeById({ attributeId: value._id })).attribute.value, 42);
    // The shopper reads the value the admin wrote through the storefront client.
    const app = storefrontClient(s);
    const session = await user.createUserSession({ body: { user_id: id, domain: 'shop.example' } });
    app.setCookie(`${session.cookie_name}=${session.cookie[session.cookie_name]}`);
    assert.deepEqual((await app.user.getUserAttributes({})).attributes, { shoe_size: 42 });

    const bulk = await user.updateUserAttributes({ userId: id, body: { attributes: [{ definition_id: def._id, value: 43 }, { definition_id: other._id, value: 'gold' }] } });
    assert.equal(bulk.items.length, 2);
    assert.deepEqual((await user.getUserAttributesForUser({ userId: id, pageNo: 1, pageSize: 10 })).items.map((v: any) => v.attribute.value).sort(), [43, 'gold'].sort());
    assert.deepEqual(await user.deleteUserAttributesInBulk({ userId: id, body: { definition_ids: [other._id] } }), { success: 'true', removed: 1 });
    assert.deepEqual(await user.deleteUserAttribute({ attributeDefId: def._id, userId: id }), { success: 'true' });
    assert.equal((await rejection(user.getUserAttribute({ attributeDefId: def._id, userId: id }))).code, 404);
    assert.deepEqual(await user.deleteUserAttributeDefinitionById({ attributeDefId: other._id }), { success: 'true' });
    const gone = await rejection(user.getUserAttributeDefinitionById({ attributeDefId: other._id }));
    assert.equal(gone.name, 'FDKServerResponseError');
    assert.equal(gone.code, 404);
    assert.equal(gone.details.code, 'ATTRIBUTE_DEFINITION_NOT_FOUND');
    assert.deepEqual(warnings, []);
  });

  test('user groups: createUserGroup, getUserGroups, getUserGroupById, updateUserGroup, updateUserGroupPartially; members show in getCustomers', async () => {
    s = await platformService();
    const user = (await platformClient(s)).application(APPLICATION_ID).user;
    const id = (await user.createUser({ body: { phone_number: '', email: 'member@example.com' } })).user._id as string;
    const def = await user.createUserAttributeDefinition({ body: { name: 'Shoe size', type: 'number', customer_editable: true } });
    const conditional = await user.createUserGroup({
      body: { name: 'Big feet', description: 'size 45 and up', type: 'conditional', conditions: [{ user_attribute_definition_id: def._id, type: 'gte', value: '45' }] },
    });
    const bulk = await user.createUserGroup({ body: { name: 'VIP', description: 'by hand', type: 'bulk' } });
    assert.deepEqual((await user.getUserGroups({ pageNo: '1', pageSize: '10' })).items.map((g: any) => g.uid), [conditional.uid, bulk.uid]);
    assert.deepEqual((await user.getUserGroups({ type: 'bulk' })).items.map((g: any) => g.name), ['VIP']);
    assert.deepEqual((await user.getUserGroups({ name: 'big', status: 'completed' })).items.map((g: any) => g.name), ['Big feet']);
    assert.deepEqual((await user.getUserGroups({ pageNo: '2', pageSize: '1' })).items.map((g: any) => g.name), ['VIP']);
    assert.deepEqual((await user.getUserGroups({ groupUid: conditional.uid })).items.map((g: any) => g._id), [conditional._id]);
    assert.equal((await user.getUserGroupById({ groupId: String(bulk.uid) })).name, 'VIP');
    assert.equal((await user.getUserGroupById({ groupId: conditional._id })).uid, conditional.uid);

    const renamed = await user.updateUserGroup({ groupId: String(bulk.uid), body: { name: 'VIP customers', description: 'picked by hand' } });
    assert.equal(renamed.name, 'VIP customers');
    assert.equal(renamed.__v, 1);
    await user.updateUserGroupPartially({ groupId: String(bulk.uid), body: { type: 'json', user_data: [{ email: 'member@example.com', action: 'add' }] } });
    await user.updateUserAttribute({ attributeDefId: def._id, userId: id, body: { customer_overridden: false, attribute: { value: 46 } } });
    const member = (await user.getCustomers({})).items.find((u: any) => u._id === id);
    assert.deepEqual(member.user_groups, [conditional.uid, bulk.uid]);
    await user.updateUserGroupPartially({ groupId: String(bulk.uid), body: { type: 'json', user_data: [{ user_id: id, action: 'remove' }] } });
    assert.deepEqual((await user.getCustomers({})).items.find((u: any) => u._id === id).user_groups, [conditional.uid]);
    assert.deepEqual(warnings, []);
  });
});

/** The code in the link of the newest message to `to`. */
/** The token of the newest link to `to`: `code` on a reset link, `verify_email` / `verify_mobile` on a verification link. */
async function linkCode(s: TestServer, to: string): Promise<string> {
  const link = (await messagesTo(s, to))[0]?.link;
  assert.ok(link, `a link went to ${to}`);
  const params = new URL(link).searchParams;
  return (params.get('code') ?? params.get('verify_email') ?? params.get('verify_mobile'))!;
}

async function devSocialToken(s: TestServer, provider: string, name: string, email: string): Promise<string> {
  const res = await postJson(s, `/__dev/social/${provider}/token`, { client_id: 'test-client', identity: { name, email } });
  assert.equal(res.status, 200);
  return (await res.json()).token;
}

describe('ApplicationClient: the storefront operations the conformance table lists as implemented', () => {
  let s: TestServer | undefined;
  let admin: any;
  beforeEach(async () => {
    warnings.length = 0;
    s = await startServer({ dev: true, userExists: true, platformApi: { apiKey: API_KEY, apiSecret: API_SECRET } });
    admin = (await platformClient(s)).application(APPLICATION_ID).user;
    const config = await admin.getPlatformConfig();
    await admin.updatePlatformConfig({
      body: { ...config, register: true, forgot_password: true, login: { password: true, otp: true }, social: { ...config.social, google: true, facebook: true, apple: true } },
    });
  });
  afterEach(async () => {
    await s?.close();
    s = undefined;
    assert.deepEqual(warnings, [], 'the client logged no warnings');
  });

  test('password sign-in, the session, has-password, sessions list, profile and password change, user-exists, logout', async () => {
    const app = storefrontClient(s!);
    const login = await keepCookie(app, (o) => app.user.loginWithEmailAndPassword({ body: { username: DEMO.email, password: DEMO.password } }, o));
    const me = await app.user.getLoggedInUser();
    assert.equal(me.user._id, login.user._id);
    assert.deepEqual(await app.user.hasPassword(), { result: 1 });
    assert.equal((await app.user.getListOfActiveSessions()).sessions.filter((x: any) => x.current).length, 1);
    const profile = await app.user.updateProfile({ body: { first_name: 'Sam', last_name: 'Shopper', gender: 'unisex' } });
    assert.equal(profile.user.first_name, 'Sam');
    assert.equal((await app.user.getLoggedInUser()).user.first_name, 'Sam');
    await app.user.updatePassword({ body: { old_password: DEMO.password, new_password: 'a brand new passphrase' } });
    assert.deepEqual(await app.user.userExists({ q: DEMO.email }), { user_exists: true });
    assert.deepEqual(await app.user.userExists({ q: 'nobody@example.com' }), { user_exists: false });
    await app.user.logout();
    assert.equal((await rejection(app.user.getLoggedInUser())).code, 401);
    const again = storefrontClient(s!);
    const wrong = await rejection(again.user.loginWithEmailAndPassword({ body: { username: DEMO.email, password: DEMO.password } }));
    assert.equal(wrong.name, 'FDKServerResponseError');
    assert.equal(wrong.code, 400, 'the old password is gone');
    assert.equal(wrong.details.code, 'INVALID_CREDENTIALS', 'the APIError body reaches the caller as details');
    await keepCookie(again, (o) => again.user.loginWithEmailAndPassword({ body: { username: DEMO.email, password: 'a brand new passphrase' } }, o));
    assert.equal((await again.user.getLoggedInUser()).user._id, login.user._id);
  });

  test('codes: loginWithOTP, sendOTPOnMobile, verifyMobileOTP, sendOTPOnEmail, verifyEmailOTP sign the shopper in', async () => {
    // Proven contacts (the helper's verified shopper), as a shopper's own sign-up leaves them.
    const created = await (await s!.createShopper({ phone_number: '+919876543210', email: 'otp@example.com' })).json();
    const byMobile = storefrontClient(s!);
    const sent = await byMobile.user.loginWithOTP({ body: { mobile: '9876543210', country_code: '91' } });
    const code = await lastCode(s!, '+919876543210');
    const ok = await keepCookie(byMobile, (o) => byMobile.user.verifyMobileOTP({ body: { otp: code, request_id: sent.request_id } }, o));
    assert.equal(ok.user._id, created.user._id);
    assert.equal((await byMobile.user.getLoggedInUser()).user._id, created.user._id);

    const again = storefrontClient(s!);
    const resent = await again.user.sendOTPOnMobile({ body: { mobile: '9876543210', country_code: '91', action: 'send' } });
    const next = await keepCookie(again, async (o) => again.user.verifyMobileOTP({ body: { otp: await lastCode(s!, '+919876543210'), request_id: resent.request_id } }, o));
    assert.equal(next.user._id, created.user._id);

    const byEmail = storefrontClient(s!);
    const mailed = await byEmail.user.sendOTPOnEmail({ body: { email: 'otp@example.com', action: 'send' } });
    const viaEmail = await keepCookie(byEmail, async (o) =>
      byEmail.user.verifyEmailOTP({ body: { email: 'otp@example.com', otp: await lastCode(s!, 'otp@example.com'), request_id: mailed.request_id } }, o),
    );
    assert.equal(viaEmail.user._id, created.user._id);
    assert.equal((await byEmail.user.getLoggedInUser()).user._id, created.user._id);
  });

  test('registerWithForm, then the emailed code makes the account and signs it in', async () => {
    const app = storefrontClient(s!);
    const form = await app.user.registerWithForm({ body: { first_name: 'Ravi', last_name: 'K', email: 'ravi@example.com', password: 'ravi has a passphrase' } });
    assert.equal(form.verify_email_otp, true);
    const done = await keepCookie(app, async (o) =>
      app.user.verifyEmailOTP({ body: { email: 'ravi@example.com', otp: await lastCode(s!, 'ravi@example.com'), action: 'register', register_token: form.register_token } }, o),
    );
    assert.equal(done.user.first_name, 'Ravi');
    assert.equal((await app.user.getLoggedInUser()).user._id, done.user._id);
    assert.deepEqual((await admin.searchUsers({ q: 'ravi@example.com' })).users.map((u: any) => u._id), [done.user._id]);
  });

  test('contacts: addEmail and verifyEmail, setEmailAsPrimary, deleteEmail; addMobileNumber and verifyMobile, setMobileNumberAsPrimary, deleteMobileNumber; the link sends', async () => {
    const app = storefrontClient(s!);
    await keepCookie(app, (o) => app.user.loginWithEmailAndPassword({ body: { username: DEMO.email, password: DEMO.password } }, o));
    const added = await app.user.addEmail({ body: { email: 'second@example.com' } });
    assert.equal(added.verify_email_link, true);
    assert.deepEqual(await app.user.sendVerificationLinkToEmail({ body: { email: 'second@example.com' } }), { verify_email_link: true });
    await app.user.verifyEmail({ body: { code: await linkCode(s!, 'second@example.com') } });
    const primary = await app.user.setEmailAsPrimary({ body: { email: 'second@example.com' } });
    assert.equal(primary.user.emails.find((e: any) => e.primary).email, 'second@example.com');
    const removed = await app.user.deleteEmail({ active: true, primary: false, verified: true, email: DEMO.email });
    assert.deepEqual(removed.user.emails.map((e: any) => e.email), ['second@example.com']);

    const mobile = await app.user.addMobileNumber({ body: { country_code: '91', phone: '9123456780' } });
    assert.equal(mobile.verify_mobile_link, true);
    assert.deepEqual(await app.user.sendVerificationLinkToMobile({ body: { country_code: '91', phone: '9123456780' } }), { verify_mobile_link: true });
    await app.user.verifyMobile({ body: { code: await linkCode(s!, '+919123456780') } });
    const phones = (await app.user.setMobileNumberAsPrimary({ body: { country_code: '91', phone: '9123456780' } })).user.phone_numbers;
    assert.deepEqual(phones.map((p: any) => [p.phone, p.primary, p.verified]), [['9123456780', true, true]]);
    const second = await app.user.addMobileNumber({ body: { country_code: '91', phone: '9123456781' } });
    assert.equal(second.verify_mobile_link, true);
    await app.user.verifyMobile({ body: { code: await linkCode(s!, '+919123456781') } });
    const left = await app.user.deleteMobileNumber({ active: true, primary: false, verified: true, countryCode: '91', phone: '9123456781' });
    assert.deepEqual(left.user.phone_numbers.map((p: any) => p.phone), ['9123456780']);

    // The v2 contact endpoints (sendOTPForUpdate / verifyOTPForUpdate): a code instead of a link.
    const emailCode = await app.user.sendOTPForUpdate({ entity: 'email', body: { email: 'third@example.com' } });
    const withEmail = await app.user.verifyOTPForUpdate({
      entity: 'email',
      body: { email: 'third@example.com', otp: await lastCode(s!, 'third@example.com'), request_id: emailCode.request_id },
    });
    assert.deepEqual(withEmail.user.emails.map((e: any) => [e.email, e.verified]), [['second@example.com', true], ['third@example.com', true]]);
    const phoneCode = await app.user.sendOTPForUpdate({ entity: 'mobile', body: { mobile: '9123456782', country_code: '91' } });
    const withPhone = await app.user.verifyOTPForUpdate({
      entity: 'mobile',
      body: { mobile: '9123456782', country_code: '91', otp: await lastCode(s!, '+919123456782'), request_id: phoneCode.request_id },
    });
    assert.deepEqual(withPhone.user.phone_numbers.map((p: any) => p.phone).sort(), ['9123456780', '9123456782']);
  });

  test('forgot password: by email link, by SMS link, and by codes on email and mobile', async () => {
    assert.equal((await s!.createShopper({ phone_number: '+919876543210', email: 'forgot@example.com' })).status, 200);
    const app = storefrontClient(s!);
    assert.equal(typeof (await app.user.sendResetPasswordEmail({ body: { email: 'forgot@example.com' } })).status, 'string');
    const code = await linkCode(s!, 'forgot@example.com');
    await app.user.sendResetToken({ body: { code } });
    assert.equal((await app.user.forgotPassword({ body: { code, password: 'first new passphrase' } })).success, true);
    await keepCookie(app, (o) => app.user.loginWithEmailAndPassword({ body: { username: 'forgot@example.com', password: 'first new passphrase' } }, o));

    assert.deepEqual(await app.user.sendResetPasswordMobile({ body: { country_code: '91', mobile: '9876543210' } }), { status: 'sent' });
    const smsCode = await linkCode(s!, '+919876543210');
    assert.equal((await app.user.forgotPassword({ body: { code: smsCode, password: 'second new passphrase' } })).success, true);

    const byEmail = await app.user.sendForgotOTPOnEmail({ body: { email: 'forgot@example.com', action: 'send' } });
    const emailToken = await app.user.verifyEmailForgotOTP({ body: { email: 'forgot@example.com', otp: await lastCode(s!, 'forgot@example.com'), request_id: byEmail.request_id } });
    assert.equal((await app.user.resetForgotPassword({ body: { code: emailToken.forgot_token, password: 'third new passphrase' } })).success, true);

    const bySms = await app.user.sendForgotOTPOnMobile({ body: { mobile: '9876543210', country_code: '91', action: 'send' } });
    const smsToken = await app.user.verifyMobileForgotOTP({ body: { otp: await lastCode(s!, '+919876543210'), request_id: bySms.request_id } });
    assert.equal((await app.user.resetForgotPassword({ body: { code: smsToken.forgot_token, password: 'fourth new passphrase' } })).success, true);
    const fresh = storefrontClient(s!);
    await keepCookie(fresh, (o) => fresh.user.loginWithEmailAndPassword({ body: { username: 'forgot@example.com', password: 'fourth new passphrase' } }, o));
    assert.equal((await fresh.user.getLoggedInUser()).user.emails[0].email, 'forgot@example.com');
  });

  test('social sign-in: loginWithGoogle, loginWithFacebook, loginWithAppleIOS', async () => {
    for (const [provider, call] of [
      ['google', 'loginWithGoogle'],
      ['facebook', 'loginWithFacebook'],
    ] as const) {
      const app = storefrontClient(s!);
      const token = await devSocialToken(s!, provider, 'Priya Patel', `${provider}@example.com`);
      const body = { is_signed_in: true, oauth2: { access_token: token, expiry: 0, refresh_token: '' }, profile: {} };
      const answer = await keepCookie(app, (o) => app.user[call]({ body, platform: APPLICATION_ID }, o));
      assert.equal(answer.user.first_name, 'Priya');
      assert.equal((await app.user.getLoggedInUser()).user._id, answer.user._id);
    }
    const app = storefrontClient(s!);
    const token = await devSocialToken(s!, 'apple', 'Alex Kim', 'apple@example.com');
    const sub = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).sub;
    const answer = await keepCookie(app, (o) =>
      app.user.loginWithAppleIOS({ body: { user_identifier: sub, oauth: { identity_token: token }, profile: { first_name: '', last_name: '', full_name: '' } } }, o),
    );
    assert.equal((await app.user.getLoggedInUser()).user._id, answer.user._id);
  });

  test('loginWithToken redeems an admin-issued token once; attributes; deleteUser with a code', async () => {
    const platform = await platformClient(s!);
    // Proven contacts: deletion asks for a code sent to one of them.
    const created = await (await s!.createShopper({ phone_number: '+919876543210', email: 'token@example.com' })).json();
    const issued = await platform.request({ method: 'POST', url: `/service/platform/user/v1.0/company/${COMPANY_ID}/application/${APPLICATION_ID}/customers/login_token`, body: { user_id: created.user._id } });
    const app = storefrontClient(s!);
    const login = await keepCookie(app, (o) => app.user.loginWithToken({ body: { token: issued.token } }, o));
    assert.equal(login.user._id, created.user._id);
    assert.equal((await rejection(storefrontClient(s!).user.loginWithToken({ body: { token: issued.token } }))).code, 400, 'single use');

    const def = await admin.createUserAttributeDefinition({ body: { name: 'Glove size', type: 'number', customer_editable: true } });
    assert.deepEqual((await app.user.updateUserAttributes({ body: { attributes: { glove_size: 8 } } })).attributes, { glove_size: 8 });
    assert.deepEqual((await app.user.getUserAttributes({ slug: 'glove_size' })).attributes, { glove_size: 8 });
    assert.equal((await admin.getUserAttribute({ attributeDefId: def._id, userId: created.user._id })).customer_overriden, true);

    const sent = await app.user.sendOTPOnMobile({ body: { mobile: '9876543210', country_code: '91', action: 'send' } });
    const deleted = await app.user.deleteUser({
      body: { user_id: created.user._id, reason: 'Moving away', reason_id: (await app.user.getPlatformConfig()).delete_account_reasons[0].reason_id, request_id: sent.request_id, otp: await lastCode(s!, '+919876543210') },
    });
    assert.equal(deleted.success, true);
    assert.equal((await rejection(app.user.getLoggedInUser())).code, 401);
    assert.equal(typeof (await admin.searchUsers({ q: 'token@example.com' })).users[0].deleted_on, 'string');
  });
});
