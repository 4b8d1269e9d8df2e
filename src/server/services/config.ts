// The platform config (api-contract section 4, PlatformSchema): its defaults, the zod schema an
// admin update must pass (strict: unknown keys are refused), and storage. Only what admins changed
// is stored ("overrides") and merged over the defaults on read, so improving a default in code
// reaches every store that never set it.
import { z } from 'zod';
import type { Sql } from '../store/sql';
import { validationError } from '../shared/errors';
import { ConfigRows, type ConfigRow } from '../store/config';
import { formatPath, zodProblems } from '../shared/validation';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface PlatformConfig extends JsonObject {
  _id: string;
  created_at: string;
  updated_at: string;
  __v: number;
}

/** Defaults for a store that has configured nothing: password login only, nothing optional on. */
export const DEFAULT_PLATFORM_CONFIG: JsonObject = {
  active: true,
  name: 'Latch demo store',
  display: 'Latch demo store',
  subtext: 'Sign in to your account',
  mobile_image: '',
  desktop_image: '',
  login: { password: true, otp: false },
  register: false,
  forgot_password: false,
  social: { facebook: false, google: false, apple: false, account_kit: false },
  social_tokens: {},
  skip_captcha: true,
  skip_login: false,
  flash_card: { text: '', text_color: '#FFFFFF', background_color: '#1F2937' },
  look_and_feel: { background_color: '#F5F5F5', card_position: 'center' },
  required_fields: {
    email: { is_required: true, level: 'hard' },
    mobile: { is_required: false, level: 'soft' },
  },
  register_required_fields: {
    email: { is_required: true, level: 'hard' },
    mobile: { is_required: false, level: 'soft' },
  },
  session_config: { duration: 30, type: 'Days', is_rolling: true },
  delete_account_reasons: [
    { reason_id: 'not_using', reason_text: 'I no longer use this account', show_text_area: false },
    { reason_id: 'privacy', reason_text: 'I have privacy concerns', show_text_area: false },
    { reason_id: 'duplicate', reason_text: 'I have another account', show_text_area: false },
    { reason_id: 'other', reason_text: 'Other', show_text_area: true },
  ],
  delete_account_day: 7,
  delete_account_consent: { consent_text: '' },
  meta: {},
};

// The update body is the seed's PlatformSchema: a whole config (as getPlatformConfig answers it, so
// a client can post back what it fetched, nulls included) or any part of it. Every field is
// nullable, as the seed marks it, and a null means "no value given": the stored value stays.
// Every object is strict: a key this schema does not know is refused with a 400 naming it, so a
// typo (`forgot_pasword`) never looks saved. `meta` is the one free-form object.
const field = <T extends z.ZodType>(schema: T) => schema.nullish();

const requiredField = z.strictObject({
  is_required: field(z.boolean()),
  level: field(z.enum(['hard', 'soft'])),
});
const requiredFields = z.strictObject({
  email: field(requiredField),
  mobile: field(requiredField),
});
const socialToken = z.strictObject({
  app_id: field(z.string()),
  app_secret: field(z.string()),
  // Our extension: where a provider sends the shopper back (services/social.ts).
  redirect_uri: field(z.string()),
});

export const SESSION_DURATION_UNITS = /^(days?|hours?|minutes?)$/i;

export const platformConfigPatchSchema = z.strictObject({
  // Server-owned: accepted so a fetched config can be posted back, never stored (READ_ONLY_KEYS).
  _id: field(z.string()),
  created_at: field(z.string()),
  updated_at: field(z.string()),
  __v: field(z.number()),
  active: field(z.boolean()),
  name: field(z.string()),
  display: field(z.string()),
  subtext: field(z.string()),
  mobile_image: field(z.string()),
  desktop_image: field(z.string()),
  register: field(z.boolean()),
  forgot_password: field(z.boolean()),
  skip_captcha: field(z.boolean()),
  skip_login: field(z.boolean()),
  login: field(z.strictObject({ password: field(z.boolean()), otp: field(z.boolean()) })),
  social: field(
    z.strictObject({
      facebook: field(z.boolean()),
      google: field(z.boolean()),
      apple: field(z.boolean()),
      account_kit: field(z.boolean()),
      accountkit: field(z.boolean()),
    }),
  ),
  social_tokens: field(
    z.strictObject({
      facebook: field(socialToken),
      google: field(socialToken),
      apple: field(socialToken),
      account_kit: field(socialToken),
      accountkit: field(socialToken),
    }),
  ),
  flash_card: field(
    z.strictObject({
      text: field(z.string()),
      text_color: field(z.string()),
      background_color: field(z.string()),
    }),
  ),
  look_and_feel: field(z.strictObject({ background_color: field(z.string()), card_position: field(z.string()) })),
  required_fields: field(requiredFields),
  register_required_fields: field(requiredFields),
  session_config: field(
    z.strictObject({
      // Older docs show the duration as a string ("30"); accept that and store a number.
      duration: field(
        z
          .union([z.number(), z.string().regex(/^\d+$/, 'expected a whole number')])
          .transform(Number)
          .pipe(z.number().int('expected a whole number').positive('expected a positive number')),
      ),
      type: field(z.string().regex(SESSION_DURATION_UNITS, 'expected "Days", "Hours" or "Minutes"')),
      is_rolling: field(z.boolean()),
    }),
  ),
  delete_account_reasons: field(
    z.array(
      z.strictObject({
        reason_id: z.string(),
        reason_text: z.string(),
        show_text_area: z.boolean().nullish().transform((v) => v ?? false),
      }),
    ),
  ),
  delete_account_day: field(z.number().int('expected a whole number').nonnegative('expected 0 or more')),
  delete_account_consent: field(z.strictObject({ consent_text: field(z.string()) })),
  meta: field(z.looseObject({ fynd_default: field(z.boolean()) })),
});

