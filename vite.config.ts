/**
 * Vite: `npm start` serves the demo storefront (demo/) with the reference user service mounted in
 * the same dev server (same origin, so the session cookie is first-party, as on a real store).
 * `vite build` writes the npm package build (lit and zod external); `vite build --mode cdn` writes
 * the script-tag bundles `npm run size` measures: the whole package in one file (dist/cdn), or with
 * LATCH_ENTRY=auth the sign-in-only bundle and its on-demand steps chunk (dist/cdn-auth).
 */
import { defineConfig, type Plugin } from 'vite';
import { getRequestListener } from '@hono/node-server';

/**
 * The one-file package: `<latch-auth>`'s on-demand steps are in the same file, so they are imported
 * statically (load-flows.bundled.ts) rather than through `import()`, which would wrap every module
 * they reach in lazy-initialisation code (1.2 kB brotli for nothing).
 */
function bundledFlows(): Plugin {
  return {
    name: 'latch-bundled-flows',
    apply: 'build',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (source !== './load-flows.js' || !importer?.endsWith('/latch-auth/latch-auth.ts')) return null;
      return this.resolve('./load-flows.bundled.js', importer);
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

/** Modules only the on-demand steps use (and the account elements, which load them with the package). */
const STEPS = /\/(flows|en-flows|en-codes|flows\.schema|contact\.schema|steps)\.ts$/;

/** The shipped translations: one chunk per language (`latch-lang-hi-….js`), downloaded only when used. */
const CATALOG = /\/i18n\/catalogs\/([a-z-]+)\.ts$/;
const catalogChunk = (id: string) => {
  const lang = CATALOG.exec(id)?.[1];
  return lang ? `lang-${lang}` : undefined;
};

const isServicePath = (url = '') => url.startsWith('/service/') || url.startsWith('/__dev/');

function referenceService(): Plugin {
  return {
    name: 'latch-reference-service',
    apply: 'serve',
    async configureServer(server) {
      // Loaded through tsx at serve time, not bundled into the config: the service is plain Node code.
      const { tsImport } = await import('tsx/esm/api');
      const { optionsFromEnv } = await tsImport('./src/server/env.ts', import.meta.url);
      const { createService } = await tsImport('./src/server/app.ts', import.meta.url);
      const { options, printed } = optionsFromEnv();
      const service = createService(options);
      await service.ready;
      const listener = getRequestListener(service.app.fetch, { overrideGlobalObjects: false });
      // No path argument: connect would strip it and the service would see the wrong path.
      server.middlewares.use((req, res, next) => (isServicePath(req.url) ? listener(req, res) : next()));
      server.httpServer?.once('close', () => service.close());
      for (const line of printed) server.config.logger.info(line);
    },
  };
}

export default defineConfig(({ command, mode }) => {
  if (command === 'serve') {
    return {
      root: 'demo',
      plugins: [referenceService()],
      server: { port: Number(process.env.PORT) || 5173, host: 'localhost' },
      preview: { port: Number(process.env.PORT) || 5173 },
    };
  }
  if (mode === 'cdn') {
    // An app build, not a lib build: lib mode keeps whitespace in ES output for downstream bundlers,
    // but this file is what the browser downloads.
    return {
      // Both bundles load catalogs with `import()`; the sign-in bundle also its steps.
      plugins: process.env.LATCH_ENTRY === 'auth' ? [plainDynamicImport()] : [plainDynamicImport(), bundledFlows()],
      build: {
        outDir: process.env.LATCH_ENTRY === 'auth' ? 'dist/cdn-auth' : 'dist/cdn',
        emptyOutDir: true,
        target: 'es2022',
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
            manualChunks: (id: string) => catalogChunk(id) ?? (process.env.LATCH_ENTRY === 'auth' && STEPS.test(id) ? 'steps' : 'latch'),
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
      // Readable JavaScript for downstream bundlers, but the `.css?inline` text is minified here:
      // inside a string no downstream minifier would touch it.
      minify: false,
      cssMinify: true,
      lib: { entry: { index: 'src/index.ts', define: 'src/define.ts', 'define-auth': 'src/define-auth.ts', dev: 'src/dev.ts' }, formats: ['es'] },
      rolldownOptions: { external: [/^lit(\/|$)/, /^@lit\//, /^zod(\/|$)/] },
    },
  };
});
