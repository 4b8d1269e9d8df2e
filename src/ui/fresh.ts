/**
 * New DOM whenever a key changes, as lit's `keyed` directive gives, without the directive machinery
 * in the bundle. lit keeps the DOM at a place only while the template there stays the same one, so
 * each change of key switches to the other of two templates; the two differ (by an empty comment)
 * so that no minifier can fold them into one.
 */
import { html, type TemplateResult } from 'lit/html.js';

/** One place that renders fresh controls when its key changes (a step, a list whose items changed). */
export function freshByKey(): (key: unknown, content: unknown) => TemplateResult {
  let last: unknown;
  let flip = false;
  return (key, content) => {
    if (key !== last) {
      last = key;
      flip = !flip;
    }
    return flip ? html`${content}` : html`<!---->${content}`;
  };
}
