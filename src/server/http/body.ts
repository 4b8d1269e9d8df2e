// Reading a request body: JSON, an object, not too deep. Routes then parse it with zod
// (shared/validation.ts parseOrThrow) or the field readers of the service they call.
import type { Context } from 'hono';
import { ApiError } from '../shared/errors';
import { jsonDepth, MAX_JSON_DEPTH } from '../shared/validation';

/**
 * Reads the request body as a JSON object. An empty body counts as `{}` so that required-field
 * checks can name what is missing; anything that is not a JSON object is a 400.
 */
export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'INVALID_JSON', 'The request body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiError(400, 'INVALID_JSON', 'The request body must be a JSON object');
  }
  if (jsonDepth(value) > MAX_JSON_DEPTH) {
    throw new ApiError(400, 'INVALID_JSON', `The request body may nest objects and arrays at most ${MAX_JSON_DEPTH} deep`);
  }
  return value as Record<string, unknown>;
}
