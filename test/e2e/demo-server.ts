/**
 * The demo as `npm start` serves it (the Vite dev server with the reference service inside), on a
 * free port with a throwaway database, for the whole-page tests that drive the demo and its studio.
 */
import { createServer, type ViteDevServer } from 'vite';

export interface DemoServer {
  server: ViteDevServer;
  origin: string;
}

/** `adminToken` must have at least 32 characters: the service refuses shorter ones. */
export async function startDemoServer(adminToken: string): Promise<DemoServer> {
  Object.assign(process.env, { DATABASE: ':memory:', ADMIN_TOKEN: adminToken });
  const server = await createServer({ logLevel: 'silent', server: { port: 0, host: 'localhost' } });
  await server.listen();
  const address = server.httpServer!.address();
  return { server, origin: `http://localhost:${typeof address === 'object' && address ? address.port : 0}` };
}
