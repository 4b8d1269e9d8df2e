/**
 * What every demo page does for the studio: when the store admin panel (in this tab or any other)
 * changes the platform config, the latch elements on this page fetch it again; the page-side
 * settings (theme, language, direction) are kept in localStorage and followed across tabs too.
 */

/** Messages between tabs of the demo (same origin only, by the browser's rules). */
export type StudioMessage = { type: 'config'; version: number } | { type: 'page'; settings: PageSettings };

export interface PageSettings {
  theme: 'light' | 'dark' | 'auto';
  lang: string;
  /** `auto` leaves `dir` off, so the element follows the page. */
  dir: 'auto' | 'ltr' | 'rtl';
}

export const DEFAULT_PAGE: PageSettings = { theme: 'light', lang: 'en', dir: 'auto' };
const PAGE_KEY = 'latch-studio:page';
const LATCH_ELEMENTS = 'latch-auth, latch-account, latch-delete-account';

export const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('latch-studio') : undefined;

export function readPageSettings(): PageSettings {
  try {
    const stored = JSON.parse(localStorage.getItem(PAGE_KEY) ?? '{}') as Partial<PageSettings>;
    return { ...DEFAULT_PAGE, ...stored };
  } catch {
    return { ...DEFAULT_PAGE };
  }
}

export function savePageSettings(settings: PageSettings): void {
  try {
    localStorage.setItem(PAGE_KEY, JSON.stringify(settings));
  } catch {
    // Blocked storage: the settings still apply to this tab.
  }
}

/** Sets the attributes on every latch element of the page (theming itself belongs to the elements). */
export function applyPageSettings(settings: PageSettings): void {
  for (const el of document.querySelectorAll(LATCH_ELEMENTS)) {
    el.setAttribute('theme', settings.theme);
    el.setAttribute('lang', settings.lang);
    if (settings.dir === 'auto') el.removeAttribute('dir');
    else el.setAttribute('dir', settings.dir);
    // `lang` is a plain attribute, not a reactive property: render again in the new language.
    (el as HTMLElement & { requestUpdate?(): void }).requestUpdate?.();
  }
}

/** Makes every latch element on the page fetch the platform config again. */
export function refreshWidgets(): void {
  for (const el of document.querySelectorAll(LATCH_ELEMENTS)) {
    void (el as HTMLElement & { refreshConfig(): Promise<void> }).refreshConfig();
  }
}

/** Listeners of this tab's own studio panel (BroadcastChannel does not echo to its sender). */
export const localListeners = new Set<(message: StudioMessage) => void>();

export function startSync(): void {
  applyPageSettings(readPageSettings());
  channel?.addEventListener('message', (event: MessageEvent<StudioMessage>) => {
    const message = event.data;
    if (message.type === 'config') refreshWidgets();
    if (message.type === 'page') applyPageSettings(message.settings);
    for (const listener of localListeners) listener(message);
  });
}
