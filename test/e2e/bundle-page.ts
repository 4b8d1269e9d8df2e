/**
 * A storefront page for whole-page tests: the built bundle (entry and chunks) served under the
 * strictest policy the checklist names, with the reference service (and its dev outbox) in-process
 * on the same origin.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { build } from 'vite';
import { createService, type Service, type ServiceOptions } from '../../src/server/app.js';

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types lit-html',
].join('; ');

export const ADMIN = '/service/platform/user/v1.0/company/1/application/000000000000000000000001';

export interface BundlePage {
  origin: string;
  /** Paths of the script files the page has fetched, in order. */
  fetched: string[];
  service: Service;
  close(): Promise<void>;
}

/**
 * Builds the bundle, starts the service with `options`, and serves `body` (HTML inside <body>) at `/`.
 * `entry: 'auth'` serves the sign-in-only bundle, whose later steps are a chunk loaded on demand;
 * the default is the whole package in one file.
 */
export async function startBundlePage(
  body: string,
  options: Partial<ServiceOptions> & { adminToken: string },
  entry: 'auth' | 'all' = 'all',
): Promise<BundlePage> {
  const outDir = mkdtempSync(join(tmpdir(), 'latch-page-'));
  // vite.config.ts reads the entry from the environment when the build loads it.
  const previous = process.env.LATCH_ENTRY;
  process.env.LATCH_ENTRY = entry === 'auth' ? 'auth' : '';
  try {
    await build({ mode: 'cdn', logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  } finally {
    if (previous === undefined) delete process.env.LATCH_ENTRY;
    else process.env.LATCH_ENTRY = previous;
  }
  const files = new Map(readdirSync(outDir).map((name) => [`/${name}`, readFileSync(join(outDir, name))]));
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>latch test store</title>
<script type="module" src="/latch.js"></script></head><body>${body}</body></html>`;
  const service = await createService({
    database: ':memory:',
    companyId: '1',
    applicationId: '000000000000000000000001',
    dev: true,
    passwordParams: { N: 1024, r: 8, p: 1 },
    log: () => {},
    printMessage: () => {},
    ...options,
  });
  await service.ready;
  const api = getRequestListener(service.app.fetch, { overrideGlobalObjects: false });
  const fetched: string[] = [];
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/service/') || req.url?.startsWith('/__dev/')) return void api(req, res);
    const script = files.get(req.url ?? '');
    if (script) fetched.push(req.url!);
    res.writeHead(200, {
      'content-type': script ? 'text/javascript' : 'text/html; charset=utf-8',
      'content-security-policy': CSP,
    });
    res.end(script ?? page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    origin: `http://localhost:${typeof address === 'object' && address ? address.port : 0}`,
    fetched,
    service,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await service.close();
    },
  };
}
