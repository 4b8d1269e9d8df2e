// POST /authentication/v1.0/register/form under /service/application/user (api-contract 3c,
// flow 3): checks the form against the config's register_required_fields and starts a pending
// registration. The codes it sends are verified on otp/mobile/verify and otp/email/verify with the
// register_token (routes/otp.ts hands those to services/registration.ts). `?platform=` is accepted and ignored.
import { callerOf } from '../http/request';
import { Hono } from 'hono';
import { checkCaptcha } from '../services/captcha';
import type { ServiceInternals } from '../context';
import { readRegistration, registerFieldModes, registrationDisabled, registrationEnabled, startRegistration } from '../services/registration';
import { readJsonObject } from '../http/body';

export function registrationRoutes(svc: ServiceInternals): Hono {
  const app = new Hono();

  app.post('/authentication/v1.0/register/form', async (c) => {
    const config = await svc.config.get();
    if (!registrationEnabled(config)) throw registrationDisabled();
    const body = await readJsonObject(c);
    const input = readRegistration(body, registerFieldModes(config));
    // Registration sends first codes, so it meets the same robot check as a first code send.
    await checkCaptcha(svc, callerOf(c), body);
    return c.json(await startRegistration(svc, callerOf(c), input));
  });

  return app;
}
