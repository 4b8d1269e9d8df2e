// The platform config (api-contract section 4, PlatformSchema): its defaults, the zod schema an
// admin update must pass, and storage. Only what admins changed is stored ("overrides") and merged
// over the defaults on read, so improving a default in code reaches every store that never set it.
import { z } from 'zod';
import type { DB } from './db';
import { objectId } from './ids';

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

// Every object is loose: fields this server does not know are kept and returned, since newer
// clients and the real service add fields over time.
const requiredField = z.looseObject({
  is_required: z.boolean().optional(),
  level: z.enum(['hard', 'soft']).optional(),
});
const requiredFields = z.looseObject({
  email: requiredField.optional(),
  mobile: requiredField.optional(),
});
const socialToken = z.looseObject({
  app_id: z.string().optional(),
  app_secret: z.string().optional(),
  redirect_uri: z.string().optional(),
});

export const SESSION_DURATION_UNITS = /^(days?|hours?|minutes?)$/i;

export const platformConfigPatchSchema = z.looseObject({
  active: z.boolean().optional(),
  name: z.string().optional(),
  display: z.string().optional(),
  subtext: z.string().optional(),
  mobile_image: z.string().optional(),
  desktop_image: z.string().optional(),
  register: z.boolean().optional(),
  forgot_password: z.boolean().optional(),
  skip_captcha: z.boolean().optional(),
  skip_login: z.boolean().optional(),
  login: z.looseObject({ password: z.boolean().optional(), otp: z.boolean().optional() }).optional(),
  social: z
    .looseObject({
      facebook: z.boolean().optional(),
      google: z.boolean().optional(),
      apple: z.boolean().optional(),
      account_kit: z.boolean().optional(),
      accountkit: z.boolean().optional(),
    })
    .optional(),
  social_tokens: z
    .looseObject({
      facebook: socialToken.optional(),
      google: socialToken.optional(),
      apple: socialToken.optional(),
      account_kit: socialToken.optional(),
      accountkit: socialToken.optional(),
    })
    .optional(),
  flash_card: z
    .looseObject({
      text: z.string().optional(),
      text_color: z.string().optional(),
      background_color: z.string().optional(),
    })
    .optional(),
  look_and_feel: z
    .looseObject({ background_color: z.string().optional(), card_position: z.string().optional() })
    .optional(),
  required_fields: requiredFields.optional(),
  register_required_fields: requiredFields.optional(),
  session_config: z
    .looseObject({
      // Older docs show the duration as a string ("30"); accept that and store a number.
      duration: z
        .union([z.number(), z.string().regex(/^\d+$/, 'expected a whole number')])
        .transform(Number)
        .pipe(z.number().int('expected a whole number').positive('expected a positive number'))
        .optional(),
      type: z.string().regex(SESSION_DURATION_UNITS, 'expected "Days", "Hours" or "Minutes"').optional(),
      is_rolling: z.boolean().optional(),
    })
    .optional(),
  delete_account_reasons: z
    .array(
      z.looseObject({
        reason_id: z.string(),
        reason_text: z.string(),
        show_text_area: z.boolean().default(false),
      }),
    )
    .optional(),
  delete_account_day: z.number().int('expected a whole number').nonnegative('expected 0 or more').optional(),
  delete_account_consent: z.looseObject({ consent_text: z.string().optional() }).optional(),
  meta: z.looseObject({}).optional(),
});

/** Keys the server owns; a client that posts back what it fetched must not overwrite them. */
const READ_ONLY_KEYS = new Set(['_id', 'created_at', 'updated_at', '__v']);
/** Never copied by a merge: they would reach Object.prototype instead of the data. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
 * Validates an admin update and returns what should be merged. Throws the zod error's problems
 * through the caller (see validation.ts). Both spellings of the legacy "account kit" token key are
 * accepted; whichever is given is mirrored to the other, since the app and platform SDKs disagree.
 */
export function normalizeConfigPatch(parsed: z.output<typeof platformConfigPatchSchema>): JsonObject {
  const patch: JsonObject = {};
  for (const [key, value] of Object.entries(parsed as JsonObject)) {
    if (!READ_ONLY_KEYS.has(key) && value !== undefined) patch[key] = value;
  }
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

interface ConfigRow {
  id: string;
  overrides: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export class PlatformConfigStore {
  readonly #db: DB;
  readonly #applicationId: string;
  readonly #now: () => number;

  constructor(db: DB, applicationId: string, now: () => number) {
    this.#db = db;
    this.#applicationId = applicationId;
    this.#now = now;
    // One row per application from the first start on, so the config keeps a stable _id and
    // created_at even before anyone changes it.
    const t = now();
    db.prepare(
      `INSERT OR IGNORE INTO platform_config (application_id, id, overrides, version, created_at, updated_at)
       VALUES (?, ?, '{}', 0, ?, ?)`,
    ).run(applicationId, objectId(t), t, t);
  }

  #row(): ConfigRow {
    return this.#db
      .prepare('SELECT id, overrides, version, created_at, updated_at FROM platform_config WHERE application_id = ?')
      .get(this.#applicationId) as ConfigRow;
  }

  get(): PlatformConfig {
    return render(this.#row());
  }

  /** Merges an already validated patch into the stored overrides and returns the new config. */
  update(patch: JsonObject): PlatformConfig {
    return this.#db.transaction(() => {
      const row = this.#row();
      const overrides = deepMerge(JSON.parse(row.overrides) as JsonObject, patch);
      // Keep updated_at strictly increasing even when the injected clock stands still in tests.
      const t = Math.max(this.#now(), row.updated_at + 1);
      this.#db
        .prepare('UPDATE platform_config SET overrides = ?, version = version + 1, updated_at = ? WHERE application_id = ?')
        .run(JSON.stringify(overrides), t, this.#applicationId);
      return render(this.#row());
    }).immediate();
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
