// Development-only endpoints, mounted only when the service runs with `dev: true`: what the demo
// page needs to show a visitor how to sign in. Never the admin token: the demo page is public.
import { Hono } from 'hono';
import { platformBase, type ServiceInternals } from '../context';

export function devRoutes(svc: ServiceInternals): Hono {
  const app = new Hono();
  app.get('/info', (c) =>
    c.json({
      demo_user: svc.demoUser ? { email: svc.demoUser.email, password: svc.demoUser.password } : null,
      company_id: svc.companyId,
      application_id: svc.applicationId,
      admin_base: platformBase(svc.companyId, svc.applicationId),
    }),
  );
  return app;
}
