// The service as Vite and the test runner host it: Node's request listener without replacing the
// global Request/Response. Bodiless requests (a browser's DELETE) and oversized bodies must both be
// answered properly there, not with a 500.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { createService, type Service } from '../../src/server/app';
import { ADMIN_TOKEN, APP, APPLICATION_ID, CHEAP_PARAMS, COMPANY_ID, testDatabase } from './helpers';

let service: Service;
let server: Server;
let base: string;

before(async () => {
  service = await createService({
    database: (await testDatabase()).database,
    companyId: COMPANY_ID,
    applicationId: APPLICATION_ID,
    adminToken: ADMIN_TOKEN,
    dev: true,
    passwordParams: CHEAP_PARAMS,
    log: () => {},
    printMessage: () => {},
  });
  await service.ready;
  server = createServer(getRequestListener(service.app.fetch, { overrideGlobalObjects: false }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  await service.close();
});

test('a DELETE without a body is answered by its route, not with a 500', async () => {
  const res = await fetch(`${base}${APP}/authentication/v1.0/sessions?others=true`, { method: 'DELETE' });
  assert.equal(res.status, 401);
  assert.equal(((await res.json()) as { code: string }).code, 'UNAUTHENTICATED');
});

test('an oversized body is still refused with 413', async () => {
  const res = await fetch(`${base}${APP}/authentication/v1.0/login/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'a@example.com', password: 'x'.repeat(70 * 1024) }),
  });
  assert.equal(res.status, 413);
});
