/**
 * Focus into another latch element that is still rendering (an embedded sign-in form, the deletion
 * flow): it is put on the page first and renders its first step a little later, maybe after loading.
 */

/** Focuses the first match of `selector` inside `el` once it is there (a few frames at most); false when it never came. */
export async function focusInside(el: HTMLElement & { updateComplete?: Promise<unknown> }, selector: string, tries = 10): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    await el.updateComplete;
    const target = el.querySelector<HTMLElement>(selector);
    if (target) {
      target.focus();
      return true;
    }
    await new Promise(requestAnimationFrame);
  }
  return false;
}
