/**
 * A storefront and its user service on two origins, for whole-page tests of cross-origin set-ups
 * and of config preloading: the built bundle and the test's pages are served by one server, the
 * reference service (real app, in-memory database) by another, which counts what reaches it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { build } from 'vite';
import { createService, type Service, type ServiceOptions } from '../../src/server/app.js';

export const DEMO_USER = { email: 'shopper@example.com', password: 'correct-horse-battery' };

let bundle: Promise<Map<string, Buffer>> | undefined;

/** The whole package as one script (`dist/cdn` as `npm run build` writes it), built once per run. */
function builtBundle(): Promise<Map<string, Buffer>> {
  bundle ??= (async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'latch-two-origins-'));
    const previous = process.env.LATCH_ENTRY;
    process.env.LATCH_ENTRY = '';
    try {
      await build({ mode: 'cdn', logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    } finally {
      if (previous === undefined) delete process.env.LATCH_ENTRY;
      else process.env.LATCH_ENTRY = previous;
    }
    return new Map(readdirSync(outDir).map((name) => [`/${name}`, readFileSync(join(outDir, name))]));
  })();
  return bundle;
}

const listen = async (server: Server): Promise<number> => {
  // Loopback only; tests reach it as localhost or 127.0.0.1, which are different sites.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
};

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

export interface ServiceHost {
  port: number;
  service: Service;
  /** Method and path (without query) of every request that reached the service, in order. */
  requests: string[];
  /** Counts and answers one request (also used to mount the service on the pages' origin). */
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): Promise<void>;
}

export async function startService(options: Partial<ServiceOptions> = {}): Promise<ServiceHost> {
  const service = await createService({
    database: ':memory:',
    companyId: '1',
    applicationId: '000000000000000000000001',
    adminToken: 'two-origins-admin-token',
    dev: true,
    demoUser: DEMO_USER,
    passwordParams: { N: 1024, r: 8, p: 1 },
    log: () => {},
    printMessage: () => {},
    ...options,
  });
  await service.ready;
  const listener = getRequestListener(service.app.fetch, { overrideGlobalObjects: false });
  const requests: string[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${(req.url ?? '').split('?')[0]}`);
    void listener(req, res);
  };
  const server = createServer(handle);
  const port = await listen(server);
  return {
    port,
    service,
    requests,
    handle,
    close: async () => {
      await close(server);
      await service.close();
    },
  };
}

export interface PageHost {
  port: number;
  close(): Promise<void>;
}

/** A page's HTML, or a function of the request's query that writes it. */
export type PageSource = string | ((query: URLSearchParams) => string);

/**
 * Serves the bundle at /latch.js and each of `pages` (path -> whole HTML document); with `sameOrigin`,
 * that service also answers its paths on the pages' own origin.
 */
export async function startPages(pages: Record<string, PageSource>, sameOrigin?: ServiceHost): Promise<PageHost> {
  const files = await builtBundle();
  const server = createServer((req, res) => {
    if (sameOrigin && (req.url?.startsWith('/service/') || req.url?.startsWith('/__dev/'))) return sameOrigin.handle(req, res);
    const url = new URL(req.url ?? '/', 'http://page.invalid');
    const script = files.get(url.pathname);
    const source = pages[url.pathname];
    const page = typeof source === 'function' ? source(url.searchParams) : source;
    if (!script && page === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': script ? 'text/javascript' : 'text/html; charset=utf-8' });
    res.end(script ?? page);
  });
  const port = await listen(server);
  return { port, close: () => close(server) };
}

/** A page with the bundle and `body`; `head` goes before the script (a preload, an embedded config). */
export const storefront = (body: string, head = '') => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>latch test store</title>${head}<script type="module" src="/latch.js"></script></head><body>${body}</body></html>`;
