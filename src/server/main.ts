// Standalone entry point (`npm run serve`, `npx latch-server`): the reference user service on its
// own port, configured from the environment (see env.ts). On SIGTERM or SIGINT it stops accepting,
// lets in-flight requests finish (SHUTDOWN_GRACE_SECONDS, default 10), then closes the database.
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { createService } from './app';
import { optionsFromEnv } from './env';
import { hashQueueOptionsFromEnv } from './services/hash-queue';
import { drainer, parseShutdownGrace } from './shutdown';

const { options, port, host, printed } = optionsFromEnv();
const graceMs = parseShutdownGrace(process.env['SHUTDOWN_GRACE_SECONDS']);
const service = await createService({ ...options, hashing: hashQueueOptionsFromEnv(process.env) });
for (const line of printed) console.log(line);
console.log(
  `  hashing:         ${service.hashQueue.options.concurrency} at once, libuv thread pool ${process.env['UV_THREADPOOL_SIZE'] ?? '4 (default)'}; ` +
    `${service.hashQueue.options.maxWaitingPerClient} waiting per client address, ${service.hashQueue.options.maxWaiting} in all, then 503`,
);

try {
  await service.ready;
} catch {
  // Already logged by createService; the service still answers, only the demo shopper is missing.
}

// HOST (from optionsFromEnv) is loopback in development and every interface otherwise.
const server = serve({ fetch: service.app.fetch, port, hostname: host }, (info) => {
  console.log(`latch user service listening on http://${host.includes(':') ? `[${host}]` : host}:${info.port}`);
}) as Server;
const drain = drainer(server);

async function stop(signal: string): Promise<void> {
  if (drain.stopping) return;
  service.beginShutdown();
  const inFlight = drain.inFlight;
  const drained = drain.stop(graceMs);
  console.log(`${signal}: stopped accepting; ${inFlight} request(s) in flight, up to ${graceMs / 1000} s to finish`);
  const clean = await drained;
  await service.close();
  console.log(clean ? 'latch user service stopped' : 'latch user service stopped; requests still running after the grace period were cut');
  process.exitCode = clean ? 0 : 1;
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
