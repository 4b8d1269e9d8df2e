/**
 * Every `expect(el).to.be.accessible()` in the browser tests runs axe twice: as the element is (the
 * light theme, unless the test set one), then with `theme="dark"` on the latch elements in the
 * fixture, so colour contrast is checked in both palettes for every state the tests reach. Loaded
 * before each test file by web-test-runner.config.mjs (testRunnerHtml); `themes` names the runs.
 */
import { chai } from '@open-wc/testing';
import { ConnectedElement } from '../../src/elements/latch-element.js';

type Theme = 'light' | 'dark' | 'auto' | undefined;

/** The latch elements at or under `root` (a provider counts: it passes its theme down). */
export function latchElementsIn(root: unknown): ConnectedElement[] {
  if (!(root instanceof Element)) return [];
  const all = [root, ...root.querySelectorAll('*')];
  return all.filter((el): el is ConnectedElement => el instanceof ConnectedElement);
}

/** Puts `theme` on the outermost latch elements under `root` and waits until every one has rendered with it. */
export async function setTheme(root: unknown, theme: Theme): Promise<Array<[ConnectedElement, Theme]>> {
  const els = latchElementsIn(root);
  const outer = els.filter((el) => !els.some((other) => other !== el && other.contains(el)));
  const before = outer.map((el) => [el, el.theme] as [ConnectedElement, Theme]);
  for (const el of outer) el.theme = theme;
  await settle(root);
  return before;
}

async function settle(root: unknown): Promise<void> {
  // Twice: a re-rendered element asks the latch elements it rendered to render again.
  for (let i = 0; i < 2; i++) await Promise.all(latchElementsIn(root).map((el) => el.updateComplete));
}

/** The palettes each accessibility check runs in. */
export const themes = ['light', 'dark'] as const;

chai.use((_chai, utils) => {
  utils.overwriteMethod(chai.Assertion.prototype, 'accessible', (original: (options?: unknown) => PromiseLike<unknown>) =>
    function (this: Chai.AssertionStatic, options?: unknown) {
      // `not.accessible` asserts a failure: one run says it.
      if (utils.flag(this, 'negate')) return original.call(this, options);
      const fixture = (this as unknown as { _obj: unknown })._obj;
      const run = async () => {
        await original.call(this, options);
        const ownTheme = latchElementsIn(fixture).some((el) => el.theme === 'dark');
        if (ownTheme) return;
        const before = await setTheme(fixture, 'dark');
        try {
          await original.call(this, options);
        } catch (error) {
          if (error instanceof Error) error.message = `In the dark theme: ${error.message}`;
          throw error;
        } finally {
          for (const [el, theme] of before) el.theme = theme;
          await settle(fixture);
        }
      };
      const result = run();
      (this as unknown as { then: unknown }).then = result.then.bind(result);
      return this;
    },
  );
});
