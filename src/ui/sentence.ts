/**
 * A translated sentence with markup inside it (a link, a strong word) as one message: the catalog
 * writes "I agree to the {link}." in its own word order, and the sentence is cut around its named
 * placeholders into text and the given templates. Text stays text (Lit renders strings as text
 * nodes), so nothing from a catalog or a store's override ever becomes HTML.
 */
import type { TemplateResult } from 'lit/html.js';

/**
 * `text` (a message whose `{name}` placeholders were left unfilled) as parts to render: strings
 * between the placeholders, and `parts[name]` where each placeholder stood. A placeholder with no
 * part stays as written; a part whose placeholder a translation forgot is added at the end, so a
 * link is never lost.
 */
export function sentence(text: string, parts: Record<string, TemplateResult>): (string | TemplateResult)[] {
  const out: (string | TemplateResult)[] = [];
  const used = new Set<string>();
  let at = 0;
  for (const match of text.matchAll(/\{(\w+)\}/g)) {
    const part = parts[match[1]!];
    if (!part) continue;
    if (match.index > at) out.push(text.slice(at, match.index));
    out.push(part);
    used.add(match[1]!);
    at = match.index + match[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  for (const [name, part] of Object.entries(parts)) if (!used.has(name)) out.push(' ', part);
  return out;
}
