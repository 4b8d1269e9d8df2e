/**
 * Vite: `npm start` serves the demo storefront (demo/) with the reference user service mounted in
 * the same dev server (same origin, so the session cookie is first-party, as on a real store).
 * `vite build` writes the npm package build (lit and zod external); `vite build --mode cdn` writes
 * the script-tag bundles `npm run size` measures: the whole package in one file (dist/cdn), or with
 * LATCH_ENTRY=auth the sign-in-only bundle and its on-demand steps chunk (dist/cdn-auth).
 */
import { defineConfig, type Plugin } from 'vite';
import { basename } from 'node:path';
import { getRequestListener } from '@hono/node-server';

/**
 * The one-file package: `<latch-auth>`'s on-demand steps are in the same file, so they are imported
 * statically (load-steps.bundled.ts) rather than through `import()`, which would wrap every module
 * they reach in lazy-initialisation code (1.2 kB brotli for nothing).
 */
function bundledSteps(): Plugin {
  return {
    name: 'latch-bundled-steps',
    apply: 'build',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (source !== './load-steps.js' || !importer?.endsWith('/latch-auth/latch-auth.ts')) return null;
      return this.resolve('./load-steps.bundled.js', importer);
    },
  };
}

/**
 * Both script-tag bundles: with module preloading off, Vite's preload helper around `import()` has
 * nothing to preload, so it becomes a plain call (0.6 kB brotli less in the first download). A chunk
 * that fails to load is still reported: `<latch-auth>` shows its own "could not load" message.
 */
function plainDynamicImport(): Plugin {
  const helper = '\0vite/preload-helper.js';
  return {
    name: 'latch-plain-dynamic-import',
    apply: 'build',
    enforce: 'pre',
    resolveId: (id) => (id === helper || id === 'vite/preload-helper.js' ? helper : null),
    load: (id) => (id === helper ? 'export const __vitePreload = (load) => load();' : null),
  };
}

/** The folder of `<latch-auth>`'s steps: one on-demand chunk, whatever files it holds. */
const STEPS_FOLDER = '/src/elements/latch-auth/steps/';

/**
 * The sign-in-only bundle's chunks: a module goes with the on-demand steps when it is in the steps
 * folder, or when only on-demand modules import it (a step's API calls, its words, the code form),
 * unless the first screen imports it too. Decided by folder and by the import graph, never by a
 * list of file names, so a new step cannot land in the first download by accident.
 */
function stepsChunk(id: string, meta: { getModuleInfo: (id: string) => { importers: readonly string[]; dynamicImporters: readonly string[]; isEntry: boolean } | null }): string {
  const onDemand = new Map<string, boolean>();
  const visit = (module: string): boolean => {
    const known = onDemand.get(module);
    if (known !== undefined) return known;
    onDemand.set(module, false); // a cycle back to here decides nothing
    const info = meta.getModuleInfo(module);
    let result: boolean;
    if (!info || info.isEntry) result = false;
    else if (module.includes(STEPS_FOLDER)) result = !info.importers.some((importer) => !importer.includes(STEPS_FOLDER));
    else result = info.importers.length > 0 && info.importers.every(visit);
    onDemand.set(module, result);
    return result;
  };
  return visit(id) ? 'steps' : 'latch';
}

/**
 * Browsers the stylesheet is written for (cascade layers, `revert-layer`, `:has()`, `light-dark()`):
 * the CSS minifier keeps `light-dark()` as is instead of expanding every palette colour into
 * custom-property toggles (0.4 kB brotli).
 */
const CSS_TARGET = ['chrome123', 'edge123', 'firefox121', 'safari17.5'];

/** The shipped translations: one chunk per language (`latch-lang-hi-….js`), downloaded only when used. */
const CATALOG = /\/i18n\/catalogs\/([a-z-]+)\.ts$/;
const catalogChunk = (id: string) => {
  const lang = CATALOG.exec(id)?.[1];
  return lang ? `lang-${lang}` : undefined;
};

const isServicePath = (url = '') => url.startsWith('/service/') || url.startsWith('/__dev/');