/** Keys the server owns; a client that posts back what it fetched must not overwrite them. */
const READ_ONLY_KEYS = new Set(['_id', 'created_at', 'updated_at', '__v']);
/** Never copied by a merge: they would reach Object.prototype instead of the data. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Drops null (and undefined) members of objects, at every depth, so a whole PlatformSchema's
 * nulls leave the stored values alone. Inside arrays nothing is dropped: an array is a value.
 */
function withoutNulls(value: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === null || member === undefined || UNSAFE_KEYS.has(key)) continue;
    out[key] = isPlainObject(member) ? withoutNulls(member) : member;
  }
  return out;
}

/** Plain objects merge key by key; arrays and scalars in `patch` replace what `base` had. */
export function deepMerge(base: JsonObject, patch: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (UNSAFE_KEYS.has(key) || value === undefined) continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : clone(value);
  }
  return out;
}

function clone(value: Json): Json {
  if (Array.isArray(value)) return value.map(clone);
  if (isPlainObject(value)) return deepMerge({}, value);
  return value;
}

/**
 * Reads an updatePlatformConfig body: a whole PlatformSchema or a part of it. Every bad field is
 * named in one 400; each unknown key is its own problem (`login.sms: is not a PlatformSchema
 * field`), so the admin sees exactly which keys were refused. Returns what should be merged.
 */
export function readConfigUpdate(body: unknown): JsonObject {
  const result = platformConfigPatchSchema.safeParse(body);
  if (result.success) return normalizeConfigPatch(result.data);
  const problems: { path: string; message: string }[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ path: formatPath([...issue.path, key]), message: 'is not a PlatformSchema field' });
    } else {
      problems.push(...zodProblems([issue]));
    }
  }
  throw validationError(problems);
}

/**
 * Validates an admin update and returns what should be merged. Throws the zod error's problems
 * through the caller (see shared/validation.ts). Both spellings of the legacy "account kit" token key are
 * accepted; whichever is given is mirrored to the other, since the app and platform SDKs disagree.
 */
export function normalizeConfigPatch(parsed: z.output<typeof platformConfigPatchSchema>): JsonObject {
  const patch = withoutNulls(parsed as JsonObject);
  for (const key of READ_ONLY_KEYS) delete patch[key];
  const tokens = patch['social_tokens'];
  if (isPlainObject(tokens)) {
    if (tokens['account_kit'] !== undefined && tokens['accountkit'] === undefined) tokens['accountkit'] = clone(tokens['account_kit']);
    else if (tokens['accountkit'] !== undefined && tokens['account_kit'] === undefined) tokens['account_kit'] = clone(tokens['accountkit']);
  }
  return patch;
}

/**
 * What the storefront (application API) may see: the same config minus provider secrets, which
 * the platform side can hold but a public, unauthenticated GET must never hand out.
 */
export function publicConfig(config: PlatformConfig): PlatformConfig {
  const tokens = config['social_tokens'];
  if (!isPlainObject(tokens)) return config;
  const cleaned: JsonObject = {};
  for (const [provider, value] of Object.entries(tokens)) {
    if (isPlainObject(value)) {
      const { app_secret: _secret, client_secret: _client, ...rest } = value;
      cleaned[provider] = rest;
    } else {
      cleaned[provider] = value;
    }
  }
  return { ...config, social_tokens: cleaned };
}

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
/** Cookies may not outlive 400 days (RFC 6265bis), so no session does either. */
export const MAX_SESSION_MS = 400 * 86_400_000;
const FALLBACK_SESSION_MS = 30 * 86_400_000;

export interface SessionPolicy {
  lifetimeMs: number;
  rolling: boolean;
}

export function sessionPolicy(config: JsonObject): SessionPolicy {
  const sc = isPlainObject(config['session_config']) ? config['session_config'] : {};
  const duration = Number(sc['duration']);
  const unitMatch = typeof sc['type'] === 'string' ? SESSION_DURATION_UNITS.exec(sc['type']) : null;
  const unit = unitMatch ? unitMatch[1]!.toLowerCase().replace(/s$/, '') : null;
  let lifetimeMs = FALLBACK_SESSION_MS;
  if (Number.isFinite(duration) && duration > 0 && unit) lifetimeMs = duration * UNIT_MS[unit]!;
  return { lifetimeMs: Math.min(lifetimeMs, MAX_SESSION_MS), rolling: sc['is_rolling'] === true };
}

export class PlatformConfigStore {
  readonly #rows: ConfigRows;
  readonly #now: () => number;

  constructor(sql: Sql, applicationId: string, now: () => number) {
    this.#rows = new ConfigRows(sql, applicationId, now);
    this.#now = now;
  }

  /** Makes the application's config row if it has none yet (once, when the service starts). */
  async ensure(): Promise<void> {
    await this.#rows.ensure();
  }

  async get(): Promise<PlatformConfig> {
    return render(await this.#rows.read());
  }

  /** Merges an already validated patch into the stored overrides and returns the new config. */
  async update(patch: JsonObject): Promise<PlatformConfig> {
    return render(
      await this.#rows.change((row) => ({
        overrides: JSON.stringify(deepMerge(JSON.parse(row.overrides) as JsonObject, patch)),
        // Keep updated_at strictly increasing even when the injected clock stands still in tests.
        updatedAt: Math.max(this.#now(), Number(row.updated_at) + 1),
      })),
    );
  }
}

function render(row: ConfigRow): PlatformConfig {
  const merged = deepMerge(DEFAULT_PLATFORM_CONFIG, JSON.parse(row.overrides) as JsonObject);
  return {
    _id: row.id,
    ...merged,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
    __v: row.version,
  };
}
