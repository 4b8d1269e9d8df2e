// Social sign-in endpoints of the application API (api-contract 3e: google-token, facebook-token,
// apple-ios) and, in dev mode only, the development provider: a consent page that stands in for
// the provider's popup, its script and style, and the endpoint that signs its tokens.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ipBucket, type ServiceInternals } from '../context';
import { clientIp } from '../http/context-vars';
import { accountStateError } from '../services/deletion';
import { ApiError, validationError } from '../shared/errors';
import { reserveAttempt } from '../services/rate-limit';
import { ownOrigin } from '../http/security';
import { startSession } from '../http/cookies';
import {
  PROVIDER_NAMES,
  findOrCreateSocialAccount,
  isSocialProvider,
  providerAppId,
  providerEnabled,
  signDevToken,
  type ProfileHints,
  type SocialIdentity,
  type SocialProvider,
} from '../services/social';
import { zodProblems, isEmail, normalizeEmail } from '../shared/validation';
import { readJsonObject } from '../http/body';

const TOKEN_MAX_LENGTH = 16 * 1024;
const token = z.string().trim().min(1, 'must not be empty').max(TOKEN_MAX_LENGTH, `must be at most ${TOKEN_MAX_LENGTH} characters`);
// Profile fields are hints at most (names only); null is common from SDKs, so it is accepted.
const hint = z.string().nullish();
const profile = z.looseObject({ first_name: hint, last_name: hint }).nullish();

/** OAuthRequestSchema; only oauth2.access_token matters, the rest is accepted and not trusted. */
const oauthRequestSchema = z.looseObject({
  oauth2: z.looseObject({ access_token: token }),
  profile,
});

/** The apple-ios body; user_identifier, when sent, must name the same subject as the token. */
const appleRequestSchema = z.looseObject({
  user_identifier: z.string().max(255).nullish(),
  oauth: z.looseObject({ identity_token: token }),
  profile,
});

function socialFailed(provider: SocialProvider): ApiError {
  return new ApiError(400, 'SOCIAL_TOKEN_INVALID', `Sign-in with ${PROVIDER_NAMES[provider]} failed. Please try again.`);
}

function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body);
  if (!result.success) throw validationError(zodProblems(result.error.issues));
  return result.data;
}

