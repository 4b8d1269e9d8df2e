/**
 * Adopts latch's stylesheets into the root node each element lives in (the document, or the shadow
 * root around it). The rules themselves are in styles.css (shared) and each element's own `.css`
 * file, imported as text with `?inline` (the build minifies them).
 */
import latchStyles from './styles.css?inline';

const sheets = new Map<string, CSSStyleSheet>();

/**
 * Adds a latch stylesheet (the shared one by default, or an element's own) to the root node, a
 * document or a shadow root, once. Each element's own rules travel with that element, so a page
 * with only the sign-in widget downloads none of the account page's styles.
 */
export function adoptLatchStyles(root: Node, css = latchStyles): void {
  if (!(root instanceof Document || root instanceof ShadowRoot)) return;
  let sheet = sheets.get(css);
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    sheets.set(css, sheet);
  }
  // Checked each time rather than remembered: a page may reassign adoptedStyleSheets later.
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}
