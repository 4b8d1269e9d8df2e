/**
 * The demo storefront's script: registers the latch elements, shows the demo shopper's
 * credentials (from the reference service's dev endpoint) and logs what the widget tells the page.
 */
import '../src/define.js';
// The reference service's development social provider and captcha, so every path works offline.
import '../src/dev.js';
// Demo catalogs for the studio's language control, and the studio's cross-tab sync on every page.
import './studio-messages.js';
import { startSync } from './studio-sync.js';

interface DevInfo {
  demo_user?: { email: string; password: string };
  admin_base?: string;
}

async function showDevInfo(): Promise<void> {
  const set = (id: string, text: string) => {
    const el = document.getElementById(id);
    if (el) el.textContent = text;
  };
  try {
    const response = await fetch('/__dev/info', { headers: { accept: 'application/json' } });
    const info = (await response.json()) as DevInfo;
    set('demo-email', info.demo_user?.email ?? 'not seeded');
    set('demo-password', info.demo_user?.password ?? 'not seeded');
    set('demo-admin', info.admin_base ?? '');
  } catch {
    set('demo-email', 'reference service not reachable');
  }
}

function logEvents(): void {
  const log = document.getElementById('event-log');
  if (!log) return;
  const add = (text: string) => {
    const item = document.createElement('li');
    item.textContent = `${new Date().toLocaleTimeString()} ${text}`;
    log.prepend(item);
  };
  document.addEventListener('latch-login', (e) => {
    const email = e.detail.user.emails?.[0]?.email ?? e.detail.user._id;
    add(`latch-login: ${email} (${e.detail.method})`);
    const greeting = document.getElementById('greeting');
    if (greeting) greeting.textContent = `Hello, ${e.detail.user.first_name || email}`;
  });
  document.addEventListener('latch-logout', () => {
    add('latch-logout');
    const greeting = document.getElementById('greeting');
    if (greeting) greeting.textContent = 'Hello, guest';
  });
  // A real store would go on to checkout here; the demo says so in the header, and to a screen
  // reader through the page's status (the button alone changes nothing in the widget).
  document.addEventListener('latch-skip', () => {
    for (const id of ['greeting', 'page-status']) {
      const el = document.getElementById(id);
      if (el) el.textContent = 'Checking out as a guest';
    }
  });
  for (const name of ['latch-register', 'latch-skip', 'latch-profile-updated', 'latch-session-revoked', 'latch-account-deleted', 'latch-login-required'] as const) {
    document.addEventListener(name, () => add(name));
  }
  document.addEventListener('latch-error', (e) => add(`latch-error: ${e.detail.action} ${e.detail.kind} ${e.detail.status} ${e.detail.message}`));
}

interface OutboxItem {
  id: number;
  channel: string;
  to: string;
  subject?: string;
  text: string;
  created_at: string;
}

/** The reference service "sends" SMS and email to its dev outbox; the panel shows them as they come. */
async function showOutbox(): Promise<void> {
  const list = document.getElementById('outbox');
  if (!list) return;
  let last = -1;
  const refresh = async () => {
    try {
      const { items } = (await (await fetch('/__dev/outbox')).json()) as { items: OutboxItem[] };
      // Newest first. Only what is new goes in, above the rest: the list is a live region, and
      // rebuilding it made a screen reader read every earlier message (and code) again.
      const fresh = items.filter((item) => item.id > last).slice(0, 10);
      if (!fresh.length) return;
      last = fresh[0].id;
      list.prepend(
        ...fresh.map((item) => {
          const entry = document.createElement('li');
          const head = document.createElement('strong');
          head.textContent = `${item.channel.toUpperCase()} to ${item.to} · ${new Date(item.created_at).toLocaleTimeString()}`;
          const body = document.createElement('pre');
          body.textContent = item.subject ? `${item.subject}\n\n${item.text}` : item.text;
          entry.append(head, body);
          return entry;
        }),
      );
      while (list.children.length > 10) list.lastElementChild!.remove();
    } catch {
      // The panel is a convenience; the widget reports its own errors.
    }
  };
  await refresh();
  setInterval(refresh, 2000);
}

startSync();
void showDevInfo();
void showOutbox();
logEvents();