export function socialRoutes(svc: ServiceInternals): Hono {
  const app = new Hono();

  async function signIn(c: Context, provider: SocialProvider, tokenValue: string, hints: ProfileHints, expectedSubject?: string) {
    const ip = clientIp(c);
    const rid = c.get('requestId');
    const config = await svc.config.get();
    const name = PROVIDER_NAMES[provider];
    if (!providerEnabled(config, provider)) {
      throw new ApiError(400, 'PROVIDER_DISABLED', `Sign-in with ${name} is not enabled for this store`);
    }
    const verifier = svc.social.verifiers[provider];
    if (!verifier) {
      svc.log(`social login refused reason=no_verifier provider=${provider} request_id=${rid}: set ServiceOptions.socialVerifiers.${provider}`);
      throw new ApiError(400, 'PROVIDER_DISABLED', `Sign-in with ${name} is not set up on this service`);
    }

    // Bad tokens count against the same per-IP budget as wrong passwords, so the endpoint cannot
    // be used to grind through guessed or stolen tokens at full speed.
    const limited = await reserveAttempt([[svc.limits.ip, ipBucket(ip)]]);
    if (limited) {
      const retryAfter = limited.status.retryAfterSeconds;
      svc.log(`social login refused reason=rate_limited provider=${provider} ip=${ip} request_id=${rid}`);
      throw new ApiError(429, 'TOO_MANY_ATTEMPTS', 'Too many sign-in attempts. Please try again later.', {
        headers: { 'Retry-After': String(retryAfter) },
        meta: { retry_after: retryAfter },
      });
    }

    let identity: SocialIdentity;
    try {
      const appId = providerAppId(config, provider);
      identity = await verifier(tokenValue, appId ? { appId } : {});
      if (!identity || typeof identity.subject !== 'string' || identity.subject === '' || identity.subject.length > 255) {
        throw new Error('verifier returned no subject');
      }
      if (expectedSubject && expectedSubject !== identity.subject) throw new Error('user_identifier does not match the token');
    } catch (err) {
      // The attempt was counted before the verifier ran; a failure keeps it counted.
      // The reason only: a verifier's error text could quote the token, which must never be logged.
      const reason = err instanceof Error && err.name === 'SocialTokenError' ? err.message : 'rejected';
      svc.log(`social login failure reason=token_invalid provider=${provider} detail="${reason}" ip=${ip} request_id=${rid}`);
      throw socialFailed(provider);
    }

    const linked = await findOrCreateSocialAccount(svc, provider, identity, hints, (u) => accountStateError(u) === undefined);
    const refused = accountStateError(linked.user);
    if (refused) {
      svc.log(`social login refused reason=${refused.code === 'ACCOUNT_DELETED' ? 'deleted' : 'disabled'} provider=${provider} user=${linked.user.id} ip=${ip} request_id=${rid}`);
      throw refused;
    }

    await svc.limits.ip.release(ipBucket(ip));
    await startSession(svc, c, linked.user.id);
    svc.log(`social login success provider=${provider} user=${linked.user.id} new_account=${!linked.existed} ip=${ip} request_id=${rid}`);
    return c.json({ user: await svc.users.toSchema(linked.user), user_exists: linked.existed, register_token: '' });
  }

  for (const provider of ['google', 'facebook'] as const) {
    app.post(`/authentication/v1.0/login/${provider}-token`, async (c) => {
      const body = parseBody(oauthRequestSchema, await readJsonObject(c));
      const hints: ProfileHints = {};
      if (body.profile?.first_name) hints.firstName = body.profile.first_name;
      if (body.profile?.last_name) hints.lastName = body.profile.last_name;
      return signIn(c, provider, body.oauth2.access_token, hints);
    });
  }

  app.post('/authentication/v1.0/login/apple-ios', async (c) => {
    const body = parseBody(appleRequestSchema, await readJsonObject(c));
    // Apple puts no names in its identity token and sends them to the app only once, so the
    // body's names are the only source; they fill in names, never the identity or the email.
    const hints: ProfileHints = {};
    if (body.profile?.first_name) hints.firstName = body.profile.first_name;
    if (body.profile?.last_name) hints.lastName = body.profile.last_name;
    return signIn(c, 'apple', body.oauth.identity_token, hints, body.user_identifier?.trim() || undefined);
  });

  return app;
}

// ---- Development provider (mounted under /__dev only in dev mode) -------------------------------

const CONSENT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";


