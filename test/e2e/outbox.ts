/**
 * Codes the reference service "sent", read from its dev outbox. The service writes the outbox
 * before it answers the send, so once the page shows the code step the code is there: one read,
 * no polling and no waiting on the clock.
 */
import assert from 'node:assert/strict';

/** The newest code sent to `to`. Call it after the page moved on to the code step. */
export async function latestCode(origin: string, to: string): Promise<string> {
  const response = await fetch(`${origin}/__dev/outbox?to=${encodeURIComponent(to)}`);
  const { items } = (await response.json()) as { items: { code?: string }[] };
  const code = items.find((item) => item.code)?.code;
  assert.ok(code, `a code for ${to} in the outbox`);
  return code;
}
