// Development-only endpoints, mounted only when the service runs with `dev: true`: what the demo
// page needs to show a visitor how to sign in. Never the admin token: the demo page is public.
// The outbox and the dev captcha stand in for an SMS/email provider and a captcha provider.
import { Hono, type MiddlewareHandler } from 'hono';
import { platformBase, type ServiceInternals } from '../context';

/** Requests each service answered, by method and path (dev only), so a test can prove nothing was sent. */
const served = new WeakMap<ServiceInternals, string[]>();

/** Counts every request to the service's API (dev only; mounted before the routes). */
export function countRequests(svc: ServiceInternals): MiddlewareHandler {
  const seen: string[] = [];
  served.set(svc, seen);
  return (c, next) => {
    seen.push(`${c.req.method} ${c.req.path}`);
    return next();
  };
}

export function devRoutes(svc: ServiceInternals, runScheduledWork: () => Promise<boolean>): Hono {
  const app = new Hono();
  app.get('/info', (c) =>
    c.json({
      demo_user: svc.demoUser ? { email: svc.demoUser.email, password: svc.demoUser.password } : null,
      company_id: svc.companyId,
      application_id: svc.applicationId,
      admin_base: platformBase(svc.companyId, svc.applicationId),
    }),
  );
  // Every SMS and email "sent", newest first; `?to=` narrows to one recipient.
  app.get('/outbox', async (c) => c.json({ items: await svc.outbox.list(c.req.query('to')) }));

  // How many requests reached the API whose path ends with `?path=` (every request without it).
  app.get('/requests', (c) => {
    const suffix = c.req.query('path') ?? '';
    return c.json({ count: (served.get(svc) ?? []).filter((line) => line.endsWith(suffix)).length });
  });

  // Runs the scheduled purges now, if this instance gets their lease: `{ ran: false }` while another
  // instance holds it. For tests and demos that must not wait an hour for the timer.
  app.post('/purge', async (c) => c.json({ ran: await runScheduledWork() }));

  // A fresh plain-text challenge; the widget answers with the token `dev:<id>:<answer>`.
  app.get('/captcha', (c) => c.json(svc.captcha.dev!.create()));
  return app;
}