function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** The opener origin, exactly as an origin (scheme://host[:port]); anything else is refused. */
function parseOrigin(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value ? value : undefined;
  } catch {
    return undefined;
  }
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="../social.css">
<script src="../social.js" defer></script>
</head>
<body>
${body}
</body>
</html>
`;
}

function sendPage(c: Context, html: string, status: 200 | 400 | 404) {
  c.header('Content-Security-Policy', CONSENT_CSP);
  c.header('Referrer-Policy', 'no-referrer');
  // Framing would allow clickjacking the "Continue as" buttons.
  c.header('X-Frame-Options', 'DENY');
  return c.html(html, status);
}

const tokenRequestSchema = z.object({
  client_id: z.string().trim().max(512).optional(),
  identity: z.object({
    name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    email: z.string().overwrite(normalizeEmail).max(254).refine(isEmail, 'expected an email address'),
  }),
});

export function devSocialRoutes(svc: ServiceInternals): Hono {
  const app = new Hono();

  app.get('/social.js', (c) => c.body(CONSENT_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
  app.get('/social.css', (c) => c.body(CONSENT_STYLE, 200, { 'Content-Type': 'text/css; charset=utf-8' }));

  app.get('/social/:provider', async (c) => {
    const provider = c.req.param('provider');
    if (!isSocialProvider(provider)) {
      return sendPage(c, page('Unknown provider', `<main id="latch-dev-social"><h1>Unknown sign-in provider</h1><p>Use google, facebook or apple.</p></main>`), 404);
    }
    const config = await svc.config.get();
    const store = String(config['display'] || config['name'] || 'this store');
    const name = PROVIDER_NAMES[provider];
    const title = `Sign in to ${store} with ${name} (development provider)`;
    const heading = `<h1>Sign in to ${escapeHtml(store)} with ${name} <span class="dev">(development provider)</span></h1>`;

    // The token goes to whoever opened this window, at the origin named here. Only this service's
    // own origin and the configured ones qualify; for any other the page shows why and posts nothing.
    const requested = c.req.query('origin');
    const origin = parseOrigin(requested);
    if (!origin || (origin !== ownOrigin(c) && !svc.allowedOrigins.has(origin))) {
      const shown = requested ? `<code>${escapeHtml(requested.slice(0, 200))}</code>` : 'no origin';
      return sendPage(
        c,
        page(
          title,
          `<main id="latch-dev-social" class="refused">${heading}
<p role="alert">This sign-in window was opened for ${shown}, which this service does not trust, so it will not hand out a sign-in token. Add the storefront's origin to <code>ALLOWED_ORIGINS</code> (or <code>allowedOrigins</code>) and try again.</p>
</main>`,
        ),
        400,
      );
    }
    const state = (c.req.query('state') ?? '').slice(0, 512);
    const clientId = (c.req.query('client_id') ?? '').slice(0, 512);
    const sam = svc.demoUser?.email ?? 'sam@example.com';
    const identities = [
      { name: 'Priya Patel', email: 'priya@example.com' },
      { name: 'Alex Kim', email: 'alex@example.com' },
      { name: 'Sam Shopper', email: sam },
    ];
    const buttons = identities
      .map(
        (i) =>
          `<li><button type="button" class="identity" data-name="${escapeHtml(i.name)}" data-email="${escapeHtml(i.email)}">Continue as ${escapeHtml(i.name)} <span class="email">${escapeHtml(i.email)}</span></button></li>`,
      )
      .join('\n');
    return sendPage(
      c,
      page(
        title,
        `<main id="latch-dev-social" data-provider="${provider}" data-state="${escapeHtml(state)}" data-origin="${escapeHtml(origin)}" data-client-id="${escapeHtml(clientId)}">
${heading}
<p>This page stands in for ${name} while you develop. Nothing is sent to ${name}: choose a test identity and this service signs a token for it. The page will send it to <code>${escapeHtml(origin)}</code>.</p>
<p id="latch-dev-social-status" class="status" role="alert"></p>
<ul class="identities">
${buttons}
</ul>
<form id="latch-dev-social-custom" novalidate>
<h2>Someone else</h2>
<div class="field"><label for="latch-dev-social-name">Name</label><input id="latch-dev-social-name" name="name" autocomplete="name" maxlength="100" required></div>
<div class="field"><label for="latch-dev-social-email">Email</label><input id="latch-dev-social-email" name="email" type="email" autocomplete="email" maxlength="254" required></div>
<button type="submit">Continue with this identity</button>
</form>
<p><button type="button" id="latch-dev-social-cancel" class="cancel">Cancel</button></p>
<noscript><p>This page needs JavaScript to send the sign-in back to the store.</p></noscript>
</main>`,
      ),
      200,
    );
  });

  app.post('/social/:provider/token', async (c) => {
    const provider = c.req.param('provider');
    if (!isSocialProvider(provider)) throw new ApiError(404, 'NOT_FOUND', 'Unknown sign-in provider; use google, facebook or apple');
    // JSON only and same-site only: the token is a sign-in credential, even a development one.
    if (c.req.header('sec-fetch-site') === 'cross-site') throw new ApiError(403, 'CROSS_SITE_REQUEST', 'Cross-site requests are not allowed');
    if (c.req.header('content-type')?.split(';')[0]!.trim().toLowerCase() !== 'application/json') {
      throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be sent as application/json');
    }
    const body = parseBody(tokenRequestSchema, await readJsonObject(c));
    const [givenName = '', ...rest] = body.identity.name.split(/\s+/);
    const aud = body.client_id || providerAppId(await svc.config.get(), provider) || 'latch-dev';
    const signed = signDevToken(
      svc.social.devSecret,
      { provider, aud, email: body.identity.email, givenName, familyName: rest.join(' ') },
      svc.now(),
    );
    return c.json({ token: signed, token_type: 'id_token', expires_in: 600 });
  });

  return app;
}

const CONSENT_STYLE = `/* Style of the development sign-in provider's consent page. */
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
body { margin: 0; padding: 1.5rem; }
main { max-inline-size: 28rem; margin-inline: auto; }
h1 { font-size: 1.25rem; }
h2 { font-size: 1rem; margin-block-start: 1.5rem; }
.dev { font-weight: normal; font-size: 0.875rem; }
.identities { list-style: none; padding: 0; display: grid; gap: 0.5rem; }
button { font: inherit; padding: 0.5rem 0.75rem; border-radius: 0.375rem; border: 1px solid currentColor; background: transparent; color: inherit; cursor: pointer; }
button:disabled { opacity: 0.6; cursor: progress; }
.identity { inline-size: 100%; text-align: start; }
.email { display: block; font-size: 0.875rem; opacity: 0.8; }
.field { display: grid; gap: 0.25rem; margin-block-end: 0.75rem; }
input { font: inherit; padding: 0.375rem 0.5rem; }
:focus-visible { outline: 3px solid Highlight; outline-offset: 2px; }
.status:empty { display: none; }
.status { padding: 0.5rem; border: 1px solid currentColor; border-radius: 0.375rem; }
`;

const CONSENT_SCRIPT = `// Script of the development sign-in provider's consent page (/__dev/social/<provider>). It asks
// the service for a signed token for the chosen identity and hands it to the window that opened
// this one, only at the origin the server approved, then closes. Served as a file, not inline, so
// the page runs under a CSP without 'unsafe-inline'.
(function () {
  'use strict';
  var root = document.getElementById('latch-dev-social');
  // No origin means the server refused the opener's origin: nothing may be posted anywhere.
  if (!root || !root.dataset.origin) return;
  var provider = root.dataset.provider;
  var state = root.dataset.state || '';
  var origin = root.dataset.origin;
  var clientId = root.dataset.clientId || '';
  var status = document.getElementById('latch-dev-social-status');
  var form = document.getElementById('latch-dev-social-custom');
  var controls = root.querySelectorAll('button, input');

  function say(text) { status.textContent = text; }
  function setBusy(busy) {
    for (var i = 0; i < controls.length; i++) controls[i].disabled = busy;
    root.setAttribute('aria-busy', busy ? 'true' : 'false');
  }
  function post(message) {
    window.opener.postMessage(message, origin);
    window.close();
  }

  if (!window.opener) {
    say('This window was not opened by a sign-in button, so there is nowhere to send the sign-in. Close it and use the button on the store page.');
    setBusy(true);
    return;
  }

  function choose(name, email) {
    setBusy(true);
    say('');
    fetch(provider + '/token', {
      method: 'POST',
      credentials: 'omit',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: clientId, identity: { name: name, email: email } }),
    })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (body) {
          if (!res.ok || typeof body.token !== 'string') throw new Error(body.message || 'The service could not sign a token.');
          post({ type: 'latch-social', provider: provider, state: state, token: body.token });
        });
      })
      .catch(function (err) {
        setBusy(false);
        say(err && err.message && err.message !== 'Failed to fetch' ? err.message : 'The service could not be reached. Please try again.');
      });
  }

  var identities = root.querySelectorAll('button.identity');
  for (var i = 0; i < identities.length; i++) {
    identities[i].addEventListener('click', function (event) {
      var b = event.currentTarget;
      choose(b.dataset.name, b.dataset.email);
    });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var name = form.elements.namedItem('name');
    var email = form.elements.namedItem('email');
    name.removeAttribute('aria-invalid');
    email.removeAttribute('aria-invalid');
    if (!name.value.trim()) {
      name.setAttribute('aria-invalid', 'true');
      say('Enter a name.');
      name.focus();
      return;
    }
    if (!/^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$/.test(email.value.trim())) {
      email.setAttribute('aria-invalid', 'true');
      say('Enter an email address like name@example.com.');
      email.focus();
      return;
    }
    choose(name.value.trim(), email.value.trim());
  });

  document.getElementById('latch-dev-social-cancel').addEventListener('click', function () {
    post({ type: 'latch-social', provider: provider, state: state, error: 'cancelled' });
  });
})();
`;
