// Log-line helpers: values that came from a request are quoted so they cannot start a new line,
// imitate a key=value pair or carry terminal escapes into whoever reads the log.

/** A request-supplied text as a JSON string: quotes, backslashes, newlines and controls escaped. */
export function logValue(value: string, max = 100): string {
  const text = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The keys of a request body for a log line: each quoted, at most 20 of them. */
export function logKeys(body: Record<string, unknown>): string {
  const keys = Object.keys(body);
  const shown = keys.slice(0, 20).map((k) => logValue(k, 64)).join(',');
  return keys.length > 20 ? `${shown},…(${keys.length} keys)` : shown;
}
