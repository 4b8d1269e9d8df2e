// Social sign-in over a real socket: the development provider's consent page (CSP, no inline code,
// origin check) and token endpoint, Google/Facebook/Apple login with its tokens, account linking by
// verified email, and every way a token or an account can be refused.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { signDevToken, type SocialIdentity } from '../../src/server/services/social';
import { APP, count, Jar, postJson, SESSION, sessionFor, startServer, type TestServer } from './helpers';

const SECRET = 'social-test-secret';
const PATHS = {
  google: `${APP}/authentication/v1.0/login/google-token`,
  facebook: `${APP}/authentication/v1.0/login/facebook-token`,
  apple: `${APP}/authentication/v1.0/login/apple-ios`,
} as const;
type Provider = keyof typeof PATHS;

async function devToken(s: TestServer, provider: Provider, name: string, email: string, clientId = 'test-client'): Promise<string> {
  const res = await postJson(s, `/__dev/social/${provider}/token`, { client_id: clientId, identity: { name, email } });
  assert.equal(res.status, 200);
  return (await res.json()).token;
}

function loginBody(provider: Provider, token: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  if (provider === 'apple') return { oauth: { identity_token: token }, profile: { first_name: '', last_name: '' }, ...extra };
  return { is_signed_in: true, oauth2: { access_token: token, expiry: 0, refresh_token: '' }, profile: {}, ...extra };
}

function socialLogin(s: TestServer, provider: Provider, token: string, jar?: Jar, extra?: Record<string, unknown>): Promise<Response> {
  return postJson(s, `${PATHS[provider]}?platform=000000000000000000000001`, loginBody(provider, token, extra), { jar });
}

function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}

