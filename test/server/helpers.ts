// Shared setup for the server tests: a real service on an ephemeral port (real sockets, real
// cookies, real headers) with an in-memory database, cheap password hashing and a clock the test
// moves by hand, plus small helpers for cookies, JSON requests, admin calls, logins, the dev
// outbox and direct store access.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { freshDatabase, type TestDatabase } from '../support/test-database';
import { createService, type Service, type ServiceOptions } from '../../src/server/app';
import type { DeletionContext } from '../../src/server/services/deletion';
import { PlatformConfigStore } from '../../src/server/services/config';
import { SessionStore } from '../../src/server/store/sessions';
import { UserStore } from '../../src/server/store/users';
import type { Param } from '../../src/server/store/sql';

export const ADMIN_TOKEN = 'test-admin-token';
export const COMPANY_ID = '1';
export const APPLICATION_ID = '000000000000000000000001';
export const CHEAP_PARAMS = { N: 2 ** 10, r: 8, p: 1 };
export const DEMO = { email: 'shopper@example.com', password: 'correct-horse-battery' };
export const APP = '/service/application/user';
export const ADMIN_BASE = `/service/platform/user/v1.0/company/${COMPANY_ID}/application/${APPLICATION_ID}`;
export const LOGIN = `${APP}/authentication/v1.0/login/password`;
export const SESSION = `${APP}/authentication/v1.0/session`;
export const LOGOUT = `${APP}/authentication/v1.0/logout`;

