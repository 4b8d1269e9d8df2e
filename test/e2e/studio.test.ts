/**
 * The demo's "Store admin" studio as a newcomer meets it after `npm start`: driven by its labels,
 * it changes the live platform config through the admin API, and the widget on the page, and in a
 * second open tab, follows without a reload.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ViteDevServer } from 'vite';
import { startDemoServer } from './demo-server.js';
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import { createRequire } from 'node:module';
import { launch } from './browser.js';

// axe-core arrives with @open-wc/testing (the browser tests' accessibility checks).
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

// At least 32 characters, as the service requires of a given token.
const ADMIN_TOKEN = 'studio-e2e-admin-token-0123456789abcdef';
let server: ViteDevServer;
let browser: Browser;
let origin: string;

before(async () => {
  ({ server, origin } = await startDemoServer(ADMIN_TOKEN));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const widgetText = (page: Page) => page.$eval('latch-auth', (el) => el.textContent ?? '');
// Waits re-check on every DOM change rather than every animation frame: a tab in the background
// runs no animation frames, so a frame-paced wait on the second tab could stall until it times out.
const onChange = { polling: 'mutation' } as const;

const waitForWidget = (page: Page, pattern: string, present = true) =>
  page.waitForFunction(
    (text, want) => (document.querySelector('latch-auth')?.textContent?.includes(text) ?? false) === want,
    onChange,
    pattern,
    present,
  );

/** A fresh context (own storage and cookies) with the demo page open and the studio loaded. */
async function openStudio(context?: BrowserContext): Promise<Page> {
  const page = await (context ?? (await browser.createBrowserContext())).newPage();
  await page.goto(`${origin}/`);
  await page.locator('::-p-aria([name="Store admin"][role="heading"])').wait();
  await page.locator('::-p-aria(One-time code)').wait();
  return page;
}

/** Waits for the studio's own confirmation that the admin API took the change. */
const saved = (page: Page, what: string) =>
  page.waitForFunction((text) => document.querySelector('#studio [role="status"]')?.textContent?.includes(text), onChange, what);

test('the demo starts with more than a password form, and the studio shows the live config', async () => {
  const page = await openStudio();
  await waitForWidget(page, 'Continue with Google');
  const text = await widgetText(page);
  assert.match(text, /Sign in with a one-time code/);
  assert.match(text, /Create account/);
  assert.match(text, /Continue as guest/);
  // The switches show the config the widget renders.
  assert.equal(await page.$eval('#studio-otp', (el) => (el as HTMLInputElement).checked), true);
  assert.equal(await page.$eval('#studio-facebook', (el) => (el as HTMLInputElement).checked), false);
  await page.browserContext().close();
});

test('turning a sign-in method off and on by its label changes the widget at once', async () => {
  const page = await openStudio();
  await waitForWidget(page, 'Sign in with a one-time code');
  await page.locator('::-p-aria(One-time code)').click();
  await saved(page, 'One-time code off');
  await waitForWidget(page, 'Sign in with a one-time code', false);

  await page.locator('::-p-aria(One-time code)').click();
  await saved(page, 'One-time code on');
  await waitForWidget(page, 'Sign in with a one-time code');

  await page.locator('::-p-aria(Facebook)').click();
  await waitForWidget(page, 'Continue with Facebook');
  await page.browserContext().close();
});

test('a preset sets a whole store: "Phone first" drops the password, "Password only" drops the rest', async () => {
  const page = await openStudio();
  await page.locator('::-p-aria([name="Phone first"][role="button"])').click();
  await saved(page, 'preset "Phone first"');
  await page.waitForFunction(() => !document.querySelector('latch-auth input[type="password"]'));
  await waitForWidget(page, 'no password needed');
  assert.equal(await page.$eval('#studio-password', (el) => (el as HTMLInputElement).checked), false);

  await page.locator('::-p-aria([name="Password only"][role="button"])').click();
  await saved(page, 'preset "Password only"');
  await page.locator('latch-auth input[type="password"]').wait();
  await waitForWidget(page, 'Continue as guest', false);
  const text = await widgetText(page);
  assert.doesNotMatch(text, /Continue with|Create account|one-time code/);
  await page.browserContext().close();
});

