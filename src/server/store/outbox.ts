// The dev outbox: where every SMS and email of the reference service goes. There is no SMS or email
// provider behind this server, so each message is stored in the `outbox` table, printed on the
// console in dev mode (the developer's delivery channel) and listed at GET /__dev/outbox, where the
// demo page and the tests read codes and links from it.
import type { Sql } from './sql';
import { deleteBatch, type PurgeTarget } from './purge';

export type Channel = 'sms' | 'email';

export interface OutboxMessage {
  channel: Channel;
  /** E.164 ("+919876543210") for SMS, the address for email. */
  to: string;
  /** Email only. */
  subject?: string;
  text: string;
}

/** What GET /__dev/outbox lists; `code` and `link` are pulled out of the text for convenience. */
export interface OutboxItem {
  id: number;
  channel: Channel;
  to: string;
  /** "" for SMS. */
  subject: string;
  text: string;
  created_at: string;
  code?: string;
  link?: string;
}

interface OutboxRow {
  id: number;
  channel: Channel;
  recipient: string;
  subject: string | null;
  body: string;
  created_at: number;
}

/**
 * Messages carry live codes and reset links in clear text (they are what was "sent"), so rows do
 * not outlive the day: every code and link expires long before that anyway.
 */
export const KEEP_MS = 24 * 60 * 60 * 1000;
export const OUTBOX_PURGE: PurgeTarget = { table: 'outbox', column: 'created_at' };
const LIST_LIMIT = 100;

/** Digits only for phone numbers, lowercase for email: "+91 98765-43210" finds "+919876543210". */
export function recipientKey(channel: Channel, to: string): string {
  return channel === 'sms' ? to.replace(/\D/g, '') : to.trim().toLowerCase();
}

function extractCode(text: string): string | undefined {
  return /(?<!\d)(\d{6})(?!\d)/.exec(text)?.[1];
}

function extractLink(text: string): string | undefined {
  return /https?:\/\/[^\s<>"]+/.exec(text)?.[0];
}

export class Outbox {
  readonly #sql: Sql;
  readonly #applicationId: string;
  readonly #now: () => number;
  readonly #print: ((block: string) => void) | undefined;

  /** `print` is set in dev mode only; without it messages are stored but never shown. */
  constructor(sql: Sql, applicationId: string, now: () => number, print?: (block: string) => void) {
    this.#sql = sql;
    this.#applicationId = applicationId;
    this.#now = now;
    this.#print = print;
  }

  async send(message: OutboxMessage): Promise<void> {
    const t = this.#now();
    await deleteBatch(this.#sql, OUTBOX_PURGE, t - KEEP_MS, 20);
    await this.#sql.run(`INSERT INTO outbox (application_id, channel, recipient, recipient_key, subject, body, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`, this.#applicationId,
        message.channel,
        message.to,
        recipientKey(message.channel, message.to),
        message.subject ?? null,
        message.text,
        t,);
    this.#print?.(formatBlock(message));
  }

  /** Newest first; `to` filters by recipient (digits for SMS, case-insensitive for email). */
  async list(to?: string): Promise<OutboxItem[]> {
    const filter = to?.trim();
    const rows = (
      filter
        ? await this.#sql.all(`SELECT * FROM outbox WHERE application_id = ? AND (recipient_key = ? OR recipient_key = ?)
               ORDER BY id DESC LIMIT ?`, this.#applicationId, recipientKey('sms', filter) || '-', recipientKey('email', filter), LIST_LIMIT)
        : await this.#sql.all('SELECT * FROM outbox WHERE application_id = ? ORDER BY id DESC LIMIT ?', this.#applicationId, LIST_LIMIT)
    ) as OutboxRow[];
    return rows.map((row) => {
      const item: OutboxItem = {
        id: row.id,
        channel: row.channel,
        to: row.recipient,
        subject: row.subject ?? '',
        text: row.body,
        created_at: new Date(row.created_at).toISOString(),
      };
      const code = extractCode(row.body);
      const link = extractLink(row.body);
      if (code) item.code = code;
      if (link) item.link = link;
      return item;
    });
  }
}

/** One block a developer can spot in a busy terminal. */
function formatBlock(message: OutboxMessage): string {
  const head = `----- dev outbox: ${message.channel === 'sms' ? 'SMS' : 'email'} to ${message.to} -----`;
  const lines = [head];
  if (message.subject) lines.push(`Subject: ${message.subject}`, '');
  lines.push(message.text, '-'.repeat(head.length));
  return lines.join('\n');
}