/**
 * What the demo store looks like on a first `npm start`: more than a password form, so a newcomer
 * sees at once that the config drives the widget. Applied only to a store whose config nobody has
 * changed yet (`__v` 0), so the studio's changes survive a restart with a file database.
 */
const DEMO_START_CONFIG = {
  display: 'Harbor & Thread',
  // Served by the dev server from demo/; a same-origin image is allowed like an https: one.
  desktop_image: '/harbor-logo.svg',
  subtext: 'Sign in for faster checkout and your order history',
  login: { password: true, otp: true },
  register: true,
  forgot_password: true,
  social: { google: true, apple: true, facebook: false },
  skip_login: true,
  flash_card: { text: 'Free shipping on orders over $50 this week', text_color: '#FFFFFF', background_color: '#1F4E5F' },
};

/** The studio's module: the admin API's base and token, served by the dev server only (never built). */
const STUDIO_MODULE = 'virtual:latch-studio';

function referenceService(): Plugin {
  let studio: { adminBase: string; adminToken: string } | null = null;
  return {
    name: 'latch-reference-service',
    apply: 'serve',
    resolveId: (id) => (id === STUDIO_MODULE ? `\0${STUDIO_MODULE}` : null),
    // Dev mode only: a service in production mode hands no token to any page.
    load: (id) => (id === `\0${STUDIO_MODULE}` ? `export default ${JSON.stringify(studio)};` : null),
    config() {
      // Whatever DATABASE names is denied too, with its -wal and -shm companions.
      const db = process.env.DATABASE?.trim() || 'latch.db';
      if (db === ':memory:') return;
      const name = basename(db);
      return { server: { fs: { deny: [`**/${name}`, `**/${name}-*`] } } };
    },
    async configureServer(server) {
      // Loaded through tsx at serve time, not bundled into the config: the service is plain Node code.
      const { tsImport } = await import('tsx/esm/api');
      const { optionsFromEnv, isLoopbackBind } = await tsImport('./src/server/env.ts', import.meta.url);
      const { createService } = await tsImport('./src/server/app.ts', import.meta.url);
      const { platformBase } = await tsImport('./src/server/context.ts', import.meta.url);
      // `npm start` is the development server, so dev features are on unless LATCH_DEV=0 says otherwise.
      const env = { ...process.env, LATCH_DEV: process.env.LATCH_DEV ?? '1' };
      const { options, printed } = optionsFromEnv({ ...env, HOST: undefined });
      const host = server.config.server.host;
      const bind = host === true ? '0.0.0.0' : (host ?? 'localhost');
      if (options.dev && !isLoopbackBind(bind)) {
        throw new Error(`LATCH_DEV=1 serves every code and link at /__dev/outbox, so the dev server only listens on loopback; --host is "${bind}"`);
      }
      const adminBase = platformBase(options.companyId, options.applicationId);
      if (options.dev) studio = { adminBase, adminToken: options.adminToken };
      // Links in messages use the dev server's own origin (once it is listening), never a Host header.
      let service: Awaited<ReturnType<typeof createService>> | undefined;
      const started = new Promise<Awaited<ReturnType<typeof createService>>>((resolve, reject) => {
        const start = () => {
          const publicUrl = options.publicUrl ?? server.resolvedUrls?.local[0];
          createService({ ...options, ...(publicUrl ? { publicUrl: new URL(publicUrl).origin } : {}) }).then((created: Awaited<ReturnType<typeof createService>>) => {
            service = created;
            resolve(created);
          }, reject);
        };
        if (server.httpServer) server.httpServer.once('listening', () => setImmediate(start));
        else start();
      });
      const listener = started.then(async (svc) => {
        await svc.ready;
        if (options.dev) await applyDemoStartConfig(svc.app.fetch, adminBase, options.adminToken);
        return getRequestListener(svc.app.fetch, { overrideGlobalObjects: false });
      });
      // No path argument: connect would strip it and the service would see the wrong path.
      server.middlewares.use((req, res, next) => {
        if (!isServicePath(req.url)) return next();
        listener.then((l) => l(req, res), next);
      });
      server.httpServer?.once('close', () => void service?.close());
      for (const line of printed) server.config.logger.info(line);
      if (studio) server.config.logger.info('  store admin:     the demo page\'s "Store admin" panel changes the config above (dev only)');
    },
  };
}

