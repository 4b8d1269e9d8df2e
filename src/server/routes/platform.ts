// The admin (platform) API under /service/platform/user/v1.0/company/{c}/application/{a}:
// reading and changing the platform config. app.ts mounts it (and the customer, user-group and
// attribute routes) behind the admin bearer token (http/admin-auth.ts).
import { Hono } from 'hono';
import type { ServiceInternals } from '../context';
import { readConfigUpdate } from '../services/config';
import { readJsonObject } from '../http/body';
import { logKeys } from '../shared/log';

export function platformRoutes(svc: ServiceInternals): Hono {
  const app = new Hono();
  app.get('/platform/config', async (c) => c.json(await svc.config.get()));

  app.post('/platform/config', async (c) => {
    const body = await readJsonObject(c);
    const config = await svc.config.update(readConfigUpdate(body));
    svc.log(`admin platform config updated fields=${logKeys(body)} request_id=${c.get('requestId')}`);
    return c.json(config);
  });

  return app;
}
