// The one error type of the reference service and the wire shape every failure uses: the seed's
// APIError `{ code, message, info, request_id, error, meta, authenticated }` (api-contract section 7).
// Handlers throw ApiError; app.onError turns it into that body so no route formats errors itself.

export type ErrorMeta = Record<string, unknown>;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly meta: ErrorMeta;
  readonly headers: Record<string, string>;
  readonly authenticated: boolean | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    extra: { meta?: ErrorMeta; headers?: Record<string, string>; authenticated?: boolean } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.meta = extra.meta ?? {};
    this.headers = extra.headers ?? {};
    this.authenticated = extra.authenticated;
  }
}

export interface ErrorBody {
  message: string;
  code: string;
  /** The seed's "error code description link": a stable URI naming the code (see README, Errors). */
  info: string;
  request_id: string;
  error: string;
  meta: ErrorMeta;
  authenticated: boolean;
}

/**
 * Prefix of `info`. There is no public documentation site to link to, so the link is a URN that
 * names the code for good (like a problem+json `type`); the README's error section resolves it.
 */
export const ERROR_INFO_PREFIX = 'urn:latch:error:';

/**
 * `error` repeats the message because themes read `err.details.error` as well as `err.message`;
 * a short machine-oriented value lives in `code`.
 */
export function errorBody(
  err: Pick<ApiError, 'message' | 'code' | 'meta'>,
  requestId: string,
  authenticated: boolean,
): ErrorBody {
  return {
    message: err.message,
    code: err.code,
    info: `${ERROR_INFO_PREFIX}${err.code}`,
    request_id: requestId,
    error: err.message,
    meta: err.meta,
    authenticated,
  };
}

/** 400 for a request whose fields are wrong; the message names every bad field. */
export function validationError(problems: { path: string; message: string }[]): ApiError {
  const message = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  return new ApiError(400, 'VALIDATION_ERROR', message || 'Invalid request', {
    meta: { fields: Object.fromEntries(problems.map((p) => [p.path, p.message])) },
  });
}
