/**
 * The account page's calls to the user service (sessions, password, contacts, profile, custom
 * attributes), typed with zod/mini and sent through `client.request`, so they follow the same
 * transport rules as sign-in: timeouts, abort, GET retries, one error type. DOM-free.
 */
import * as z from 'zod/mini';
import { LatchApiError } from './errors.js';
import type { LatchClient, RequestOptions } from './client.js';
import { listOf, okSchema, sessionSchema, type User } from './schemas.js';

const AUTH = '/authentication/v1.0';
const PROFILE = '/profile/v1.0';
const text = z.optional(z.string());

/** One signed-in device. Everything but the id is optional: the published contract lists bare ids. */
const sessionInfoSchema = z.looseObject({
  session_id: z.string(),
  current: z.optional(z.boolean()),
  browser: text,
  os: text,
  device: text,
  ip: text,
  location: text,
  last_active_at: text,
  expires_at: text,
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

// Items are read one by one below: the contract's bare ids and our rich sessions may both come.
const sessionsSchema = z.looseObject({ sessions: listOf(z.unknown()) });

const definitionSchema = z.looseObject({
  slug: z.string(),
  name: z.string(),
  type: z.string(),
  description: text,
  multi_value: z.optional(z.boolean()),
  validations: z.optional(listOf(z.looseObject({ type: z.string(), value: z.optional(z.unknown()) }))),
});
export type AttributeDefinition = z.infer<typeof definitionSchema>;
export type AttributeValues = Record<string, unknown>;
// Any object: its keys are the attribute slugs the shopper may edit.
const valuesSchema = z.looseObject({ attributes: z.looseObject({}) });

/** An email, or a phone as the profile endpoints name it (`phone`, not `mobile`). */
export type Contact = { email: string } | { country_code: string; phone: string };

/** Every live session of the shopper; a bare list of ids becomes sessions with an id only. */
export async function listSessions(client: LatchClient, options?: RequestOptions): Promise<SessionInfo[]> {
  const { sessions } = await client.request('GET', `${AUTH}/sessions`, sessionsSchema, undefined, options);
  return sessions.map((item) => {
    if (typeof item === 'string') return { session_id: item };
    const session = sessionInfoSchema.safeParse(item);
    if (!session.success) throw new LatchApiError('A session in the list could not be read', { kind: 'malformed' });
    return session.data;
  });
}

/**
 * Ends one other session, or every other one (`id` undefined). The service may ask for the current
 * `password` first (401 `REAUTH_REQUIRED`); it goes in the body.
 */
export function endSessions(client: LatchClient, id: string | undefined, password?: string, options?: RequestOptions): Promise<unknown> {
  const path = id === undefined ? `${AUTH}/sessions?others=true` : `${AUTH}/sessions/${encodeURIComponent(id)}`;
  return client.request('DELETE', path, okSchema, password ? { password } : {}, options);
}

export async function hasPassword(client: LatchClient, options?: RequestOptions): Promise<boolean> {
  const { result } = await client.request('GET', `${AUTH}/has-password`, okSchema, undefined, options);
  return Boolean(result);
}

/** `old_password` is left out only by an account that has none yet (code or social sign-up). */
export function changePassword(client: LatchClient, body: { old_password?: string; new_password: string }, options?: RequestOptions): Promise<unknown> {
  return client.request('POST', `${AUTH}/password`, okSchema, body, options);
}

export async function saveProfile(client: LatchClient, fields: Record<string, string>, options?: RequestOptions): Promise<User> {
  return (await client.request('POST', `${PROFILE}/detail`, sessionSchema, fields, options)).user;
}

const contactPath = (contact: Contact) => `${PROFILE}/${'email' in contact ? 'email' : 'mobile'}`;

/** Makes a verified email or phone the primary one; answers with the updated user. */
export async function setPrimaryContact(client: LatchClient, contact: Contact, options?: RequestOptions): Promise<User> {
  return (await client.request('POST', `${contactPath(contact)}/primary`, sessionSchema, contact, options)).user;
}

/** Removes an email or phone (with an empty JSON body, like the other DELETEs); answers with the updated user. */
export async function removeContact(client: LatchClient, contact: Contact, options?: RequestOptions): Promise<User> {
  return (await client.request('DELETE', `${contactPath(contact)}?${new URLSearchParams(contact)}`, sessionSchema, {}, options)).user;
}

/** The attributes a shopper may edit, in the order a form shows them (pinned first). */
export async function attributeDefinitions(client: LatchClient, options?: RequestOptions): Promise<AttributeDefinition[]> {
  return (await client.request('GET', `${PROFILE}/attributes/definition`, z.looseObject({ items: listOf(definitionSchema) }), undefined, options)).items;
}

/**
 * Every attribute value set, by slug; with `attributes`, sets those first (`null` removes one), all
 * or nothing, and answers with every value now set.
 */
export async function userAttributes(client: LatchClient, attributes?: AttributeValues, options?: RequestOptions): Promise<AttributeValues> {
  const body = attributes && { attributes };
  return (await client.request(body ? 'PATCH' : 'GET', `${PROFILE}/user-attributes`, valuesSchema, body, options)).attributes;
}