describe('dev social provider: consent page and token endpoint', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ socialDevSecret: SECRET, allowedOrigins: ['https://shop.example'] });
  });
  after(() => s.close());

  test('the consent page is served under a strict CSP with no inline script or style', async () => {
    const res = await s.fetch(`/__dev/social/google?client_id=abc&origin=${encodeURIComponent(s.base)}&state=st-1`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/html/);
    const csp = res.headers.get('content-security-policy')!;
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"]) assert.ok(csp.includes(directive), directive);
    assert.ok(!csp.includes('unsafe-inline'));
    const html = await res.text();
    assert.match(html, /<title>Sign in to Latch demo store with Google \(development provider\)<\/title>/);
    // Every script has a src, and there is no inline style or event handler for the CSP to block.
    assert.deepEqual(html.match(/<script\b[^>]*>/g), ['<script src="../social.js" defer>']);
    assert.ok(!/<style\b/i.test(html) && !/\sstyle=/i.test(html) && !/\son[a-z]+=/i.test(html));
    assert.match(html, /Continue as Priya Patel/);
    assert.match(html, /Continue as Alex Kim/);
    assert.match(html, /Continue as Sam Shopper <span class="email">shopper@example\.com<\/span>/, 'the demo shopper is one of the identities');
    assert.match(html, /<label for="latch-dev-social-name">Name<\/label><input id="latch-dev-social-name"/);
    assert.match(html, /<label for="latch-dev-social-email">Email<\/label><input id="latch-dev-social-email"/);
    assert.match(html, />Cancel</);
    assert.match(html, new RegExp(`data-origin="${s.base.replace(/[.]/g, '\\.')}"`));
    assert.match(html, /data-state="st-1"/);
    assert.match(html, /data-client-id="abc"/);

    const js = await s.fetch('/__dev/social.js');
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type')!, /^text\/javascript/);
    const script = await js.text();
    assert.match(script, /window\.opener\.postMessage\(message, origin\)/, 'posts only to the approved origin');
    assert.match(script, /type: 'latch-social'/);
    assert.match(script, /error: 'cancelled'/);
    const css = await s.fetch('/__dev/social.css');
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type')!, /^text\/css/);
  });

  test('an allowed storefront origin is accepted; any other origin gets an error page and nothing to post', async () => {
    const allowed = await s.fetch('/__dev/social/apple?origin=https%3A%2F%2Fshop.example&state=x');
    assert.equal(allowed.status, 200);
    assert.match(await allowed.text(), /data-origin="https:\/\/shop\.example"/);

    for (const origin of ['https://evil.example', 'https://shop.example/', 'https://shop.example.evil.example', 'javascript:alert(1)', '']) {
      const res = await s.fetch(`/__dev/social/google?origin=${encodeURIComponent(origin)}&state=x`);
      assert.equal(res.status, 400, origin);
      assert.ok(res.headers.get('content-security-policy'), 'the error page has the CSP too');
      const html = await res.text();
      // The script does nothing without data-origin, and there is nothing to click.
      assert.ok(!html.includes('data-origin'), origin);
      assert.ok(!html.includes('Continue as'), origin);
      assert.match(html, /role="alert"/);
      assert.match(html, /does not trust/);
    }
    const escaped = await s.fetch(`/__dev/social/google?origin=${encodeURIComponent('"><script>x</script>')}`);
    assert.ok(!(await escaped.text()).includes('<script>x'), 'reflected values are escaped');
    assert.equal((await s.fetch(`/__dev/social/myspace?origin=${encodeURIComponent(s.base)}`)).status, 404);
  });

  test('the token endpoint signs an HS256 token with the documented claims', async () => {
    const token = await devToken(s, 'facebook', 'Priya Patel', 'priya@example.com', 'fb-app');
    const [header] = token.split('.');
    assert.deepEqual(JSON.parse(Buffer.from(header!, 'base64url').toString()), { alg: 'HS256', typ: 'JWT' });
    const c = claims(token);
    assert.equal(c['iss'], 'latch-dev-social');
    assert.equal(c['aud'], 'fb-app');
    assert.equal(c['provider'], 'facebook');
    assert.equal(c['email'], 'priya@example.com');
    assert.equal(c['email_verified'], true);
    assert.equal(c['given_name'], 'Priya');
    assert.equal(c['family_name'], 'Patel');
    assert.equal(c['name'], 'Priya Patel');
    assert.equal(c['exp'], (c['iat'] as number) + 600);
    assert.equal(c['iat'], Math.floor(s.clock.now() / 1000), 'issued on the injected clock');
    assert.equal(c['sub'], claims(await devToken(s, 'google', 'Someone', 'PRIYA@example.com'))['sub'], 'the subject is stable per email');
  });

  test('the token endpoint wants JSON and names bad fields', async () => {
    const form = await s.fetch('/__dev/social/google/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b' });
    assert.equal(form.status, 415);
    const bad = await postJson(s, '/__dev/social/google/token', { identity: { name: '', email: 'nope' } });
    assert.equal(bad.status, 400);
    const body = await bad.json();
    assert.equal(body.code, 'VALIDATION_ERROR');
    assert.match(body.message, /identity\.name/);
    assert.match(body.message, /identity\.email/);
    const cross = await s.fetch('/__dev/social/google/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      body: JSON.stringify({ identity: { name: 'A', email: 'a@example.com' } }),
    });
    assert.equal(cross.status, 403);
  });
});