test('announcement text typed in the studio appears on the card; page controls set theme, language and direction', async () => {
  const page = await openStudio();
  const field = page.locator('::-p-aria([name="Announcement text"][role="textbox"])');
  await field.fill('Winter sale starts today');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('.latch-flash')?.textContent?.trim() === 'Winter sale starts today');

  await page.locator('::-p-aria([name="Theme"][role="combobox"])').fill('dark');
  await page.waitForFunction(() => document.querySelector('latch-auth')?.getAttribute('theme') === 'dark');

  await page.locator('::-p-aria([name="Language"][role="combobox"])').fill('ar');
  await page.locator('::-p-aria([name="Text direction"][role="combobox"])').fill('rtl');
  await page.waitForFunction(() => document.querySelector('latch-auth')?.getAttribute('dir') === 'rtl');
  // The widget speaks the chosen language: the shipped Arabic catalog, downloaded when chosen.
  await page.locator('latch-auth button::-p-text(تسجيل الدخول)').wait();
  // Every shipped language is offered, Hindi among them.
  await page.locator('::-p-aria([name="Language"][role="combobox"])').fill('hi');
  await page.waitForFunction(() => document.querySelector('latch-auth')?.getAttribute('lang') === 'hi');
  await page.waitForFunction(() => [...document.querySelectorAll('latch-auth button')].some((b) => b.textContent?.trim() === 'साइन इन करें'));
  await page.browserContext().close();
});

test('a second open tab follows every change: its widget and its studio', async () => {
  const context = await browser.createBrowserContext();
  const first = await openStudio(context);
  const second = await openStudio(context);

  // The tab being used is in front (a background tab runs no animation frames).
  await first.bringToFront();
  await first.locator('::-p-aria([name="Everything on"][role="button"])').click();
  await saved(first, 'preset "Everything on"');
  await waitForWidget(second, 'Continue with Apple');
  await first.locator('::-p-aria(Apple)').click();
  await saved(first, 'Apple off');
  await waitForWidget(second, 'Continue with Apple', false);
  await second.waitForFunction(() => (document.getElementById('studio-apple') as HTMLInputElement | null)?.checked === false, onChange);
  await saved(second, 'Changed in another tab');

  await first.locator('::-p-aria([name="Theme"][role="combobox"])').fill('auto');
  await second.waitForFunction(() => document.querySelector('latch-auth')?.getAttribute('theme') === 'auto', onChange);
  await context.close();
});

test('the studio is accessible: every control named, no axe violations', async () => {
  const page = await openStudio();
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: string): Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> } }).axe;
    return (await axe.run('#studio')).violations.map((v) => `${v.id} (${v.nodes.length})`);
  });
  assert.deepEqual(violations, []);
  await page.browserContext().close();
});

test('no two studio controls share a name, so each can be found and heard by its name alone', async () => {
  const page = await openStudio();
  type Node = { role: string; name?: string; children?: Node[] };
  const names: string[] = [];
  const walk = (node: Node | null | undefined, inStudio: boolean) => {
    if (!node) return;
    const here = inStudio || (node.role === 'region' && node.name === 'Store admin');
    if (here && /^(combobox|switch|checkbox|textbox|spinbutton|button|ColorWell)$/.test(node.role)) names.push(`${node.role} "${node.name}"`);
    for (const child of node.children ?? []) walk(child, here);
  };
  walk((await page.accessibility.snapshot()) as Node | null, false);
  assert.ok(names.includes('combobox "Email address after sign-in"'), names.join(', '));
  assert.ok(names.includes('combobox "Email address at registration"'), names.join(', '));
  assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), []);
  await page.browserContext().close();
});

test('the studio and its admin token never reach the package build', async () => {
  const { build } = await import('vite');
  const { mkdtempSync, readdirSync, readFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const outDir = mkdtempSync(join(tmpdir(), 'latch-package-'));
  await build({ logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  const files = readdirSync(outDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  assert.ok(files.some((file) => file.name === 'index.js'));
  for (const file of files) {
    const text = readFileSync(join(file.parentPath, file.name), 'utf8');
    assert.doesNotMatch(text, /latch-studio|Store admin|studio-e2e-admin-token/, file.name);
  }
});

test('on a 320 px phone the demo page and its studio fit the width', async () => {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 320, height: 800 });
  await page.goto(`${origin}/`);
  await page.locator('::-p-aria(One-time code)').wait();
  const overflow = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth - innerWidth,
    studio: [...document.querySelectorAll('#studio *')].filter((el) => el.getBoundingClientRect().right > innerWidth + 0.5).length,
  }));
  assert.deepEqual(overflow, { page: 0, studio: 0 });
  await context.close();
});
