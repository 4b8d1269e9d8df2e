// Standalone entry point (`npm run serve`): the reference user service on its own port, configured
// from the environment (see env.ts). Closes the database cleanly on Ctrl-C or a stop signal.
import { serve } from '@hono/node-server';
import { createService } from './app';
import { optionsFromEnv } from './env';

const { options, port, host, printed } = optionsFromEnv();
const service = createService(options);
for (const line of printed) console.log(line);

try {
  await service.ready;
} catch {
  // Already logged by createService; the service still answers, only the demo shopper is missing.
}

const server = serve({ fetch: service.app.fetch, port, hostname: host }, (info) => {
  console.log(`latch user service listening on ${host}:${info.port}`);
});

let stopping = false;
function stop(signal: string): void {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: closing the latch user service`);
  server.close();
  service.close();
  process.exit(0);
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
