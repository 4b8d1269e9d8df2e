/**
 * URLs from config or server data go into `src`/`href` attributes, where Lit does not sanitise.
 * Only `https:` or the page's own origin pass; `javascript:`, `data:` and plain `http:` elsewhere do not.
 */
export function safeUrl(value: unknown, pageOrigin: string): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  let url: URL;
  try {
    url = new URL(value.trim(), pageOrigin);
  } catch {
    return undefined;
  }
  return url.protocol === 'https:' || url.origin === pageOrigin ? url.href : undefined;
}