describe('social sign-in with dev tokens', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ socialDevSecret: SECRET });
    await s.setConfig({ social: { google: true, facebook: true, apple: true } });
  });
  after(() => s.close());

  for (const provider of ['google', 'facebook', 'apple'] as const) {
    test(`${provider}: the first sign-in creates the account, the next finds it, each with a new session`, async () => {
      const email = `${provider}-user@example.com`;
      const jar = new Jar();
      const first = await socialLogin(s, provider, await devToken(s, provider, 'Kim Lee', email), jar);
      assert.equal(first.status, 200);
      const a = await first.json();
      assert.deepEqual(Object.keys(a).sort(), ['register_token', 'user', 'user_exists']);
      assert.equal(a.user_exists, false);
      assert.equal(a.register_token, '');
      assert.equal(a.user.first_name, 'Kim');
      assert.equal(a.user.last_name, 'Lee');
      assert.deepEqual(a.user.emails, [{ email, active: true, primary: true, verified: true }]);
      const firstCookie = jar.cookies.get('__Host-f.session');
      assert.match(firstCookie!, /^[A-Za-z0-9_-]{43}$/);
      assert.match(first.headers.getSetCookie()[0]!, /HttpOnly; SameSite=Lax; Secure/);
      assert.equal((await (await s.fetch(SESSION, { jar })).json()).user._id, a.user._id);

      const other = new Jar();
      const second = await socialLogin(s, provider, await devToken(s, provider, 'Kim Lee', email), other);
      assert.equal(second.status, 200);
      const b = await second.json();
      assert.equal(b.user_exists, true);
      assert.equal(b.user._id, a.user._id);
      assert.notEqual(other.cookies.get('__Host-f.session'), firstCookie, 'a new session id');
      assert.equal((await s.fetch(SESSION, { jar })).status, 200, 'the other device keeps its session');

      // Signing in again from the same browser ends the session it had.
      const kept = other.clone();
      await socialLogin(s, provider, await devToken(s, provider, 'Kim Lee', email), other);
      assert.equal((await s.fetch(SESSION, { jar: kept })).status, 401);
      assert.equal((await s.fetch(SESSION, { jar: other })).status, 200);
    });
  }

  test('a provider-verified email links to the existing password account, which keeps its password', async () => {
    const created = await (await s.createShopper({ email: 'Linked@Example.com', password: 'linked-account-pw', first_name: 'Lin' }, '?verified=true')).json();
    const res = await socialLogin(s, 'google', await devToken(s, 'google', 'Somebody Else', 'linked@example.com'));
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.user_exists, true);
    assert.equal(body.user._id, created.user._id);
    assert.equal(body.user.first_name, 'Lin', 'an existing profile is not overwritten by the provider');
    assert.equal((await s.login('linked@example.com', 'linked-account-pw')).status, 200);
    // From now on the identity is linked: Facebook with the same email links too, and Google again finds it.
    const again = await (await socialLogin(s, 'google', await devToken(s, 'google', 'X', 'linked@example.com'))).json();
    assert.equal(again.user._id, created.user._id);
    const rows = await s.service.sql.all('SELECT provider FROM social_identities WHERE user_id = ?', created.user._id);
    assert.deepEqual(rows, [{ provider: 'google' }]);
  });

  test('linking to an account whose email was never verified cuts off its password and sessions', async () => {
    const created = await (await s.createShopper({ email: 'squatter@example.com', password: 'set-by-someone' }, '')).json();
    // Password login refuses the unproven email, so the squatter's session is made in the store.
    const squatter = await sessionFor(s, created.user._id);
    assert.equal((await s.fetch(SESSION, { jar: squatter })).status, 200);
    const res = await socialLogin(s, 'facebook', await devToken(s, 'facebook', 'Real Owner', 'squatter@example.com'));
    const body = await res.json();
    assert.equal(body.user._id, created.user._id);
    assert.equal(body.user.emails[0].verified, true);
    assert.equal((await s.fetch(SESSION, { jar: squatter })).status, 401, 'whoever made the account is signed out');
    assert.equal((await s.login('squatter@example.com', 'set-by-someone')).status, 400, 'and their password no longer works');
  });

  test('the body profile is not trusted over the token', async () => {
    const token = await devToken(s, 'google', 'Token Name', 'token-owner@example.com');
    const res = await socialLogin(s, 'google', token, undefined, {
      profile: { id: 'attacker', email: 'victim@example.com', first_name: 'Mallory', last_name: 'M', full_name: 'Mallory M', image: 'https://evil.example/x.png' },
    });
    const { user } = await res.json();
    assert.equal(user.emails[0].email, 'token-owner@example.com');
    assert.equal(user.first_name, 'Token');
    assert.equal(user.profile_pic_url, '');
  });

  test('apple: user_identifier must match the token, and names in the token win over the body', async () => {
    const token = await devToken(s, 'apple', 'Apple Person', 'apple-person@example.com');
    const mismatch = await socialLogin(s, 'apple', token, undefined, { user_identifier: 'someone-else' });
    assert.equal(mismatch.status, 400);
    assert.equal((await mismatch.json()).code, 'SOCIAL_TOKEN_INVALID');
    const ok = await socialLogin(s, 'apple', token, undefined, { user_identifier: claims(token)['sub'], profile: { first_name: 'Ignored' } });
    assert.equal(ok.status, 200);
    assert.equal((await ok.json()).user.first_name, 'Apple', 'claims win over the body');
  });

  test('forged, expired, wrong-provider and malformed tokens are refused alike', async () => {
    const now = s.clock.now();
    const base = { aud: 'x', email: 'forger@example.com', givenName: 'F', familyName: 'G' };
    const cases: [string, Provider, string][] = [
      ['signed with another secret', 'google', signDevToken(Buffer.from('not-the-secret'), { ...base, provider: 'google' }, now)],
      ['expired', 'google', signDevToken(Buffer.from(SECRET), { ...base, provider: 'google' }, now - 11 * 60_000)],
      ['issued for another provider', 'facebook', signDevToken(Buffer.from(SECRET), { ...base, provider: 'google' }, now)],
      ['not a JWS', 'apple', 'not-a-token'],
    ];
    const unsigned = signDevToken(Buffer.from(SECRET), { ...base, provider: 'google' }, now).split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${unsigned[1]}.${unsigned[2]}`;
    cases.push(['alg none', 'google', none]);
    const tampered = { ...claims(unsigned.join('.')), email: 'victim@example.com' };
    cases.push(['tampered claims', 'google', `${unsigned[0]}.${Buffer.from(JSON.stringify(tampered)).toString('base64url')}.${unsigned[2]}`]);
    for (const [label, provider, token] of cases) {
      const res = await socialLogin(s, provider, token);
      assert.equal(res.status, 400, label);
      const body = await res.json();
      assert.equal(body.code, 'SOCIAL_TOKEN_INVALID', label);
      const name = provider[0]!.toUpperCase() + provider.slice(1);
      assert.equal(body.message, `Sign-in with ${name} failed. Please try again.`, label);
      assert.equal(res.headers.getSetCookie().length, 0, label);
    }
    assert.equal(await count(s, "SELECT COUNT(*) AS n FROM user_emails WHERE email_key = 'forger@example.com'"), 0);
  });

  test('a token for another audience is refused once social_tokens.<provider>.app_id is set', async () => {
    await s.setConfig({ social_tokens: { google: { app_id: 'the-real-client-id' } } });
    try {
      const wrong = await socialLogin(s, 'google', await devToken(s, 'google', 'Aud Test', 'aud@example.com', 'some-other-app'));
      assert.equal(wrong.status, 400);
      assert.equal((await wrong.json()).code, 'SOCIAL_TOKEN_INVALID');
      const right = await socialLogin(s, 'google', await devToken(s, 'google', 'Aud Test', 'aud@example.com', 'the-real-client-id'));
      assert.equal(right.status, 200);
    } finally {
      await s.setConfig({ social_tokens: { google: { app_id: '' } } });
    }
  });

  test('a disabled provider is refused before its token is looked at', async () => {
    await s.setConfig({ social: { facebook: false } });
    try {
      const res = await socialLogin(s, 'facebook', await devToken(s, 'facebook', 'No Way', 'noway@example.com'));
      assert.equal(res.status, 400);
      const body = await res.json();
      assert.equal(body.code, 'PROVIDER_DISABLED');
      assert.match(body.message, /Facebook/);
    } finally {
      await s.setConfig({ social: { facebook: true } });
    }
  });

  test('a missing token is a 400 naming the field', async () => {
    const res = await postJson(s, PATHS.google, { oauth2: { access_token: '' } });
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.code, 'VALIDATION_ERROR');
    assert.match(body.message, /oauth2\.access_token/);
    const apple = await postJson(s, PATHS.apple, {});
    assert.match((await apple.json()).message, /oauth/);
  });

  test('blocked and soft-deleted accounts are refused like password login refuses them', async () => {
    const blocked = await (await socialLogin(s, 'google', await devToken(s, 'google', 'Bo Blocked', 'bo@example.com'))).json();
    await s.service.sql.run('UPDATE users SET active = 0 WHERE id = ?', blocked.user._id);
    const res = await socialLogin(s, 'google', await devToken(s, 'google', 'Bo Blocked', 'bo@example.com'));
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.code, 'ACCOUNT_DISABLED');
    assert.equal(body.message, 'This account has been disabled');

    await s.createShopper({ email: 'gone@example.com', password: 'gone-for-a-while' }, '?verified=true');
    const t = s.clock.now();
    await s.service.sql.run("UPDATE users SET deleted_at = ?, delete_on = ? WHERE username = 'gone@example.com'", t, t + 7 * 86_400_000);
    const social = await socialLogin(s, 'apple', await devToken(s, 'apple', 'Gone', 'gone@example.com'));
    const password = await s.login('gone@example.com', 'gone-for-a-while');
    assert.equal(social.status, 400);
    const a = await social.json();
    const b = await password.json();
    assert.equal(a.code, 'ACCOUNT_DELETED');
    assert.equal(a.meta.is_deleted, true);
    assert.deepEqual([a.code, a.message, a.meta], [b.code, b.message, b.meta], 'the same answer as password login');
    assert.equal(social.headers.getSetCookie().length, 0);
    assert.equal(
      await count(s, "SELECT COUNT(*) AS n FROM social_identities WHERE provider = 'apple' AND user_id = (SELECT id FROM users WHERE username = 'gone@example.com')"),
      0,
      'nothing is linked on a refused sign-in',
    );
  });

  test('tokens and session ids never reach the log', async () => {
    s.logs.length = 0;
    const token = await devToken(s, 'google', 'Log Check', 'logcheck@example.com');
    const jar = new Jar();
    await socialLogin(s, 'google', token, jar);
    await socialLogin(s, 'google', `${token}x`);
    const text = s.logs.join('\n');
    assert.match(text, /social login success provider=google/);
    assert.match(text, /social login failure reason=token_invalid/);
    assert.ok(!text.includes(token.split('.')[2]!));
    assert.ok(!text.includes(jar.cookies.get('__Host-f.session')!));
  });
});

describe('social sign-in with injected verifiers', () => {
  test('a configured verifier gets the token and the app id, and its identity signs in', async () => {
    const seen: { token: string; appId?: string | undefined }[] = [];
    const s = await startServer({
      socialVerifiers: {
        google: async (token, ctx): Promise<SocialIdentity> => {
          seen.push({ token, appId: ctx.appId });
          if (token !== 'good-google-token') throw new Error(`bad token ${token}`);
          return { subject: '1234567890', email: 'real@gmail.example', emailVerified: true, firstName: 'Real', lastName: 'Person', picture: 'https://img.example/p.png' };
        },
      },
    });
    try {
      await s.setConfig({ social: { google: true }, social_tokens: { google: { app_id: 'client-123.apps.example' } } });
      const ok = await socialLogin(s, 'google', 'good-google-token');
      assert.equal(ok.status, 200);
      const { user } = await ok.json();
      assert.equal(user.profile_pic_url, 'https://img.example/p.png');
      assert.deepEqual(seen[0], { token: 'good-google-token', appId: 'client-123.apps.example' });
      const bad = await socialLogin(s, 'google', 'stolen-token');
      assert.equal((await bad.json()).code, 'SOCIAL_TOKEN_INVALID');
      assert.ok(!s.logs.join('\n').includes('stolen-token'), "a verifier's error text is not logged");
    } finally {
      await s.close();
    }
  });

  test('apple: names come from the body only when the token has none (Apple sends them once, outside the token)', async () => {
    const s = await startServer({
      socialVerifiers: { apple: async (): Promise<SocialIdentity> => ({ subject: '001122.apple-subject', email: 'relay@privaterelay.example', emailVerified: true }) },
    });
    try {
      await s.setConfig({ social: { apple: true } });
      const res = await socialLogin(s, 'apple', 'apple-identity-token', undefined, {
        user_identifier: '001122.apple-subject',
        profile: { first_name: 'Ada', last_name: 'Byron', full_name: 'Ada Byron' },
      });
      assert.equal(res.status, 200);
      const { user, user_exists } = await res.json();
      assert.equal(user_exists, false);
      assert.deepEqual([user.first_name, user.last_name], ['Ada', 'Byron']);
      assert.equal(user.emails[0].email, 'relay@privaterelay.example');
    } finally {
      await s.close();
    }
  });

  test('in production there is no dev provider: no consent page, and providers without a verifier cannot sign in', async () => {
    const s = await startServer({ dev: false });
    try {
      await s.setConfig({ social: { google: true } });
      assert.equal((await s.fetch(`/__dev/social/google?origin=${encodeURIComponent(s.base)}`)).status, 404);
      assert.equal((await s.fetch('/__dev/social.js')).status, 404);
      const res = await socialLogin(s, 'google', 'anything');
      assert.equal(res.status, 400);
      assert.equal((await res.json()).code, 'PROVIDER_DISABLED');
    } finally {
      await s.close();
    }
  });
});
