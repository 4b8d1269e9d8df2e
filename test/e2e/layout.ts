/**
 * The layout checks the whole-page screenshot tests share, measured in the page for one element:
 * does the page scroll sideways, do two controls overlap, which controls are too small to hit.
 * A show-password toggle sits inside its own field on purpose (the field points at it with
 * aria-controls); there the check is that the field's text stops before the toggle, and every other
 * pair of controls still must not overlap.
 */
import type { Page } from 'puppeteer-core';

export interface Layout {
  /** How far the page scrolls sideways, in px (0 or less: it fits). */
  overflow: number;
  /** Pairs of controls that overlap, or a field whose text runs under its in-field toggle. */
  overlaps: string[];
  /** Controls under 44 px tall (24 px for a text link on a field's label row; checkboxes and radios exempt). */
  small: string[];
}

/**
 * Measures the controls inside the first element matching `selector`. The page needs
 * `globalThis.__name = (fn) => fn` set before its scripts (tsx names the inner functions with it).
 */
export function measureLayout(page: Page, selector: string): Promise<Layout> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel)!;
    const controls = [...el.querySelectorAll<HTMLElement>('input, button, select, textarea, a')].filter(
      (c) => c.getBoundingClientRect().width > 1 && getComputedStyle(c).visibility !== 'hidden',
    );
    const name = (c: HTMLElement) => `${c.tagName.toLowerCase()} "${(c.textContent || c.getAttribute('name') || '').trim()}"`;
    const overlaps: string[] = [];
    controls.forEach((a, i) => {
      const ra = a.getBoundingClientRect();
      for (const b of controls.slice(i + 1)) {
        if (a.contains(b) || b.contains(a)) continue;
        // A toggle inside its field is meant to sit there: the field's text must stop before it.
        const [toggle, field] = a.id && b.getAttribute('aria-controls') === a.id ? [b, a] : b.id && a.getAttribute('aria-controls') === b.id ? [a, b] : [];
        if (toggle && field) {
          const room = parseFloat(getComputedStyle(field).paddingInlineEnd);
          if (room + 0.5 < toggle.getBoundingClientRect().width) overlaps.push(`${name(field)}: its text runs under ${name(toggle)}`);
          continue;
        }
        const rb = b.getBoundingClientRect();
        const x = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const y = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (x > 0.5 && y > 0.5) overlaps.push(`${name(a)} / ${name(b)}`);
      }
    });
    return {
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      overlaps,
      // Checkboxes are 20 px but sit in a label row that is the target; links inside text are exempt (WCAG 2.5.8).
      small: controls
        .filter((c) => c.matches('button, input:not([type=checkbox]):not([type=radio]), select'))
        // A text link on a field's label row ("Forgot password?") keeps WCAG 2.5.8's 24 px instead.
        .filter((c) => c.getBoundingClientRect().height < (c.closest('.latch-field__head') ? 24 : 44) - 0.5)
        .map(name),
    };
  }, selector);
}