/** A hand-driven clock, starting at a fixed instant so tests read the same on every run. */
export class Clock {
  t = Date.parse('2030-01-01T00:00:00Z');
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

/** Minimal cookie jar: remembers what Set-Cookie said, forgets what it expired. */
export class Jar {
  readonly cookies = new Map<string, string>();

  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  clone(): Jar {
    const copy = new Jar();
    for (const [k, v] of this.cookies) copy.cookies.set(k, v);
    return copy;
  }
}

export interface TestServer {
  base: string;
  service: Service;
  clock: Clock;
  logs: string[];
  /** fetch against the server; a jar, when given, sends its cookies and keeps the new ones. */
  fetch(path: string, init?: RequestInit & { jar?: Jar }): Promise<Response>;
  admin(path: string, init?: RequestInit): Promise<Response>;
  createShopper(body: Record<string, unknown>, query?: string): Promise<Response>;
  login(username: string, password: string, jar?: Jar): Promise<Response>;
  setConfig(patch: Record<string, unknown>): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The database every test service opens: one place to point the whole suite at another database.
 * In-memory SQLite, or with LATCH_TEST_DATABASE (npm run test:server:postgres) a fresh PostgreSQL
 * schema of its own. Tests that need a file of their own (restarts, storage faults) still pass one.
 */
export function testDatabase(): Promise<TestDatabase> {
  return freshDatabase();
}

export async function startServer(overrides: Partial<ServiceOptions> = {}): Promise<TestServer> {
  const clock = new Clock();
  const logs: string[] = [];
  const db = await testDatabase();
  const service = await createService({
    database: db.database,
    companyId: COMPANY_ID,
    applicationId: APPLICATION_ID,
    adminToken: ADMIN_TOKEN,
    dev: true,
    demoUser: DEMO,
    passwordParams: CHEAP_PARAMS,
    now: clock.now,
    log: (line) => logs.push(line),
    ...overrides,
  });
  await service.ready;
  const { server, port } = await new Promise<{ server: ServerType; port: number }>((resolve) => {
    const server = serve({ fetch: service.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve({ server, port: info.port }),
    );
  });
  const base = `http://127.0.0.1:${port}`;

  const doFetch = fetchWithJar(base);

  const json = (body: unknown): RequestInit => jsonRequest('POST', body);

  const t: TestServer = {
    base,
    service,
    clock,
    logs,
    fetch: doFetch,
    admin: (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${ADMIN_TOKEN}`);
      return doFetch(ADMIN_BASE + path, { ...init, headers });
    },
    // Verified by default: password login only works through proven contacts, and most tests want a
    // shopper who can sign in. Tests about unproven contacts pass their own query ('' for none).
    createShopper: (body, query = '?verified=true') => t.admin(`/customers${query}`, json(body)),
    login: (username, password, jar) => doFetch(LOGIN, { ...json({ username, password }), ...(jar ? { jar } : {}) }),
    setConfig: (patch) => t.admin('/platform/config', json(patch)),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await service.close();
      await db.drop();
    },
  };
  return t;
}

/** fetch against `base`; a jar, when given, sends its cookies and keeps the new ones. */
export function fetchWithJar(base: string): TestServer['fetch'] {
  return async (path, init = {}) => {
    const { jar, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (jar && jar.cookies.size) headers.set('cookie', jar.header());
    const res = await fetch(base + path, { ...rest, headers });
    jar?.take(res);
    return res;
  };
}

/** A request with a JSON body; without a body, just the method. */
export function jsonRequest(method: string, body?: unknown): RequestInit {
  return body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** POSTs `body` as JSON to `path` (the whole path); a jar sends its cookies and keeps the new ones. */
export function postJson(s: TestServer, path: string, body: unknown, opts: { jar?: Jar | undefined; headers?: Record<string, string> } = {}): Promise<Response> {
  return s.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...opts.headers },
    body: JSON.stringify(body),
    ...(opts.jar ? { jar: opts.jar } : {}),
  });
}

/** A jar holding a fresh session of `userId`, made directly in the store (for accounts no login path reaches). */
export async function sessionFor(s: TestServer, userId: string): Promise<Jar> {
  const { token } = await new SessionStore(s.service.sql, APPLICATION_ID, s.clock.now).create(userId, { userAgent: 'test', ip: '127.0.0.1' }, 86_400_000);
  const jar = new Jar();
  jar.cookies.set('__Host-f.session', token);
  return jar;
}

/** A jar holding the session of a password login that must succeed. */
export async function signedIn(s: TestServer, username = DEMO.email, password = DEMO.password): Promise<Jar> {
  const jar = new Jar();
  assert.equal((await s.login(username, password, jar)).status, 200);
  return jar;
}

/** A message in the dev outbox; code and link are what the outbox pulled out of the text. */
export interface OutboxItem {
  channel: string;
  to: string;
  subject: string;
  text: string;
  code?: string;
  link?: string;
}

/** What the dev outbox holds for one address, newest first. */
export async function messagesTo(s: TestServer, to: string): Promise<OutboxItem[]> {
  return (await (await s.fetch(`/__dev/outbox?to=${encodeURIComponent(to)}`)).json()).items;
}

/** The code in the newest message to `to`; fails the test when nothing went there. */
export async function lastCode(s: TestServer, to: string): Promise<string> {
  const items = await messagesTo(s, to);
  assert.ok(items.length > 0, `a message went to ${to}`);
  return items[0]!.code!;
}

/** A six-digit code that is not `code`. */
export function otherCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

/** The single number a `SELECT COUNT(*) AS n ...` query answers. */
export async function count(s: TestServer, sql: string, ...params: Param[]): Promise<number> {
  return Number((await s.service.sql.get<{ n: number }>(sql, ...params))!.n);
}

/** The stores of a running test server, for calling the deletion functions directly. */
export function deletionContext(s: TestServer): DeletionContext {
  const sql = s.service.sql;
  return {
    sql,
    applicationId: APPLICATION_ID,
    now: s.clock.now,
    log: (line) => s.logs.push(line),
    config: new PlatformConfigStore(sql, APPLICATION_ID, s.clock.now),
    users: new UserStore(sql, APPLICATION_ID, s.clock.now),
    sessions: new SessionStore(sql, APPLICATION_ID, s.clock.now),
  };
}

/** The body without its per-request id, for comparing two answers that must be identical. */
export function withoutRequestId(body: Record<string, unknown>): Record<string, unknown> {
  const { request_id: _id, ...rest } = body;
  return rest;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
