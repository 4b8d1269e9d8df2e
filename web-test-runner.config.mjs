// Browser tests: real Chromium (Debian's), each test file in its own browser context, talking to the
// real reference user service mounted in the test server, one in-memory database per test file.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { a11ySnapshotPlugin } from '@web/test-runner-commands/plugins';
import { getRequestListener } from '@hono/node-server';
import { tsImport } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import { faultMiddleware } from './test/support/faults.mjs';
import { chromiumArgs, chromiumPath } from './test/support/chromium.mjs';

const { createService } = await tsImport('./src/server/app.ts', import.meta.url);

/** Shared with the browser side through test/support/service.ts. */
export const TEST_SERVICE = {
  adminToken: 'test-admin-token',
  companyId: '1',
  applicationId: '000000000000000000000001',
  demoUser: { email: 'shopper@example.com', password: 'correct-horse-battery', firstName: 'Sam', lastName: 'Shopper' },
};

// One service (and database) per test page, keyed by the page's wtr-session-id, so rate limits,
// sessions and config changes of one test file never leak into another.
const services = new Map();
async function serviceFor(sessionId) {
  let entry = services.get(sessionId);
  if (!entry) {
    // The promise goes in the map at once, so requests arriving together share one service.
    entry = createService({
      database: ':memory:',
      dev: true,
      ...TEST_SERVICE,
      // The dev provider's consent popup is not a test page (no wtr-session-id), so its token is
      // signed by another test service: one shared dev secret lets every test service verify it.
      socialDevSecret: 'web-test-runner-dev-social-secret',
      // Cheap hashing keeps the suite fast; production parameters are tested in the server tests.
      passwordParams: { N: 1024, r: 8, p: 1 },
      log: () => {},
      printMessage: () => {},
    }).then(async (service) => {
      await service.ready;
      return { service, listener: getRequestListener(service.app.fetch, { overrideGlobalObjects: false }) };
    });
    services.set(sessionId, entry);
  }
  return entry;
}

function sessionIdOf(ctx) {
  try {
    return new URL(ctx.get('referer')).searchParams.get('wtr-session-id') ?? 'default';
  } catch {
    return 'default';
  }
}

const isServicePath = (path) => path.startsWith('/service/') || path.startsWith('/__dev/');

/**
 * Serves `import css from './x.css?inline'` as Vite does: a module whose default export is the
 * stylesheet's text (unminified here; the build minifies it).
 */
const cssInline = {
  name: 'latch-css-inline',
  resolveMimeType(context) {
    if (context.path.endsWith('.css') && context.URL.searchParams.has('inline')) return 'js';
  },
  transform(context) {
    if (!context.path.endsWith('.css') || !context.URL.searchParams.has('inline')) return;
    return { body: `export default ${JSON.stringify(context.body)};`, headers: { 'content-type': 'text/javascript' } };
  },
};

export default {
  files: ['test/**/*.test.ts', '!test/server/**', '!test/server-postgres/**', '!test/e2e/**'],
  nodeResolve: true,
  // Loaded before every test file: makes each `accessible()` check run in the light and the dark theme.
  testRunnerHtml: (testFramework) =>
    `<!doctype html><html><body><script type="module" src="/test/support/themes.ts"></script><script type="module" src="${testFramework}"></script></body></html>`,
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  // a11ySnapshotPlugin: tests read what a screen reader is told (Chromium's accessibility tree).
  plugins: [cssInline, a11ySnapshotPlugin(), esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) })],
  middleware: [
    faultMiddleware(),
    async function referenceService(ctx, next) {
      if (!isServicePath(ctx.path)) return next();
      const { listener } = await serviceFor(sessionIdOf(ctx));
      ctx.respond = false;
      await listener(ctx.req, ctx.res);
    },
  ],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: chromiumPath, headless: true, args: chromiumArgs },
      async createPage({ browser }) {
        const context = await browser.createBrowserContext();
        return context.newPage();
      },
    }),
  ],
};
