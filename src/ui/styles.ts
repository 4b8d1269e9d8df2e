/**
 * The one stylesheet every latch element adopts into its root node (the document, or the shadow
 * root it lives in). Rules sit under `.latch-root` so they outrank a host page's element resets
 * (`input {}` or `input[type=email] {}`), which a cascade layer would not: unlayered page styles beat
 * any layer. Hosts theme through `--latch-*` custom properties and the documented `latch-*` classes.
 * Logical properties only, so right-to-left pages mirror without extra rules.
 */
/** Plain text, turned into one constructable stylesheet on first use. */
export const latchStyles = `
  .latch-root {
    --_primary: var(--latch-color-primary, #1f4fd6);
    --_on-primary: var(--latch-color-on-primary, #ffffff);
    --_text: var(--latch-color-text, #1b1f24);
    --_muted: var(--latch-color-muted, #545c66);
    --_surface: var(--latch-color-surface, #ffffff);
    --_border: var(--latch-color-border, #767f8a);
    --_error: var(--latch-color-error, #b3261e);
    --_radius: var(--latch-radius, 0.5rem);
    --_space: var(--latch-space, 1rem);
    --_font: var(--latch-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    display: flex;
    box-sizing: border-box;
    inline-size: 100%;
    min-block-size: var(--latch-min-block-size, auto);
    padding: var(--_space);
    margin: 0;
    background: var(--latch-backdrop, var(--_config-backdrop, transparent));
    font: 400 1rem/1.5 var(--_font);
    color: var(--_text);
    text-align: start;
    text-decoration: none;
    text-transform: none;
    letter-spacing: normal;
    justify-content: center;
    align-items: center;
  }
  /* Beats a page's element rules (such as p { font-size: 8px }); our own class rules still win over it. */
  .latch-root * {
    box-sizing: border-box;
    font-size: inherit;
    line-height: inherit;
    letter-spacing: inherit;
    text-transform: inherit;
    text-decoration: inherit;
    font-family: inherit;
  }
  .latch-root--align-start { justify-content: flex-start; }
  .latch-root--align-end { justify-content: flex-end; }
  .latch-root--valign-start { align-items: flex-start; }
  .latch-root--valign-end { align-items: flex-end; }

  .latch-root .latch-card {
    display: flex;
    flex-direction: column;
    gap: var(--_space);
    inline-size: 100%;
    max-inline-size: var(--latch-card-max-inline-size, 26rem);
    padding: calc(var(--_space) * 1.5);
    margin: 0;
    background: var(--_surface);
    border: 1px solid var(--latch-color-card-border, #d5d9de);
    border-radius: calc(var(--_radius) * 1.5);
    box-shadow: var(--latch-card-shadow, 0 1px 3px rgb(0 0 0 / 0.12));
  }
  .latch-root .latch-card__header { display: flex; flex-direction: column; gap: 0.25rem; align-items: center; text-align: center; }
  .latch-root .latch-card__logo { display: block; max-inline-size: 100%; max-block-size: 4rem; inline-size: auto; block-size: auto; }
  .latch-root .latch-card__title { margin: 0; font: 600 1.5rem/1.25 var(--_font); color: var(--_text); }
  .latch-root .latch-card__subtitle { margin: 0; color: var(--_muted); }

  .latch-root .latch-flash {
    margin: 0;
    padding: 0.75rem var(--_space);
    border-radius: var(--_radius);
    background: var(--_config-flash-bg, #1f2937);
    color: var(--_config-flash-text, #ffffff);
  }

  .latch-root .latch-form { display: flex; flex-direction: column; gap: var(--_space); margin: 0; padding: 0; border: 0; background: none; }
  .latch-root .latch-field { display: flex; flex-direction: column; gap: 0.25rem; margin: 0; padding: 0; border: 0; }
  .latch-root .latch-field__label { display: block; margin: 0; font-weight: 600; color: var(--_text); }
  .latch-root .latch-field__row { display: flex; gap: 0.5rem; align-items: stretch; }
  .latch-root .latch-field__input {
    display: block;
    flex: 1 1 auto;
    inline-size: 100%;
    min-inline-size: 0;
    min-block-size: 2.75rem;
    margin: 0;
    padding: 0.5rem 0.75rem;
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: none;
    appearance: none;
    opacity: 1;
    visibility: visible;
    text-transform: none;
  }
  .latch-root .latch-field__input[aria-invalid='true'] { border-color: var(--_error); border-width: 2px; }
  .latch-root .latch-field__error { margin: 0; color: var(--_error); font-size: 0.875rem; }

  .latch-root .latch-button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.5rem;
    min-block-size: 2.75rem;
    min-inline-size: 2.75rem;
    margin: 0;
    padding: 0.5rem 1rem;
    font: 600 1rem/1.2 var(--_font);
    color: var(--_primary);
    background: transparent;
    border: 1px solid var(--_primary);
    border-radius: var(--_radius);
    cursor: pointer;
    text-transform: none;
    letter-spacing: normal;
    text-decoration: none;
    opacity: 1;
    visibility: visible;
    inline-size: auto;
    block-size: auto;
  }
  .latch-root .latch-field__toggle { flex: none; white-space: nowrap; font-size: 0.875rem; padding-inline: 0.75rem; }
  .latch-root .latch-field__toggle[aria-pressed='true'] { background: var(--latch-color-notice, #eef2fb); }
  .latch-root .latch-button--primary { inline-size: 100%; color: var(--_on-primary); background: var(--_primary); }
  .latch-root .latch-button[disabled],
  .latch-root .latch-button[aria-disabled='true'] { cursor: not-allowed; opacity: 0.6; }
  .latch-root .latch-button:focus-visible,
  .latch-root .latch-field__input:focus-visible {
    outline: 3px solid var(--latch-focus-ring, #1f4fd6);
    outline-offset: 2px;
  }

  .latch-root .latch-step { display: flex; flex-direction: column; gap: var(--_space); }
  .latch-root .latch-step__title { margin: 0; font: 600 1.125rem/1.3 var(--_font); color: var(--_text); }
  .latch-root .latch-step p { margin: 0; }
  .latch-root .latch-phone { display: grid; grid-template-columns: minmax(5.5rem, 1fr) 3fr; gap: 0.5rem; align-items: end; }
  .latch-root .latch-link {
    min-block-size: 2.75rem;
    padding-inline: 0.25rem;
    border-color: transparent;
    background: none;
    text-decoration: underline;
    align-self: flex-start;
    font-weight: 500;
  }
  .latch-root .latch-alternatives { display: flex; flex-direction: column; gap: 0.5rem; }
  .latch-root .latch-alternatives .latch-button { inline-size: 100%; }
  .latch-root .latch-divider { display: flex; align-items: center; gap: 0.75rem; margin: 0; color: var(--_muted); }
  .latch-root .latch-divider::before,
  .latch-root .latch-divider::after { content: ''; flex: 1; border-block-start: 1px solid var(--latch-color-card-border, #d5d9de); }
  .latch-root .latch-notice {
    margin: 0;
    padding: 0.75rem var(--_space);
    border-radius: var(--_radius);
    border-inline-start: 4px solid var(--_primary);
    background: var(--latch-color-notice, #eef2fb);
    color: var(--_text);
  }
  .latch-root .latch-notice--error { border-inline-start-color: var(--_error); background: var(--latch-color-error-bg, #fcebea); }
  .latch-root .latch-notice p { margin: 0; }
  .latch-root .latch-notice .latch-button { margin-block-start: 0.5rem; }

  /* Shared by several elements: a checkbox or radio with its label, a hint under a field. */
  .latch-root .latch-choices { display: flex; flex-direction: column; gap: 0.5rem; min-inline-size: 0; margin: 0; padding: 0; border: 0; }
  .latch-root .latch-choices > legend { padding: 0; margin-block-end: 0.25rem; }
  .latch-root .latch-choice { display: flex; gap: 0.5rem; align-items: flex-start; }
  .latch-root .latch-choice > input { flex: none; inline-size: 1.25rem; block-size: 1.25rem; margin: 0; margin-block-start: 0.125rem; accent-color: var(--_primary); }
  .latch-root .latch-choice > input[aria-invalid='true'] { outline: 2px solid var(--_error); }
  .latch-root .latch-choice > input:focus-visible { outline: 3px solid var(--latch-focus-ring, #1f4fd6); outline-offset: 2px; }
  .latch-root .latch-field__hint { margin: 0; color: var(--_muted); font-size: 0.875rem; }
  .latch-root .latch-visually-hidden { position: absolute; inline-size: 1px; block-size: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }

`;

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