/**
 * Files the dev server must never hand out through /@fs/ or the demo root: the service's SQLite
 * database with its WAL and shared-memory files (every account, hash and session), next to Vite's
 * own defaults.
 */
export const DENIED_FILES = ['.env', '.env.*', '*.{crt,pem}', '**/.git/**', '**/*.db', '**/*.db-*', '**/*.sqlite', '**/*.sqlite-*', '**/*.sqlite3'];

/** Through the admin API itself, as a store admin would: the service's defaults stay untouched. */
async function applyDemoStartConfig(fetchApp: (request: Request) => Response | Promise<Response>, adminBase: string, token: string): Promise<void> {
  const url = `http://localhost${adminBase}/platform/config`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const current = (await (await fetchApp(new Request(url, { headers }))).json()) as { __v?: number };
  if (current.__v !== 0) return;
  await fetchApp(new Request(url, { method: 'POST', headers, body: JSON.stringify(DEMO_START_CONFIG) }));
}

export default defineConfig(({ command, mode }) => {
  if (command === 'serve') {
    return {
      root: 'demo',
      plugins: [referenceService()],
      server: { port: Number(process.env.PORT) || 5173, host: 'localhost', fs: { deny: DENIED_FILES } },
      preview: { port: Number(process.env.PORT) || 5173 },
    };
  }
  if (mode === 'cdn') {
    // An app build, not a lib build: lib mode keeps whitespace in ES output for downstream bundlers,
    // but this file is what the browser downloads.
    return {
      // Both bundles load catalogs with `import()`; the sign-in bundle also its steps.
      plugins: process.env.LATCH_ENTRY === 'auth' ? [plainDynamicImport()] : [plainDynamicImport(), bundledSteps()],
      build: {
        outDir: process.env.LATCH_ENTRY === 'auth' ? 'dist/cdn-auth' : 'dist/cdn',
        emptyOutDir: true,
        target: 'es2022',
        cssTarget: CSS_TARGET,
        modulePreload: false,
        copyPublicDir: false,
        rolldownOptions: {
          // LATCH_ENTRY=auth builds the sign-in widget alone (what `npm run size` measures for <latch-auth>).
          input: process.env.LATCH_ENTRY === 'auth' ? 'src/cdn-auth.ts' : 'src/cdn.ts',
          // The entry may also export what the steps chunk imports from it, so no facade file is needed.
          preserveEntrySignatures: 'allow-extension',
          output: {
            format: 'es',
            entryFileNames: 'latch.js',
            chunkFileNames: 'latch-[name]-[hash].js',
            // Sign-in only: everything but the on-demand steps and the catalogs stays in the one entry
            // file (a shared chunk would cost an extra request and compress worse). The whole package
            // is one file but for the catalogs: an account page uses the steps' calls at once, so a
            // split would only add requests, but a page needs at most one translation.
            manualChunks: (id: string, meta: Parameters<typeof stepsChunk>[1]) =>
              catalogChunk(id) ?? (process.env.LATCH_ENTRY === 'auth' ? stepsChunk(id, meta) : 'latch'),
          },
        },
      },
    };
  }
  return {
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      target: 'es2022',
      cssTarget: CSS_TARGET,
      // Readable JavaScript for downstream bundlers, but the `.css?inline` text is minified here:
      // inside a string no downstream minifier would touch it.
      minify: false,
      cssMinify: true,
      lib: { entry: { index: 'src/index.ts', define: 'src/define.ts', 'define-auth': 'src/define-auth.ts', dev: 'src/dev.ts' }, formats: ['es'] },
      rolldownOptions: { external: [/^lit(\/|$)/, /^@lit\//, /^zod(\/|$)/] },
    },
  };
});
