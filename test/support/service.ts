/**
 * Browser-side helpers for end-to-end tests: drive the real reference service mounted in the test
 * server (see web-test-runner.config.mjs) through its admin API, and wait for what a shopper sees.
 */
export const ADMIN_TOKEN = 'test-admin-token';
export const DEMO = { email: 'shopper@example.com', password: 'correct-horse-battery', name: 'Sam Shopper' };
export const ADMIN_BASE = '/service/platform/user/v1.0/company/1/application/000000000000000000000001';
export const APP_BASE = '/service/application/user';

export function admin(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${ADMIN_BASE}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...init.headers },
  });
}

/** The config every test starts from; a test changes only what it is about. */
export const BASELINE_CONFIG = {
  active: true,
  name: 'Test store',
  display: 'Test store',
  subtext: 'Sign in to continue',
  desktop_image: '',
  mobile_image: '',
  login: { password: true, otp: false },
  flash_card: { text: '', text_color: '#FFFFFF', background_color: '#1F2937' },
  look_and_feel: { background_color: '#F5F5F5', card_position: 'center' },
};

export async function setConfig(patch: Record<string, unknown>): Promise<void> {
  const response = await admin('/platform/config', { method: 'POST', body: JSON.stringify(patch) });
  if (!response.ok) throw new Error(`setConfig failed: ${response.status} ${await response.text()}`);
}

/** Baseline config, no session, no cached config: each test starts as a first visit. */
export async function resetState(): Promise<void> {
  localStorage.clear();
  await setConfig(BASELINE_CONFIG);
  await fetch(`${APP_BASE}/authentication/v1.0/logout`);
  performance.clearResourceTimings();
}

export async function sessionUser(): Promise<unknown> {
  const response = await fetch(`${APP_BASE}/authentication/v1.0/session`);
  return response.ok ? ((await response.json()) as { user: unknown }).user : null;
}

// The failure bound below keeps the real timers even while a test fakes the global ones.
const { setTimeout: realSetTimeout, clearTimeout: realClearTimeout } = window;

/**
 * Waits until `check` returns something truthy: it is checked at once, again after every change
 * to the page (a MutationObserver), and at each frame for what the DOM does not show (a property,
 * the service, a popup), the way puppeteer's waitForFunction polls; no timer paces it. Fails with
 * `what` after `timeout` ms, a bound for a test that fails and never part of one that passes.
 * A state is seen as soon as it renders, so wait for the control you act on, not a neighbour.
 */
export function until<T>(
  check: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  what: string,
  timeout = 5000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let checking = false;
    let again = false;
    let frame = 0;
    const changes = new MutationObserver(() => void attempt());
    const stop = () => {
      settled = true;
      changes.disconnect();
      cancelAnimationFrame(frame);
      realClearTimeout(limit);
    };
    const limit = realSetTimeout(() => {
      stop();
      reject(new Error(`Timed out waiting for ${what}`));
    }, timeout);
    async function attempt(): Promise<void> {
      if (settled) return;
      // A change while an (async) check runs is looked at once that check is done.
      if (checking) {
        again = true;
        return;
      }
      checking = true;
      try {
        do {
          again = false;
          const value = await check();
          if (settled) return;
          if (value) {
            stop();
            resolve(value);
            return;
          }
        } while (again);
      } catch (error) {
        stop();
        reject(error);
        return;
      } finally {
        checking = false;
      }
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => void attempt());
    }
    changes.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    void attempt();
  });
}

/** The input a label names, found the way a screen reader user would find it. */
export function input(root: ParentNode, label: string): HTMLInputElement | null {
  const found = [...root.querySelectorAll('label')].find((l) => l.textContent?.trim() === label);
  return (found?.control as HTMLInputElement | null) ?? null;
}

export function button(root: ParentNode, name: string): HTMLButtonElement | null {
  return [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === name) ?? null;
}

export function alertText(root: ParentNode): string {
  return [...root.querySelectorAll('[role="alert"]')].map((a) => a.textContent?.trim()).join(' ').trim();
}

/** Types like a user: sets the value and fires `input`, as a keystroke would. */
export function fill(field: HTMLInputElement, value: string): void {
  field.focus();
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/** Requests the page made to a path, counted by the browser's own resource timing. */
export function requestsTo(path: string): number {
  return performance.getEntriesByType('resource').filter((e) => e.name.includes(path)).length;
}

/**
 * Requests the reference service answered whose path ends with `path` (its dev request counter):
 * proof at the service, not in the browser, that something was or was not sent.
 */
export async function served(path: string): Promise<number> {
  const response = await fetch(`/__dev/requests?path=${encodeURIComponent(path)}`);
  return ((await response.json()) as { count: number }).count;
}

/**
 * Text the widget shows isolated left to right (a phone number, an email address) as it reads in
 * a sentence: between U+2066 and U+2069, so it never turns around in a right-to-left page.
 */
export const ltr = (text: string): string => `\u2066${text}\u2069`;

/** A phone as an English page shows it: `+91 987 654 3210`, grouped as typed (no-break spaces), isolated. */
export const shownPhone = (mobile: string, code = '91'): string =>
  ltr(`+${code} ${[mobile.slice(0, 3), mobile.slice(3, 6), mobile.slice(6)].filter(Boolean).join(' ')}`.replace(/ /g, '\u00a0'));
